#pragma once

#include "CaptureClasses.h"

#include <linux/filter.h>
#include <string>
#include <vector>

namespace exitlens::linux_trace {

// The compiled BPF program that makes the kernel stop the tracee (SECCOMP_RET_TRACE) only on the
// syscalls of the captured classes. Built with libseccomp in the parent, because libseccomp
// allocates and a forked child of a multi-threaded program may only call async-signal-safe
// functions; the child just hands the finished program to the kernel.
class SeccompFilter {
public:
    // Returns false and sets error when libseccomp refuses.
    bool build(const CaptureClasses& classes, std::string& error);

    const std::vector<sock_filter>& program() const { return m_program; }
    int syscallCount() const { return m_syscallCount; }

    // Async-signal-safe: installs the program in the calling thread. Returns 0 or an errno.
    int installInChild() const;

private:
    std::vector<sock_filter> m_program;
    sock_fprog m_fprog {};
    int m_syscallCount = 0;
};

} // namespace exitlens::linux_trace
