#include "LinuxTracer.h"

#include "ExitDetail.h"
#include "Names.h"
#include "linux/ArgumentDecoder.h"
#include "linux/ProcReader.h"
#include "linux/TraceeLauncher.h"
#include "linux/TraceeMemory.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace exitlens::linux_trace {

namespace decode = exitlens::linux_decode;

namespace {
constexpr std::size_t kBatchSize = 1024;
// What emit() returns for an event the capture filter dropped: it has no sequence number.
constexpr std::uint64_t kDroppedSeq = ~std::uint64_t(0);
constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxOutputRead = 1 << 20; // per write call; the output log keeps head and tail
constexpr std::size_t kPreviewBytes = 96;
constexpr int kMaxSyscall = 1024;

// Signals whose default action ends the process (signal(7): Term and Core).
bool terminatesByDefault(int signal)
{
    switch (signal) {
    case SIGCHLD:
    case SIGCONT:
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
    case SIGURG:
    case SIGWINCH:
        return false;
    default:
        return true;
    }
}

// Signals whose default action stops the process (a group-stop).
bool isStopSignal(int signal)
{
    return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

constexpr unsigned kOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK
    | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;

std::uint64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::string fdText(std::uint64_t fd)
{
    return "fd " + std::to_string(static_cast<int>(fd));
}

// Shell-like quoting for a readable command line.
std::string joinArgv(const std::vector<std::string>& argv)
{
    std::string text;
    for (const auto& arg : argv) {
        if (!text.empty())
            text += ' ';
        const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?") == std::string::npos;
        if (plain) {
            text += arg;
        } else {
            text += '\'';
            for (char c : arg)
                text += c == '\'' ? std::string("'\\''") : std::string(1, c);
            text += '\'';
        }
    }
    return text;
}

// Drains the target's stdout/stderr pipes in GUI mode so it never blocks on a full pipe.
// The bytes themselves are recorded from the write calls, where the tracer sees them. Returns at
// the end of both, or when STOP (-1: none) becomes readable. Only system calls: the drainer
// process of detached daemons runs it after fork().
void drainPipes(int out, int err, int stop)
{
    std::array<pollfd, 3> fds { pollfd { out, POLLIN, 0 }, pollfd { err, POLLIN, 0 }, pollfd { stop, POLLIN, 0 } };
    std::array<char, 65536> buffer {};
    int open = 2;
    while (open > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[2].fd >= 0 && fds[2].revents != 0)
            return;
        for (std::size_t i = 0; i < 2; ++i) {
            auto& entry = fds[i];
            if (entry.fd < 0 || entry.revents == 0)
                continue;
            if (read(entry.fd, buffer.data(), buffer.size()) <= 0) {
                entry.fd = -1;
                --open;
            }
        }
    }
}

// For as long as it lives: ExitLens cannot be ptrace-attached without CAP_SYS_PTRACE.
class NotDumpable {
public:
    NotDumpable()
        : m_wasDumpable(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1)
    {
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    ~NotDumpable()
    {
        if (m_wasDumpable)
            prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); // core dumps of ExitLens itself, between captures
    }
    NotDumpable(const NotDumpable&) = delete;
    NotDumpable& operator=(const NotDumpable&) = delete;

private:
    bool m_wasDumpable;
};

// "could not start /bin/x: changing to the working directory /nope failed with ENOENT (No such file or directory)"
std::string launchFailureText(
    TraceeLauncher::Stage stage, int err, const TraceeLauncher& launcher, const LaunchSpec& spec)
{
    return "could not start " + launcher.resolvedProgram() + ": " + TraceeLauncher::stageName(stage)
        + (stage == TraceeLauncher::Stage::WorkingDirectory ? " " + spec.workingDirectory : std::string())
        + " failed with " + errnoName(err) + " (" + errnoMessage(err) + ")";
}
} // namespace

LinuxTracer::LinuxTracer() = default;
LinuxTracer::~LinuxTracer() = default;

std::uint64_t LinuxTracer::now() const
{
    return monotonicNs() - m_startNs;
}

void LinuxTracer::reset()
{
    // m_stopRequested is not cleared: a stop() that arrives before run() starts must still count.
    m_rootPid = 0;
    m_stdoutFd = -1;
    m_stderrFd = -1;
    m_aborted = false;
    m_abortReason.clear();
    {
        std::lock_guard lock(m_liveMutex);
        m_livePids.clear();
    }
    m_batch.clear();
    m_batch.reserve(kBatchSize);
    m_threads.clear();
    m_processes.clear();
    m_earlyTasks.clear();
    m_killCalls.clear();
    m_opIds.assign(kMaxSyscall, kNoString);
    m_syscalls.assign(kMaxSyscall, nullptr);
    m_rootExecuted = false;
    m_rootExecAttempted = false;
    m_handingOver = false;
    m_handoverDone = false;
    m_handoverTids.clear();
    m_handoverContinue.clear();
    m_keptStopped.clear();
    m_rootExecErrno = 0;
    m_summary = {};
    m_stopCounts = {};
}

TraceSummary LinuxTracer::run(const LaunchSpec& spec, TraceSink& sink)
{
    // No tracee may attach to ExitLens (its tracer thread stopped by a tracee that waits for it
    // would hang both): non-dumpable, only CAP_SYS_PTRACE can; the watcher handles that case.
    const NotDumpable notDumpable;
    reset();
    m_spec = spec;
    m_sink = &sink;
    m_fullTrace = spec.fullTrace;
    m_startNs = monotonicNs();
    m_nextSeq = sink.append({});

    std::string error;
    TraceeLauncher launcher;
    if (!launcher.prepare(spec, m_fullTrace ? nullptr : &m_filter, error)) {
        m_summary.error = error;
        launcher.closeParentEnds();
        return m_summary;
    }
    // Built after the program is resolved (and before it starts): the filter knows its code.
    if (!m_fullTrace
        && !m_filter.build(spec.classes, ExecutableText::ofFixedExecutable(launcher.resolvedProgram()), error)) {
        m_summary.error = error;
        launcher.closeParentEnds();
        return m_summary;
    }

    LaunchContext context = ProcReader::selfContext();
    context.resolvedProgram = launcher.resolvedProgram();
    context.searchedPath = launcher.searchedPath();
    context.environment = launcher.environment();
    if (!spec.workingDirectory.empty())
        context.cwd =
            spec.workingDirectory.front() == '/' ? spec.workingDirectory : context.cwd + "/" + spec.workingDirectory;
    sink.launchContext(context);

    const pid_t pid = launcher.start(error);
    if (pid < 0) {
        m_summary.error = error;
        launcher.closeParentEnds();
        return m_summary;
    }
    log(TraceLogLevel::Info, "launched " + launcher.resolvedProgram() + " as pid " + std::to_string(pid));
    std::thread drainer;
    int drainStop[2] = { -1, -1 };
    if (spec.stdio == StdioMode::Pipes && pipe2(drainStop, O_CLOEXEC) == 0) {
        m_stdoutFd = launcher.stdoutReadFd();
        m_stderrFd = launcher.stderrReadFd();
        drainer = std::thread(drainPipes, m_stdoutFd, m_stderrFd, drainStop[0]);
    }
    const auto stopDraining = [&] {
        // Daemons left running keep the write ends open: the drainer process has taken over.
        if (drainer.joinable() && !m_summary.detachedPids.empty() && write(drainStop[1], "x", 1) < 0)
            log(TraceLogLevel::Warning, "could not stop the output drainer");
        if (drainer.joinable())
            drainer.join();
        for (int& fd : drainStop) {
            if (fd >= 0)
                close(fd);
            fd = -1;
        }
    };

    if (!launcher.awaitReady()) {
        // The child failed before it could be traced (standard input/output).
        int status = 0;
        while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) { }
        int err = 0;
        const auto stage = launcher.readChildFailure(err);
        m_summary.rootStatus = ExitStatus::launchFailed(err != 0 ? err : ECHILD);
        m_summary.error = launchFailureText(stage, err, launcher, spec);
        launcher.closeParentEnds();
        stopDraining();
        return m_summary;
    }
    // PTRACE_SEIZE rather than the child's PTRACE_TRACEME: only a seized tracee can be left in a
    // group-stop (PTRACE_LISTEN), so a program that stops itself stays stopped as it would untraced.
    if (ptrace(PTRACE_SEIZE, pid, nullptr, kOptions) != 0) {
        m_summary.error = std::string("PTRACE_SEIZE failed: ") + std::strerror(errno)
            + " (is ptrace allowed here? see /proc/sys/kernel/yama/ptrace_scope)";
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, __WALL);
        launcher.closeParentEnds();
        stopDraining();
        return m_summary;
    }
    m_rootPid = pid;
    startWatcher(static_cast<int>(gettid()));

    // The root waits before its execve: /proc still shows ExitLens, so describe it from the spec.
    Process seed;
    seed.record.exe = launcher.resolvedProgram();
    seed.record.argv = launcher.argv();
    seed.cwd = context.cwd;
    seed.cgroup = context.cgroup;
    // ExitLens's own close-on-exec descriptors (the /dev/null it puts on a caller's closed 0-2)
    // are gone once the program runs.
    for (int fd = 0; fd < 3; ++fd)
        seed.stdioTargets[static_cast<std::size_t>(fd)] =
            ProcReader::closesOnExec(pid, fd) ? "closed" : ProcReader::fdTarget(pid, fd);
    startProcess(pid, getpid(), &seed, "launched");
    startThread(pid, pid, false);
    // Seizing does not stop it. Interrupt it, so that its first stop (a PTRACE_EVENT_STOP) is
    // where loop() resumes it as the mode wants: with PTRACE_SYSCALL for --full, whose execve has no
    // seccomp stop to be seen at. Then let it go on to its filter and execve.
    ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr);
    m_threads.at(pid).awaitingFirstStop = true;
    launcher.release();

    loop();
    stopWatcher();

    flush();
    int childErr = 0;
    const auto stage = launcher.readChildFailure(childErr);
    if (!m_rootExecuted) {
        const int err = m_rootExecErrno != 0 ? m_rootExecErrno : childErr;
        if (err != 0 || stage != TraceeLauncher::Stage::None)
            m_summary.rootStatus = ExitStatus::launchFailed(err);
        if (stage != TraceeLauncher::Stage::None && stage != TraceeLauncher::Stage::Exec)
            m_summary.error = launchFailureText(stage, childErr, launcher, spec);
    }
    launcher.closeParentEnds();
    stopDraining();
    if (m_aborted && m_summary.error.empty())
        m_summary.error = m_abortReason;
    m_summary.events = m_nextSeq;
    m_summary.stoppedByUser = m_stopRequested;
    for (const std::uint64_t count : m_stopCounts)
        m_summary.stops += count;
    log(TraceLogLevel::Info,
        "capture ended: " + m_summary.rootStatus.describe() + ", " + std::to_string(m_summary.events) + " events");
    log(TraceLogLevel::Debug, describeStops());
    return m_summary;
}

