#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace exitlens::linux_trace {

// The user stack of a thread stopped at a system call, read by walking frame pointers: Go keeps
// them on amd64 (and gcc code built with them), so a stack costs one PTRACE_GETREGS and one or two
// process_vm_readv calls, never a DWARF unwinder. Only for the calls that decide a diagnosis:
// exit_group, kill/tkill/tgkill, failed opens and execs, writes to fd 2 (the last two capped per
// process, since a traceback is written line by line).
//
// A sample is raw: [rip, word at rsp, return addresses of the frame-pointer chain...]. The word
// at rsp is the caller's return address only when the innermost function has no frame of its own
// (Go's syscall stubs); the symbolizer decides that offline from the pclntab (Symbolizer).
class StackSampler {
public:
    static constexpr int kMaxDepth = 64;
    static constexpr int kBudgetPerProcess = 256; // writes to fd 2, failed opens

    // Whether this finished call gets a stack. Counts the capped kinds against PID's budget.
    bool wanted(int pid, int number, const std::array<std::uint64_t, 6>& args, bool failed);
    void forget(int pid) { m_budgets.erase(pid); }

    // Reads the stopped thread TID's registers and frame-pointer chain; empty when unreadable.
    static std::vector<std::uint64_t> capture(int tid, int maxDepth = kMaxDepth);

private:
    struct Budget {
        int writes = 0;
        int opens = 0;
    };
    std::unordered_map<int, Budget> m_budgets;
};

} // namespace exitlens::linux_trace
