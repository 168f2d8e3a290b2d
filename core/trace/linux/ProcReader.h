#pragma once

#include "LaunchContext.h"
#include "ProcessRecord.h"

#include <functional>
#include <string>
#include <vector>

namespace exitlens::linux_trace {

// Reads what /proc and /sys say about a (stopped or dying) process. Every function tolerates a
// process that vanished meanwhile: it returns what it could read.
class ProcReader {
public:
    static std::string readLink(const std::string& path);
    static std::string exe(int pid);
    static std::string cwd(int pid);
    static std::string fdTarget(int pid, int fd);
    // True when PID's descriptor FD is close-on-exec (the "flags" of /proc/PID/fdinfo/FD): it
    // will not be there once PID execs.
    static bool closesOnExec(int pid, int fd);
    static std::vector<std::string> cmdline(int pid);
    // Tgid and PPid from /proc/TID/status; false when the task is gone.
    static bool threadGroup(int tid, int& tgid, int& ppid);
    // TracerPid from /proc/TID/status: who ptraces that task (0: nobody; -1: unreadable).
    static int tracerPid(int tid);
    // Right after an exec: the privileges its file asks for that the process did not get ("setuid
    // root", "setgid 42", "file capabilities"), empty when none were asked for or all were granted.
    // A nosuid mount drops them as well; that is not counted (it is no tracing matter).
    static std::string privilegesNotGranted(int pid);
    // The unified (v2) cgroup path, or the memory controller's path on v1.
    static std::string cgroupPath(int pid);

    enum class Detail {
        Memory, // VmHWM/VmRSS only (one read): for clean exits
        Full, // plus open files, limits and cgroup memory facts
    };
    // At the process's last stop alive (exit_group's seccomp stop, or the delivery of a fatal signal).
    static ExitContext exitContext(int pid, const std::string& cgroup, Detail detail);
    // After death (SIGKILL skips the exit stop): the cgroup counters outlive the process.
    static void cgroupMemory(const std::string& cgroup, ExitContext& context);

    // "/usr/bin/app" -> "app"
    static std::string baseName(const std::string& path);
    // The command name of any process (/proc/PID/comm), empty when it is gone.
    static std::string command(int pid);
    enum class Disposition { Default, Ignored, Caught, Unknown };
    // What the process does with signal now (SigIgn and SigCgt in /proc/PID/status).
    static Disposition signalDisposition(int pid, int signal);
    // "owner 0:0 mode 0600 (/srv/app/config.json); owner 0:0 mode 0700 (/srv/app)": the path and
    // its parent folder, for a permission error.
    static std::string ownership(const std::string& path);
    // Who the thread is now, from /proc/TID/status: "uid 65534 gid 65534 groups 65534" (the
    // effective ids, and the supplementary groups; "groups -" for none). "" when unreadable.
    static std::string credentials(int tid);
    // "pid 123 (nginx)" holding the TCP port of "127.0.0.1:8080" / "[::1]:8080"; empty when unknown.
    static std::string portHolder(const std::string& address);
    // "other threads: 2 running, 1 in a system call, 3 waiting" for every task of pid except tid:
    // running = used at least 1 ms of CPU in a 5 ms window (schedstat), "in a system call" =
    // uninterruptible I/O (D). Takes 5 ms: call it only where a clean exit may be premature.
    // When firstThreadTid (the first thread the process started) counts as running, the text
    // ends with exit_detail::kFirstThreadRunning (ExitDetail.h).
    static std::string otherThreadStates(
        int pid, int exceptTid, int firstThreadTid, const std::function<bool(int tid)>& preempted);

    // The world ExitLens itself runs in, which the target inherits.
    static LaunchContext selfContext();
};

} // namespace exitlens::linux_trace