std::string LinuxTracer::describeStops() const
{
    static constexpr std::array<const char*, static_cast<std::size_t>(StopKind::Count)> kNames { "seccomp",
        "syscall entry", "syscall exit", "new task", "exec", "first stop", "signal", "group-stop", "other" };
    std::string text = "tracee stops:";
    for (std::size_t i = 0; i < kNames.size(); ++i)
        text +=
            std::string(" ") + kNames[i] + " " + std::to_string(m_stopCounts[i]) + (i + 1 < kNames.size() ? "," : "");
    return text;
}

void LinuxTracer::requestStop()
{
    m_stopRequested = true;
    std::lock_guard lock(m_liveMutex);
    for (int pid : m_livePids)
        kill(pid, SIGKILL); // works on stopped tracees too: nothing is left stopped
}

void LinuxTracer::startWatcher(int tracerTid)
{
    {
        std::lock_guard lock(m_watchMutex);
        m_watchEnd = false;
    }
    m_watcher = std::thread([this, tracerTid] { watch(tracerTid); });
}

void LinuxTracer::stopWatcher()
{
    {
        std::lock_guard lock(m_watchMutex);
        m_watchEnd = true;
    }
    m_watchWake.notify_all();
    if (m_watcher.joinable())
        m_watcher.join();
}

void LinuxTracer::watch(int tracerTid)
{
    // ExitLens is non-dumpable during a capture, so only a privileged tracee (CAP_SYS_PTRACE) can
    // get here: it would stop the tracer thread while itself waiting for that thread, and both
    // would wait forever. Kill it and end the capture; 100 ms polls cost nothing measurable.
    std::unique_lock lock(m_watchMutex);
    while (!m_watchEnd) {
        const int attacher = ProcReader::tracerPid(tracerTid);
        if (attacher > 0) {
            const std::string name = ProcReader::command(attacher);
            kill(attacher, SIGKILL);
            m_abortReason = "pid " + std::to_string(attacher) + (name.empty() ? "" : " (" + name + ")")
                + " attached to ExitLens's tracer thread with ptrace, which would have stopped both for good; "
                  "ExitLens killed it and ended the capture";
            m_aborted = true;
            std::lock_guard live(m_liveMutex);
            for (int pid : m_livePids)
                kill(pid, SIGKILL);
            return;
        }
        m_watchWake.wait_for(lock, std::chrono::milliseconds(100));
    }
}

void LinuxTracer::forwardSignal(int signal)
{
    const int root = m_rootPid.load();
    if (root <= 0)
        return;
    std::lock_guard lock(m_liveMutex);
    if (m_livePids.count(root) || m_livePids.empty()) {
        kill(root, signal);
        return;
    }
    // The program has exited and its detached processes are followed (--wait-detached): they
    // get what it would have got.
    for (int pid : m_livePids)
        kill(pid, signal);
}

void LinuxTracer::loop()
{
    for (;;) {
        int status = 0;
        struct rusage usage { };
        // Hand over what the last stop produced before waiting for the next one. Handing over is
        // two release stores into the store; polling first (WNOHANG) to gather bigger batches
        // cost a wait4 per stop whenever the tree was quiet, and a syscall costs far more.
        flush();
        const pid_t tid = wait4(-1, &status, __WALL, &usage);
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break; // ECHILD: every tracee is gone
        }
        if (WIFSTOPPED(status))
            handleStop(tid, status);
        else if (WIFEXITED(status) || WIFSIGNALED(status))
            handleTermination(tid, status, usage);
        if (m_handingOver && !m_handoverDone && m_threads.empty()
            && std::none_of(
                m_earlyTasks.begin(), m_earlyTasks.end(), [](const auto& early) { return !early.second.terminated; }))
            finishHandover();
        if (ending()) {
            std::lock_guard lock(m_liveMutex);
            for (int pid : m_livePids)
                kill(pid, SIGKILL);
            for (const auto& [earlyTid, early] : m_earlyTasks) {
                if (!early.terminated)
                    kill(earlyTid, SIGKILL);
            }
        }
    }
}

LinuxTracer::Thread& LinuxTracer::adoptUnknownTask(int tid)
{
    // A new task can stop before its parent's PTRACE_EVENT_FORK/CLONE arrives; ask /proc who it is.
    int tgid = tid;
    int ppid = 0;
    ProcReader::threadGroup(tid, tgid, ppid);
    if (tgid == tid) {
        auto parent = m_processes.find(ppid);
        if (parent != m_processes.end())
            parent->second.forked = true;
        startProcess(tid, ppid, parent != m_processes.end() ? &parent->second : nullptr, "forked");
        startThread(tid, tid, false);
    } else {
        if (!m_processes.count(tgid))
            startProcess(tgid, ppid, nullptr, "found");
        startThread(tid, tgid, true);
    }
    Thread& thread = m_threads.at(tid);
    // Started early, or stopping now for something else than its first stop (which startEarly takes):
    // either way its first stop has been and gone.
    m_earlyTasks.erase(tid);
    thread.awaitingFirstStop = false;
    return thread;
}

void LinuxTracer::startEarly(int tid)
{
    // A new task's first stop (auto-attach's PTRACE_EVENT_STOP) often wins the race against its parent's
    // PTRACE_EVENT_FORK/VFORK/CLONE, which names it a moment later. Let it run now rather than ask
    // /proc who it is (four syscalls, for almost every other os/exec child).
    countStop(StopKind::FirstStop);
    m_earlyTasks.try_emplace(tid);
    if (ptrace(m_fullTrace ? PTRACE_SYSCALL : PTRACE_CONT, tid, nullptr, nullptr) != 0 && errno != ESRCH)
        log(TraceLogLevel::Warning, "could not resume new task " + std::to_string(tid) + ": " + std::strerror(errno));
}

