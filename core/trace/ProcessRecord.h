#pragma once

#include "ExitStatus.h"

#include <cstdint>
#include <string>
#include <vector>

namespace exitlens {

// What a process looked like as it died: read at its last stop alive, exit_group's or a fatal
// signal's delivery (or, for SIGKILL, which gives no stop, as much as can still be read after death: cgroup counters
// survive the process). For a clean exit (status 0) only the memory figures are read: the rest serves a diagnosis and
// costs ~100 µs per process, which adds up in programs that start hundreds of helpers.
struct ExitContext {
    struct OpenFile {
        int fd = 0;
        std::string target; // readlink of /proc/PID/fd/N: a path, "pipe:[123]", "socket:[456]"
        // A regular file open for writing (O_WRONLY/O_RDWR): where a silent program may have
        // logged why it stopped. Only these carry the fields below (FileTail).
        bool forWriting = false;
        std::int64_t size = -1; // bytes at exit
        std::int64_t modifiedNs = -1; // st_mtime, ns since the epoch
        std::vector<std::string> tail; // its last lines (at most FileTail::kMaxLines from the last 4 KiB)
    };
    bool captured = false; // false when the process was gone before it could be read
    bool complete = false; // open files, limits and cgroup facts were read (not only memory)
    std::vector<OpenFile> openFiles;
    std::int64_t peakRssKiB = -1; // VmHWM
    std::int64_t rssKiB = -1; // VmRSS
    std::int64_t addressSpaceLimit = -1; // RLIMIT_AS soft limit in bytes, -1 = unlimited
    std::int64_t openFilesLimit = -1; // RLIMIT_NOFILE soft limit, -1 = unlimited
    std::string cgroup; // the cgroup path ("/user.slice/..."), empty when unknown
    std::int64_t cgroupMemoryLimit = -1; // bytes; -1 = no limit / unknown
    std::int64_t cgroupOomKills = -1; // memory.events oom_kill (v2) or memory.oom_control (v1); -1 = unknown
};

struct ProcessRecord {
    int pid = 0;
    int ppid = 0; // for the launched root, the pid of ExitLens itself
    std::string exe; // absolute path of the executable image
    std::vector<std::string> argv;
    std::string cwd;
    std::uint64_t startNs = 0;
    std::uint64_t endNs = 0; // 0 while running
    std::uint64_t startSeq = 0; // first event of this process
    std::uint64_t endSeq = 0; // its exit event (valid when status ended)
    int threads = 1; // threads seen over the process's life, leader included
    // Still running when the capture ended: the launched program had exited, this process had left
    // its tree (a daemon: setsid, re-parented), and ExitLens let go of it (without --wait-detached).
    bool detached = false;
    ExitStatus status;
    ExitContext exitContext;
};

} // namespace exitlens
