#include "trace/linux/ArgumentDecoder.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTest>
#include <arpa/inet.h>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <memory>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace exitlens;

namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// The raw bytes of a socket address, cut (or padded with filler) to exactly len bytes.
template<typename T> QByteArray addressBytes(const T& address, std::size_t len, char filler = 'Z')
{
    QByteArray bytes(static_cast<qsizetype>(len), filler);
    std::memcpy(bytes.data(), &address, std::min(len, sizeof(T)));
    return bytes;
}

sockaddr_in inetAddress(const char* ip, std::uint16_t port)
{
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, ip, &address.sin_addr);
    return address;
}

sockaddr_in6 inet6Address(const char* ip, std::uint16_t port, std::uint32_t scope = 0)
{
    sockaddr_in6 address {};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(port);
    address.sin6_scope_id = scope;
    inet_pton(AF_INET6, ip, &address.sin6_addr);
    return address;
}

// A sockaddr_un whose sun_path holds exactly the given bytes (no terminator added).
QByteArray unixBytes(const QByteArray& path)
{
    QByteArray bytes(static_cast<qsizetype>(offsetof(sockaddr_un, sun_path)), '\0');
    const sa_family_t family = AF_UNIX;
    std::memcpy(bytes.data(), &family, sizeof(family));
    return bytes + path;
}

QByteArray familyOnly(sa_family_t family, std::size_t len)
{
    QByteArray bytes(static_cast<qsizetype>(len), '\0');
    std::memcpy(bytes.data(), &family, std::min(len, sizeof(family)));
    return bytes;
}

} // namespace

class TestArgumentDecoder : public QObject {
    Q_OBJECT

private slots:
    void openFlags_data();
    void openFlags();
    void fileMode_data();
    void fileMode();
    void accessMode_data();
    void accessMode();
    void atFlags_data();
    void atFlags();
    void dirfd_data();
    void dirfd();
    void renameFlags_data();
    void renameFlags();
    void mmapProt_data();
    void mmapProt();
    void mmapFlags_data();
    void mmapFlags();
    void cloneFlags_data();
    void cloneFlags();
    void siCode_data();
    void siCode();
    void socketDomain_data();
    void socketDomain();
    void socketType_data();
    void socketType();
    void sockaddr_data();
    void sockaddr();
    void sockaddrNullData();
    void sockaddrNeverReadsPastLen();
    void rlimitResource_data();
    void rlimitResource();
    void rlimitValue_data();
    void rlimitValue();
    void prctlOption_data();
    void prctlOption();
    void seccompOperation_data();
    void seccompOperation();
    void printableBytes_data();
    void printableBytes();
};

void TestArgumentDecoder::openFlags_data()
{
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<QString>("expected");

    QTest::newRow("rdonly") << quint64(O_RDONLY) << "O_RDONLY";
    QTest::newRow("rdonly cloexec") << quint64(O_RDONLY | O_CLOEXEC) << "O_RDONLY|O_CLOEXEC";
    QTest::newRow("creat truncate") << quint64(O_WRONLY | O_CREAT | O_TRUNC) << "O_WRONLY|O_CREAT|O_TRUNC";
    QTest::newRow("raw octal") << quint64(0101) << "O_WRONLY|O_CREAT";
    QTest::newRow("append") << quint64(O_RDWR | O_APPEND) << "O_RDWR|O_APPEND";
    QTest::newRow("excl noctty nonblock")
        << quint64(O_RDWR | O_NONBLOCK | O_NOCTTY | O_EXCL) << "O_RDWR|O_EXCL|O_NOCTTY|O_NONBLOCK";
    QTest::newRow("directory") << quint64(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                               << "O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC";
    // O_TMPFILE contains the O_DIRECTORY bit; it must not show up twice.
    QTest::newRow("tmpfile") << quint64(O_RDWR | O_TMPFILE) << "O_RDWR|O_TMPFILE";
    QTest::newRow("tmpfile excl") << quint64(O_WRONLY | O_TMPFILE | O_EXCL) << "O_WRONLY|O_EXCL|O_TMPFILE";
    // O_SYNC contains the O_DSYNC bit.
    QTest::newRow("sync") << quint64(O_WRONLY | O_SYNC) << "O_WRONLY|O_SYNC";
    QTest::newRow("dsync") << quint64(O_WRONLY | O_DSYNC) << "O_WRONLY|O_DSYNC";
    QTest::newRow("path") << quint64(O_PATH | O_CLOEXEC) << "O_RDONLY|O_CLOEXEC|O_PATH";
    QTest::newRow("direct noatime async")
        << quint64(O_RDONLY | O_DIRECT | O_NOATIME | O_ASYNC) << "O_RDONLY|O_DIRECT|O_NOATIME|O_ASYNC";
    // glibc defines O_LARGEFILE as 0 on x86_64; the kernel's bit is 0100000.
    QTest::newRow("largefile") << quint64(0100000) << "O_RDONLY|O_LARGEFILE";
    QTest::newRow("unknown bit") << quint64(O_WRONLY | 0x40000000) << "O_WRONLY|0x40000000";
    QTest::newRow("accmode 3") << quint64(3) << "O_ACCMODE";
    QTest::newRow("upper half ignored") << (quint64(0xdead0000) << 32 | O_RDWR) << "O_RDWR";
}

void TestArgumentDecoder::openFlags()
{
    QFETCH(quint64, flags);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::openFlags(flags)), expected);
}

