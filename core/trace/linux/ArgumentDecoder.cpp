#include "ArgumentDecoder.h"

#include "trace/Names.h"

// The kernel's own headers for flag values, because they describe the raw system call ABI we
// decode: glibc's <fcntl.h> defines O_LARGEFILE as 0 on 64-bit targets, yet the bit still
// reaches the kernel from 32-bit-minded code. They must not be mixed with glibc's <fcntl.h>,
// <sys/mman.h> or <sched.h>, which define the same names.
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

// glibc for the rest: signal codes, socket and rlimit constants, inet_ntop.
#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <span>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace exitlens::linux_decode {

namespace {

struct FlagName {
    std::uint64_t bits;
    std::string_view name;
};

struct ValueName {
    std::int64_t value;
    std::string_view name;
};

constexpr FlagName flagName(std::uint64_t bits, std::string_view name)
{
    return { bits, name };
}

constexpr ValueName valueName(std::int64_t value, std::string_view name)
{
    return { value, name };
}

// Stringizing keeps the table and the printed name from drifting apart.
#define EXITLENS_FLAG(x) flagName(static_cast<std::uint64_t>(x), #x)
#define EXITLENS_VALUE(x) valueName(static_cast<std::int64_t>(x), #x)

constexpr std::uint64_t kLow32 = 0xffffffffu;

// si_code values glibc 2.36 does not define yet. Their home, <asm-generic/siginfo.h>, cannot
// be included next to glibc's <signal.h> (it redefines SI_USER and friends), so the kernel's
// values are repeated here and used only when glibc lacks the name.
#ifndef SYS_SECCOMP
constexpr int SYS_SECCOMP = 1;
#endif
#ifndef SYS_USER_DISPATCH
constexpr int SYS_USER_DISPATCH = 2;
#endif
#ifndef TRAP_PERF
constexpr int TRAP_PERF = 6;
#endif

std::string hex(std::uint64_t value)
{
    char buffer[2 + 16];
    buffer[0] = '0';
    buffer[1] = 'x';
    const auto result = std::to_chars(buffer + 2, buffer + sizeof(buffer), value, 16);
    return { buffer, result.ptr };
}

void appendName(std::string& out, std::string_view name)
{
    if (!out.empty())
        out += '|';
    out += name;
}

// Appends every table entry whose bits are all set and clears them from remaining. An entry
// spanning several bits (O_SYNC, O_TMPFILE) must come before its single-bit part so the part
// is not printed again.
void appendFlags(std::string& out, std::uint64_t& remaining, std::span<const FlagName> table)
{
    for (const FlagName& flag : table) {
        if (flag.bits != 0 && (remaining & flag.bits) == flag.bits) {
            appendName(out, flag.name);
            remaining &= ~flag.bits;
        }
    }
}

// Unknown bits go out as hex so nothing the program passed is hidden.
std::string finishFlags(std::string out, std::uint64_t remaining, std::string_view whenEmpty)
{
    if (remaining != 0)
        appendName(out, hex(remaining));
    if (out.empty())
        out = whenEmpty;
    return out;
}

std::string lookup(std::int64_t value, std::span<const ValueName> table)
{
    const auto it = std::find_if(table.begin(), table.end(), [value](const ValueName& v) { return v.value == value; });
    if (it != table.end())
        return std::string(it->name);
    return std::to_string(value);
}

// Escapes bytes for a one-line preview. Backslash is escaped too, so "\x41" in the output
// always means one byte and never the four characters a program wrote.
void appendEscaped(std::string& out, std::string_view bytes, bool quoted)
{
    static constexpr char kHexDigits[] = "0123456789abcdef";
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '\n':
            out += "\\n";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '"':
            out += quoted ? "\\\"" : "\"";
            continue;
        default:
            break;
        }
        if (byte >= 0x20 && byte < 0x7f) {
            out += c;
        } else {
            out += "\\x";
            out += kHexDigits[byte >> 4];
            out += kHexDigits[byte & 0xf];
        }
    }
}

template<typename T> T readAt(const unsigned char* data, std::size_t offset)
{
    // The tracer's copy of tracee memory has no alignment guarantee.
    T value;
    std::memcpy(&value, data + offset, sizeof(T));
    return value;
}

