#include "ProcReader.h"

#include "ExitDetail.h"
#include "FileTail.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <pwd.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utility>

namespace exitlens::linux_trace {

namespace {
// /proc files report a size of 0, so read until EOF with plain read(2) (no iostream locale
// machinery on the tracer's hot-ish path).
enum class Shape { OnePiece, Records };

std::string readSmallFile(const std::string& path, std::size_t limit = 1 << 16, Shape shape = Shape::Records)
{
    std::string data;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return data;
    std::array<char, 4096> buffer {};
    while (data.size() < limit) {
        const ssize_t got = read(fd, buffer.data(), buffer.size());
        if (got <= 0)
            break;
        data.append(buffer.data(), static_cast<std::size_t>(got));
        // A file generated in one piece (cmdline, status, cgroup) fills the whole buffer unless it
        // is at its end: a short read is the end, without a second read to see 0. A multi-record
        // seq_file (/proc/net/tcp) may stop short of a record that does not fit.
        if (shape == Shape::OnePiece && static_cast<std::size_t>(got) < buffer.size())
            break;
    }
    close(fd);
    return data;
}

std::string proc(int pid, const char* leaf)
{
    return "/proc/" + std::to_string(pid) + "/" + leaf;
}

std::int64_t parseNumber(std::string_view text, std::int64_t fallback = -1)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr != text.data() ? value : fallback;
}

// "VmHWM:\t  1234 kB" -> 1234
std::int64_t statusField(const std::string& status, std::string_view key)
{
    const std::size_t at = status.find(key);
    if (at == std::string::npos)
        return -1;
    return parseNumber(std::string_view(status).substr(at + key.size()));
}

// /sys/fs/cgroup files say "max" for no limit.
std::int64_t cgroupNumber(const std::string& path)
{
    const std::string text = readSmallFile(path);
    if (text.empty() || text.rfind("max", 0) == 0)
        return -1;
    return parseNumber(text);
}

std::int64_t rlimitValue(rlim_t value)
{
    return value == RLIM_INFINITY ? -1 : static_cast<std::int64_t>(value);
}

// The soft limit of one row of /proc/PID/limits ("Max open files  1024  4096  files").
std::int64_t limitsRow(const std::string& limits, std::string_view title)
{
    const std::size_t at = limits.find(title);
    if (at == std::string::npos)
        return -1;
    std::string_view rest = std::string_view(limits).substr(at + title.size());
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    if (rest.rfind("unlimited", 0) == 0)
        return -1;
    return parseNumber(rest);
}
} // namespace

std::string ProcReader::readLink(const std::string& path)
{
    std::array<char, PATH_MAX> buffer {};
    const ssize_t got = readlink(path.c_str(), buffer.data(), buffer.size() - 1);
    return got > 0 ? std::string(buffer.data(), static_cast<std::size_t>(got)) : std::string();
}

std::string ProcReader::exe(int pid)
{
    return readLink(proc(pid, "exe"));
}

std::string ProcReader::cwd(int pid)
{
    return readLink(proc(pid, "cwd"));
}