void TestArgumentDecoder::fileMode_data()
{
    QTest::addColumn<quint64>("mode");
    QTest::addColumn<QString>("expected");

    QTest::newRow("0644") << quint64(0644) << "0644";
    QTest::newRow("0755") << quint64(0755) << "0755";
    QTest::newRow("zero") << quint64(0) << "0000";
    QTest::newRow("small") << quint64(07) << "0007";
    QTest::newRow("setuid") << quint64(04755) << "04755";
    QTest::newRow("sticky dir") << quint64(01777) << "01777";
    QTest::newRow("with file type") << quint64(S_IFREG | 0600) << "0100600";
    QTest::newRow("garbage above umode_t") << quint64(0x7fff0000 | 0644) << "0644";
}

void TestArgumentDecoder::fileMode()
{
    QFETCH(quint64, mode);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::fileMode(mode)), expected);
}

void TestArgumentDecoder::accessMode_data()
{
    QTest::addColumn<quint64>("mode");
    QTest::addColumn<QString>("expected");

    QTest::newRow("F_OK") << quint64(F_OK) << "F_OK";
    QTest::newRow("R_OK") << quint64(R_OK) << "R_OK";
    QTest::newRow("W_OK|X_OK") << quint64(X_OK | W_OK) << "W_OK|X_OK";
    QTest::newRow("all") << quint64(R_OK | W_OK | X_OK) << "R_OK|W_OK|X_OK";
    QTest::newRow("unknown") << quint64(R_OK | 8) << "R_OK|0x8";
}

void TestArgumentDecoder::accessMode()
{
    QFETCH(quint64, mode);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::accessMode(mode)), expected);
}

void TestArgumentDecoder::atFlags_data()
{
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<int>("use");
    QTest::addColumn<QString>("expected");

    const int any = static_cast<int>(linux_decode::AtFlagsUse::Any);
    const int unlink = static_cast<int>(linux_decode::AtFlagsUse::Unlinkat);
    const int access = static_cast<int>(linux_decode::AtFlagsUse::Faccessat);

    QTest::newRow("none") << quint64(0) << any << "0";
    QTest::newRow("nofollow") << quint64(AT_SYMLINK_NOFOLLOW) << any << "AT_SYMLINK_NOFOLLOW";
    QTest::newRow("empty path nofollow") << quint64(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) << any
                                         << "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH";
    QTest::newRow("shared bit, unknown call") << quint64(0x200) << any << "AT_EACCESS/AT_REMOVEDIR";
    QTest::newRow("removedir") << quint64(AT_REMOVEDIR) << unlink << "AT_REMOVEDIR";
    QTest::newRow("eaccess") << quint64(AT_EACCESS | AT_SYMLINK_NOFOLLOW) << access << "AT_SYMLINK_NOFOLLOW|AT_EACCESS";
    QTest::newRow("follow") << quint64(AT_SYMLINK_FOLLOW) << any << "AT_SYMLINK_FOLLOW";
    QTest::newRow("no automount") << quint64(AT_NO_AUTOMOUNT | AT_EMPTY_PATH) << any << "AT_NO_AUTOMOUNT|AT_EMPTY_PATH";
    QTest::newRow("statx force sync") << quint64(AT_STATX_FORCE_SYNC) << any << "AT_STATX_FORCE_SYNC";
    QTest::newRow("statx dont sync") << quint64(AT_STATX_DONT_SYNC) << any << "AT_STATX_DONT_SYNC";
    QTest::newRow("statx as stat is zero") << quint64(AT_STATX_SYNC_AS_STAT) << any << "0";
    QTest::newRow("recursive") << quint64(AT_RECURSIVE) << any << "AT_RECURSIVE";
    QTest::newRow("unknown") << quint64(0x1 | AT_EMPTY_PATH) << any << "AT_EMPTY_PATH|0x1";
}

