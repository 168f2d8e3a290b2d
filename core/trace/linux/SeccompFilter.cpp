#include "SeccompFilter.h"

#include "SyscallTable.h"

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <memory>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace exitlens::linux_trace {

namespace {
struct ContextDeleter {
    void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

constexpr scmp_datum_t kLargeMapping = scmp_datum_t(64) << 20; // 64 MiB

int addRule(scmp_filter_ctx ctx, const SyscallInfo& info)
{
    const std::uint32_t action = SCMP_ACT_TRACE(0);
    switch (info.check) {
    case FilterCheck::None:
        return seccomp_rule_add(ctx, action, info.number, 0);
    case FilterCheck::Arg0IsStdoutOrStderr: {
        const int rc = seccomp_rule_add(ctx, action, info.number, 1, SCMP_A0(SCMP_CMP_EQ, 1));
        return rc != 0 ? rc : seccomp_rule_add(ctx, action, info.number, 1, SCMP_A0(SCMP_CMP_EQ, 2));
    }
    case FilterCheck::Arg0IsStdio:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A0(SCMP_CMP_LE, 2));
    case FilterCheck::Arg1IsStdio:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A1(SCMP_CMP_LE, 2));
    case FilterCheck::Arg2IsNotSigurg:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A2(SCMP_CMP_NE, SIGURG));
    case FilterCheck::Arg2IsNotNull:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A2(SCMP_CMP_NE, 0));
    case FilterCheck::AnonymousNotFixed: {
        // fd is an int: glibc sign-extends -1, Go's runtime zero-extends it, so compare the low 32 bits.
        const int rc = seccomp_rule_add(ctx, action, info.number, 2, SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED, 0),
            SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0xffffffffu));
        // And every large mapping, whatever its flags (a file mapped whole, a MAP_FIXED arena):
        // those are the ones an RLIMIT_AS refuses.
        return rc != 0 ? rc : seccomp_rule_add(ctx, action, info.number, 1, SCMP_A1(SCMP_CMP_GE, kLargeMapping));
    }
    case FilterCheck::Arg3LacksEmptyPath:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0));
    case FilterCheck::Arg2LacksEmptyPath:
        return seccomp_rule_add(ctx, action, info.number, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0));
    case FilterCheck::Arg1IsSocketError:
        return seccomp_rule_add(
            ctx, action, info.number, 2, SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET), SCMP_A2(SCMP_CMP_EQ, SO_ERROR));
    }
    return -EINVAL;
}
} // namespace

bool SeccompFilter::build(
    const CaptureClasses& classes, const std::optional<ExecutableText>& rootText, std::string& error)
{
    m_program.clear();
    m_exitGroupProgram.clear();
    m_syscallCount = 0;
    if (rootText)
        buildExitGroupProgram(*rootText);
    Context ctx(seccomp_init(SCMP_ACT_ALLOW));
    if (!ctx) {
        error = "libseccomp could not create a filter";
        return false;
    }
    // Native architecture only: a 32-bit syscall from an x86_64 process is not ours to decode,
    // so it passes unseen, as with strace --seccomp-bpf.
    for (const auto& info : focusedSyscalls()) {
        // exit_group stops whatever the classes: it is where a process's exit context is read. With
        // the launched program's code known, the second program decides instead.
        const bool exitGroup = info.number == SYS_exit_group;
        if (exitGroup ? !m_exitGroupProgram.empty() : !classes.has(info.cls))
            continue;
        const int rc = addRule(ctx.get(), info);
        if (rc != 0) {
            error = "libseccomp refused a rule for " + std::string(info.name) + ": " + std::strerror(-rc);
            return false;
        }
        ++m_syscallCount;
    }
    // libseccomp 2.5 can export only to a file descriptor; a memfd keeps it off the disk.
    const int fd = memfd_create("exitlens-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        error = std::string("memfd_create failed: ") + std::strerror(errno);
        return false;
    }
    const int rc = seccomp_export_bpf(ctx.get(), fd);
    if (rc != 0) {
        close(fd);
        error = std::string("libseccomp could not export the filter: ") + std::strerror(-rc);
        return false;
    }
    const off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
        close(fd);
        error = "libseccomp exported a malformed filter";
        return false;
    }
    m_program.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
    const ssize_t got = pread(fd, m_program.data(), static_cast<std::size_t>(size), 0);
    close(fd);
    if (got != size) {
        error = "could not read back the seccomp filter";
        return false;
    }
    m_fprog.len = static_cast<unsigned short>(m_program.size());
    m_fprog.filter = m_program.data();
    return true;
}

void SeccompFilter::buildExitGroupProgram(const ExecutableText& rootText)
{
    // exit_group(0) from a child that runs another program (the /bin/true of an os/exec loop) is
    // a clean exit whose status wait() reports anyway: letting it pass saves a ptrace round trip
    // per child. A failing exit_group still stops anywhere (its exit context explains the
    // failure), and so does the launched program's own exit_group(0), where a premature exit is
    // diagnosed from its other threads and Go stack. Telling the launched program's call from a
    // child's takes the instruction pointer, which libseccomp cannot compare: hence this small
    // hand-written program beside libseccomp's. The kernel runs both and takes the stronger
    // action (TRACE over ALLOW), so each decides only its own syscalls.
    const std::uint64_t last = rootText.end - 1;
    if (rootText.end <= rootText.begin || (rootText.begin >> 32) != (last >> 32))
        return; // code straddling a 4 GiB boundary: keep the plain rule
    constexpr std::uint32_t kArch = offsetof(seccomp_data, arch);
    constexpr std::uint32_t kNr = offsetof(seccomp_data, nr);
    constexpr std::uint32_t kStatusLow = offsetof(seccomp_data, args); // args[0], low half (little endian)
    constexpr std::uint32_t kIpLow = offsetof(seccomp_data, instruction_pointer);
    constexpr std::uint32_t kIpHigh = kIpLow + 4;
    // Jump offsets count the instructions to skip: each line below says where it lands.
    m_exitGroupProgram = {
        /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArch),
        /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 10), // other arch: 12
        /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kNr),
        /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 8), // another syscall: 12
        /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kStatusLow),
        /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5), // a failure status: 11
        /* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kIpHigh),
        /* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(rootText.begin >> 32), 0, 4), // 12
        /* 8 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kIpLow),
        /* 9 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, static_cast<std::uint32_t>(rootText.begin), 0, 2), // below: 12
        /* 10 */ BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, static_cast<std::uint32_t>(last), 1, 0), // above: 12
        /* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
        /* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    m_exitGroupFprog.len = static_cast<unsigned short>(m_exitGroupProgram.size());
    m_exitGroupFprog.filter = m_exitGroupProgram.data();
}

int SeccompFilter::installInChild() const
{
    if (!m_exitGroupProgram.empty() && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &m_exitGroupFprog) != 0)
        return errno;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &m_fprog) == 0)
        return 0;
    return errno;
}

} // namespace exitlens::linux_trace