void LinuxTracer::handleStop(int tid, int status)
{
    auto found = m_threads.find(tid);
    const int signal = WSTOPSIG(status);
    const int event = status >> 16;
    // Seized tracees report their first stop, a group-stop and PTRACE_LISTEN's wake-up as
    // PTRACE_EVENT_STOP (never as a SIGSTOP to swallow).
    if (found == m_threads.end() && event == PTRACE_EVENT_STOP && !m_earlyTasks.count(tid)) {
        startEarly(tid);
        return;
    }
    Thread& thread = found != m_threads.end() ? found->second : adoptUnknownTask(tid);
    thread.listening = false;

    if (signal == (SIGTRAP | 0x80)) {
        handleSyscallStop(thread);
        return;
    }
    if (event == PTRACE_EVENT_STOP) {
        handleEventStop(thread, signal);
        return;
    }
    if (signal == SIGTRAP && event != 0) {
        handleEvent(thread, event);
        return;
    }
    handleSignalStop(thread, signal);
}

void LinuxTracer::handleEventStop(Thread& thread, int signal)
{
    if (thread.awaitingFirstStop) {
        // A new task's first stop. Were its group stopping meanwhile, it stops again with the group.
        countStop(StopKind::FirstStop);
        thread.awaitingFirstStop = false;
        resume(thread);
        return;
    }
    if (isStopSignal(signal)) {
        // Group-stop: SIGSTOP, or SIGTSTP/SIGTTIN/SIGTTOU left at their default. Leave it stopped,
        // as it would be untraced (and as under strace -f), yet still hear of SIGCONT and SIGKILL:
        // PTRACE_LISTEN. SIGCONT wakes it with another PTRACE_EVENT_STOP (SIGTRAP), resumed below.
        countStop(StopKind::GroupStop);
        if (m_handingOver) {
            detachForHandover(thread);
            return;
        }
        thread.listening = true;
        if (ptrace(PTRACE_LISTEN, thread.tid, nullptr, nullptr) != 0 && errno != ESRCH)
            log(TraceLogLevel::Warning,
                "could not leave tid " + std::to_string(thread.tid) + " stopped: " + std::strerror(errno));
        return;
    }
    countStop(StopKind::Other);
    resume(thread);
}

void LinuxTracer::handleSyscallStop(Thread& thread)
{
    __ptrace_syscall_info info {};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, thread.tid, sizeof(info), &info) <= 0) {
        countStop(StopKind::Other);
        resume(thread);
        return;
    }
    countStop(info.op == PTRACE_SYSCALL_INFO_ENTRY ? StopKind::SyscallEntry
            : info.op == PTRACE_SYSCALL_INFO_EXIT  ? StopKind::SyscallExit
                                                   : StopKind::Other);
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        onSyscallEntry(thread, static_cast<int>(info.entry.nr), info.entry.args);
    } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
        if (thread.call.active)
            onSyscallExit(thread, info.exit.rval, info.exit.is_error != 0);
        else
            resume(thread);
    } else {
        resume(thread);
    }
}

void LinuxTracer::handleEvent(Thread& thread, int event)
{
    // The message (a new task's id, an exec's former tid) matters for all but seccomp stops, the
    // most frequent kind, and for an exec only when another thread could have made it: skip the
    // syscall there.
    unsigned long message = static_cast<unsigned long>(thread.tid);
    const auto process = m_processes.find(thread.pid);
    const bool soleThread = process != m_processes.end() && process->second.liveThreads == 1;
    if (event != PTRACE_EVENT_SECCOMP && !(event == PTRACE_EVENT_EXEC && soleThread))
        ptrace(PTRACE_GETEVENTMSG, thread.tid, nullptr, &message);
    countStop(event == PTRACE_EVENT_SECCOMP ? StopKind::Seccomp
            : event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE
            ? StopKind::NewTask
            : event == PTRACE_EVENT_EXEC ? StopKind::Exec
                                         : StopKind::Other);
    switch (event) {
    case PTRACE_EVENT_SECCOMP: {
        __ptrace_syscall_info info {};
        if (ptrace(PTRACE_GET_SYSCALL_INFO, thread.tid, sizeof(info), &info) > 0
            && info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
            onSyscallEntry(thread, static_cast<int>(info.seccomp.nr), info.seccomp.args);
            return;
        }
        resume(thread);
        return;
    }
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE: {
        const int newTid = static_cast<int>(message);
        const int parentTid = thread.tid;
        // The call succeeded: record it now (before the child's start) and skip its exit stop.
        if (thread.call.active && isCloneFamily(thread.call.number))
            finishCall(thread, newTid, false);
        onNewTask(parentTid, newTid, event); // may rehash m_threads: do not use `thread` after this
        resume(m_threads.at(parentTid));
        return;
    }
    case PTRACE_EVENT_EXEC:
        onExec(thread, static_cast<int>(message));
        return;
    default:
        resume(thread);
        return;
    }
}

void LinuxTracer::handleSignalStop(Thread& thread, int signal)
{
    countStop(StopKind::Signal);
    if (m_handingOver && signal == SIGSTOP) {
        resume(thread, signal); // the handover's own SIGSTOP: no event of the program's
        return;
    }
    siginfo_t info {};
    if (ptrace(PTRACE_GETSIGINFO, thread.tid, nullptr, &info) != 0) {
        // Not a signal-delivery stop after all (seized group-stops come as PTRACE_EVENT_STOP): let it run on.
        resume(thread);
        return;
    }
    Event event = makeEvent(EventKind::Signal, EventClass::Signal, thread.pid, thread.tid);
    event.op = intern(signalName(signal));
    event.result = signal;
    std::string detail = decode::siCode(signal, info.si_code);
    const bool fromProcess = info.si_code == SI_USER || info.si_code == SI_TKILL || info.si_code == SI_QUEUE;
    if (fromProcess) {
        detail += ", sent by pid " + std::to_string(info.si_pid);
        if (info.si_pid == thread.pid) {
            detail += " (itself)";
        } else {
            // Name the sender while it may still exist: a traced process by its executable,
            // anything else (a supervisor, a shell, kill(1)) from /proc.
            auto sender = m_processes.find(info.si_pid);
            const std::string name = sender != m_processes.end() ? ProcReader::baseName(sender->second.record.exe)
                                                                 : ProcReader::command(info.si_pid);
            if (!name.empty())
                detail += " (" + name + ")";
        }
        detail += " uid " + std::to_string(info.si_uid);
    } else if (info.si_code == SI_KERNEL) {
        detail += ", sent by the kernel";
    } else if (signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE) {
        char address[32];
        std::snprintf(address, sizeof(address), "%p", info.si_addr);
        detail += std::string(", fault address ") + address;
    } else if (signal == SIGSYS) {
        detail += ", syscall " + std::string(syscallInfo(info.si_syscall).name);
    }
    // The kernel's own record of the disposition, read only for the signals that would end the
    // process: nohup's inherited SIG_IGN, signal.Ignore, a C library's signal() all show up here.
    const auto disposition = terminatesByDefault(signal) ? ProcReader::signalDisposition(thread.pid, signal)
                                                         : ProcReader::Disposition::Unknown;
    if (disposition == ProcReader::Disposition::Ignored)
        detail += ", ignored by the process (SIG_IGN)";
    // The Go scheduler preempts goroutines with SIGURG sent to its own threads: runtime noise.
    if (signal == SIGURG && info.si_pid == thread.pid)
        event.flags |= EventFlag::RuntimeNoise;
    event.detail = intern(detail);
    const std::uint64_t seq = emit(event);
    if (auto process = m_processes.find(thread.pid); process != m_processes.end()) {
        // The Go runtime catches a fatal signal, restores the default action and re-sends it to
        // itself with tgkill; keep the original sender rather than the runtime's echo.
        const SignalSeen seen { fromProcess ? info.si_pid : 0, fromProcess ? static_cast<int>(info.si_uid) : -1,
            info.si_code, seq };
        auto [entry, inserted] = process->second.signalsSeen.try_emplace(signal, seen);
        const bool echo = seen.senderPid == thread.pid;
        const bool keepOriginal = entry->second.senderPid > 0 && entry->second.senderPid != thread.pid;
        if (!inserted && !(echo && keepOriginal))
            entry->second = seen;
    }
    // A fatal signal with its default action ends the process as it is re-injected: the last
    // look at it alive (exit_group's stop never comes).
    if (disposition == ProcReader::Disposition::Default) {
        if (auto process = m_processes.find(thread.pid);
            process != m_processes.end() && !process->second.exitContextTaken)
            takeExitContext(process->second, signal);
    }
    resume(thread, signal);
}

