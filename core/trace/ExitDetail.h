#pragma once

namespace exitlens::exit_detail {

// What a tracer writes into exit_group(0)'s detail after looking at the other threads (Linux:
// ProcReader::otherThreadStates), read back by the premature_exit rule:
//   "other threads: N running, M in a system call, K waiting" [kFirstThreadRunning]
// The suffix says the first thread the process started is among the N running: in a Go program
// that thread is sysmon, the runtime's monitor, which wakes by itself and runs no goroutine.
inline constexpr const char* kFirstThreadRunning = "; the first thread it started is one of the running";

} // namespace exitlens::exit_detail