std::string unixAddress(const unsigned char* data, std::size_t len)
{
    constexpr std::size_t pathOffset = offsetof(sockaddr_un, sun_path);
    // The kernel rejects longer addresses; never look past sun_path whatever len claims.
    const std::size_t pathLen = std::min(len, sizeof(sockaddr_un)) - pathOffset;
    if (pathLen == 0)
        return "unix:(unnamed)";

    const auto* path = reinterpret_cast<const char*>(data + pathOffset);
    std::string out = "unix:";
    if (path[0] == '\0') {
        // Abstract namespace: the name is exactly the remaining bytes, NULs included.
        out += '@';
        appendEscaped(out, std::string_view(path + 1, pathLen - 1), false);
        return out;
    }
    // A path fills sun_path without a terminator when it is exactly 108 bytes long.
    const void* nul = std::memchr(path, '\0', pathLen);
    const std::size_t length = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - path) : pathLen;
    appendEscaped(out, std::string_view(path, length), false);
    return out;
}

std::string inetAddress(const unsigned char* data)
{
    sockaddr_in address {};
    std::memcpy(&address, data, offsetof(sockaddr_in, sin_zero));
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address.sin_addr, text, sizeof(text));
    return std::string(text) + ':' + std::to_string(ntohs(address.sin_port));
}

std::string inet6Address(const unsigned char* data, std::size_t len)
{
    sockaddr_in6 address {};
    // sin6_scope_id arrived after RFC 2133; the kernel still accepts addresses without it, in
    // which case it stays zero here.
    std::memcpy(&address, data, std::min(len, sizeof(address)));
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &address.sin6_addr, text, sizeof(text));
    std::string out = "[";
    out += text;
    if (address.sin6_scope_id != 0)
        out += '%' + std::to_string(address.sin6_scope_id);
    out += "]:" + std::to_string(ntohs(address.sin6_port));
    return out;
}

std::string hugePageSize(unsigned log2Size)
{
    if (log2Size >= 30)
        return std::to_string(std::uint64_t { 1 } << (log2Size - 30)) + "GB";
    if (log2Size >= 20)
        return std::to_string(1u << (log2Size - 20)) + "MB";
    return std::to_string(1u << (log2Size - 10)) + "KB";
}

} // namespace

std::string openFlags(std::uint64_t flags)
{
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(O_CREAT), EXITLENS_FLAG(O_EXCL), EXITLENS_FLAG(O_NOCTTY), EXITLENS_FLAG(O_TRUNC),
        EXITLENS_FLAG(O_APPEND), EXITLENS_FLAG(O_NONBLOCK),
        EXITLENS_FLAG(O_SYNC), // includes the O_DSYNC bit
        EXITLENS_FLAG(O_DSYNC),
        EXITLENS_FLAG(O_TMPFILE), // includes the O_DIRECTORY bits
        EXITLENS_FLAG(O_DIRECTORY), EXITLENS_FLAG(O_NOFOLLOW), EXITLENS_FLAG(O_CLOEXEC), EXITLENS_FLAG(O_PATH),
        EXITLENS_FLAG(O_DIRECT), EXITLENS_FLAG(O_LARGEFILE), EXITLENS_FLAG(O_NOATIME),
        FlagName { FASYNC, "O_ASYNC" }, // the kernel header only spells it FASYNC
    };
    static constexpr std::string_view kAccessModes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
    static_assert(O_RDONLY == 0 && O_WRONLY == 1 && O_RDWR == 2 && O_ACCMODE == 3);

    std::uint64_t remaining = flags & kLow32; // int in the kernel
    std::string out(kAccessModes[remaining & O_ACCMODE]);
    remaining &= ~std::uint64_t { O_ACCMODE };
    appendFlags(out, remaining, kFlags);
    return finishFlags(std::move(out), remaining, {});
}

std::string fileMode(std::uint64_t mode)
{
    // umode_t is 16 bits in the kernel; open() without O_CREAT leaves garbage above that.
    char buffer[8];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), mode & 0xffffu, 8);
    const std::string_view digits(buffer, static_cast<std::size_t>(result.ptr - buffer));
    std::string out = "0";
    if (digits.size() < 3)
        out.append(3 - digits.size(), '0');
    out += digits;
    return out;
}