void TestArgumentDecoder::atFlags()
{
    QFETCH(quint64, flags);
    QFETCH(int, use);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::atFlags(flags, static_cast<linux_decode::AtFlagsUse>(use))), expected);
}

void TestArgumentDecoder::dirfd_data()
{
    QTest::addColumn<qint64>("fd");
    QTest::addColumn<QString>("expected");

    QTest::newRow("AT_FDCWD") << qint64(AT_FDCWD) << "AT_FDCWD";
    // An int in a 64-bit register need not be sign-extended.
    QTest::newRow("AT_FDCWD zero-extended") << qint64(0xffffff9c) << "AT_FDCWD";
    QTest::newRow("3") << qint64(3) << "3";
    QTest::newRow("0") << qint64(0) << "0";
    QTest::newRow("-1") << qint64(-1) << "-1";
}

void TestArgumentDecoder::dirfd()
{
    QFETCH(qint64, fd);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::dirfd(fd)), expected);
}

void TestArgumentDecoder::renameFlags_data()
{
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << quint64(0) << "0";
    QTest::newRow("noreplace") << quint64(RENAME_NOREPLACE) << "RENAME_NOREPLACE";
    QTest::newRow("exchange") << quint64(RENAME_EXCHANGE) << "RENAME_EXCHANGE";
    QTest::newRow("noreplace whiteout") << quint64(RENAME_WHITEOUT | RENAME_NOREPLACE)
                                        << "RENAME_NOREPLACE|RENAME_WHITEOUT";
    QTest::newRow("unknown") << quint64(8) << "0x8";
}

void TestArgumentDecoder::renameFlags()
{
    QFETCH(quint64, flags);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::renameFlags(flags)), expected);
}

void TestArgumentDecoder::mmapProt_data()
{
    QTest::addColumn<quint64>("prot");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << quint64(PROT_NONE) << "PROT_NONE";
    QTest::newRow("read") << quint64(PROT_READ) << "PROT_READ";
    QTest::newRow("read write") << quint64(PROT_WRITE | PROT_READ) << "PROT_READ|PROT_WRITE";
    QTest::newRow("read exec") << quint64(PROT_READ | PROT_EXEC) << "PROT_READ|PROT_EXEC";
    QTest::newRow("growsdown") << quint64(PROT_READ | PROT_GROWSDOWN) << "PROT_READ|PROT_GROWSDOWN";
    QTest::newRow("unknown") << quint64(PROT_READ | 0x10) << "PROT_READ|0x10";
}

void TestArgumentDecoder::mmapProt()
{
    QFETCH(quint64, prot);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::mmapProt(prot)), expected);
}

void TestArgumentDecoder::mmapFlags_data()
{
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << quint64(0) << "0";
    QTest::newRow("shared") << quint64(MAP_SHARED) << "MAP_SHARED";
    QTest::newRow("private anonymous") << quint64(MAP_PRIVATE | MAP_ANONYMOUS) << "MAP_PRIVATE|MAP_ANONYMOUS";
    QTest::newRow("private anonymous fixed")
        << quint64(MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS) << "MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED";
    QTest::newRow("thread stack") << quint64(MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK)
                                  << "MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK";
    QTest::newRow("shared validate sync") << quint64(MAP_SHARED_VALIDATE | MAP_SYNC) << "MAP_SHARED_VALIDATE|MAP_SYNC";
    QTest::newRow("fixed noreplace") << quint64(MAP_PRIVATE | MAP_FIXED_NOREPLACE | MAP_POPULATE)
                                     << "MAP_PRIVATE|MAP_POPULATE|MAP_FIXED_NOREPLACE";
    QTest::newRow("hugetlb 2MB") << quint64(MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21u << MAP_HUGE_SHIFT))
                                 << "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_2MB";
    QTest::newRow("hugetlb 1GB") << quint64(MAP_SHARED | MAP_HUGETLB | (30u << MAP_HUGE_SHIFT))
                                 << "MAP_SHARED|MAP_HUGETLB|MAP_HUGE_1GB";
    QTest::newRow("hugetlb default size") << quint64(MAP_PRIVATE | MAP_HUGETLB) << "MAP_PRIVATE|MAP_HUGETLB";
    // Without MAP_HUGETLB, bit 26 is MAP_UNINITIALIZED rather than part of a page size.
    QTest::newRow("uninitialized") << quint64(MAP_PRIVATE | MAP_ANONYMOUS | 0x4000000)
                                   << "MAP_PRIVATE|MAP_ANONYMOUS|MAP_UNINITIALIZED";
    QTest::newRow("unknown type") << quint64(0xf) << "0xf";
    QTest::newRow("32bit") << quint64(MAP_PRIVATE | MAP_32BIT) << "MAP_PRIVATE|MAP_32BIT";
}