void LinuxTracer::handleTermination(int tid, int status, const rusage& usage)
{
    auto found = m_threads.find(tid);
    if (found == m_threads.end()) {
        // Gone before its parent's event named it: finish it when the event comes.
        if (auto early = m_earlyTasks.find(tid); early != m_earlyTasks.end())
            early->second = EarlyTask { true, status, usage };
        return;
    }
    Thread& thread = found->second;
    if (thread.call.active)
        finishCall(thread, 0, false, true);
    const int pid = thread.pid;
    const ExitStatus exit = WIFEXITED(status) ? ExitStatus::exited(WEXITSTATUS(status))
                                              : ExitStatus::signaled(WTERMSIG(status), WCOREDUMP(status));
    auto process = m_processes.find(pid);
    if (process != m_processes.end())
        --process->second.liveThreads;
    if (tid != pid) {
        Event event = makeEvent(EventKind::ThreadExit, EventClass::Thread, pid, tid);
        event.op = intern("thread_exit");
        emit(event);
    } else if (process != m_processes.end()) {
        // The leader is reported last, after every other thread of the group has been reaped.
        finishProcess(process->second, exit, tid, usage);
    }
    m_threads.erase(found);
}

void LinuxTracer::onSyscallEntry(Thread& thread, int number, const std::uint64_t* args)
{
    if (number < 0 || number >= kMaxSyscall) {
        resume(thread);
        return;
    }
    const SyscallInfo*& info = m_syscalls[static_cast<std::size_t>(number)];
    if (!info)
        info = &syscallInfo(number);
    auto process = m_processes.find(thread.pid);
    if (process == m_processes.end()) {
        resume(thread);
        return;
    }
    if (thread.pid == m_rootPid && !m_rootExecAttempted) {
        // The launcher's own calls between being seized and its execve (chdir to the working
        // directory, --full's every call) are not the program's: its failures come through the pipe.
        if (!isExecFamily(number)) {
            resume(thread);
            return;
        }
        m_rootExecAttempted = true;
    }
    PendingCall& call = thread.call;
    call = PendingCall {};
    call.active = true;
    call.number = number;
    std::copy(args, args + 6, call.args.begin());
    call.event = makeEvent(EventKind::Syscall, info->cls, thread.pid, thread.tid);
    call.event.op = opId(number);
    decodeEntry(thread, process->second, call);

    if (number == SYS_exit_group) {
        process->second.groupExiting = true;
        // The last look at the living process: with no PTRACE_EVENT_EXIT stop per exiting thread
        // (a Go program has several), this seccomp stop is where its exit context is read.
        if (!process->second.exitContextTaken)
            takeExitContext(process->second, W_EXITCODE(static_cast<int>(args[0] & 0xff), 0));
    } else if (number == SYS_exit && process->second.liveThreads <= 1 && !process->second.exitContextTaken) {
        takeExitContext(process->second, W_EXITCODE(static_cast<int>(args[0] & 0xff), 0));
    }
    if (!info->needsResult || (!m_fullTrace && effectKnownAtEntry(call))) {
        // exit and exit_group never return (their "result" is the status they pass); the others
        // without an exit stop are recorded at entry, their outcome unknown.
        const bool exits = number == SYS_exit || number == SYS_exit_group;
        if (!exits)
            call.event.flags |= EventFlag::ResultUnknown;
        finishCall(thread, exits ? static_cast<std::int64_t>(args[0]) : 0, false);
    }
    resume(thread);
}

bool LinuxTracer::effectKnownAtEntry(const PendingCall& call)
{
    // close, dup2 and dup3 on fds 0-2 only fail for a source descriptor that is not open (dup3
    // onto itself or with bad flags aside): when /proc resolved it at entry, where fds 0-2 point
    // afterwards is known without the exit stop. That is three round trips per os/exec child,
    // which dup3s its pipes onto 0, 1 and 2 between vfork and execve.
    switch (call.number) {
    case SYS_close:
        return call.args[0] <= 2 && !call.path.empty();
    case SYS_dup2:
        return call.args[1] <= 2 && !call.path.empty();
    case SYS_dup3:
        return call.args[1] <= 2 && !call.path.empty() && call.args[0] != call.args[1]
            && (call.args[2] & ~std::uint64_t(O_CLOEXEC)) == 0;
    default:
        return false;
    }
}

void LinuxTracer::onSyscallExit(Thread& thread, std::int64_t value, bool isError)
{
    finishCall(thread, value, isError);
    resume(thread);
}

void LinuxTracer::finishCall(Thread& thread, std::int64_t value, bool isError, bool unfinished)
{
    PendingCall& call = thread.call;
    if (!call.active)
        return;
    call.active = false;
    Event& event = call.event;
    const std::uint64_t end = now();
    const std::uint64_t duration = end - event.timeNs;
    event.durationNs = duration > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(duration);
    if (duration > UINT32_MAX)
        event.flags |= EventFlag::DurationSaturated;
    if (unfinished) {
        event.flags |= EventFlag::Unfinished;
    } else if (isError) {
        event.result = value;
        event.errnum = static_cast<std::int16_t>(-value);
        event.flags |= EventFlag::Failed;
    } else {
        event.result = value;
    }
    auto process = m_processes.find(thread.pid);
    if (process != m_processes.end() && !unfinished)
        decodeExit(thread, process->second, call);
    if (isExecFamily(call.number) && thread.pid == m_rootPid && !m_rootExecuted && isError)
        m_rootExecErrno = event.errnum;
    event.path = intern(call.path);
    event.detail = intern(call.detail);
    const std::uint64_t seq = emit(event);
    const bool kept = seq != kDroppedSeq;
    // Bytes of a write the capture filter dropped still belong in the output: they are attached to
    // the last kept event, which keeps chunk seqs ascending and below the stored count (the
    // session writer and the output pane rely on both).
    if (call.stream != 0)
        m_sink->output(kept ? seq : (m_nextSeq > 0 ? m_nextSeq - 1 : 0), thread.pid, call.stream, call.bytes);
    // The thread is still stopped at this call: its stack for the events that decide a diagnosis.
    if (kept && !unfinished && m_stackSampler.wanted(thread.pid, call.number, call.args, isError))
        m_sink->stack(seq, thread.pid, StackSampler::capture(thread.tid));
}

std::string LinuxTracer::resolvePath(const Process& process, int tid, std::int64_t dirfd, std::uint64_t address)
{
    std::string path;
    bool truncated = false;
    if (!TraceeMemory::readString(tid, address, kMaxPath, path, &truncated))
        return address == 0 ? std::string("NULL") : std::string("(unreadable)");
    if (!path.empty() && path.front() == '/')
        return path;
    std::string base;
    if (static_cast<int>(dirfd) == AT_FDCWD)
        base = process.cwd;
    else
        base = ProcReader::fdTarget(process.record.pid, static_cast<int>(dirfd));
    if (path.empty())
        return base; // AT_EMPTY_PATH: the call is about dirfd itself
    if (base.empty())
        return path;
    return base.back() == '/' ? base + path : base + "/" + path;
}

bool LinuxTracer::readArgv(int tid, std::uint64_t address, std::vector<std::string>& argv)
{
    constexpr std::size_t kMaxArgs = 256;
    std::vector<std::uint64_t> pointers;
    bool complete = TraceeMemory::readPointerArray(tid, address, kMaxArgs, pointers) && pointers.size() < kMaxArgs;
    argv.clear();
    for (std::uint64_t pointer : pointers) {
        std::string arg;
        bool truncated = false;
        if (!TraceeMemory::readString(tid, pointer, 1024, arg, &truncated) || truncated)
            complete = false;
        argv.push_back(std::move(arg));
    }
    return complete;
}

