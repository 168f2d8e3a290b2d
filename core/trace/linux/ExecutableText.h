#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace exitlens::linux_trace {

// Where a fixed-address (non-PIE) x86_64 executable keeps its code: the span of its executable
// PT_LOAD segments, read from the ELF program headers. Go builds executables this way by default,
// so the range is known before the program starts, and a syscall's instruction pointer then says
// whether the launched program itself made it or a child running another image did
// (SeccompFilter uses it for exit_group).
class ExecutableText {
public:
    std::uint64_t begin = 0; // first byte of code
    std::uint64_t end = 0; // one past the last

    // nullopt for a position-independent executable (its address is chosen at exec), a
    // dynamically linked program other than Go (it exits from its C library's code, outside the
    // range), a script, another architecture, or a file that cannot be read.
    static std::optional<ExecutableText> ofFixedExecutable(const std::string& path);
};

} // namespace exitlens::linux_trace