std::string accessMode(std::uint64_t mode)
{
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(R_OK),
        EXITLENS_FLAG(W_OK),
        EXITLENS_FLAG(X_OK),
    };
    std::uint64_t remaining = mode & kLow32;
    std::string out;
    appendFlags(out, remaining, kFlags);
    return finishFlags(std::move(out), remaining, "F_OK");
}

std::string atFlags(std::uint64_t flags, AtFlagsUse use)
{
    static_assert(AT_REMOVEDIR == AT_EACCESS);
    static constexpr std::string_view kSharedBitNames[] = { "AT_EACCESS/AT_REMOVEDIR", "AT_REMOVEDIR", "AT_EACCESS" };
    const FlagName flagsTable[] = {
        EXITLENS_FLAG(AT_SYMLINK_NOFOLLOW),
        FlagName { AT_REMOVEDIR, kSharedBitNames[static_cast<int>(use)] },
        EXITLENS_FLAG(AT_SYMLINK_FOLLOW),
        EXITLENS_FLAG(AT_NO_AUTOMOUNT),
        EXITLENS_FLAG(AT_EMPTY_PATH),
        EXITLENS_FLAG(AT_STATX_FORCE_SYNC),
        EXITLENS_FLAG(AT_STATX_DONT_SYNC),
        EXITLENS_FLAG(AT_RECURSIVE),
    };
    std::uint64_t remaining = flags & kLow32;
    std::string out;
    appendFlags(out, remaining, flagsTable);
    return finishFlags(std::move(out), remaining, "0");
}

std::string dirfd(std::int64_t fd)
{
    // The kernel reads an int; the upper half of the register is not part of the value.
    const auto value = static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(fd)));
    if (value == AT_FDCWD)
        return "AT_FDCWD";
    return std::to_string(value);
}

std::string renameFlags(std::uint64_t flags)
{
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(RENAME_NOREPLACE),
        EXITLENS_FLAG(RENAME_EXCHANGE),
        EXITLENS_FLAG(RENAME_WHITEOUT),
    };
    std::uint64_t remaining = flags & kLow32;
    std::string out;
    appendFlags(out, remaining, kFlags);
    return finishFlags(std::move(out), remaining, "0");
}

std::string mmapProt(std::uint64_t prot)
{
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(PROT_READ),
        EXITLENS_FLAG(PROT_WRITE),
        EXITLENS_FLAG(PROT_EXEC),
        EXITLENS_FLAG(PROT_SEM),
        EXITLENS_FLAG(PROT_GROWSDOWN),
        EXITLENS_FLAG(PROT_GROWSUP),
    };
    std::uint64_t remaining = prot;
    std::string out;
    appendFlags(out, remaining, kFlags);
    return finishFlags(std::move(out), remaining, "PROT_NONE");
}