void LinuxTracer::decodeEntry(Thread& thread, Process& process, PendingCall& call)
{
    const auto& a = call.args;
    const int tid = thread.tid;
    auto at = [&](int dirfdArg, int pathArg) {
        return resolvePath(process, tid, static_cast<std::int64_t>(a[static_cast<std::size_t>(dirfdArg)]),
            a[static_cast<std::size_t>(pathArg)]);
    };
    auto cwdPath = [&](int pathArg) {
        return resolvePath(process, tid, AT_FDCWD, a[static_cast<std::size_t>(pathArg)]);
    };
    auto withMode = [](std::string flags, std::uint64_t openFlags, std::uint64_t mode) {
        if ((openFlags & O_CREAT) || (openFlags & __O_TMPFILE) == __O_TMPFILE)
            flags += ", " + decode::fileMode(mode);
        return flags;
    };

    switch (call.number) {
    case SYS_open:
        call.path = cwdPath(0);
        call.detail = withMode(decode::openFlags(a[1]), a[1], a[2]);
        break;
    case SYS_openat:
        call.path = at(0, 1);
        call.detail = withMode(decode::openFlags(a[2]), a[2], a[3]);
        break;
    case SYS_openat2: {
        call.path = at(0, 1);
        std::string how;
        if (TraceeMemory::readBytes(tid, a[2], sizeof(open_how), how) == sizeof(open_how)) {
            open_how value {};
            std::memcpy(&value, how.data(), sizeof(value));
            call.detail = withMode(decode::openFlags(value.flags), value.flags, value.mode);
        }
        break;
    }
    case SYS_creat:
        call.path = cwdPath(0);
        call.detail = "O_WRONLY|O_CREAT|O_TRUNC, " + decode::fileMode(a[1]);
        break;
    case SYS_stat:
    case SYS_lstat:
    case SYS_readlink:
    case SYS_unlink:
    case SYS_rmdir:
    case SYS_chdir:
        call.path = cwdPath(0);
        break;
    case SYS_newfstatat:
        call.path = at(0, 1);
        call.detail = decode::atFlags(a[3]);
        break;
    case SYS_statx:
        call.path = at(0, 1);
        call.detail = decode::atFlags(a[2]);
        break;
    case SYS_access:
        call.path = cwdPath(0);
        call.detail = decode::accessMode(a[1]);
        break;
    case SYS_faccessat:
        call.path = at(0, 1);
        call.detail = decode::accessMode(a[2]);
        break;
    case SYS_faccessat2:
        call.path = at(0, 1);
        call.detail = decode::accessMode(a[2]) + ", " + decode::atFlags(a[3], decode::AtFlagsUse::Faccessat);
        break;
    case SYS_readlinkat:
        call.path = at(0, 1);
        break;
    case SYS_unlinkat:
        call.path = at(0, 1);
        call.detail = decode::atFlags(a[2], decode::AtFlagsUse::Unlinkat);
        break;
    case SYS_rename:
        call.path = cwdPath(0);
        call.detail = "to " + cwdPath(1);
        break;
    case SYS_renameat:
        call.path = at(0, 1);
        call.detail = "to " + at(2, 3);
        break;
    case SYS_renameat2:
        call.path = at(0, 1);
        call.detail = "to " + at(2, 3) + (a[4] != 0 ? ", " + decode::renameFlags(a[4]) : std::string());
        break;
    case SYS_mkdir:
        call.path = cwdPath(0);
        call.detail = decode::fileMode(a[1]);
        break;
    case SYS_mkdirat:
        call.path = at(0, 1);
        call.detail = decode::fileMode(a[2]);
        break;
    case SYS_fchdir:
        call.path = ProcReader::fdTarget(process.record.pid, static_cast<int>(a[0]));
        call.detail = fdText(a[0]);
        break;
    case SYS_close:
        call.path = ProcReader::fdTarget(process.record.pid, static_cast<int>(a[0]));
        call.detail = fdText(a[0]);
        break;
    case SYS_dup2:
    case SYS_dup3:
        call.path = ProcReader::fdTarget(process.record.pid, static_cast<int>(a[0]));
        call.detail = fdText(a[0]) + " onto " + fdText(a[1]);
        break;
    case SYS_execve:
        call.path = cwdPath(0);
        call.argvComplete = readArgv(tid, a[1], call.argv);
        call.detail = joinArgv(call.argv);
        break;
    case SYS_execveat:
        call.path = at(0, 1);
        readArgv(tid, a[2], call.argv);
        call.detail = joinArgv(call.argv);
        break;
    case SYS_clone:
        call.detail = decode::cloneFlags(a[0]);
        break;
    case SYS_clone3: {
        std::string flags;
        if (TraceeMemory::readBytes(tid, a[0], sizeof(std::uint64_t), flags) == sizeof(std::uint64_t)) {
            std::uint64_t value = 0;
            std::memcpy(&value, flags.data(), sizeof(value));
            call.args[1] = value; // keep the flags where onNewTask looks for them
            call.detail = decode::cloneFlags(value, decode::CloneSyscall::Clone3);
        }
        break;
    }
    case SYS_exit:
        call.detail = "status " + std::to_string(static_cast<int>(a[0]));
        break;
    case SYS_exit_group:
        call.detail = "status " + std::to_string(static_cast<int>(a[0]));
        // A clean exit while other threads still work is main returning too early: say what they did.
        if (a[0] == 0 && process.liveThreads > 1)
            call.detail +=
                "; " + ProcReader::otherThreadStates(process.record.pid, tid, process.firstThreadTid, [](int other) {
                    // Only the tracer thread may ask; the thread is in a ptrace stop we have not collected yet.
                    siginfo_t info {};
                    return ptrace(PTRACE_GETSIGINFO, other, nullptr, &info) == 0 && info.si_signo == SIGURG;
                });
        break;
    case SYS_prctl:
        call.detail = decode::prctlOption(static_cast<int>(a[0]));
        break;
    case SYS_seccomp:
        call.detail = decode::seccompOperation(static_cast<unsigned>(a[0]));
        break;
    case SYS_setrlimit:
    case SYS_prlimit64: {
        const bool isPrlimit = call.number == SYS_prlimit64;
        const int resource = static_cast<int>(isPrlimit ? a[1] : a[0]);
        const std::uint64_t address = isPrlimit ? a[2] : a[1];
        call.detail = decode::rlimitResource(resource);
        std::string raw;
        if (address != 0 && TraceeMemory::readBytes(tid, address, sizeof(rlimit), raw) == sizeof(rlimit)) {
            rlimit value {};
            std::memcpy(&value, raw.data(), sizeof(value));
            call.detail +=
                ", soft " + decode::rlimitValue(value.rlim_cur) + ", hard " + decode::rlimitValue(value.rlim_max);
        }
        if (isPrlimit && a[0] != 0)
            call.detail += ", pid " + std::to_string(static_cast<int>(a[0]));
        break;
    }
    case SYS_kill:
    case SYS_tkill:
        call.detail = (call.number == SYS_kill ? "pid " : "tid ") + std::to_string(static_cast<int>(a[0])) + ", "
            + signalName(static_cast<int>(a[1]));
        break;
    case SYS_tgkill:
        call.detail = "pid " + std::to_string(static_cast<int>(a[0])) + " tid " + std::to_string(static_cast<int>(a[1]))
            + ", " + signalName(static_cast<int>(a[2]));
        break;
    case SYS_pidfd_send_signal:
        call.detail = "pidfd " + std::to_string(static_cast<int>(a[0])) + ", " + signalName(static_cast<int>(a[1]));
        break;
    case SYS_rt_sigaction: {
        // Full mode only: focused mode learns dispositions from /proc at delivery instead (Go's
        // os/exec children reset five handlers each between vfork and exec: five stops a child).
        const int signal = static_cast<int>(a[0]);
        std::string handler;
        std::uint64_t value = 0;
        if (TraceeMemory::readBytes(tid, a[1], sizeof(value), handler) == sizeof(value))
            std::memcpy(&value, handler.data(), sizeof(value));
        const bool ignored = value == reinterpret_cast<std::uint64_t>(SIG_IGN);
        call.detail = signalName(signal) + ": "
            + (ignored                                                  ? "SIG_IGN"
                    : value == reinterpret_cast<std::uint64_t>(SIG_DFL) ? "SIG_DFL"
                                                                        : "handler");
        break;
    }
    case SYS_socket:
        call.detail = decode::socketDomain(static_cast<int>(a[0])) + ", " + decode::socketType(a[1]);
        break;
    case SYS_connect:
    case SYS_bind: {
        std::string raw;
        TraceeMemory::readBytes(tid, a[1], std::min<std::uint64_t>(a[2], 128), raw);
        call.path = decode::sockaddr(raw.data(), raw.size());
        call.detail = fdText(a[0]);
        break;
    }
    case SYS_listen:
        call.detail = fdText(a[0]) + ", backlog " + std::to_string(static_cast<int>(a[1]));
        break;
    case SYS_accept:
    case SYS_accept4:
    case SYS_getsockopt:
        call.detail = fdText(a[0]);
        break;
    case SYS_mmap:
        call.detail = std::to_string(a[1]) + " bytes, " + decode::mmapProt(a[2]) + ", " + decode::mmapFlags(a[3]);
        break;
    case SYS_write:
    case SYS_writev: {
        if (a[0] != 1 && a[0] != 2) // full mode sees writes to every fd; only fds 1-2 are output
            break;
        call.event.kind = EventKind::Output;
        call.stream = static_cast<int>(a[0]);
        call.path = call.stream == 1 ? "stdout" : "stderr";
        if (call.number == SYS_write) {
            TraceeMemory::readBytes(tid, a[1], std::min<std::uint64_t>(a[2], kMaxOutputRead), call.bytes);
        } else {
            std::string raw;
            const std::size_t count = std::min<std::uint64_t>(a[2], 1024);
            TraceeMemory::readBytes(tid, a[1], count * sizeof(iovec), raw);
            for (std::size_t i = 0; i + sizeof(iovec) <= raw.size() && call.bytes.size() < kMaxOutputRead;
                 i += sizeof(iovec)) {
                iovec vec {};
                std::memcpy(&vec, raw.data() + i, sizeof(vec));
                std::string part;
                TraceeMemory::readBytes(tid, reinterpret_cast<std::uint64_t>(vec.iov_base),
                    std::min<std::size_t>(vec.iov_len, kMaxOutputRead - call.bytes.size()), part);
                call.bytes += part;
            }
        }
        call.detail = decode::printableBytes(call.bytes, kPreviewBytes);
        const std::string& target = process.stdioTargets[static_cast<std::size_t>(call.stream)];
        if (!target.empty() && target.rfind("/dev/", 0) != 0 && target.rfind("pipe:", 0) != 0)
            call.detail += " (fd " + std::to_string(call.stream) + " is " + target + ")";
        break;
    }
    default:
        if (m_fullTrace) {
            char text[160];
            std::snprintf(text, sizeof(text), "0x%llx, 0x%llx, 0x%llx", static_cast<unsigned long long>(a[0]),
                static_cast<unsigned long long>(a[1]), static_cast<unsigned long long>(a[2]));
            call.detail = text;
        }
        break;
    }
}

