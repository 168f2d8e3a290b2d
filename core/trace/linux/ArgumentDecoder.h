#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Turns raw x86_64 Linux system call arguments into the text shown in an event's detail.
// Pure functions with no state, so the tracer thread can call them freely and tests can pin
// every string. Values are decoded as the kernel sees them: where the kernel declares an
// argument as int or unsigned int, only the low 32 bits count (the upper half of the register
// is unspecified by the ABI), so those decoders ignore bits 32..63.
//
// Flag sets print known names in a fixed order joined by '|', followed by any bits left over
// in hex ("O_RDONLY|0x40000000"), so an unknown bit is never silently lost.
namespace exitlens::linux_decode {

// open/openat/openat2 flags: access mode first ("O_RDONLY|O_CLOEXEC").
std::string openFlags(std::uint64_t flags);
// Permission bits in octal with a leading zero: "0644", "04755".
std::string fileMode(std::uint64_t mode);
// access/faccessat mode: "F_OK" or a subset of "R_OK|W_OK|X_OK".
std::string accessMode(std::uint64_t mode);

// AT_REMOVEDIR and AT_EACCESS share one bit; only the system call tells which is meant.
enum class AtFlagsUse { Any, Unlinkat, Faccessat };
// *at() flags: "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH"; "0" when none. With AtFlagsUse::Any the
// shared bit prints as "AT_EACCESS/AT_REMOVEDIR".
std::string atFlags(std::uint64_t flags, AtFlagsUse use = AtFlagsUse::Any);
// The directory argument of *at() calls: "AT_FDCWD" or the descriptor number.
std::string dirfd(std::int64_t fd);
// renameat2 flags: "RENAME_NOREPLACE"; "0" when none.
std::string renameFlags(std::uint64_t flags);

// mmap/mprotect protection: "PROT_READ|PROT_WRITE"; "PROT_NONE" when none.
std::string mmapProt(std::uint64_t prot);
// mmap flags: mapping type first ("MAP_PRIVATE|MAP_ANONYMOUS"), huge page size as MAP_HUGE_2MB.
std::string mmapFlags(std::uint64_t flags);

// clone() keeps the child's exit signal in the low byte of its flags; clone3() passes the exit
// signal separately and may use that byte for CLONE_NEWTIME.
enum class CloneSyscall { Clone, Clone3 };
// "CLONE_VM|CLONE_FS|...|SIGCHLD"; the exit signal is left out when it is 0.
std::string cloneFlags(std::uint64_t flags, CloneSyscall syscall = CloneSyscall::Clone);

// siginfo si_code for a signal: "SI_USER", "SEGV_MAPERR", "CLD_EXITED"...; otherwise the number.
std::string siCode(int signo, int code);

// socket() domain: "AF_INET", "AF_UNIX"...; otherwise the number.
std::string socketDomain(int domain);
// socket() type: "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK".
std::string socketType(std::uint64_t type);
// A socket address as passed to connect/bind/sendto: "127.0.0.1:8080", "[::1]:443",
// "unix:/run/x.sock", "unix:@abstract", "unix:(unnamed)", "netlink", or "AF_PACKET(20)" for
// families it does not decode and for addresses too short for their family. Reads at most len
// bytes of data, whatever len is; "(empty)" when there is nothing to read.
std::string sockaddr(const void* data, std::size_t len);

// getrlimit/setrlimit/prlimit resource: "RLIMIT_NOFILE"; otherwise the number.
std::string rlimitResource(int resource);
// A limit value: "RLIM_INFINITY" or the decimal number.
std::string rlimitValue(std::uint64_t value);
// prctl option: "PR_SET_NAME"; otherwise the number.
std::string prctlOption(int option);
// seccomp() operation: "SECCOMP_SET_MODE_FILTER"; otherwise the number.
std::string seccompOperation(unsigned operation);

// A quoted, C-style escaped preview of a buffer: "\"hello\\n\"". Bytes outside printable ASCII
// become \xNN. Looks at no more than maxLen bytes; when bytes is longer, "..." follows the
// closing quote.
std::string printableBytes(std::string_view bytes, std::size_t maxLen);

} // namespace exitlens::linux_decode
