#pragma once

#include <string>

namespace exitlens {

// Symbolic names from glibc (strerrorname_np, sigabbrev_np), never hand-kept tables.
std::string errnoName(int err); // "ENOENT"; "errno 4095" when unknown
std::string errnoMessage(int err); // "No such file or directory"
std::string signalName(int sig); // "SIGKILL"; "SIGRT3" for real-time signals; "signal 99" when unknown
int signalNumber(const std::string& name); // "SIGTERM" or "TERM" -> 15; 0 when unknown

} // namespace exitlens