void TestArgumentDecoder::mmapFlags()
{
    QFETCH(quint64, flags);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::mmapFlags(flags)), expected);
}

void TestArgumentDecoder::cloneFlags_data()
{
    QTest::addColumn<quint64>("flags");
    QTest::addColumn<bool>("clone3");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << quint64(0) << false << "0";
    QTest::newRow("fork") << quint64(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD) << false
                          << "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD";
    QTest::newRow("signal only") << quint64(SIGCHLD) << false << "SIGCHLD";
    QTest::newRow("vfork") << quint64(CLONE_VM | CLONE_VFORK | SIGCHLD) << false << "CLONE_VM|CLONE_VFORK|SIGCHLD";
    QTest::newRow("pthread")
        << quint64(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS
               | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
        << false
        << "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|"
           "CLONE_CHILD_CLEARTID";
    QTest::newRow("namespaces") << quint64(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | SIGCHLD) << false
                                << "CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWPID|SIGCHLD";
    QTest::newRow("other exit signal") << quint64(CLONE_PIDFD | SIGUSR1) << false << "CLONE_PIDFD|SIGUSR1";
    // 0x80 is not a valid signal; clone() shows the raw bits rather than inventing a name.
    QTest::newRow("clone invalid signal") << quint64(CLONE_VM | 0x80) << false << "CLONE_VM|0x80";
    QTest::newRow("clone ignores upper half") << (quint64(1) << 32 | SIGCHLD) << false << "SIGCHLD";
    QTest::newRow("clone3 newtime") << quint64(0x80) << true << "CLONE_NEWTIME";
    QTest::newRow("clone3 clear sighand")
        << (quint64(0x100000000) | CLONE_VM) << true << "CLONE_VM|CLONE_CLEAR_SIGHAND";
    QTest::newRow("clone3 into cgroup") << quint64(0x200000000) << true << "CLONE_INTO_CGROUP";
    QTest::newRow("clone3 unknown") << quint64(0x1) << true << "0x1";
}

void TestArgumentDecoder::cloneFlags()
{
    QFETCH(quint64, flags);
    QFETCH(bool, clone3);
    QFETCH(QString, expected);
    const auto syscall = clone3 ? linux_decode::CloneSyscall::Clone3 : linux_decode::CloneSyscall::Clone;
    QCOMPARE(qs(linux_decode::cloneFlags(flags, syscall)), expected);
}

void TestArgumentDecoder::siCode_data()
{
    QTest::addColumn<int>("signo");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");

    QTest::newRow("user") << SIGTERM << int(SI_USER) << "SI_USER";
    QTest::newRow("kernel") << SIGSEGV << int(SI_KERNEL) << "SI_KERNEL";
    QTest::newRow("queue") << SIGUSR1 << int(SI_QUEUE) << "SI_QUEUE";
    QTest::newRow("tkill") << SIGURG << int(SI_TKILL) << "SI_TKILL";
    QTest::newRow("timer") << SIGALRM << int(SI_TIMER) << "SI_TIMER";
    QTest::newRow("mesgq") << SIGUSR2 << int(SI_MESGQ) << "SI_MESGQ";
    QTest::newRow("asyncio") << SIGUSR2 << int(SI_ASYNCIO) << "SI_ASYNCIO";
    QTest::newRow("sigio") << SIGIO << int(SI_SIGIO) << "SI_SIGIO";
    QTest::newRow("raw tkill") << SIGKILL << -6 << "SI_TKILL";
    QTest::newRow("segv maperr") << SIGSEGV << int(SEGV_MAPERR) << "SEGV_MAPERR";
    QTest::newRow("segv accerr") << SIGSEGV << int(SEGV_ACCERR) << "SEGV_ACCERR";
    QTest::newRow("segv pkuerr") << SIGSEGV << int(SEGV_PKUERR) << "SEGV_PKUERR";
    QTest::newRow("bus adrerr") << SIGBUS << int(BUS_ADRERR) << "BUS_ADRERR";
    QTest::newRow("bus mceerr") << SIGBUS << int(BUS_MCEERR_AR) << "BUS_MCEERR_AR";
    QTest::newRow("chld exited") << SIGCHLD << int(CLD_EXITED) << "CLD_EXITED";
    QTest::newRow("chld killed") << SIGCHLD << int(CLD_KILLED) << "CLD_KILLED";
    QTest::newRow("chld dumped") << SIGCHLD << int(CLD_DUMPED) << "CLD_DUMPED";
    QTest::newRow("sys seccomp") << SIGSYS << 1 << "SYS_SECCOMP";
    QTest::newRow("ill illopn") << SIGILL << int(ILL_ILLOPN) << "ILL_ILLOPN";
    QTest::newRow("fpe intdiv") << SIGFPE << int(FPE_INTDIV) << "FPE_INTDIV";
    QTest::newRow("trap brkpt") << SIGTRAP << int(TRAP_BRKPT) << "TRAP_BRKPT";
    QTest::newRow("trap trace") << SIGTRAP << int(TRAP_TRACE) << "TRAP_TRACE";
    QTest::newRow("poll in") << SIGIO << int(POLL_IN) << "POLL_IN";
    // The same positive number means different things for different signals.
    QTest::newRow("1 for SIGBUS") << SIGBUS << 1 << "BUS_ADRALN";
    QTest::newRow("positive for SIGTERM") << SIGTERM << 1 << "1";
    QTest::newRow("unknown segv code") << SIGSEGV << 99 << "99";
    QTest::newRow("unknown negative") << SIGTERM << -99 << "-99";
}

void TestArgumentDecoder::siCode()
{
    QFETCH(int, signo);
    QFETCH(int, code);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::siCode(signo, code)), expected);
}

