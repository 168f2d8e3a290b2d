#include "ExitStatus.h"

#include "Names.h"
#include "NtStatus.h"

#include <cerrno>

namespace exitlens {

int ExitStatus::shellStatus() const
{
    switch (kind) {
    case Kind::Exited:
        return code;
    case Kind::Signaled:
        return 128 + signal;
    case Kind::LaunchFailed:
        return launchErrno == ENOENT ? 127 : 126;
    case Kind::Running:
        break;
    }
    return 125;
}

std::string ExitStatus::describe() const
{
    switch (kind) {
    case Kind::Exited:
        if (windows)
            return std::string(isNtStatusFailure(windowsCode()) ? "exited with status " : "exited with code ")
                + formatWindowsExitStatus(windowsCode());
        return "exited with code " + std::to_string(code);
    case Kind::Signaled:
        return "killed by " + signalName(signal) + (coreDumped ? " (core dumped)" : "");
    case Kind::LaunchFailed:
        return "could not be executed: " + errnoName(launchErrno) + " (" + errnoMessage(launchErrno) + ")";
    case Kind::Running:
        break;
    }
    return "still running";
}

} // namespace exitlens