std::string mmapFlags(std::uint64_t flags)
{
    // MAP_ANONYMOUS before MAP_FIXED: "is there a file behind it" reads first.
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(MAP_ANONYMOUS),
        EXITLENS_FLAG(MAP_FIXED),
        EXITLENS_FLAG(MAP_32BIT),
        EXITLENS_FLAG(MAP_GROWSDOWN),
        EXITLENS_FLAG(MAP_DENYWRITE),
        EXITLENS_FLAG(MAP_EXECUTABLE),
        EXITLENS_FLAG(MAP_LOCKED),
        EXITLENS_FLAG(MAP_NORESERVE),
        EXITLENS_FLAG(MAP_POPULATE),
        EXITLENS_FLAG(MAP_NONBLOCK),
        EXITLENS_FLAG(MAP_STACK),
        EXITLENS_FLAG(MAP_HUGETLB),
        EXITLENS_FLAG(MAP_SYNC),
        EXITLENS_FLAG(MAP_FIXED_NOREPLACE),
    };
    static constexpr ValueName kTypes[] = {
        EXITLENS_VALUE(MAP_SHARED),
        EXITLENS_VALUE(MAP_PRIVATE),
        EXITLENS_VALUE(MAP_SHARED_VALIDATE),
    };

    std::uint64_t remaining = flags;
    std::string out;
    const std::uint64_t type = remaining & MAP_TYPE;
    for (const ValueName& name : kTypes) {
        if (static_cast<std::uint64_t>(name.value) == type) {
            out = name.name;
            remaining &= ~std::uint64_t { MAP_TYPE };
        }
    }
    appendFlags(out, remaining, kFlags);

    // With MAP_HUGETLB the bits from MAP_HUGE_SHIFT up hold log2 of the page size; without it
    // the lowest of them means MAP_UNINITIALIZED.
    constexpr std::uint64_t hugeMask = std::uint64_t { MAP_HUGE_MASK } << MAP_HUGE_SHIFT;
    const auto log2Size = static_cast<unsigned>((remaining & hugeMask) >> MAP_HUGE_SHIFT);
    if ((flags & MAP_HUGETLB) != 0 && log2Size >= 10) {
        appendName(out, "MAP_HUGE_" + hugePageSize(log2Size));
        remaining &= ~hugeMask;
    } else if ((flags & MAP_HUGETLB) == 0 && (remaining & MAP_UNINITIALIZED) != 0) {
        appendName(out, "MAP_UNINITIALIZED");
        remaining &= ~std::uint64_t { MAP_UNINITIALIZED };
    }
    return finishFlags(std::move(out), remaining, "0");
}

std::string cloneFlags(std::uint64_t flags, CloneSyscall syscall)
{
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(CLONE_NEWTIME), // only reached for clone3, where CSIGNAL bits are flags
        EXITLENS_FLAG(CLONE_VM),
        EXITLENS_FLAG(CLONE_FS),
        EXITLENS_FLAG(CLONE_FILES),
        EXITLENS_FLAG(CLONE_SIGHAND),
        EXITLENS_FLAG(CLONE_PIDFD),
        EXITLENS_FLAG(CLONE_PTRACE),
        EXITLENS_FLAG(CLONE_VFORK),
        EXITLENS_FLAG(CLONE_PARENT),
        EXITLENS_FLAG(CLONE_THREAD),
        EXITLENS_FLAG(CLONE_NEWNS),
        EXITLENS_FLAG(CLONE_SYSVSEM),
        EXITLENS_FLAG(CLONE_SETTLS),
        EXITLENS_FLAG(CLONE_PARENT_SETTID),
        EXITLENS_FLAG(CLONE_CHILD_CLEARTID),
        EXITLENS_FLAG(CLONE_DETACHED),
        EXITLENS_FLAG(CLONE_UNTRACED),
        EXITLENS_FLAG(CLONE_CHILD_SETTID),
        EXITLENS_FLAG(CLONE_NEWCGROUP),
        EXITLENS_FLAG(CLONE_NEWUTS),
        EXITLENS_FLAG(CLONE_NEWIPC),
        EXITLENS_FLAG(CLONE_NEWUSER),
        EXITLENS_FLAG(CLONE_NEWPID),
        EXITLENS_FLAG(CLONE_NEWNET),
        EXITLENS_FLAG(CLONE_IO),
        EXITLENS_FLAG(CLONE_CLEAR_SIGHAND),
        EXITLENS_FLAG(CLONE_INTO_CGROUP),
    };

    std::uint64_t remaining = flags;
    std::uint64_t exitSignal = 0;
    if (syscall == CloneSyscall::Clone) {
        // Legacy clone() only looks at the low 32 bits, and the low byte is the exit signal.
        remaining &= kLow32;
        exitSignal = remaining & CSIGNAL;
        remaining &= ~std::uint64_t { CSIGNAL };
    }
    std::string out;
    appendFlags(out, remaining, kFlags);
    if (exitSignal != 0) {
        const std::string name = signalName(static_cast<int>(exitSignal));
        if (name.starts_with("SIG")) {
            appendName(out, name);
        } else {
            remaining |= exitSignal; // not a signal: show the raw bits rather than "signal 200"
        }
    }
    return finishFlags(std::move(out), remaining, "0");
}