void TestArgumentDecoder::socketDomain_data()
{
    QTest::addColumn<int>("domain");
    QTest::addColumn<QString>("expected");

    QTest::newRow("inet") << int(AF_INET) << "AF_INET";
    QTest::newRow("inet6") << int(AF_INET6) << "AF_INET6";
    QTest::newRow("unix") << int(AF_UNIX) << "AF_UNIX";
    QTest::newRow("local is unix") << int(AF_LOCAL) << "AF_UNIX";
    QTest::newRow("netlink") << int(AF_NETLINK) << "AF_NETLINK";
    QTest::newRow("packet") << int(AF_PACKET) << "AF_PACKET";
    QTest::newRow("unspec") << int(AF_UNSPEC) << "AF_UNSPEC";
    QTest::newRow("unknown") << 12345 << "12345";
}

void TestArgumentDecoder::socketDomain()
{
    QFETCH(int, domain);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::socketDomain(domain)), expected);
}

void TestArgumentDecoder::socketType_data()
{
    QTest::addColumn<quint64>("type");
    QTest::addColumn<QString>("expected");

    QTest::newRow("stream") << quint64(SOCK_STREAM) << "SOCK_STREAM";
    QTest::newRow("dgram cloexec") << quint64(SOCK_DGRAM | SOCK_CLOEXEC) << "SOCK_DGRAM|SOCK_CLOEXEC";
    QTest::newRow("stream cloexec nonblock")
        << quint64(SOCK_NONBLOCK | SOCK_STREAM | SOCK_CLOEXEC) << "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK";
    QTest::newRow("raw nonblock") << quint64(SOCK_RAW | SOCK_NONBLOCK) << "SOCK_RAW|SOCK_NONBLOCK";
    QTest::newRow("seqpacket") << quint64(SOCK_SEQPACKET) << "SOCK_SEQPACKET";
    QTest::newRow("unknown type") << quint64(9) << "9";
    QTest::newRow("unknown bit") << quint64(SOCK_STREAM | 0x100) << "SOCK_STREAM|0x100";
}

void TestArgumentDecoder::socketType()
{
    QFETCH(quint64, type);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::socketType(type)), expected);
}

