#pragma once

#include "LaunchSpec.h"
#include "SeccompFilter.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace exitlens::linux_trace {

// Starts the target stopped under ptrace, with the seccomp filter in place, one step before its
// execve. Everything that allocates happens in prepare(), in the parent: after fork() the child of
// a multi-threaded program may only make async-signal-safe calls.
class TraceeLauncher {
public:
    // Why the child could not reach execve (reported through a close-on-exec pipe).
    enum class Stage : int { None, Stdio, User, WorkingDirectory, Ptrace, Seccomp, Exec };

    bool prepare(const LaunchSpec& spec, const SeccompFilter* filter, std::string& error);
    // Forks; returns the child's pid (stopped by SIGSTOP, ready for PTRACE_SETOPTIONS) or -1.
    pid_t start(std::string& error);
    // After the child is gone (or has exec'd): the stage and errno it reported, if any.
    Stage readChildFailure(int& err);
    void closeParentEnds();

    const std::string& resolvedProgram() const { return m_resolved; }
    const std::string& searchedPath() const { return m_searchedPath; }
    const std::vector<std::string>& argv() const { return m_argvStorage; }
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
    int m_stdoutPipe[2] = { -1, -1 };
    int m_stderrPipe[2] = { -1, -1 };
};

} // namespace exitlens::linux_trace
