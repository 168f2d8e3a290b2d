#include "TraceeLauncher.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace exitlens::linux_trace {

namespace {
std::string environmentValue(const std::vector<std::string>& environment, std::string_view name)
{
    for (const auto& entry : environment) {
        if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    }
    return {};
}

void setEnvironmentValue(std::vector<std::string>& environment, std::string_view name, const std::string& value)
{
    std::string entry = std::string(name) + "=" + value;
    for (auto& existing : environment) {
        if (existing.size() > name.size() && existing.compare(0, name.size(), name) == 0
            && existing[name.size()] == '=') {
            existing = std::move(entry);
            return;
        }
    }
    environment.push_back(std::move(entry));
}

void closeIfOpen(int& fd)
{
    if (fd >= 0)
        close(fd);
    fd = -1;
}

// Async-signal-safe write of the whole buffer.
void writeAll(int fd, const void* data, std::size_t size)
{
    const char* cursor = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t done = write(fd, cursor, size);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return;
        cursor += done;
        size -= static_cast<std::size_t>(done);
    }
}
} // namespace

std::string TraceeLauncher::resolveProgram(const std::string& program, const std::vector<std::string>& environment)
{
    // Like a shell: a name with a slash is used as it is; otherwise search the target's PATH and
    // prefer the first executable match, remembering a non-executable one for the error.
    if (program.find('/') != std::string::npos)
        return program;
    m_searchedPath = environmentValue(environment, "PATH");
    if (m_searchedPath.empty())
        m_searchedPath = "/usr/local/bin:/usr/bin:/bin";
    std::string firstMatch;
    std::size_t start = 0;
    while (start <= m_searchedPath.size()) {
        std::size_t end = m_searchedPath.find(':', start);
        if (end == std::string::npos)
            end = m_searchedPath.size();
        // An empty PATH entry means the current directory.
        std::string candidate = end > start ? m_searchedPath.substr(start, end - start) : std::string(".");
        candidate += '/';
        candidate += program;
        struct stat info { };
        if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
            if (access(candidate.c_str(), X_OK) == 0)
                return candidate;
            if (firstMatch.empty())
                firstMatch = candidate;
        }
        start = end + 1;
    }
    // Not found: exec the bare name so the kernel reports ENOENT and the capture shows it.
    return firstMatch.empty() ? program : firstMatch;
}

bool TraceeLauncher::prepare(const LaunchSpec& spec, const SeccompFilter* filter, std::string& error)
{
    if (spec.program.empty()) {
        error = "no program given";
        return false;
    }
    m_filter = filter;
    m_stdio = spec.stdio;
    m_stdinFile = spec.stdinFile;
    m_workingDirectory = spec.workingDirectory;
    m_envStorage = spec.environment;
    m_resolved = resolveProgram(spec.program, m_envStorage);
    m_argvStorage.clear();
    m_argvStorage.push_back(spec.program);
    m_argvStorage.insert(m_argvStorage.end(), spec.args.begin(), spec.args.end());
    m_argv.clear();
    for (auto& arg : m_argvStorage)
        m_argv.push_back(arg.data());
    m_argv.push_back(nullptr);
    // The GUI has no terminal to hand over: give the target its own session so a terminal's
    // signals meant for the workbench never reach it.
    m_newSession = spec.stdio != StdioMode::Inherit;
    m_privileged = geteuid() == 0;

    m_switchUser = false;
    if (spec.runAsUser) {
        if (geteuid() != 0) {
            error = "--user needs ExitLens to run as root";
            return false;
        }
        errno = 0;
        const passwd* entry = getpwnam(spec.runAsUser->c_str());
        if (!entry) {
            error = "no such user: " + *spec.runAsUser;
            return false;
        }
        m_uid = entry->pw_uid;
        m_gid = entry->pw_gid;
        int count = 64;
        m_groups.assign(static_cast<std::size_t>(count), 0);
        if (getgrouplist(entry->pw_name, m_gid, m_groups.data(), &count) < 0) {
            m_groups.assign(static_cast<std::size_t>(count), 0);
            getgrouplist(entry->pw_name, m_gid, m_groups.data(), &count);
        }
        m_groups.resize(static_cast<std::size_t>(count));
        m_switchUser = true;
        // As runuser(1) sets them: HOME and SHELL always, USER and LOGNAME for anyone but root.
        setEnvironmentValue(m_envStorage, "HOME", entry->pw_dir ? entry->pw_dir : "/");
        setEnvironmentValue(m_envStorage, "SHELL", entry->pw_shell && *entry->pw_shell ? entry->pw_shell : "/bin/sh");
        if (m_uid != 0) {
            setEnvironmentValue(m_envStorage, "USER", entry->pw_name);
            setEnvironmentValue(m_envStorage, "LOGNAME", entry->pw_name);
        }
    }
    m_envp.clear();
    for (auto& entry : m_envStorage)
        m_envp.push_back(entry.data());
    m_envp.push_back(nullptr);

    if (pipe2(m_errorPipe, O_CLOEXEC) != 0 || pipe2(m_readyPipe, O_CLOEXEC) != 0 || pipe2(m_goPipe, O_CLOEXEC) != 0) {
        error = std::string("pipe2 failed: ") + std::strerror(errno);
        return false;
    }
    if (m_stdio == StdioMode::Pipes) {
        if (pipe2(m_stdoutPipe, O_CLOEXEC) != 0 || pipe2(m_stderrPipe, O_CLOEXEC) != 0) {
            error = std::string("pipe2 failed: ") + std::strerror(errno);
            return false;
        }
    }
    return true;
}

