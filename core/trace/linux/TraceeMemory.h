#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace exitlens::linux_trace {

// Reads a stopped tracee's memory with process_vm_readv: one system call for a whole path,
// where PTRACE_PEEKDATA would take one per word (10-180 µs each on this kind of machine).
class TraceeMemory {
public:
    // A NUL-terminated string of at most maxLength bytes. truncated is set when no NUL was found.
    static bool readString(
        int tid, std::uint64_t address, std::size_t maxLength, std::string& out, bool* truncated = nullptr);
    // Exactly length bytes, or as many as are readable (returns the count read).
    static std::size_t readBytes(int tid, std::uint64_t address, std::size_t length, std::string& out);
    // A NULL-terminated array of pointers (argv/envp), at most maxCount entries.
    static bool readPointerArray(int tid, std::uint64_t address, std::size_t maxCount, std::vector<std::uint64_t>& out);
};

} // namespace exitlens::linux_trace
