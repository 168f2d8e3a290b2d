#pragma once

#include "CaptureClasses.h"
#include "Event.h"

#include <span>
#include <string_view>

namespace exitlens::linux_trace {

// An argument test done inside the seccomp filter, so the kernel stops the tracee only when the
// call matters (a write to fd 2, not every write; a tgkill that is not the Go runtime's SIGURG).
enum class FilterCheck {
    None,
    Arg0IsStdoutOrStderr, // write, writev: fd 1 or 2
    Arg0IsStdio, // close: fd 0..2
    Arg1IsStdio, // dup2, dup3: newfd 0..2
    Arg2IsNotSigurg, // tgkill: skip the Go scheduler's preemption signal
    Arg1IsSocketError, // getsockopt(SOL_SOCKET, SO_ERROR): where Go learns a non-blocking connect failed
    Arg2IsNotNull, // prlimit64: only calls that set a limit, not the read-only queries
    AnonymousNotFixed, // mmap: only new anonymous mappings, where ENOMEM under RLIMIT_AS shows up
    // newfstatat (flags in arg 3), statx (arg 2): not with AT_EMPTY_PATH, which is how the C
    // library spells fstat(fd) — no path is looked up, so nothing can be missing. The dynamic
    // loader does two per process started.
    Arg3LacksEmptyPath,
    Arg2LacksEmptyPath,
};

// A system call ExitLens knows by name and decodes.
struct SyscallInfo {
    int number; // x86_64
    std::string_view name;
    EventClass cls;
    bool needsResult; // take the syscall-exit stop (costs a second ptrace round trip)
    FilterCheck check;
};

// The calls focused mode stops on (the capture's default set), grouped by class.
std::span<const SyscallInfo> focusedSyscalls();

// Metadata for any syscall number: the focused entry when there is one, otherwise the name from
// libseccomp's table and a coarse class (full mode records every call). Never null.
const SyscallInfo& syscallInfo(int number);

// Syscalls whose result is a new process or thread; the tracer learns the child from the
// PTRACE_EVENT_FORK/VFORK/CLONE stop, and needs the exit stop only when the call failed.
bool isCloneFamily(int number);
bool isExecFamily(int number);

} // namespace exitlens::linux_trace
