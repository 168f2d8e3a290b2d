#include "StackSampler.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>

namespace exitlens::linux_trace {

namespace {

// A window of the tracee's stack read in one process_vm_readv; frames close together (Go's are)
// are then read without another system call.
class StackWindow {
public:
    explicit StackWindow(int tid)
        : m_tid(tid)
    {
    }

    bool word(std::uint64_t address, std::uint64_t& out)
    {
        if (address % 8 != 0)
            return false;
        if (address < m_base || address + 8 > m_base + m_length) {
            if (++m_reads > kMaxReads)
                return false;
            // Up to the end of the page after next: the stack is contiguous, unmapped memory ends a read early.
            const std::uint64_t end = ((address >> 12) + 2) << 12;
            m_base = address;
            m_length = 0;
            iovec local { m_buffer, static_cast<std::size_t>(std::min<std::uint64_t>(end - address, sizeof m_buffer)) };
            iovec remote { reinterpret_cast<void*>(address), local.iov_len };
            const ssize_t got = process_vm_readv(m_tid, &local, 1, &remote, 1, 0);
            if (got < 8)
                return false;
            m_length = static_cast<std::uint64_t>(got);
        }
        std::memcpy(&out, m_buffer + (address - m_base), 8);
        return true;
    }

private:
    static constexpr int kMaxReads = 8;
    int m_tid;
    int m_reads = 0;
    std::uint64_t m_base = 0;
    std::uint64_t m_length = 0;
    unsigned char m_buffer[8192];
};

} // namespace

bool StackSampler::wanted(int pid, int number, const std::array<std::uint64_t, 6>& args, bool failed)
{
    switch (number) {
    case SYS_exit_group:
        return true;
    case SYS_kill:
    case SYS_tkill:
        return static_cast<int>(args[1]) != SIGURG; // the Go scheduler's preemption is noise
    case SYS_tgkill:
        return static_cast<int>(args[2]) != SIGURG;
    case SYS_execve:
    case SYS_execveat:
        return failed;
    case SYS_open:
    case SYS_openat:
    case SYS_openat2:
    case SYS_creat:
        return failed && m_budgets[pid].opens++ < kBudgetPerProcess;
    case SYS_write:
    case SYS_writev:
        return args[0] == 2 && m_budgets[pid].writes++ < kBudgetPerProcess;
    default:
        return false;
    }
}

std::vector<std::uint64_t> StackSampler::capture(int tid, int maxDepth)
{
    std::vector<std::uint64_t> pcs;
    user_regs_struct registers {};
    if (ptrace(PTRACE_GETREGS, tid, nullptr, &registers) != 0)
        return pcs;
    pcs.reserve(static_cast<std::size_t>(maxDepth) + 2);
    pcs.push_back(registers.rip);
    StackWindow stack(tid);
    std::uint64_t top = 0;
    stack.word(registers.rsp, top); // 0 when unreadable: the slot is kept so positions stay fixed
    pcs.push_back(top);
    std::uint64_t frame = registers.rbp;
    for (int depth = 0; depth < maxDepth && frame != 0; ++depth) {
        std::uint64_t savedFrame = 0;
        std::uint64_t returnAddress = 0;
        if (!stack.word(frame, savedFrame) || !stack.word(frame + 8, returnAddress) || returnAddress == 0)
            break;
        pcs.push_back(returnAddress);
        // Callers' frames lie above (the stack grows down); anything else is not a frame chain.
        if (savedFrame <= frame)
            break;
        frame = savedFrame;
    }
    return pcs;
}

} // namespace exitlens::linux_trace