pid_t TraceeLauncher::start(std::string& error)
{
    const pid_t pid = fork();
    if (pid < 0) {
        error = std::string("fork failed: ") + std::strerror(errno);
        return -1;
    }
    if (pid == 0)
        runChild();
    closeIfOpen(m_errorPipe[1]);
    closeIfOpen(m_readyPipe[1]);
    closeIfOpen(m_goPipe[0]);
    closeIfOpen(m_stdoutPipe[1]);
    closeIfOpen(m_stderrPipe[1]);
    return pid;
}

bool TraceeLauncher::awaitReady()
{
    char byte = 0;
    ssize_t got = 0;
    do {
        got = read(m_readyPipe[0], &byte, 1);
    } while (got < 0 && errno == EINTR);
    closeIfOpen(m_readyPipe[0]);
    return got == 1; // 0: the child exited (it reported why through the error pipe)
}

void TraceeLauncher::release()
{
    const char byte = 1;
    writeAll(m_goPipe[1], &byte, 1);
    closeIfOpen(m_goPipe[1]);
}

void TraceeLauncher::failChild(Stage stage, int err)
{
    const std::array<int, 2> report = { static_cast<int>(stage), err };
    writeAll(m_errorPipe[1], report.data(), sizeof(report));
    _exit(stage == Stage::Exec ? (err == ENOENT ? 127 : 126) : 125);
}

void TraceeLauncher::runChild()
{
    // Only async-signal-safe calls from here on: no allocation, no logging.
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr); // the CLI blocks the signals it waits for; the target must not

    if (m_stdio != StdioMode::Inherit) {
        const int in = open(m_stdinFile.empty() ? "/dev/null" : m_stdinFile.c_str(), O_RDONLY);
        if (in < 0)
            failChild(Stage::Stdio, errno);
        int out = m_stdoutPipe[1];
        int err = m_stderrPipe[1];
        if (m_stdio == StdioMode::Null) {
            out = open("/dev/null", O_WRONLY);
            err = out;
        }
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            failChild(Stage::Stdio, errno);
    }
    if (m_newSession)
        setsid();
    // ExitLens makes itself non-dumpable (so an unprivileged tracee cannot attach to it), and the
    // child inherits that: undo it, or an unprivileged tracer could not seize its own child.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    // Ready: the tracer seizes us now. Wait until it has, so the filter and the execve are traced.
    // Our copies of the tracer's ends: were the go pipe's write end left open here, the read below
    // would never see the end of a tracer that died.
    close(m_readyPipe[0]);
    close(m_goPipe[1]);
    const char ready = 1;
    writeAll(m_readyPipe[1], &ready, 1);
    close(m_readyPipe[1]);
    char go = 0;
    ssize_t got = 0;
    do {
        got = read(m_goPipe[0], &go, 1);
    } while (got < 0 && errno == EINTR);
    close(m_goPipe[0]);
    if (got != 1)
        failChild(Stage::Ptrace, ECHILD); // the tracer gave up on us
    if (m_filter) {
        // Root installs the filter without no_new_privs, still as root, and only then drops to
        // --user's account: a setuid or file-capability program then works as it would untraced
        // (the tracer, being root, may follow the privileged exec). Anyone else must set it.
        if (!m_privileged)
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if (const int err = m_filter->installInChild(); err != 0)
            failChild(Stage::Seccomp, err);
    }
    if (m_switchUser) {
        if (setgroups(m_groups.size(), m_groups.data()) != 0 || setgid(m_gid) != 0 || setuid(m_uid) != 0)
            failChild(Stage::User, errno);
    }
    if (!m_workingDirectory.empty() && chdir(m_workingDirectory.c_str()) != 0)
        failChild(Stage::WorkingDirectory, errno);
    execve(m_resolved.c_str(), m_argv.data(), m_envp.data());
    failChild(Stage::Exec, errno);
}

TraceeLauncher::Stage TraceeLauncher::readChildFailure(int& err)
{
    err = 0;
    if (m_errorPipe[0] < 0)
        return Stage::None;
    std::array<int, 2> report = { 0, 0 };
    const int flags = fcntl(m_errorPipe[0], F_GETFL);
    fcntl(m_errorPipe[0], F_SETFL, flags | O_NONBLOCK);
    const ssize_t got = read(m_errorPipe[0], report.data(), sizeof(report));
    if (got != static_cast<ssize_t>(sizeof(report)))
        return Stage::None;
    err = report[1];
    return static_cast<Stage>(report[0]);
}

void TraceeLauncher::closeParentEnds()
{
    closeIfOpen(m_errorPipe[0]);
    closeIfOpen(m_errorPipe[1]);
    closeIfOpen(m_readyPipe[0]);
    closeIfOpen(m_readyPipe[1]);
    closeIfOpen(m_goPipe[0]);
    closeIfOpen(m_goPipe[1]);
    closeIfOpen(m_stdoutPipe[0]);
    closeIfOpen(m_stdoutPipe[1]);
    closeIfOpen(m_stderrPipe[0]);
    closeIfOpen(m_stderrPipe[1]);
}

std::string TraceeLauncher::stageName(Stage stage)
{
    switch (stage) {
    case Stage::None:
        return "none";
    case Stage::Stdio:
        return "setting up standard input/output";
    case Stage::User:
        return "switching user";
    case Stage::WorkingDirectory:
        return "changing to the working directory";
    case Stage::Ptrace:
        return "waiting to be traced";
    case Stage::Seccomp:
        return "installing the seccomp filter";
    case Stage::Exec:
        return "execve";
    }
    return "unknown";
}

} // namespace exitlens::linux_trace