void TestArgumentDecoder::sockaddr_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    constexpr std::size_t unixPathOffset = offsetof(sockaddr_un, sun_path);

    QTest::newRow("len 0") << QByteArray() << "(empty)";
    QTest::newRow("len 1") << QByteArray(1, '\x02') << "(truncated, 1 byte)";

    QTest::newRow("inet loopback") << addressBytes(inetAddress("127.0.0.1", 8080), sizeof(sockaddr_in))
                                   << "127.0.0.1:8080";
    QTest::newRow("inet any") << addressBytes(inetAddress("0.0.0.0", 0), sizeof(sockaddr_in)) << "0.0.0.0:0";
    QTest::newRow("inet without sin_zero")
        << addressBytes(inetAddress("10.1.2.3", 53), offsetof(sockaddr_in, sin_zero)) << "10.1.2.3:53";
    QTest::newRow("inet truncated") << addressBytes(inetAddress("10.1.2.3", 53), 7) << "AF_INET(7)";
    QTest::newRow("inet family only") << familyOnly(AF_INET, 2) << "AF_INET(2)";

    QTest::newRow("inet6 loopback") << addressBytes(inet6Address("::1", 443), sizeof(sockaddr_in6)) << "[::1]:443";
    QTest::newRow("inet6 rfc2133 length")
        << addressBytes(inet6Address("2001:db8::5", 80), offsetof(sockaddr_in6, sin6_scope_id)) << "[2001:db8::5]:80";
    QTest::newRow("inet6 scope") << addressBytes(inet6Address("fe80::1", 22, 2), sizeof(sockaddr_in6))
                                 << "[fe80::1%2]:22";
    // The scope id lies beyond a 24-byte address and must not be read.
    QTest::newRow("inet6 scope cut off") << addressBytes(
        inet6Address("fe80::1", 22, 2), offsetof(sockaddr_in6, sin6_scope_id))
                                         << "[fe80::1]:22";
    QTest::newRow("inet6 v4 mapped") << addressBytes(inet6Address("::ffff:10.0.0.1", 53), sizeof(sockaddr_in6))
                                     << "[::ffff:10.0.0.1]:53";
    QTest::newRow("inet6 truncated 10") << addressBytes(inet6Address("::1", 443), 10) << "AF_INET6(10)";
    QTest::newRow("inet6 truncated 23") << addressBytes(inet6Address("::1", 443), 23) << "AF_INET6(23)";

    QTest::newRow("unix path") << unixBytes(QByteArray("/run/x.sock", 12)) << "unix:/run/x.sock";
    QTest::newRow("unix path without NUL") << unixBytes("/run/x.sock") << "unix:/run/x.sock";
    QTest::newRow("unix path stops at NUL") << unixBytes(QByteArray("/a\0/b", 5)) << "unix:/a";
    QTest::newRow("unix path cut by len") << unixBytes("/run/x.sock").left(unixPathOffset + 4) << "unix:/run";
    QTest::newRow("unix path escaped") << unixBytes("/tmp/a\nb\\c") << R"(unix:/tmp/a\nb\\c)";
    const QByteArray fullPath(sizeof(sockaddr_un::sun_path), 'a');
    QTest::newRow("unix path fills sun_path")
        << unixBytes(fullPath) << QStringLiteral("unix:") + QString::fromLatin1(fullPath);
    // Longer than sockaddr_un: the kernel would refuse it, and nothing past sun_path is read.
    QTest::newRow("unix huge len") << unixBytes(fullPath + QByteArray(4000, 'Z'))
                                   << QStringLiteral("unix:") + QString::fromLatin1(fullPath);
    QTest::newRow("unix unnamed") << familyOnly(AF_UNIX, 2) << "unix:(unnamed)";
    QTest::newRow("unix abstract") << unixBytes(QByteArray("\0exitlens", 9)) << "unix:@exitlens";
    QTest::newRow("unix abstract embedded NULs") << unixBytes(QByteArray("\0ab\0c\0", 6)) << "unix:@ab\\x00c\\x00";
    QTest::newRow("unix abstract empty") << unixBytes(QByteArray(1, '\0')) << "unix:@";
    QTest::newRow("unix abstract cut by len")
        << unixBytes(QByteArray("\0exitlens", 9)).left(unixPathOffset + 5) << "unix:@exit";
    QTest::newRow("unix abstract fills sun_path")
        << unixBytes(QByteArray(1, '\0') + QByteArray(sizeof(sockaddr_un::sun_path) - 1, 'q'))
        << QStringLiteral("unix:@") + QString(sizeof(sockaddr_un::sun_path) - 1, QLatin1Char('q'));

    QTest::newRow("netlink") << familyOnly(AF_NETLINK, sizeof(sockaddr_nl)) << "netlink";
    QTest::newRow("packet") << familyOnly(AF_PACKET, 20) << "AF_PACKET(20)";
    QTest::newRow("unspec") << familyOnly(AF_UNSPEC, 16) << "AF_UNSPEC(16)";
    QTest::newRow("unknown family") << familyOnly(250, 16) << "family 250(16)";
}