std::string ProcReader::fdTarget(int pid, int fd)
{
    return readLink("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd));
}

bool ProcReader::closesOnExec(int pid, int fd)
{
    const std::string info =
        readSmallFile("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd), 1 << 12, Shape::OnePiece);
    const std::size_t at = info.find("flags:");
    if (at == std::string::npos)
        return false;
    std::size_t start = at + 6;
    while (start < info.size() && (info[start] == '\t' || info[start] == ' '))
        ++start;
    unsigned long flags = 0; // octal, as the kernel prints it
    const char* end = info.data() + info.size();
    if (std::from_chars(info.data() + start, end, flags, 8).ec != std::errc())
        return false;
    return (flags & O_CLOEXEC) != 0;
}

std::vector<std::string> ProcReader::cmdline(int pid)
{
    std::vector<std::string> argv;
    const std::string data = readSmallFile(proc(pid, "cmdline"), 1 << 20, Shape::OnePiece);
    std::size_t start = 0;
    while (start < data.size()) {
        std::size_t end = data.find('\0', start);
        if (end == std::string::npos)
            end = data.size();
        argv.emplace_back(data, start, end - start);
        start = end + 1;
    }
    return argv;
}

bool ProcReader::threadGroup(int tid, int& tgid, int& ppid)
{
    const std::string status = readSmallFile(proc(tid, "status"), 1 << 16, Shape::OnePiece);
    if (status.empty())
        return false;
    tgid = static_cast<int>(statusField(status, "\nTgid:"));
    ppid = static_cast<int>(statusField(status, "\nPPid:"));
    return tgid > 0;
}

int ProcReader::tracerPid(int tid)
{
    const std::string status = readSmallFile(proc(tid, "status"), 1 << 16, Shape::OnePiece);
    if (status.empty())
        return -1;
    return static_cast<int>(statusField(status, "\nTracerPid:"));
}

std::string ProcReader::privilegesNotGranted(int pid)
{
    const std::string exe = proc(pid, "exe");
    struct stat info { };
    if (stat(exe.c_str(), &info) != 0)
        return {};
    const bool setuid = (info.st_mode & S_ISUID) != 0;
    const bool setgid = (info.st_mode & S_ISGID) != 0 && (info.st_mode & S_IXGRP) != 0; // g+s without g+x: locking
    const bool fileCaps = getxattr(exe.c_str(), "security.capability", nullptr, 0) > 0;
    if (!setuid && !setgid && !fileCaps)
        return {};
    struct statvfs mount { };
    if (statvfs(exe.c_str(), &mount) == 0 && (mount.f_flag & ST_NOSUID))
        return {};
    const std::string status = readSmallFile(proc(pid, "status"), 1 << 16, Shape::OnePiece);
    // "Uid:\treal\teffective\tsaved\tfs": the second number is the effective id.
    const auto effective = [&](std::string_view key) -> std::int64_t {
        const std::size_t at = status.find(key);
        if (at == std::string::npos)
            return -1;
        std::istringstream fields(status.substr(at + key.size(), 64));
        std::int64_t real = -1;
        std::int64_t eff = -1;
        fields >> real >> eff;
        return eff;
    };
    std::string missing;
    const auto add = [&](const std::string& what) { missing += (missing.empty() ? "" : ", ") + what; };
    if (setuid && effective("\nUid:") != static_cast<std::int64_t>(info.st_uid)) {
        const passwd* owner = getpwuid(info.st_uid);
        add("setuid " + (owner ? std::string(owner->pw_name) : std::to_string(info.st_uid)));
    }
    if (setgid && effective("\nGid:") != static_cast<std::int64_t>(info.st_gid))
        add("setgid " + std::to_string(info.st_gid));
    if (fileCaps) {
        // CapPrm is hexadecimal: zero when the file's capabilities were not granted.
        const std::size_t at = status.find("\nCapPrm:");
        const unsigned long long permitted =
            at == std::string::npos ? 1 : std::strtoull(status.c_str() + at + 8, nullptr, 16);
        if (permitted == 0)
            add("file capabilities");
    }
    return missing;
}

std::string ProcReader::cgroupPath(int pid)
{
    // v2: "0::/user.slice/..."; v1: "N:memory:/path" (several lines).
    const std::string data = readSmallFile(proc(pid, "cgroup"), 1 << 16, Shape::OnePiece);
    std::istringstream lines(data);
    std::string line;
    std::string v1Memory;
    std::string unified;
    while (std::getline(lines, line)) {
        if (line.rfind("0::", 0) == 0) {
            unified = line.substr(3);
            continue;
        }
        const std::size_t first = line.find(':');
        const std::size_t second = line.find(':', first + 1);
        if (first != std::string::npos && second != std::string::npos) {
            const std::string controllers = line.substr(first + 1, second - first - 1);
            if (controllers.find("memory") != std::string::npos)
                v1Memory = "memory:" + line.substr(second + 1);
        }
    }
    // On a hybrid system (v1 controllers plus an empty unified tree) the memory facts live in v1.
    return v1Memory.empty() ? unified : v1Memory;
}

void ProcReader::cgroupMemory(const std::string& cgroup, ExitContext& context)
{
    context.cgroup = cgroup;
    if (cgroup.empty())
        return;
    if (cgroup.rfind("memory:", 0) == 0) {
        const std::string dir = "/sys/fs/cgroup/memory" + cgroup.substr(7);
        const std::int64_t limit = cgroupNumber(dir + "/memory.limit_in_bytes");
        // v1 reports "no limit" as a huge page-aligned number.
        context.cgroupMemoryLimit = limit >= (std::int64_t(1) << 62) ? -1 : limit;
        const std::string control = readSmallFile(dir + "/memory.oom_control");
        context.cgroupOomKills = statusField("\n" + control, "\noom_kill ");
        return;
    }
    const std::string dir = "/sys/fs/cgroup" + cgroup;
    context.cgroupMemoryLimit = cgroupNumber(dir + "/memory.max");
    const std::string events = readSmallFile(dir + "/memory.events");
    context.cgroupOomKills = events.empty() ? -1 : statusField("\n" + events, "\noom_kill ");
}

ExitContext ProcReader::exitContext(int pid, const std::string& cgroup, Detail detail)
{
    ExitContext context;
    const std::string status = readSmallFile(proc(pid, "status"));
    if (status.empty()) {
        cgroupMemory(cgroup, context);
        return context;
    }
    context.captured = true;
    context.peakRssKiB = statusField(status, "\nVmHWM:");
    context.rssKiB = statusField(status, "\nVmRSS:");
    if (detail == Detail::Memory) {
        context.cgroup = cgroup;
        return context;
    }
    context.complete = true;

    const std::string limits = readSmallFile(proc(pid, "limits"));
    context.addressSpaceLimit = limitsRow(limits, "Max address space");
    context.openFilesLimit = limitsRow(limits, "Max open files");

    const std::string fdDir = proc(pid, "fd");
    if (DIR* dir = opendir(fdDir.c_str())) {
        while (const dirent* entry = readdir(dir)) {
            if (entry->d_name[0] == '.')
                continue;
            const int fd = static_cast<int>(parseNumber(entry->d_name));
            if (fd < 0)
                continue;
            ExitContext::OpenFile file;
            file.fd = fd;
            file.target = readLink(fdDir + "/" + entry->d_name);
            context.openFiles.push_back(std::move(file));
        }
        closedir(dir);
        std::sort(context.openFiles.begin(), context.openFiles.end(),
            [](const auto& a, const auto& b) { return a.fd < b.fd; });
        FileTail::read(pid, context.openFiles);
    }
    cgroupMemory(cgroup, context);
    return context;
}

std::string ProcReader::baseName(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string ProcReader::command(int pid)
{
    std::string name = readSmallFile(proc(pid, "comm"), 64);
    while (!name.empty() && name.back() == '\n')
        name.pop_back();
    return name;
}

ProcReader::Disposition ProcReader::signalDisposition(int pid, int signal)
{
    if (signal < 1 || signal > 64)
        return Disposition::Unknown;
    const std::string status = readSmallFile(proc(pid, "status"));
    const auto mask = [&status](std::string_view field) -> std::optional<std::uint64_t> {
        const std::size_t at = status.find(field);
        if (at == std::string::npos)
            return std::nullopt;
        std::string_view text = std::string_view(status).substr(at + field.size());
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
            text.remove_prefix(1);
        std::uint64_t value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value, 16);
        return value;
    };
    const auto ignored = mask("\nSigIgn:");
    const auto caught = mask("\nSigCgt:");
    if (!ignored || !caught)
        return Disposition::Unknown;
    const std::uint64_t bit = std::uint64_t(1) << (signal - 1);
    return (*ignored & bit) ? Disposition::Ignored : (*caught & bit) ? Disposition::Caught : Disposition::Default;
}

std::string ProcReader::ownership(const std::string& path)
{
    auto describe = [](const std::string& target) {
        struct stat info { };
        if (lstat(target.c_str(), &info) != 0)
            return "(missing) " + target;
        char text[64];
        std::snprintf(text, sizeof(text), "owner %u:%u mode %04o", info.st_uid, info.st_gid, info.st_mode & 07777);
        return std::string(text) + " " + target;
    };
    std::string result = describe(path);
    const std::size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0)
        result += ", " + describe(path.substr(0, slash));
    return result;
}

std::string ProcReader::credentials(int tid)
{
    const std::string status = readSmallFile(proc(tid, "status"), 1 << 16, Shape::OnePiece);
    // "Uid:\treal\teffective\tsaved\tfs": the effective id is the second field.
    auto effective = [&](std::string_view key) -> std::string {
        const std::size_t at = status.find(key);
        if (at == std::string::npos)
            return {};
        const std::size_t end = status.find('\n', at);
        std::string_view line = std::string_view(status).substr(at + key.size(), end - at - key.size());
        std::vector<std::string> fields;
        std::size_t pos = 0;
        while (pos < line.size()) {
            const std::size_t start = line.find_first_not_of(" \t", pos);
            if (start == std::string_view::npos)
                break;
            const std::size_t stop = std::min(line.find_first_of(" \t", start), line.size());
            fields.emplace_back(line.substr(start, stop - start));
            pos = stop;
        }
        if (key == "\nGroups:") {
            std::string groups;
            for (const auto& field : fields)
                groups += (groups.empty() ? "" : ",") + field;
            return groups.empty() ? std::string("-") : groups;
        }
        return fields.size() >= 2 ? fields[1] : std::string();
    };
    const std::string uid = effective("\nUid:");
    const std::string gid = effective("\nGid:");
    if (uid.empty() || gid.empty())
        return {};
    return "uid " + uid + " gid " + gid + " groups " + effective("\nGroups:");
}

std::string ProcReader::portHolder(const std::string& address)
{
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos)
        return {};
    const std::int64_t port = parseNumber(std::string_view(address).substr(colon + 1));
    if (port <= 0 || port > 65535)
        return {};
    // /proc/net/tcp{,6}: "sl local_address rem_address st ... inode"; a listener has st 0A.
    std::string inode;
    for (const char* table : { "/proc/net/tcp", "/proc/net/tcp6" }) {
        std::istringstream lines(readSmallFile(table, 1 << 22));
        std::string line;
        std::getline(lines, line); // header
        while (inode.empty() && std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, node;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> node;
            const std::size_t portAt = local.rfind(':');
            if (portAt == std::string::npos || state != "0A")
                continue;
            if (std::strtol(local.c_str() + portAt + 1, nullptr, 16) == port)
                inode = node;
        }
    }
    if (inode.empty())
        return {};
    const std::string wanted = "socket:[" + inode + "]";
    DIR* processes = opendir("/proc");
    if (!processes)
        return {};
    std::string holder;
    while (const dirent* entry = readdir(processes)) {
        const std::int64_t pid = parseNumber(entry->d_name);
        if (pid <= 0)
            continue;
        const std::string fdDir = "/proc/" + std::string(entry->d_name) + "/fd";
        DIR* fds = opendir(fdDir.c_str());
        if (!fds)
            continue;
        while (const dirent* fd = readdir(fds)) {
            if (fd->d_name[0] != '.' && readLink(fdDir + "/" + fd->d_name) == wanted) {
                holder = "pid " + std::to_string(pid) + " (" + command(static_cast<int>(pid)) + ")";
                break;
            }
        }
        closedir(fds);
        if (!holder.empty())
            break;
    }
    closedir(processes);
    return holder;
}

