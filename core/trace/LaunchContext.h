#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace exitlens {

// The world the target was started into. A silent exit is often a context difference
// ("works in my terminal, dies from the menu"), so it is recorded with every capture.
struct LaunchContext {
    struct Limit {
        std::string name; // "RLIMIT_NOFILE"
        std::int64_t soft = -1; // -1 = unlimited
        std::int64_t hard = -1;
    };
    std::string resolvedProgram; // after the PATH search
    std::string searchedPath; // the PATH that was searched ("" when the program had a slash)
    std::string cwd;
    std::vector<std::string> environment;
    unsigned uid = 0;
    unsigned gid = 0;
    std::vector<unsigned> groups;
    std::string user; // the name for uid, when known
    unsigned umask = 022;
    std::vector<Limit> limits;
    std::string cgroup;
    std::int64_t cgroupMemoryLimit = -1; // bytes, -1 = none/unknown
    std::int64_t cgroupOomKillsAtLaunch = -1; // to tell an OOM kill during the capture from an old one
    bool stdinIsTty = false;
    bool stdoutIsTty = false;
    bool stderrIsTty = false;
    std::string hostname;
    std::string kernel; // uname -r
    std::string machine; // uname -m
};

} // namespace exitlens
