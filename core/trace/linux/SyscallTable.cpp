#include "SyscallTable.h"

#include <array>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <seccomp.h>
#include <string>
#include <sys/syscall.h>
#include <unordered_map>

namespace exitlens::linux_trace {

namespace {
using C = EventClass;
using F = FilterCheck;

// clang-format off
    constexpr std::array kFocused = {
        // process lifecycle
        SyscallInfo { SYS_execve, "execve", C::Process, true, F::None },
        SyscallInfo { SYS_execveat, "execveat", C::Process, true, F::None },
        SyscallInfo { SYS_clone, "clone", C::Process, true, F::None },
        SyscallInfo { SYS_clone3, "clone3", C::Process, true, F::None },
        SyscallInfo { SYS_fork, "fork", C::Process, true, F::None },
        SyscallInfo { SYS_vfork, "vfork", C::Process, true, F::None },
        SyscallInfo { SYS_exit, "exit", C::Thread, false, F::None },
        SyscallInfo { SYS_exit_group, "exit_group", C::Process, false, F::None },
        SyscallInfo { SYS_prctl, "prctl", C::Process, true, F::None },
        SyscallInfo { SYS_seccomp, "seccomp", C::Process, true, F::None },
        SyscallInfo { SYS_setrlimit, "setrlimit", C::Process, true, F::None },
        SyscallInfo { SYS_prlimit64, "prlimit64", C::Process, true, F::Arg2IsNotNull },
        // signals sent
        SyscallInfo { SYS_kill, "kill", C::Signal, true, F::None },
        SyscallInfo { SYS_tkill, "tkill", C::Signal, true, F::None },
        SyscallInfo { SYS_tgkill, "tgkill", C::Signal, true, F::Arg2IsNotSigurg },
        SyscallInfo { SYS_pidfd_send_signal, "pidfd_send_signal", C::Signal, true, F::None },
        // files
        SyscallInfo { SYS_open, "open", C::File, true, F::None },
        SyscallInfo { SYS_openat, "openat", C::File, true, F::None },
        SyscallInfo { SYS_openat2, "openat2", C::File, true, F::None },
        SyscallInfo { SYS_creat, "creat", C::File, true, F::None },
        SyscallInfo { SYS_stat, "stat", C::File, true, F::None },
        SyscallInfo { SYS_lstat, "lstat", C::File, true, F::None },
        SyscallInfo { SYS_newfstatat, "newfstatat", C::File, true, F::Arg3LacksEmptyPath },
        SyscallInfo { SYS_statx, "statx", C::File, true, F::Arg2LacksEmptyPath },
        SyscallInfo { SYS_access, "access", C::File, true, F::None },
        SyscallInfo { SYS_faccessat, "faccessat", C::File, true, F::None },
        SyscallInfo { SYS_faccessat2, "faccessat2", C::File, true, F::None },
        SyscallInfo { SYS_readlink, "readlink", C::File, true, F::None },
        SyscallInfo { SYS_readlinkat, "readlinkat", C::File, true, F::None },
        SyscallInfo { SYS_unlink, "unlink", C::File, true, F::None },
        SyscallInfo { SYS_unlinkat, "unlinkat", C::File, true, F::None },
        SyscallInfo { SYS_rename, "rename", C::File, true, F::None },
        SyscallInfo { SYS_renameat, "renameat", C::File, true, F::None },
        SyscallInfo { SYS_renameat2, "renameat2", C::File, true, F::None },
        SyscallInfo { SYS_mkdir, "mkdir", C::File, true, F::None },
        SyscallInfo { SYS_mkdirat, "mkdirat", C::File, true, F::None },
        SyscallInfo { SYS_rmdir, "rmdir", C::File, true, F::None },
        SyscallInfo { SYS_chdir, "chdir", C::File, true, F::None },
        SyscallInfo { SYS_fchdir, "fchdir", C::File, true, F::None },
        SyscallInfo { SYS_close, "close", C::File, true, F::Arg0IsStdio },
        SyscallInfo { SYS_dup2, "dup2", C::File, true, F::Arg1IsStdio },
        SyscallInfo { SYS_dup3, "dup3", C::File, true, F::Arg1IsStdio },
        // network
        SyscallInfo { SYS_socket, "socket", C::Network, true, F::None },
        SyscallInfo { SYS_connect, "connect", C::Network, true, F::None },
        SyscallInfo { SYS_bind, "bind", C::Network, true, F::None },
        SyscallInfo { SYS_listen, "listen", C::Network, true, F::None },
        SyscallInfo { SYS_accept, "accept", C::Network, true, F::None },
        SyscallInfo { SYS_accept4, "accept4", C::Network, true, F::None },
        SyscallInfo { SYS_getsockopt, "getsockopt", C::Network, true, F::Arg1IsSocketError },
        // memory: only the result matters (ENOMEM under an address-space limit), and only for new
        // anonymous mappings; the loader's file mappings and Go's MAP_FIXED commits never stop.
        SyscallInfo { SYS_mmap, "mmap", C::Memory, true, F::AnonymousNotFixed },
        // output: the bytes a program writes to its stdout and stderr, even if nobody reads them
        SyscallInfo { SYS_write, "write", C::Output, true, F::Arg0IsStdoutOrStderr },
        SyscallInfo { SYS_writev, "writev", C::Output, true, F::Arg0IsStdoutOrStderr },
    };
// clang-format on

// Coarse classes for the calls only full mode records.
EventClass classifyOther(std::string_view name)
{
    auto has = [&](std::string_view part) { return name.find(part) != std::string_view::npos; };
    if (has("sock") || has("send") || has("recv") || has("shutdown") || has("getpeername"))
        return C::Network;
    if (has("mmap") || has("munmap") || has("mprotect") || has("madvise") || has("brk") || has("mremap") || has("mlock")
        || has("membarrier"))
        return C::Memory;
    if (has("sig") || has("pause"))
        return C::Signal;
    if (has("futex") || has("sched_") || has("nanosleep") || has("clock_") || has("epoll") || has("poll")
        || has("select") || has("gettid") || has("getpid") || has("getrandom") || has("time"))
        return C::Runtime;
    if (has("read") || has("write") || has("stat") || has("open") || has("close") || has("dup") || has("fcntl")
        || has("ioctl") || has("seek") || has("sync") || has("trunc") || has("xattr") || has("chmod") || has("chown")
        || has("link") || has("getdents") || has("pipe") || has("fadvise") || has("fallocate") || has("inotify")
        || has("getcwd") || has("utime") || has("sendfile") || has("splice") || has("copy_file_range"))
        return C::File;
    return C::Process;
}
} // namespace

std::span<const SyscallInfo> focusedSyscalls()
{
    return kFocused;
}

const SyscallInfo& syscallInfo(int number)
{
    // Built once; afterwards only read. Full mode asks for every syscall number it sees.
    static std::mutex mutex;
    static std::unordered_map<int, SyscallInfo> table;
    static std::deque<std::string> names; // stable storage for the string_views
    std::lock_guard lock(mutex);
    if (table.empty()) {
        for (const auto& info : kFocused)
            table.emplace(info.number, info);
    }
    if (auto it = table.find(number); it != table.end())
        return it->second;
    char* resolved = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, number);
    names.emplace_back(resolved ? resolved : "syscall_" + std::to_string(number));
    std::free(resolved);
    const std::string_view name = names.back();
    return table.emplace(number, SyscallInfo { number, name, classifyOther(name), true, F::None }).first->second;
}

bool isCloneFamily(int number)
{
    return number == SYS_clone || number == SYS_clone3 || number == SYS_fork || number == SYS_vfork;
}

bool isExecFamily(int number)
{
    return number == SYS_execve || number == SYS_execveat;
}

} // namespace exitlens::linux_trace
