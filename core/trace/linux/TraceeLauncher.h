#pragma once

#include "LaunchSpec.h"
#include "SeccompFilter.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace exitlens::linux_trace {

// Starts the target so the tracer can seize it before anything it does matters: the child sets up
// its stdio, says it is ready and waits; the tracer seizes it (PTRACE_SEIZE, so group-stops can be
// honoured with PTRACE_LISTEN) and lets it go on to install the seccomp filter, switch user and
// execve. Everything that allocates happens in prepare(), in the parent: after fork() the child of
// a multi-threaded program may only make async-signal-safe calls.
class TraceeLauncher {
public:
    // Why the child could not reach execve (reported through a close-on-exec pipe).
    enum class Stage : int { None, Stdio, User, WorkingDirectory, Ptrace, Seccomp, Exec };

    bool prepare(const LaunchSpec& spec, const SeccompFilter* filter, std::string& error);
    // Forks; returns the child's pid (running, about to wait for release()) or -1.
    pid_t start(std::string& error);
    // Waits until the child is ready to be seized; false when it failed (or died) before that.
    bool awaitReady();
    // Lets the seized child go on to its execve.
    void release();
    // After the child is gone (or has exec'd): the stage and errno it reported, if any.
    Stage readChildFailure(int& err);
    void closeParentEnds();

    const std::string& resolvedProgram() const { return m_resolved; }
    const std::string& searchedPath() const { return m_searchedPath; }
    const std::vector<std::string>& argv() const { return m_argvStorage; }
    // The program's environment: the spec's, with HOME, USER, LOGNAME and SHELL of --user's account.
    const std::vector<std::string>& environment() const { return m_envStorage; }
    // Pipes mode: the read ends of the target's stdout and stderr (-1 otherwise).
    int stdoutReadFd() const { return m_stdoutPipe[0]; }
    int stderrReadFd() const { return m_stderrPipe[0]; }

    static std::string stageName(Stage stage);

private:
    [[noreturn]] void runChild();
    [[noreturn]] void failChild(Stage stage, int err);
    std::string resolveProgram(const std::string& program, const std::vector<std::string>& environment);

    std::string m_resolved;
    std::string m_searchedPath;
    std::string m_workingDirectory;
    std::vector<std::string> m_argvStorage;
    std::vector<std::string> m_envStorage;
    std::vector<char*> m_argv;
    std::vector<char*> m_envp;
    std::string m_stdinFile;
    StdioMode m_stdio = StdioMode::Inherit;
    bool m_newSession = false;
    bool m_switchUser = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    std::vector<gid_t> m_groups;
    bool m_privileged = false;
    const SeccompFilter* m_filter = nullptr;
    int m_errorPipe[2] = { -1, -1 };
    int m_readyPipe[2] = { -1, -1 }; // child -> tracer: stdio is set up, seize me
    int m_goPipe[2] = { -1, -1 }; // tracer -> child: seized, carry on
    int m_stdoutPipe[2] = { -1, -1 };
    int m_stderrPipe[2] = { -1, -1 };
};

} // namespace exitlens::linux_trace
