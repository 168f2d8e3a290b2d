#pragma once

#include "Tracer.h"
#include "linux/SeccompFilter.h"
#include "linux/StackSampler.h"
#include "linux/SyscallTable.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <thread>
#include <unordered_map>
#include <vector>

namespace exitlens::linux_trace {

// The Linux backend: ptrace from the calling thread, a seccomp-bpf filter so the kernel stops the
// tracee only on the syscalls of the captured classes, and every fork/vfork/clone/exec followed
// from the first instruction. See docs/ARCHITECTURE.md for the stop protocol.
class LinuxTracer final : public Tracer {
public:
    LinuxTracer();
    ~LinuxTracer() override;

    TraceSummary run(const LaunchSpec& spec, TraceSink& sink) override;
    void requestStop() override;
    void forwardSignal(int signal) override;

private:
    // A syscall between its entry (seccomp or entry stop) and its exit stop.
    struct PendingCall {
        bool active = false;
        int number = -1;
        std::array<std::uint64_t, 6> args {};
        Event event;
        std::string path;
        std::string detail;
        std::vector<std::string> argv; // execve's, as read at entry
        bool argvComplete = false; // every argument read whole
        std::string bytes; // output written to fd 1/2
        int stream = 0; // 1 or 2 for output
    };
    struct Thread {
        int tid = 0;
        int pid = 0;
        bool awaitingFirstStop = false; // auto-attached: its first stop is a PTRACE_EVENT_STOP to resume
        bool listening = false; // left in a group-stop with PTRACE_LISTEN
        PendingCall call;
    };
    struct SignalSeen {
        int senderPid = 0;
        int senderUid = -1;
        int code = 0;
        std::uint64_t seq = 0;
    };
    struct Process {
        ProcessRecord record;
        std::string cwd;
        std::string cgroup;
        std::array<std::string, 3> stdioTargets; // where fds 0-2 point ("closed" after close)
        int liveThreads = 0;
        int firstThreadTid = 0; // the first thread it started (a Go program's sysmon)
        bool groupExiting = false;
        bool exitContextTaken = false;
        bool forked = false; // started a child process: wait()'s peak memory then includes the child's
        std::unordered_map<int, SignalSeen> signalsSeen; // last delivery of each signal number
    };
    struct KillCall {
        int target = 0; // pid; <= 0 for a process group
        int signal = 0;
        int senderPid = 0;
        std::uint64_t seq = 0;
    };

    // Why a tracee stopped: counted so the cost of a capture can be explained (debug log, stats).
    enum class StopKind : std::uint8_t {
        Seccomp,
        SyscallEntry,
        SyscallExit,
        NewTask,
        Exec,
        FirstStop,
        Signal,
        GroupStop,
        Other,
        Count
    };

    void reset();
    void loop();
    // Another thread (never this one: it must not call ptrace) watches the tracer thread's
    // TracerPid: a tracee that attaches to it would stop it for good while waiting for it itself.
    void startWatcher(int tracerTid);
    void stopWatcher();
    void watch(int tracerTid);
    bool ending() const { return m_stopRequested || m_aborted; }
    void countStop(StopKind kind) { ++m_stopCounts[static_cast<std::size_t>(kind)]; }
    std::string describeStops() const;
    void handleStop(int tid, int status);
    void handleTermination(int tid, int status, const rusage& usage);
    void handleSyscallStop(Thread& thread);
    void handleEvent(Thread& thread, int event);
    void handleSignalStop(Thread& thread, int signal);
    void handleEventStop(Thread& thread, int signal);
    void onSyscallEntry(Thread& thread, int number, const std::uint64_t* args);
    void onSyscallExit(Thread& thread, std::int64_t value, bool isError);
    void decodeEntry(Thread& thread, Process& process, PendingCall& call);
    void decodeExit(Thread& thread, Process& process, PendingCall& call);
    static bool effectKnownAtEntry(const PendingCall& call);
    void finishCall(Thread& thread, std::int64_t value, bool isError, bool unfinished = false);
    void onNewTask(int parentTid, int newTid, int event);
    Thread& adoptUnknownTask(int tid);
    void startEarly(int tid);
    Process& startProcess(int pid, int ppid, const Process* parent, std::string_view how);
    void startThread(int tid, int pid, bool announce);
    void onExec(Thread& thread, int formerTid);
    void takeExitContext(Process& process, int waitStatus);
    // Daemons: the launched program has exited and only processes that left its tree remain.
    void onRootExit();
    static bool canHandOver(bool fullTrace);
    void beginHandover();
    void detachForHandover(Thread& thread); // erases the thread
    void finishHandover();
    void emitNote(const std::string& op, const std::string& text);
    void finishProcess(Process& process, const ExitStatus& status, int tid, const rusage& usage);
    void resume(Thread& thread, int signal = 0);