void LinuxTracer::decodeExit(Thread& thread, Process& process, PendingCall& call)
{
    const Event& event = call.event;
    const bool ok = !event.failed();
    if (!ok && event.cls == EventClass::File && (event.errnum == EACCES || event.errnum == EPERM)
        && !call.path.empty()) {
        // Who asked, and who owns what was denied, read now: by the time someone looks, the
        // process may have changed its ids (a privilege-dropping wrapper) and the file its mode.
        if (const std::string who = ProcReader::credentials(thread.tid); !who.empty())
            call.detail += "; as " + who;
        call.detail += "; " + ProcReader::ownership(call.path);
    }
    switch (call.number) {
    case SYS_chdir:
    case SYS_fchdir:
        if (ok) {
            process.cwd = ProcReader::cwd(process.record.pid);
            process.record.cwd = process.cwd;
        }
        break;
    case SYS_open:
    case SYS_openat:
    case SYS_openat2:
    case SYS_creat:
        if (ok && event.result >= 0 && event.result <= 2)
            process.stdioTargets[static_cast<std::size_t>(event.result)] = call.path;
        break;
    case SYS_close:
        if (ok && call.args[0] <= 2)
            process.stdioTargets[call.args[0]] = "closed";
        break;
    case SYS_dup2:
    case SYS_dup3:
        if (ok && call.args[1] <= 2)
            process.stdioTargets[call.args[1]] = call.path;
        break;
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
        if (ok) {
            int target = static_cast<int>(call.args[0]);
            if (call.number == SYS_tkill) {
                // tkill names a thread; attribute the signal to its process.
                if (auto victim = m_threads.find(target); victim != m_threads.end())
                    target = victim->second.pid;
            }
            const int signal = static_cast<int>(call.number == SYS_tgkill ? call.args[2] : call.args[1]);
            m_killCalls.push_back({ target, signal, thread.pid, m_nextSeq });
        }
        break;
    case SYS_accept:
    case SYS_accept4:
        if (ok && call.args[1] != 0 && call.args[2] != 0) {
            std::string length;
            if (TraceeMemory::readBytes(thread.tid, call.args[2], sizeof(socklen_t), length) == sizeof(socklen_t)) {
                socklen_t size = 0;
                std::memcpy(&size, length.data(), sizeof(size));
                std::string raw;
                TraceeMemory::readBytes(thread.tid, call.args[1], std::min<socklen_t>(size, 128), raw);
                call.path = decode::sockaddr(raw.data(), raw.size());
            }
        }
        break;
    case SYS_bind:
        if (!ok && event.errnum == EADDRINUSE) {
            const std::string holder = ProcReader::portHolder(call.path);
            if (!holder.empty())
                call.detail += ", port held by " + holder;
        }
        break;
    case SYS_getsockopt:
        if (ok && call.args[3] != 0) {
            std::string raw;
            if (TraceeMemory::readBytes(thread.tid, call.args[3], sizeof(int), raw) == sizeof(int)) {
                int socketError = 0;
                std::memcpy(&socketError, raw.data(), sizeof(socketError));
                call.detail += ", SO_ERROR " + (socketError == 0 ? std::string("0") : errnoName(socketError));
                if (socketError != 0) {
                    // Go connects without blocking and learns the outcome here: show it as the failure.
                    call.event.errnum = static_cast<std::int16_t>(socketError);
                    call.event.flags |= EventFlag::Failed;
                }
            }
        }
        break;
    default:
        break;
    }
}

void LinuxTracer::onNewTask(int parentTid, int newTid, int event)
{
    const Thread& parent = m_threads.at(parentTid);
    const int parentPid = parent.pid;
    bool isThread = false;
    if (event == PTRACE_EVENT_CLONE) {
        // The clone call that created it has just been finished, its arguments are still there.
        if (parent.call.number == SYS_clone)
            isThread = (parent.call.args[0] & CLONE_THREAD) != 0;
        else if (parent.call.number == SYS_clone3)
            isThread = (parent.call.args[1] & CLONE_THREAD) != 0;
        else {
            int tgid = newTid;
            int ppid = 0;
            ProcReader::threadGroup(newTid, tgid, ppid);
            isThread = tgid != newTid;
        }
    }
    if (auto existing = m_threads.find(newTid); existing != m_threads.end()) {
        // The child stopped first and was adopted from /proc; nothing more to learn.
        return;
    }
    if (isThread) {
        startThread(newTid, parentPid, true);
    } else {
        Process& parentProcess = m_processes.at(parentPid);
        parentProcess.forked = true;
        startProcess(newTid, parentPid, &parentProcess, event == PTRACE_EVENT_VFORK ? "vfork" : "fork");
        startThread(newTid, newTid, false);
    }
    auto early = m_earlyTasks.find(newTid);
    if (early == m_earlyTasks.end()) {
        m_threads.at(newTid).awaitingFirstStop = true;
    } else {
        const EarlyTask task = early->second;
        m_earlyTasks.erase(early);
        if (task.terminated) {
            handleTermination(newTid, task.status, task.usage);
            return;
        }
    }
    if (ending())
        kill(newTid, SIGKILL);
}

LinuxTracer::Process& LinuxTracer::startProcess(int pid, int ppid, const Process* parent, std::string_view how)
{
    Process& process = m_processes[pid];
    process.record.pid = pid;
    process.record.ppid = ppid;
    process.record.startNs = now();
    if (parent) {
        process.record.exe = parent->record.exe;
        process.record.argv = parent->record.argv;
        process.cwd = parent->cwd;
        process.cgroup = parent->cgroup;
        process.stdioTargets = parent->stdioTargets;
    } else if (pid != m_rootPid) {
        process.record.exe = ProcReader::exe(pid);
        process.record.argv = ProcReader::cmdline(pid);
        process.cwd = ProcReader::cwd(pid);
        process.cgroup = ProcReader::cgroupPath(pid);
    }
    process.record.cwd = process.cwd;
    Event event = makeEvent(EventKind::ProcessStart, EventClass::Process, pid, pid);
    event.op = intern("process_start");
    event.path = intern(process.record.exe);
    event.result = ppid;
    event.detail = intern(std::string(how) + " by pid " + std::to_string(ppid));
    process.record.startSeq = emit(event);
    ++m_summary.processes;
    {
        std::lock_guard lock(m_liveMutex);
        m_livePids.insert(pid);
    }
    m_sink->processChanged(process.record);
    if (m_handingOver)
        kill(pid, SIGSTOP); // born during the handover: handed over with the others
    return process;
}

