#pragma once

namespace exitlens::exit_detail {

// What a tracer writes into exit_group(0)'s detail after looking at the other threads (Linux:
// ProcReader::otherThreadStates), read back by the premature_exit rule:
//   "other threads: N running, M in a system call, K waiting" [kFirstThreadRunning]
// The suffix says the first thread the process started is among the N running: in a Go program
// that thread is sysmon, the runtime's monitor, which wakes by itself and runs no goroutine.
inline constexpr const char* kFirstThreadRunning = "; the first thread it started is one of the running";

// What a tracer writes into a process_exec event's detail when the file asked for privileges
// (setuid, setgid, file capabilities) that the process did not get: the kernel runs a traced
// program without them when its tracer may not follow them (ExitLens without CAP_SYS_PTRACE).
// Read back by the exec rules: "... [kPrivilegesNotGranted setuid root]".
inline constexpr const char* kPrivilegesNotGranted = "privileges not granted under tracing:";
// What the tracer writes into the exit detail of a process it killed itself to end the capture.
inline constexpr const char* kSentByExitLens = "sent by ExitLens";

} // namespace exitlens::exit_detail