std::string ProcReader::otherThreadStates(
    int pid, int exceptTid, int firstThreadTid, const std::function<bool(int)>& preempted)
{
    // CPU time per thread from schedstat (nanoseconds), sampled twice a few milliseconds apart:
    // a thread that is doing work gains most of the window, an idle Go M (which may be on a CPU
    // for a few microseconds, spinning for work) next to nothing. The caller holds the exiting
    // thread stopped; the others run on.
    struct Sample {
        std::string tid;
        long long runNs = 0;
        long long queuedNs = 0; // runnable but waiting for a CPU
        char state = '?';
    };
    const std::string taskDir = proc(pid, "task");
    auto sample = [&] {
        std::vector<Sample> samples;
        DIR* tasks = opendir(taskDir.c_str());
        if (!tasks)
            return samples;
        while (const dirent* entry = readdir(tasks)) {
            const std::int64_t tid = parseNumber(entry->d_name);
            if (tid <= 0 || tid == exceptTid)
                continue;
            Sample one;
            one.tid = entry->d_name;
            // schedstat: time on a CPU, time waiting on a run queue, timeslices (nanoseconds).
            const std::string schedstat = readSmallFile(taskDir + "/" + one.tid + "/schedstat", 128);
            one.runNs = parseNumber(schedstat, 0);
            if (const std::size_t space = schedstat.find(' '); space != std::string::npos)
                one.queuedNs = parseNumber(std::string_view(schedstat).substr(space + 1), 0);
            const std::string stat = readSmallFile(taskDir + "/" + one.tid + "/stat", 1024);
            const std::size_t close = stat.rfind(')');
            one.state = close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
            samples.push_back(std::move(one));
        }
        closedir(tasks);
        return samples;
    };
    constexpr long long kWindowNs = 5'000'000;
    constexpr long long kBusyNs = 1'000'000;
    // Real work behind a thread: an idle M or sysmon uses ~1 ms in a short program's life, and on a
    // virtual machine a thread's CPU time also counts the moments its virtual CPU was descheduled
    // (seen in CI: a clean exit's idle M "ran" 1 ms of a 5 ms window). A worker main left behind
    // has been at it for a while.
    constexpr long long kWorkerNs = 20'000'000;
    const std::vector<Sample> before = sample();
    if (before.empty())
        return "other threads: none";
    // The window tells what threads on a CPU, queued for one or in a system call go on to do. A
    // thread asleep (S: a parked Go M, sysmon between checks, a goroutine waiting for the network)
    // is not running, and one held in a ptrace stop stays as it is while this waits. When no thread
    // is in R or D, only a timer or I/O firing in the next 5 ms could change the answer: give it
    // now rather than hold every clean exit of a Go program for the window.
    const bool anyOnCpuOrInCall = std::any_of(
        before.begin(), before.end(), [](const Sample& thread) { return thread.state == 'R' || thread.state == 'D'; });
    if (!anyOnCpuOrInCall) {
        const auto running = std::count_if(before.begin(), before.end(), [&](const Sample& thread) {
            return thread.state == 't' && thread.runNs >= kWorkerNs
                && preempted(static_cast<int>(parseNumber(thread.tid)));
        });
        return "other threads: " + std::to_string(running) + " running, 0 in a system call, "
            + std::to_string(static_cast<std::ptrdiff_t>(before.size()) - running) + " waiting";
    }
    timespec window { 0, kWindowNs };
    nanosleep(&window, nullptr);
    const std::vector<Sample> after = sample();
    int running = 0;
    int inIo = 0;
    int waiting = 0;
    bool firstRunning = false;
    for (const auto& now : after) {
        long long earlier = now.runNs;
        long long earlierQueued = now.queuedNs;
        char earlierState = '?';
        for (const auto& then : before) {
            if (then.tid == now.tid) {
                earlier = then.runNs;
                earlierQueued = then.queuedNs;
                earlierState = then.state;
            }
        }
        // Busy: a thread with real work behind it (kWorkerNs of CPU) that is still runnable (or in
        // a ptrace stop) after using at least 1 ms of the 5 ms window, on a CPU or queued for one —
        // an idle Go M is on a CPU for microseconds at a time, then parks in a futex. On a loaded
        // machine its virtual CPU may itself be descheduled: runnable at both looks with no
        // progress and no queue time at all (no tick on that CPU updated them) counts too. Some
        // progress short of 1 ms is not that: sysmon, awake at both looks by chance, ran 0.25 ms
        // of the window on a loaded machine and made a clean exit look premature. Or preempted by
        // the Go scheduler: sysmon sends SIGURG to an M that ran one goroutine for 10 ms, and that
        // thread now waits in a ptrace stop while this runs.
        const bool active = now.state == 'R' || now.state == 't';
        const bool veteran = now.runNs >= kWorkerNs;
        const long long progress = (now.runNs - earlier) + (now.queuedNs - earlierQueued);
        const bool worked = progress >= kBusyNs;
        const bool stalled = earlierState == 'R' && now.state == 'R' && progress == 0;
        const bool preemptedWorker = now.state == 't' && preempted(static_cast<int>(parseNumber(now.tid)));
        if (veteran && ((active && worked) || stalled || preemptedWorker)) {
            ++running;
            firstRunning = firstRunning || parseNumber(now.tid) == firstThreadTid;
        } else if (now.state == 'D')
            ++inIo;
        else
            ++waiting;
    }
    return "other threads: " + std::to_string(running) + " running, " + std::to_string(inIo) + " in a system call, "
        + std::to_string(waiting) + " waiting" + (firstRunning ? exit_detail::kFirstThreadRunning : "");
}