    std::string resolvePath(const Process& process, int tid, std::int64_t dirfd, std::uint64_t address);
    // Reads an argv array; false when it was cut short (too many or too long arguments).
    static bool readArgv(int tid, std::uint64_t address, std::vector<std::string>& argv);
    std::string describeSender(const Process& process, int signal) const;

    Event makeEvent(EventKind kind, EventClass cls, int pid, int tid);
    std::uint64_t emit(const Event& event);
    void flush();
    StringId opId(int number);
    StringId intern(std::string_view text) { return m_sink->intern(text); }
    std::uint64_t now() const;

    // State shared with requestStop()/forwardSignal() on other threads.
    std::atomic<bool> m_stopRequested { false };
    std::atomic<int> m_rootPid { 0 };
    std::mutex m_liveMutex;
    std::set<int> m_livePids;
    // Set by the watcher when it had to end the capture; m_abortReason is written before it.
    std::atomic<bool> m_aborted { false };
    std::string m_abortReason;
    std::mutex m_watchMutex;
    std::condition_variable m_watchWake;
    bool m_watchEnd = false;
    std::thread m_watcher;

    // Tracer-thread state.
    LaunchSpec m_spec;
    TraceSink* m_sink = nullptr;
    SeccompFilter m_filter;
    bool m_fullTrace = false;
    std::uint64_t m_startNs = 0;
    std::uint64_t m_nextSeq = 0;
    std::vector<Event> m_batch;
    std::unordered_map<int, Thread> m_threads;
    std::unordered_map<int, Process> m_processes;
    // New tasks whose first stop came before their parent's fork/clone event: resumed at once and
    // recorded when the event names them (their termination too, if it came first).
    struct EarlyTask {
        bool terminated = false;
        int status = 0;
        rusage usage {};
    };
    std::unordered_map<int, EarlyTask> m_earlyTasks;
    std::vector<KillCall> m_killCalls;
    std::vector<StringId> m_opIds; // by syscall number, 0 = not interned yet
    std::vector<const SyscallInfo*> m_syscalls; // by syscall number
    bool m_rootExecuted = false;
    bool m_rootExecAttempted = false;
    // Handing the detached processes over (docs/ARCHITECTURE.md, "Daemons"): each is stopped
    // (SIGSTOP), detached in its group-stop, and taken over by a keeper process.
    bool m_handingOver = false;
    bool m_handoverDone = false;
    std::vector<int> m_handoverTids; // detached, stopped: for the keeper to seize
    std::vector<int> m_handoverContinue; // pids to SIGCONT once seized (not those stopped before)
    std::set<int> m_keptStopped; // group-stopped before the handover: they stay stopped
    int m_stdoutFd = -1; // Pipes mode: the read ends the drainer empties
    int m_stderrFd = -1; // the root entered its execve: what it does from there is the program's
    int m_rootExecErrno = 0;
    TraceSummary m_summary;
    std::array<std::uint64_t, static_cast<std::size_t>(StopKind::Count)> m_stopCounts {};
    StackSampler m_stackSampler; // user stacks of key events (docs/go-insight.md)
};

} // namespace exitlens::linux_trace
