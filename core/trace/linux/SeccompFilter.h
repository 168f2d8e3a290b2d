#pragma once

#include "CaptureClasses.h"
#include "ExecutableText.h"

#include <linux/filter.h>
#include <optional>
#include <string>
#include <vector>

namespace exitlens::linux_trace {

// The compiled BPF program that makes the kernel stop the tracee (SECCOMP_RET_TRACE) only on the
// syscalls of the captured classes. Built with libseccomp in the parent, because libseccomp
// allocates and a forked child of a multi-threaded program may only call async-signal-safe
// functions; the child just hands the finished program to the kernel.
class SeccompFilter {
public:
    // Returns false and sets error when libseccomp refuses. rootText is the launched program's code
    // when it is a fixed-address executable (nullopt otherwise): see exitGroupProgram().
    bool build(const CaptureClasses& classes, const std::optional<ExecutableText>& rootText, std::string& error);

    const std::vector<sock_filter>& program() const { return m_program; }
    const std::vector<sock_filter>& exitGroupProgram() const { return m_exitGroupProgram; }
    int syscallCount() const { return m_syscallCount; }

    // Async-signal-safe: installs the programs in the calling thread. Returns 0 or an errno.
    int installInChild() const;

private:
    void buildExitGroupProgram(const ExecutableText& rootText);

    std::vector<sock_filter> m_program;
    sock_fprog m_fprog {};
    // Empty when exit_group is an ordinary rule of m_program (it then always stops).
    std::vector<sock_filter> m_exitGroupProgram;
    sock_fprog m_exitGroupFprog {};
    int m_syscallCount = 0;
};

} // namespace exitlens::linux_trace