LaunchContext ProcReader::selfContext()
{
    LaunchContext context;
    context.cwd = cwd(getpid());
    context.uid = getuid();
    context.gid = getgid();
    std::array<gid_t, 256> groups {};
    const int count = getgroups(static_cast<int>(groups.size()), groups.data());
    for (int i = 0; i < count; ++i)
        context.groups.push_back(groups[static_cast<std::size_t>(i)]);
    if (const passwd* entry = getpwuid(context.uid))
        context.user = entry->pw_name;
    const mode_t mask = umask(0);
    umask(mask);
    context.umask = mask;
    static constexpr std::pair<int, const char*> kLimits[] = {
        { RLIMIT_AS, "RLIMIT_AS" },
        { RLIMIT_CORE, "RLIMIT_CORE" },
        { RLIMIT_CPU, "RLIMIT_CPU" },
        { RLIMIT_DATA, "RLIMIT_DATA" },
        { RLIMIT_FSIZE, "RLIMIT_FSIZE" },
        { RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK" },
        { RLIMIT_NOFILE, "RLIMIT_NOFILE" },
        { RLIMIT_NPROC, "RLIMIT_NPROC" },
        { RLIMIT_RSS, "RLIMIT_RSS" },
        { RLIMIT_STACK, "RLIMIT_STACK" },
    };
    for (const auto& [resource, name] : kLimits) {
        rlimit limit {};
        if (getrlimit(resource, &limit) == 0)
            context.limits.push_back({ name, rlimitValue(limit.rlim_cur), rlimitValue(limit.rlim_max) });
    }
    context.cgroup = cgroupPath(getpid());
    ExitContext cgroupNow;
    cgroupMemory(context.cgroup, cgroupNow);
    context.cgroupMemoryLimit = cgroupNow.cgroupMemoryLimit;
    context.cgroupOomKillsAtLaunch = cgroupNow.cgroupOomKills;
    context.stdinIsTty = isatty(0) == 1;
    context.stdoutIsTty = isatty(1) == 1;
    context.stderrIsTty = isatty(2) == 1;
    std::array<char, 256> host {};
    if (gethostname(host.data(), host.size() - 1) == 0)
        context.hostname = host.data();
    utsname uts {};
    if (uname(&uts) == 0) {
        context.kernel = uts.release;
        context.machine = uts.machine;
    }
    return context;
}

} // namespace exitlens::linux_trace
