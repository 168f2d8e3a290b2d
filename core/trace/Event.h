#pragma once

#include <cstdint>
#include <string_view>

namespace exitlens {

// Index into a StringPool. 0 is always the empty string, so a zeroed Event is valid.
using StringId = std::uint32_t;
inline constexpr StringId kNoString = 0;

// What happened. Portable across backends: a Windows (Debug API) backend maps
// CREATE_PROCESS/EXIT_PROCESS/LOAD_DLL/EXCEPTION onto the same kinds.
enum class EventKind : std::uint8_t {
    ProcessStart, // a new process (fork/vfork/clone without CLONE_THREAD, or the launched root)
    ProcessExec, // exec succeeded (path = new executable); a failed exec is a Syscall with an errno
    ProcessExit, // result = exit code, or the terminating signal when flags has Signaled
    ThreadStart,
    ThreadExit,
    Syscall, // any traced system call (op = its name)
    Signal, // a signal delivered to a thread (result = signal number)
    Output, // bytes a process wrote to fd 1 or 2 (path = "stdout"/"stderr", result = byte count)
    Note, // something ExitLens itself wants on the time line (lost events, stop requested, ...)
};

// The user-facing grouping; also the unit of the capture filter. Registry and Profiling come from
// Windows captures (an imported Process Monitor log); profiling events are hidden by default, like
// runtime noise (they carry the RuntimeNoise flag).
enum class EventClass : std::uint8_t {
    Process,
    Thread,
    File,
    Network,
    Signal,
    Memory,
    Output,
    Runtime,
    Registry,
    Profiling,
    Count_
};

inline constexpr int kEventClassCount = static_cast<int>(EventClass::Count_);
// The classes the Linux tracer records: the capture filter's choices (CaptureClasses::all()).
inline constexpr int kTracedClassCount = static_cast<int>(EventClass::Registry);

namespace EventFlag {
inline constexpr std::uint16_t Failed = 1u << 0; // result is an error (errnum set)
inline constexpr std::uint16_t Signaled = 1u << 1; // ProcessExit/ThreadExit: killed by a signal
inline constexpr std::uint16_t CoreDumped = 1u << 2;
inline constexpr std::uint16_t Unfinished = 1u << 3; // the call never returned (exit, execve in a dying process)
inline constexpr std::uint16_t RuntimeNoise = 1u << 4; // Go runtime housekeeping (SIGURG, ...), hidden by default
inline constexpr std::uint16_t DurationSaturated = 1u << 5; // durationNs hit its 32-bit ceiling (~4.29 s)
inline constexpr std::uint16_t Truncated = 1u << 6; // a string argument or output chunk was cut
inline constexpr std::uint16_t ResultUnknown = 1u << 7; // recorded at entry only: its result was not worth a stop
// What `result` holds when the event failed or is a Windows one (bits 8-9). Errno: a Linux return
// value with the errno in errnum. NtStatus: result is the 32-bit NTSTATUS the operation returned
// (Process Monitor's Result column), errnum 0. Win32: result is a Win32 error code (GetLastError).
inline constexpr std::uint16_t ResultKindMask = 3u << 8;
inline constexpr std::uint16_t ResultErrno = 0;
inline constexpr std::uint16_t ResultNtStatus = 1u << 8;
inline constexpr std::uint16_t ResultWin32 = 2u << 8;
} // namespace EventFlag

// One fixed-size record per event. The sequence number is the record's index in the store,
// so it is not stored. Strings are interned; the record holds their ids.
struct Event {
    std::uint64_t timeNs = 0; // monotonic, relative to the capture's start
    std::int64_t result = 0; // syscall return value, exit code, signal number, byte count
    std::int32_t pid = 0; // process (thread group) id
    std::int32_t tid = 0;
    StringId op = kNoString; // operation name: "openat", "process_start", "SIGSEGV"...
    StringId path = kNoString; // absolute path, socket address, executable, stream name
    StringId detail = kNoString; // decoded arguments: "O_RDONLY|O_CLOEXEC", "sender pid 42 (SI_USER)"
    std::uint32_t durationNs = 0; // entry to exit for syscalls with an exit stop (saturating)
    std::int16_t errnum = 0; // errno when Failed
    EventKind kind = EventKind::Note;
    EventClass cls = EventClass::Process;
    std::uint16_t flags = 0;
    std::uint16_t reserved = 0;

    bool failed() const { return (flags & EventFlag::Failed) != 0; }
    std::uint16_t resultKind() const { return flags & EventFlag::ResultKindMask; }
    bool windows() const { return resultKind() != EventFlag::ResultErrno; }
};

static_assert(sizeof(Event) == 48, "Event is a fixed 48-byte record; update docs/ARCHITECTURE.md if it changes");

std::string_view eventKindName(EventKind kind);
std::string_view eventClassName(EventClass cls);
bool eventClassFromName(std::string_view name, EventClass& out);

} // namespace exitlens