std::string siCode(int signo, int code)
{
    static constexpr ValueName kGeneric[] = {
        EXITLENS_VALUE(SI_USER),
        EXITLENS_VALUE(SI_KERNEL),
        EXITLENS_VALUE(SI_QUEUE),
        EXITLENS_VALUE(SI_TIMER),
        EXITLENS_VALUE(SI_MESGQ),
        EXITLENS_VALUE(SI_ASYNCIO),
        EXITLENS_VALUE(SI_SIGIO),
        EXITLENS_VALUE(SI_TKILL),
        EXITLENS_VALUE(SI_DETHREAD),
        EXITLENS_VALUE(SI_ASYNCNL),
    };
    static constexpr ValueName kIll[] = {
        EXITLENS_VALUE(ILL_ILLOPC),
        EXITLENS_VALUE(ILL_ILLOPN),
        EXITLENS_VALUE(ILL_ILLADR),
        EXITLENS_VALUE(ILL_ILLTRP),
        EXITLENS_VALUE(ILL_PRVOPC),
        EXITLENS_VALUE(ILL_PRVREG),
        EXITLENS_VALUE(ILL_COPROC),
        EXITLENS_VALUE(ILL_BADSTK),
        EXITLENS_VALUE(ILL_BADIADDR),
    };
    static constexpr ValueName kFpe[] = {
        EXITLENS_VALUE(FPE_INTDIV),
        EXITLENS_VALUE(FPE_INTOVF),
        EXITLENS_VALUE(FPE_FLTDIV),
        EXITLENS_VALUE(FPE_FLTOVF),
        EXITLENS_VALUE(FPE_FLTUND),
        EXITLENS_VALUE(FPE_FLTRES),
        EXITLENS_VALUE(FPE_FLTINV),
        EXITLENS_VALUE(FPE_FLTSUB),
        EXITLENS_VALUE(FPE_FLTUNK),
        EXITLENS_VALUE(FPE_CONDTRAP),
    };
    static constexpr ValueName kSegv[] = {
        EXITLENS_VALUE(SEGV_MAPERR),
        EXITLENS_VALUE(SEGV_ACCERR),
        EXITLENS_VALUE(SEGV_BNDERR),
        EXITLENS_VALUE(SEGV_PKUERR),
        EXITLENS_VALUE(SEGV_ACCADI),
        EXITLENS_VALUE(SEGV_ADIDERR),
        EXITLENS_VALUE(SEGV_ADIPERR),
        EXITLENS_VALUE(SEGV_MTEAERR),
        EXITLENS_VALUE(SEGV_MTESERR),
#ifdef SEGV_CPERR
        EXITLENS_VALUE(SEGV_CPERR),
#endif
    };
    static constexpr ValueName kBus[] = {
        EXITLENS_VALUE(BUS_ADRALN),
        EXITLENS_VALUE(BUS_ADRERR),
        EXITLENS_VALUE(BUS_OBJERR),
        EXITLENS_VALUE(BUS_MCEERR_AR),
        EXITLENS_VALUE(BUS_MCEERR_AO),
    };
    static constexpr ValueName kTrap[] = {
        EXITLENS_VALUE(TRAP_BRKPT),
        EXITLENS_VALUE(TRAP_TRACE),
        EXITLENS_VALUE(TRAP_BRANCH),
        EXITLENS_VALUE(TRAP_HWBKPT),
        EXITLENS_VALUE(TRAP_UNK),
        EXITLENS_VALUE(TRAP_PERF),
    };
    static constexpr ValueName kChld[] = {
        EXITLENS_VALUE(CLD_EXITED),
        EXITLENS_VALUE(CLD_KILLED),
        EXITLENS_VALUE(CLD_DUMPED),
        EXITLENS_VALUE(CLD_TRAPPED),
        EXITLENS_VALUE(CLD_STOPPED),
        EXITLENS_VALUE(CLD_CONTINUED),
    };
    static constexpr ValueName kPoll[] = {
        EXITLENS_VALUE(POLL_IN),
        EXITLENS_VALUE(POLL_OUT),
        EXITLENS_VALUE(POLL_MSG),
        EXITLENS_VALUE(POLL_ERR),
        EXITLENS_VALUE(POLL_PRI),
        EXITLENS_VALUE(POLL_HUP),
    };
    static constexpr ValueName kSys[] = {
        EXITLENS_VALUE(SYS_SECCOMP),
        EXITLENS_VALUE(SYS_USER_DISPATCH),
    };

    // Codes <= 0 (and SI_KERNEL) mean the same for every signal; positive ones are per signal.
    if (code <= 0 || code == SI_KERNEL)
        return lookup(code, kGeneric);
    switch (signo) {
    case SIGILL:
        return lookup(code, kIll);
    case SIGFPE:
        return lookup(code, kFpe);
    case SIGSEGV:
        return lookup(code, kSegv);
    case SIGBUS:
        return lookup(code, kBus);
    case SIGTRAP:
        return lookup(code, kTrap);
    case SIGCHLD:
        return lookup(code, kChld);
    case SIGPOLL:
        return lookup(code, kPoll);
    case SIGSYS:
        return lookup(code, kSys);
    default:
        return std::to_string(code);
    }
}

