#pragma once

#include <cstdint>
#include <string>

namespace exitlens {

// How a process ended, in a shape both backends fill: Linux gives an exit code or a signal,
// Windows gives a 32-bit exit code that is often an NTSTATUS (0xC0000135: a DLL was not found).
struct ExitStatus {
    enum class Kind : std::uint8_t {
        Running, // not ended (yet) or never seen to end
        Exited, // code is valid
        Signaled, // signal is valid
        LaunchFailed, // the program could not be executed; launchErrno says why
    };
    Kind kind = Kind::Running;
    int code = 0;
    int signal = 0;
    bool coreDumped = false;
    int launchErrno = 0;
    // A Windows exit code: 32 bits, often an NTSTATUS, shown as "0xC0000135 STATUS_DLL_NOT_FOUND"
    // (code holds the same bits as a signed int).
    bool windows = false;

    static ExitStatus exited(int code) { return { Kind::Exited, code, 0, false, 0 }; }
    static ExitStatus exitedWindows(std::uint32_t code)
    {
        ExitStatus status { Kind::Exited, static_cast<int>(code), 0, false, 0 };
        status.windows = true;
        return status;
    }
    std::uint32_t windowsCode() const { return static_cast<std::uint32_t>(code); }
    static ExitStatus signaled(int signal, bool core) { return { Kind::Signaled, 0, signal, core, 0 }; }
    static ExitStatus launchFailed(int err) { return { Kind::LaunchFailed, 0, 0, false, err }; }

    bool ended() const { return kind != Kind::Running; }
    // The status a shell would report: code, 128+signal; 126/127 for launch failures like env(1).
    int shellStatus() const;
    // "exited with code 3", "killed by SIGKILL (core dumped)", "could not be executed: ENOENT"
    std::string describe() const;
};

} // namespace exitlens