void LinuxTracer::startThread(int tid, int pid, bool announce)
{
    Thread& thread = m_threads[tid];
    thread.tid = tid;
    thread.pid = pid;
    ++m_summary.threads;
    if (auto process = m_processes.find(pid); process != m_processes.end()) {
        ++process->second.liveThreads;
        if (announce)
            ++process->second.record.threads;
        if (announce && process->second.firstThreadTid == 0)
            process->second.firstThreadTid = tid;
    }
    if (announce) {
        Event event = makeEvent(EventKind::ThreadStart, EventClass::Thread, pid, tid);
        event.op = intern("thread_start");
        emit(event);
    }
}

void LinuxTracer::onExec(Thread& thread, int formerTid)
{
    const int pid = thread.pid;
    if (formerTid != thread.tid) {
        // A non-leader thread called execve: it now carries the leader's id and the old tid is gone.
        if (auto old = m_threads.find(formerTid); old != m_threads.end()) {
            PendingCall call = old->second.call;
            m_threads.erase(old);
            thread.call = call;
        }
    }
    Process& process = m_processes[pid];
    process.record.exe = ProcReader::exe(pid);
    // The argv execve passed is the new program's unless the kernel started an interpreter for the
    // file (a #! script, binfmt_misc): then the executable is not the file named and /proc says
    // what the interpreter got. Likewise for an argv too long to have been read whole.
    PendingCall& call = thread.call;
    const bool execveArgvHolds = call.active && call.number == SYS_execve && call.argvComplete && !call.argv.empty()
        && ProcReader::baseName(call.path) == ProcReader::baseName(process.record.exe);
    process.record.argv = execveArgvHolds ? std::move(call.argv) : ProcReader::cmdline(pid);
    process.groupExiting = false;
    // A setuid/setgid/file-capability program the kernel started without its privileges, because
    // this tracer may not follow them: said in the event, so the verdict can blame the tracing.
    const std::string notGranted = ProcReader::privilegesNotGranted(pid);
    if (pid == m_rootPid)
        m_rootExecuted = true;
    if (call.active && isExecFamily(call.number))
        finishCall(thread, 0, false);
    Event event = makeEvent(EventKind::ProcessExec, EventClass::Process, pid, thread.tid);
    // What remains needs nothing from the stopped program: let it run. It cannot be reaped before
    // this returns (this thread reaps), so /proc still answers for it.
    resume(thread);
    // Wrappers move themselves into a cgroup and then exec the real program (systemd-run, a
    // container's init): read it again so an OOM kill is checked against the right counters.
    process.cgroup = ProcReader::cgroupPath(pid);
    event.op = intern("process_exec");
    event.path = intern(process.record.exe);
    event.detail = intern(joinArgv(process.record.argv)
        + (notGranted.empty() ? std::string()
                              : " [" + std::string(exit_detail::kPrivilegesNotGranted) + " " + notGranted + "]"));
    emit(event);
    m_sink->processChanged(process.record);
}

void LinuxTracer::takeExitContext(Process& process, int waitStatus)
{
    process.exitContextTaken = true;
    // The event message is the coming wait status. A clean exit needs only its memory figures; the
    // open files, limits and cgroup counters are read for the exits a diagnosis will look at.
    const bool clean = WIFEXITED(waitStatus) && WEXITSTATUS(waitStatus) == 0;
    process.record.exitContext = ProcReader::exitContext(
        process.record.pid, process.cgroup, clean ? ProcReader::Detail::Memory : ProcReader::Detail::Full);
}

std::string LinuxTracer::describeSender(const Process& process, int signal) const
{
    if (signal == SIGKILL) {
        // SIGKILL is never seen on delivery: only a traced kill() call can name its sender.
        for (auto it = m_killCalls.rbegin(); it != m_killCalls.rend(); ++it) {
            if (it->signal == SIGKILL && (it->target == process.record.pid || it->target <= 0))
                return "sent by pid " + std::to_string(it->senderPid)
                    + (it->target <= 0 ? " to its process group" : "");
        }
        if (m_stopRequested)
            return std::string(exit_detail::kSentByExitLens) + " (capture stopped)";
        if (m_aborted)
            return std::string(exit_detail::kSentByExitLens)
                + " (capture ended: a traced process attached to ExitLens)";
        return "sender unknown (not a traced process; the kernel's OOM killer or another program)";
    }
    if (auto seen = process.signalsSeen.find(signal); seen != process.signalsSeen.end()) {
        if (seen->second.senderPid > 0)
            return "sent by pid " + std::to_string(seen->second.senderPid) + " uid "
                + std::to_string(seen->second.senderUid);
        if (seen->second.code == SI_KERNEL)
            return "sent by the kernel";
        return "raised by the process itself (" + decode::siCode(signal, seen->second.code) + ")";
    }
    return "sender unknown";
}

void LinuxTracer::finishProcess(Process& process, const ExitStatus& status, int tid, const rusage& usage)
{
    ProcessRecord& record = process.record;
    record.status = status;
    record.endNs = now();
    if (!process.exitContextTaken) {
        // No stop before the end: a child's clean exit_group (the filter lets it pass) or SIGKILL.
        // wait() still reports the peak memory, the process's own when it never forked.
        if (!process.forked && usage.ru_maxrss > 0)
            record.exitContext.peakRssKiB = usage.ru_maxrss;
        record.exitContext.cgroup = process.cgroup;
        // After a kill, the cgroup's counters say whether the OOM killer did it.
        if (status.kind == ExitStatus::Kind::Signaled)
            ProcReader::cgroupMemory(process.cgroup, record.exitContext);
    }
    Event event = makeEvent(EventKind::ProcessExit, EventClass::Process, record.pid, tid);
    event.op = intern("process_exit");
    event.path = intern(record.exe);
    std::string detail = status.describe();
    if (status.kind == ExitStatus::Kind::Signaled) {
        event.result = status.signal;
        event.flags |= EventFlag::Signaled;
        if (status.coreDumped)
            event.flags |= EventFlag::CoreDumped;
        detail += ", " + describeSender(process, status.signal);
    } else {
        event.result = status.code;
    }
    if (status.kind == ExitStatus::Kind::Exited && status.code != 0)
        event.flags |= EventFlag::Failed;
    if (status.kind == ExitStatus::Kind::Signaled)
        event.flags |= EventFlag::Failed;
    event.detail = intern(detail);
    record.endSeq = emit(event);
    m_sink->processChanged(record);
    {
        std::lock_guard lock(m_liveMutex);
        m_livePids.erase(record.pid);
    }
    if (record.pid == m_rootPid) {
        m_summary.rootStatus = status;
        if (!m_rootExecuted && m_rootExecErrno != 0)
            m_summary.rootStatus = ExitStatus::launchFailed(m_rootExecErrno);
        onRootExit();
    }
}

void LinuxTracer::emitNote(const std::string& op, const std::string& text)
{
    Event note = makeEvent(EventKind::Note, EventClass::Process, m_rootPid, m_rootPid);
    note.op = intern(op);
    note.detail = intern(text);
    emit(note);
}

bool LinuxTracer::canHandOver(bool fullTrace)
{
    // Without a filter they just run on. With one, a keeper process must be allowed to attach to
    // processes it did not start: Yama's ptrace_scope 1 allows that only to CAP_SYS_PTRACE, 3 to nobody.
    if (fullTrace)
        return true;
    std::ifstream yama("/proc/sys/kernel/yama/ptrace_scope");
    int scope = 0;
    if (!(yama >> scope))
        scope = 0;
    return scope == 0 || (scope < 3 && geteuid() == 0);
}