std::string socketDomain(int domain)
{
    static constexpr ValueName kDomains[] = {
        EXITLENS_VALUE(AF_UNSPEC),
        EXITLENS_VALUE(AF_UNIX),
        EXITLENS_VALUE(AF_INET),
        EXITLENS_VALUE(AF_INET6),
        EXITLENS_VALUE(AF_NETLINK),
        EXITLENS_VALUE(AF_PACKET),
        EXITLENS_VALUE(AF_KEY),
        EXITLENS_VALUE(AF_APPLETALK),
        EXITLENS_VALUE(AF_IPX),
        EXITLENS_VALUE(AF_X25),
        EXITLENS_VALUE(AF_RDS),
        EXITLENS_VALUE(AF_LLC),
        EXITLENS_VALUE(AF_IB),
        EXITLENS_VALUE(AF_MPLS),
        EXITLENS_VALUE(AF_CAN),
        EXITLENS_VALUE(AF_TIPC),
        EXITLENS_VALUE(AF_BLUETOOTH),
        EXITLENS_VALUE(AF_ALG),
        EXITLENS_VALUE(AF_NFC),
        EXITLENS_VALUE(AF_VSOCK),
        EXITLENS_VALUE(AF_KCM),
        EXITLENS_VALUE(AF_QIPCRTR),
        EXITLENS_VALUE(AF_SMC),
        EXITLENS_VALUE(AF_XDP),
#ifdef AF_MCTP
        EXITLENS_VALUE(AF_MCTP),
#endif
    };
    return lookup(domain, kDomains);
}

std::string socketType(std::uint64_t type)
{
    static constexpr ValueName kTypes[] = {
        EXITLENS_VALUE(SOCK_STREAM),
        EXITLENS_VALUE(SOCK_DGRAM),
        EXITLENS_VALUE(SOCK_RAW),
        EXITLENS_VALUE(SOCK_RDM),
        EXITLENS_VALUE(SOCK_SEQPACKET),
        EXITLENS_VALUE(SOCK_DCCP),
        EXITLENS_VALUE(SOCK_PACKET),
    };
    static constexpr FlagName kFlags[] = {
        EXITLENS_FLAG(SOCK_CLOEXEC),
        EXITLENS_FLAG(SOCK_NONBLOCK),
    };
    // The kernel's SOCK_TYPE_MASK (include/linux/net.h, not exported to user space).
    constexpr std::uint64_t typeMask = 0xf;

    std::uint64_t remaining = type & kLow32;
    std::string out = lookup(static_cast<std::int64_t>(remaining & typeMask), kTypes);
    remaining &= ~typeMask;
    appendFlags(out, remaining, kFlags);
    return finishFlags(std::move(out), remaining, {});
}