void TestArgumentDecoder::sockaddr()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    // A heap block of exactly len bytes, so a sanitizer build catches any read past it.
    const auto len = static_cast<std::size_t>(bytes.size());
    const auto exact = std::make_unique<unsigned char[]>(len);
    if (len > 0)
        std::memcpy(exact.get(), bytes.constData(), len);
    QCOMPARE(qs(linux_decode::sockaddr(exact.get(), len)), expected);
}

void TestArgumentDecoder::sockaddrNullData()
{
    QCOMPARE(qs(linux_decode::sockaddr(nullptr, 0)), QStringLiteral("(empty)"));
    QCOMPARE(qs(linux_decode::sockaddr(nullptr, 16)), QStringLiteral("(empty)"));
}

void TestArgumentDecoder::sockaddrNeverReadsPastLen()
{
    // Bytes past len are filled with a marker; none of it may leak into the text.
    const QByteArray address = unixBytes(QByteArray("/ok", 3)) + QByteArray(64, 'X');
    QCOMPARE(qs(linux_decode::sockaddr(address.constData(), offsetof(sockaddr_un, sun_path) + 3)),
        QStringLiteral("unix:/ok"));

    const QByteArray abstractName = unixBytes(QByteArray("\0ok", 3)) + QByteArray(64, 'X');
    QCOMPARE(qs(linux_decode::sockaddr(abstractName.constData(), offsetof(sockaddr_un, sun_path) + 3)),
        QStringLiteral("unix:@ok"));

    // The scope id sits at bytes 24..27; a 24-byte address must not pick up whatever follows.
    sockaddr_in6 inet6 = inet6Address("fe80::1", 22, 7);
    QCOMPARE(qs(linux_decode::sockaddr(&inet6, offsetof(sockaddr_in6, sin6_scope_id))), QStringLiteral("[fe80::1]:22"));
}

void TestArgumentDecoder::rlimitResource_data()
{
    QTest::addColumn<int>("resource");
    QTest::addColumn<QString>("expected");

    QTest::newRow("nofile") << int(RLIMIT_NOFILE) << "RLIMIT_NOFILE";
    QTest::newRow("as") << int(RLIMIT_AS) << "RLIMIT_AS";
    QTest::newRow("cpu") << int(RLIMIT_CPU) << "RLIMIT_CPU";
    QTest::newRow("stack") << int(RLIMIT_STACK) << "RLIMIT_STACK";
    QTest::newRow("core") << int(RLIMIT_CORE) << "RLIMIT_CORE";
    QTest::newRow("rttime") << int(RLIMIT_RTTIME) << "RLIMIT_RTTIME";
    QTest::newRow("unknown") << 99 << "99";
    QTest::newRow("negative") << -1 << "-1";
}

void TestArgumentDecoder::rlimitResource()
{
    QFETCH(int, resource);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::rlimitResource(resource)), expected);
}

void TestArgumentDecoder::rlimitValue_data()
{
    QTest::addColumn<quint64>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("infinity") << quint64(RLIM_INFINITY) << "RLIM_INFINITY";
    QTest::newRow("all ones") << ~quint64(0) << "RLIM_INFINITY";
    QTest::newRow("zero") << quint64(0) << "0";
    QTest::newRow("1024") << quint64(1024) << "1024";
    QTest::newRow("8 MiB") << quint64(8388608) << "8388608";
    QTest::newRow("one below infinity") << ~quint64(0) - 1 << "18446744073709551614";
}

void TestArgumentDecoder::rlimitValue()
{
    QFETCH(quint64, value);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::rlimitValue(value)), expected);
}