void LinuxTracer::onRootExit()
{
    // The launched program has exited; whatever still runs has left its tree (a daemon that
    // setsid'd after a double fork, a background job re-parented to init): by default the capture
    // ends here and they run on untraced, as they would without ExitLens.
    if (ending())
        return;
    std::vector<int> remaining;
    {
        std::lock_guard lock(m_liveMutex);
        remaining.assign(m_livePids.begin(), m_livePids.end());
    }
    if (remaining.empty())
        return;
    std::string list;
    for (int pid : remaining) {
        auto process = m_processes.find(pid);
        list += (list.empty() ? "pid " : ", pid ") + std::to_string(pid);
        if (process != m_processes.end())
            list += " (" + ProcReader::baseName(process->second.record.exe) + ")";
    }
    const std::string exited = "the program has exited; ";
    if (m_spec.waitDetached) {
        emitNote("detached", exited + "following its detached processes (--wait-detached): " + list);
        return;
    }
    if (!canHandOver(m_fullTrace)) {
        emitNote("detached",
            exited
                + "its detached processes are followed on, as ptrace_scope keeps ExitLens from handing them "
                  "over untraced: "
                + list);
        return;
    }
    emitNote("detached", exited + "its detached processes keep running, untraced: " + list);
    beginHandover();
}

void LinuxTracer::beginHandover()
{
    m_handingOver = true;
    // A group already stopped (SIGSTOP, SIGTSTP) stays so; PTRACE_INTERRUPT brings its listening
    // threads back for the detach. Everything else is stopped with SIGSTOP: each thread then
    // reports its group-stop and is detached there, where it runs no code and makes no call.
    for (auto& [tid, thread] : m_threads) {
        if (thread.listening) {
            m_keptStopped.insert(thread.pid);
            ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
        }
    }
    {
        std::lock_guard lock(m_liveMutex);
        for (int pid : m_livePids) {
            if (!m_keptStopped.count(pid))
                kill(pid, SIGSTOP);
        }
    }
    for (const auto& [tid, early] : m_earlyTasks) {
        if (!early.terminated)
            kill(tid, SIGSTOP);
    }
}

void LinuxTracer::detachForHandover(Thread& thread)
{
    const int tid = thread.tid;
    const int pid = thread.pid;
    if (thread.call.active)
        finishCall(thread, 0, false, true); // interrupted by the stop; it restarts once continued
    if (ptrace(PTRACE_DETACH, tid, nullptr, nullptr) != 0 && errno != ESRCH)
        log(TraceLogLevel::Warning, "could not detach tid " + std::to_string(tid) + ": " + std::strerror(errno));
    m_handoverTids.push_back(tid);
    m_threads.erase(tid);
    auto process = m_processes.find(pid);
    if (process == m_processes.end() || --process->second.liveThreads > 0)
        return;
    process->second.record.detached = true;
    m_sink->processChanged(process->second.record);
    {
        std::lock_guard lock(m_liveMutex);
        m_livePids.erase(pid);
    }
    m_summary.detachedPids.push_back(pid);
    if (!m_keptStopped.count(pid))
        m_handoverContinue.push_back(pid);
}

namespace {
// The keeper: a process of its own (double-forked from the tracer thread, so init reaps it) that
// seizes the handed-over threads and resumes every stop they make, for as long as any lives. The
// seccomp filter cannot be removed from a process, and without a tracer each call it traces
// fails with ENOSYS: this is what lets them run on as if untraced. Only async-signal-safe calls:
// it is the forked copy of a multi-threaded process.
[[noreturn]] void runKeeper(const int* tids, std::size_t tidCount, const int* continuePids, std::size_t continueCount)
{
    setsid(); // out of the terminal's process group: a later Ctrl+C is not for it
    struct sigaction defaults { };
    defaults.sa_handler = SIG_DFL;
    for (int signal = 1; signal < NSIG; ++signal)
        sigaction(signal, &defaults, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    syscall(SYS_close_range, 0U, ~0U, 0U); // hold no pipe or terminal of ExitLens's open
    constexpr unsigned keeperOptions =
        PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
    for (std::size_t i = 0; i < tidCount; ++i)
        ptrace(PTRACE_SEIZE, tids[i], nullptr, keeperOptions);
    for (std::size_t i = 0; i < continueCount; ++i)
        kill(continuePids[i], SIGCONT);
    for (;;) {
        int status = 0;
        const pid_t tid = wait4(-1, &status, __WALL, nullptr);
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            _exit(0); // ECHILD: every one of them has ended
        }
        if (!WIFSTOPPED(status))
            continue;
        const int signal = WSTOPSIG(status);
        const int event = status >> 16;
        if (event == PTRACE_EVENT_STOP)
            ptrace(isStopSignal(signal) ? PTRACE_LISTEN : PTRACE_CONT, tid, nullptr, nullptr);
        else if (event != 0)
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
        else
            ptrace(PTRACE_CONT, tid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal)));
    }
}
} // namespace

void LinuxTracer::finishHandover()
{
    m_handoverDone = true;
    if (m_handoverTids.empty())
        return;
    if (m_stdoutFd >= 0) {
        // The window's output pipes: someone must go on reading them, or the daemons block on a
        // full pipe (or die of SIGPIPE once ExitLens closes them). A process of its own drains them.
        const pid_t first = fork();
        if (first == 0) {
            if (fork() == 0) {
                setsid();
                const int low = std::min(m_stdoutFd, m_stderrFd);
                const int high = std::max(m_stdoutFd, m_stderrFd);
                syscall(SYS_close_range, 0U, static_cast<unsigned>(low - 1), 0U);
                syscall(SYS_close_range, static_cast<unsigned>(low + 1), static_cast<unsigned>(high - 1), 0U);
                syscall(SYS_close_range, static_cast<unsigned>(high + 1), ~0U, 0U);
                drainPipes(m_stdoutFd, m_stderrFd, -1);
            }
            _exit(0);
        }
        int status = 0;
        while (first > 0 && waitpid(first, &status, 0) < 0 && errno == EINTR) { }
    }
    if (m_fullTrace) {
        for (int pid : m_handoverContinue)
            kill(pid, SIGCONT); // no filter: untraced, they need nobody
        return;
    }
    const pid_t first = fork();
    if (first == 0) {
        if (fork() == 0)
            runKeeper(
                m_handoverTids.data(), m_handoverTids.size(), m_handoverContinue.data(), m_handoverContinue.size());
        _exit(0);
    }
    if (first < 0) {
        log(TraceLogLevel::Error,
            std::string("could not start the keeper of the detached processes: ") + std::strerror(errno));
        for (int pid : m_handoverContinue)
            kill(pid, SIGCONT);
        return;
    }
    int status = 0;
    while (waitpid(first, &status, 0) < 0 && errno == EINTR) { }
}

void LinuxTracer::resume(Thread& thread, int signal)
{
    // Stop at the syscall exit only when a pending call needs its result (or in full mode).
    const auto request = (m_fullTrace || thread.call.active) ? PTRACE_SYSCALL : PTRACE_CONT;
    if (ptrace(request, thread.tid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal))) != 0
        && errno != ESRCH) {
        log(TraceLogLevel::Warning,
            "could not resume tid " + std::to_string(thread.tid) + ": " + std::string(std::strerror(errno)));
    }
}

Event LinuxTracer::makeEvent(EventKind kind, EventClass cls, int pid, int tid)
{
    Event event;
    event.kind = kind;
    event.cls = cls;
    event.pid = pid;
    event.tid = tid;
    event.timeNs = now();
    return event;
}

std::uint64_t LinuxTracer::emit(const Event& event)
{
    // The capture filter is offered only what it may drop: lifecycle events always stay, so the
    // process table, startSeq/endSeq and the verdict's exit records are whole whatever it says.
    if ((event.kind == EventKind::Syscall || event.kind == EventKind::Output || event.kind == EventKind::Signal)
        && !m_sink->keep(event)) {
        ++m_summary.filteredOut;
        return kDroppedSeq;
    }
    m_batch.push_back(event);
    const std::uint64_t seq = m_nextSeq++;
    if (m_batch.size() >= kBatchSize)
        flush();
    return seq;
}

void LinuxTracer::flush()
{
    if (m_batch.empty())
        return;
    m_sink->append(m_batch);
    m_batch.clear();
}

StringId LinuxTracer::opId(int number)
{
    StringId& id = m_opIds[static_cast<std::size_t>(number)];
    if (id == kNoString) {
        const SyscallInfo* info = m_syscalls[static_cast<std::size_t>(number)];
        id = intern(info ? info->name : syscallInfo(number).name);
    }
    return id;
}

} // namespace exitlens::linux_trace

namespace exitlens {

std::unique_ptr<Tracer> createPlatformTracer()
{
    return std::make_unique<linux_trace::LinuxTracer>();
}

} // namespace exitlens