std::string sockaddr(const void* data, std::size_t len)
{
    if (data == nullptr || len == 0)
        return "(empty)";
    if (len < sizeof(sa_family_t))
        return "(truncated, " + std::to_string(len) + " byte)";

    const auto* bytes = static_cast<const unsigned char*>(data);
    const auto family = readAt<sa_family_t>(bytes, 0);
    switch (family) {
    case AF_UNIX:
        return unixAddress(bytes, len);
    case AF_INET:
        // sin_zero is padding; the kernel only needs the fields before it.
        if (len >= offsetof(sockaddr_in, sin_zero))
            return inetAddress(bytes);
        break;
    case AF_INET6:
        if (len >= offsetof(sockaddr_in6, sin6_scope_id))
            return inet6Address(bytes, len);
        break;
    case AF_NETLINK:
        return "netlink";
    default:
        break;
    }
    std::string name = socketDomain(family);
    if (!name.starts_with("AF_"))
        name = "family " + name;
    return name + '(' + std::to_string(len) + ')';
}

std::string rlimitResource(int resource)
{
    static constexpr ValueName kResources[] = {
        EXITLENS_VALUE(RLIMIT_CPU),
        EXITLENS_VALUE(RLIMIT_FSIZE),
        EXITLENS_VALUE(RLIMIT_DATA),
        EXITLENS_VALUE(RLIMIT_STACK),
        EXITLENS_VALUE(RLIMIT_CORE),
        EXITLENS_VALUE(RLIMIT_RSS),
        EXITLENS_VALUE(RLIMIT_NPROC),
        EXITLENS_VALUE(RLIMIT_NOFILE),
        EXITLENS_VALUE(RLIMIT_MEMLOCK),
        EXITLENS_VALUE(RLIMIT_AS),
        EXITLENS_VALUE(RLIMIT_LOCKS),
        EXITLENS_VALUE(RLIMIT_SIGPENDING),
        EXITLENS_VALUE(RLIMIT_MSGQUEUE),
        EXITLENS_VALUE(RLIMIT_NICE),
        EXITLENS_VALUE(RLIMIT_RTPRIO),
        EXITLENS_VALUE(RLIMIT_RTTIME),
    };
    return lookup(resource, kResources);
}

std::string rlimitValue(std::uint64_t value)
{
    if (value == static_cast<std::uint64_t>(RLIM64_INFINITY))
        return "RLIM_INFINITY";
    return std::to_string(value);
}