void TestArgumentDecoder::prctlOption_data()
{
    QTest::addColumn<int>("option");
    QTest::addColumn<QString>("expected");

    QTest::newRow("set name") << int(PR_SET_NAME) << "PR_SET_NAME";
    QTest::newRow("get name") << int(PR_GET_NAME) << "PR_GET_NAME";
    QTest::newRow("no new privs") << int(PR_SET_NO_NEW_PRIVS) << "PR_SET_NO_NEW_PRIVS";
    QTest::newRow("set seccomp") << int(PR_SET_SECCOMP) << "PR_SET_SECCOMP";
    QTest::newRow("pdeathsig") << int(PR_SET_PDEATHSIG) << "PR_SET_PDEATHSIG";
    QTest::newRow("set dumpable") << int(PR_SET_DUMPABLE) << "PR_SET_DUMPABLE";
    QTest::newRow("get dumpable") << int(PR_GET_DUMPABLE) << "PR_GET_DUMPABLE";
    QTest::newRow("subreaper") << int(PR_SET_CHILD_SUBREAPER) << "PR_SET_CHILD_SUBREAPER";
    QTest::newRow("ptracer") << int(PR_SET_PTRACER) << "PR_SET_PTRACER";
    QTest::newRow("cap ambient") << int(PR_CAP_AMBIENT) << "PR_CAP_AMBIENT";
    QTest::newRow("zero") << 0 << "0";
    QTest::newRow("unknown") << 9999 << "9999";
}

void TestArgumentDecoder::prctlOption()
{
    QFETCH(int, option);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::prctlOption(option)), expected);
}

void TestArgumentDecoder::seccompOperation_data()
{
    QTest::addColumn<uint>("operation");
    QTest::addColumn<QString>("expected");

    QTest::newRow("strict") << uint(SECCOMP_SET_MODE_STRICT) << "SECCOMP_SET_MODE_STRICT";
    QTest::newRow("filter") << uint(SECCOMP_SET_MODE_FILTER) << "SECCOMP_SET_MODE_FILTER";
    QTest::newRow("action avail") << uint(SECCOMP_GET_ACTION_AVAIL) << "SECCOMP_GET_ACTION_AVAIL";
    QTest::newRow("notif sizes") << uint(SECCOMP_GET_NOTIF_SIZES) << "SECCOMP_GET_NOTIF_SIZES";
    QTest::newRow("unknown") << 99u << "99";
}

void TestArgumentDecoder::seccompOperation()
{
    QFETCH(uint, operation);
    QFETCH(QString, expected);
    QCOMPARE(qs(linux_decode::seccompOperation(operation)), expected);
}

void TestArgumentDecoder::printableBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxLen");
    QTest::addColumn<QString>("expected");

    QTest::newRow("hello") << QByteArray("hello\n") << 64 << R"("hello\n")";
    QTest::newRow("empty") << QByteArray() << 64 << R"("")";
    QTest::newRow("empty, max 0") << QByteArray() << 0 << R"("")";
    QTest::newRow("tab cr") << QByteArray("a\tb\r") << 64 << R"("a\tb\r")";
    QTest::newRow("quote backslash") << QByteArray(R"(say "hi" \o/)") << 64 << R"("say \"hi\" \\o/")";
    QTest::newRow("control bytes") << QByteArray("\0\x01\x1b\x7f", 4) << 64 << R"("\x00\x01\x1b\x7f")";
    QTest::newRow("high bytes") << QByteArray("\xc3\xa9\xff") << 64 << R"("\xc3\xa9\xff")";
    QTest::newRow("truncated") << QByteArray("hello world") << 5 << R"("hello"...)";
    QTest::newRow("exactly max") << QByteArray("hello") << 5 << R"("hello")";
    QTest::newRow("max 0") << QByteArray("x") << 0 << R"(""...)";
    // The escape for a byte past maxLen must not appear.
    QTest::newRow("cut before escape") << QByteArray("ab\n") << 2 << R"("ab"...)";
    QTest::newRow("cut after escape") << QByteArray("a\nbc") << 2 << R"("a\n"...)";
}

void TestArgumentDecoder::printableBytes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxLen);
    QFETCH(QString, expected);
    const std::string_view view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    QCOMPARE(qs(linux_decode::printableBytes(view, static_cast<std::size_t>(maxLen))), expected);
}

QTEST_APPLESS_MAIN(TestArgumentDecoder)

#include "tst_argumentdecoder.moc"