std::string prctlOption(int option)
{
    static constexpr ValueName kOptions[] = {
        EXITLENS_VALUE(PR_SET_PDEATHSIG),
        EXITLENS_VALUE(PR_GET_PDEATHSIG),
        EXITLENS_VALUE(PR_GET_DUMPABLE),
        EXITLENS_VALUE(PR_SET_DUMPABLE),
        EXITLENS_VALUE(PR_GET_UNALIGN),
        EXITLENS_VALUE(PR_SET_UNALIGN),
        EXITLENS_VALUE(PR_GET_KEEPCAPS),
        EXITLENS_VALUE(PR_SET_KEEPCAPS),
        EXITLENS_VALUE(PR_GET_FPEMU),
        EXITLENS_VALUE(PR_SET_FPEMU),
        EXITLENS_VALUE(PR_GET_FPEXC),
        EXITLENS_VALUE(PR_SET_FPEXC),
        EXITLENS_VALUE(PR_GET_TIMING),
        EXITLENS_VALUE(PR_SET_TIMING),
        EXITLENS_VALUE(PR_SET_NAME),
        EXITLENS_VALUE(PR_GET_NAME),
        EXITLENS_VALUE(PR_GET_ENDIAN),
        EXITLENS_VALUE(PR_SET_ENDIAN),
        EXITLENS_VALUE(PR_GET_SECCOMP),
        EXITLENS_VALUE(PR_SET_SECCOMP),
        EXITLENS_VALUE(PR_CAPBSET_READ),
        EXITLENS_VALUE(PR_CAPBSET_DROP),
        EXITLENS_VALUE(PR_GET_TSC),
        EXITLENS_VALUE(PR_SET_TSC),
        EXITLENS_VALUE(PR_GET_SECUREBITS),
        EXITLENS_VALUE(PR_SET_SECUREBITS),
        EXITLENS_VALUE(PR_SET_TIMERSLACK),
        EXITLENS_VALUE(PR_GET_TIMERSLACK),
        EXITLENS_VALUE(PR_TASK_PERF_EVENTS_DISABLE),
        EXITLENS_VALUE(PR_TASK_PERF_EVENTS_ENABLE),
        EXITLENS_VALUE(PR_MCE_KILL),
        EXITLENS_VALUE(PR_MCE_KILL_GET),
        EXITLENS_VALUE(PR_SET_MM),
        EXITLENS_VALUE(PR_SET_PTRACER),
        EXITLENS_VALUE(PR_SET_CHILD_SUBREAPER),
        EXITLENS_VALUE(PR_GET_CHILD_SUBREAPER),
        EXITLENS_VALUE(PR_SET_NO_NEW_PRIVS),
        EXITLENS_VALUE(PR_GET_NO_NEW_PRIVS),
        EXITLENS_VALUE(PR_GET_TID_ADDRESS),
        EXITLENS_VALUE(PR_SET_THP_DISABLE),
        EXITLENS_VALUE(PR_GET_THP_DISABLE),
        EXITLENS_VALUE(PR_MPX_ENABLE_MANAGEMENT),
        EXITLENS_VALUE(PR_MPX_DISABLE_MANAGEMENT),
        EXITLENS_VALUE(PR_SET_FP_MODE),
        EXITLENS_VALUE(PR_GET_FP_MODE),
        EXITLENS_VALUE(PR_CAP_AMBIENT),
        EXITLENS_VALUE(PR_SVE_SET_VL),
        EXITLENS_VALUE(PR_SVE_GET_VL),
        EXITLENS_VALUE(PR_GET_SPECULATION_CTRL),
        EXITLENS_VALUE(PR_SET_SPECULATION_CTRL),
        EXITLENS_VALUE(PR_PAC_RESET_KEYS),
        EXITLENS_VALUE(PR_SET_TAGGED_ADDR_CTRL),
        EXITLENS_VALUE(PR_GET_TAGGED_ADDR_CTRL),
        EXITLENS_VALUE(PR_SET_IO_FLUSHER),
        EXITLENS_VALUE(PR_GET_IO_FLUSHER),
#ifdef PR_SET_SYSCALL_USER_DISPATCH
        EXITLENS_VALUE(PR_SET_SYSCALL_USER_DISPATCH),
#endif
#ifdef PR_PAC_SET_ENABLED_KEYS
        EXITLENS_VALUE(PR_PAC_SET_ENABLED_KEYS),
        EXITLENS_VALUE(PR_PAC_GET_ENABLED_KEYS),
#endif
#ifdef PR_SCHED_CORE
        EXITLENS_VALUE(PR_SCHED_CORE),
#endif
#ifdef PR_SME_SET_VL
        EXITLENS_VALUE(PR_SME_SET_VL),
        EXITLENS_VALUE(PR_SME_GET_VL),
#endif
#ifdef PR_SET_MDWE
        EXITLENS_VALUE(PR_SET_MDWE),
        EXITLENS_VALUE(PR_GET_MDWE),
#endif
#ifdef PR_SET_VMA
        EXITLENS_VALUE(PR_SET_VMA),
#endif
#ifdef PR_GET_AUXV
        EXITLENS_VALUE(PR_GET_AUXV),
#endif
    };
    return lookup(option, kOptions);
}

std::string seccompOperation(unsigned operation)
{
    static constexpr ValueName kOperations[] = {
        EXITLENS_VALUE(SECCOMP_SET_MODE_STRICT),
        EXITLENS_VALUE(SECCOMP_SET_MODE_FILTER),
        EXITLENS_VALUE(SECCOMP_GET_ACTION_AVAIL),
        EXITLENS_VALUE(SECCOMP_GET_NOTIF_SIZES),
    };
    return lookup(operation, kOperations);
}

std::string printableBytes(std::string_view bytes, std::size_t maxLen)
{
    const bool truncated = bytes.size() > maxLen;
    std::string out = "\"";
    appendEscaped(out, bytes.substr(0, maxLen), true);
    out += '"';
    if (truncated)
        out += "...";
    return out;
}

#undef EXITLENS_FLAG
#undef EXITLENS_VALUE

} // namespace exitlens::linux_decode
