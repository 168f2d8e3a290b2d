#include "NtStatus.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace exitlens {

namespace {

// Sorted by code (checked by a static assertion below). Process Monitor's texts are the ones its
// Result column shows (checked against its own CSV exports in tst_pml); the descriptions are ours.
constexpr NtStatusInfo kTable[] = {
    { 0x00000000, "STATUS_SUCCESS", "SUCCESS", "success" },
    { 0x00000103, "STATUS_PENDING", "", "the operation has not completed yet" },
    { 0x00000104, "STATUS_REPARSE", "REPARSE", "the name points somewhere else (a reparse point or symbolic link)" },
    { 0x00000105, "STATUS_MORE_ENTRIES", "MORE ENTRIES", "there are more entries than the buffer held" },
    { 0x00000108, "STATUS_OPLOCK_BREAK_IN_PROGRESS", "OPLOCK BREAK IN PROGRESS",
        "an opportunistic lock is being broken" },
    { 0x0000010B, "STATUS_NOTIFY_CLEANUP", "NOTIFY CLEANUP", "a change notification was cleaned up" },
    { 0x0000010C, "STATUS_NOTIFY_ENUM_DIR", "NOTIFY ENUM DIR",
        "too many changes: the directory must be enumerated again" },
    { 0x0000012A, "STATUS_FILE_LOCKED_WITH_ONLY_READERS", "FILE LOCKED WITH ONLY READERS",
        "the file is mapped by readers only" },
    { 0x0000012B, "STATUS_FILE_LOCKED_WITH_WRITERS", "FILE LOCKED WITH WRITERS", "the file is mapped by a writer" },
    { 0x00000215, "STATUS_OPLOCK_SWITCHED_TO_NEW_HANDLE", "OPLOCK SWITCHED TO NEW HANDLE",
        "the oplock moved to a new handle" },
    { 0x00000216, "STATUS_OPLOCK_HANDLE_CLOSED", "OPLOCK HANDLE CLOSED", "the handle that held the oplock was closed" },
    { 0x00000367, "STATUS_WAIT_FOR_OPLOCK", "WAIT FOR OPLOCK", "waiting for an oplock" },
    { 0x40000016, "STATUS_PREDEFINED_HANDLE", "PREDEFINED HANDLE", "a predefined registry handle" },
    { 0x40010004, "DBG_TERMINATE_PROCESS", "", "the debugger terminated the process" },
    { 0x40010005, "DBG_CONTROL_C", "", "Ctrl+C reached a debugged console program" },
    { 0x80000002, "STATUS_DATATYPE_MISALIGNMENT", "DATATYPE MISALIGNMENT", "a misaligned memory access" },
    { 0x80000003, "STATUS_BREAKPOINT", "", "a breakpoint was hit with no debugger attached" },
    { 0x80000005, "STATUS_BUFFER_OVERFLOW", "BUFFER OVERFLOW",
        "the data did not fit the buffer (the caller asks again with a larger one)" },
    { 0x80000006, "STATUS_NO_MORE_FILES", "NO MORE FILES", "no more files match" },
    { 0x80000015, "STATUS_INVALID_EA_FLAG", "INVALID EA FLAG", "an invalid extended-attribute flag" },
    { 0x8000001A, "STATUS_NO_MORE_ENTRIES", "NO MORE ENTRIES", "no more entries" },
    { 0xC0000001, "STATUS_UNSUCCESSFUL", "UNSUCCESSFUL", "the operation failed" },
    { 0xC0000002, "STATUS_NOT_IMPLEMENTED", "NOT IMPLEMENTED", "not implemented" },
    { 0xC0000003, "STATUS_INVALID_INFO_CLASS", "INVALID INFO CLASS",
        "an information class the target does not support" },
    { 0xC0000004, "STATUS_INFO_LENGTH_MISMATCH", "INFO LENGTH MISMATCH",
        "the buffer length does not match the information class" },
    { 0xC0000005, "STATUS_ACCESS_VIOLATION", "ACCESS VIOLATION",
        "access violation: the program read or wrote memory it may not (a crash)" },
    { 0xC0000006, "STATUS_IN_PAGE_ERROR", "IN PAGE ERROR",
        "a page of the program or a mapped file could not be read in" },
    { 0xC0000008, "STATUS_INVALID_HANDLE", "INVALID HANDLE", "an invalid handle" },
    { 0xC000000D, "STATUS_INVALID_PARAMETER", "INVALID PARAMETER", "an invalid parameter" },
    { 0xC000000E, "STATUS_NO_SUCH_DEVICE", "NO SUCH DEVICE", "no such device" },
    { 0xC000000F, "STATUS_NO_SUCH_FILE", "NO SUCH FILE", "no such file" },
    { 0xC0000010, "STATUS_INVALID_DEVICE_REQUEST", "INVALID DEVICE REQUEST",
        "the device does not support the request" },
    { 0xC0000011, "STATUS_END_OF_FILE", "END OF FILE", "end of file" },
    { 0xC0000012, "STATUS_WRONG_VOLUME", "WRONG VOLUME", "the wrong volume is in the drive" },
    { 0xC0000013, "STATUS_NO_MEDIA_IN_DEVICE", "NO MEDIA", "no media in the drive" },
    { 0xC0000017, "STATUS_NO_MEMORY", "NO MEMORY", "not enough virtual memory or paging file quota" },
    { 0xC000001D, "STATUS_ILLEGAL_INSTRUCTION", "", "an illegal instruction (a crash)" },
    { 0xC0000022, "STATUS_ACCESS_DENIED", "ACCESS DENIED", "access denied" },
    { 0xC0000023, "STATUS_BUFFER_TOO_SMALL", "BUFFER TOO SMALL", "the buffer is too small" },
    { 0xC0000025, "STATUS_NONCONTINUABLE_EXCEPTION", "", "an exception the program may not continue from" },
    { 0xC0000026, "STATUS_INVALID_DISPOSITION", "", "an exception handler returned an invalid disposition" },
    { 0xC0000032, "STATUS_DISK_CORRUPT_ERROR", "DISK CORRUPT", "the disk structure is corrupt" },
    { 0xC0000033, "STATUS_OBJECT_NAME_INVALID", "NAME INVALID", "the name is not valid" },
    { 0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND", "NAME NOT FOUND", "the name was not found" },
    { 0xC0000035, "STATUS_OBJECT_NAME_COLLISION", "NAME COLLISION", "the name already exists" },
    { 0xC0000039, "STATUS_OBJECT_PATH_INVALID", "OBJECT PATH INVALID", "the path is not valid" },
    { 0xC000003A, "STATUS_OBJECT_PATH_NOT_FOUND", "PATH NOT FOUND", "a directory on the path was not found" },
    { 0xC000003B, "STATUS_OBJECT_PATH_SYNTAX_BAD", "PATH SYNTAX BAD", "the path syntax is bad" },
    { 0xC0000043, "STATUS_SHARING_VIOLATION", "SHARING VIOLATION",
        "another process has the file open in a way that excludes this one" },
    { 0xC0000044, "STATUS_QUOTA_EXCEEDED", "QUOTA EXCEEDED", "a quota was exceeded" },
    { 0xC000004F, "STATUS_EAS_NOT_SUPPORTED", "EAS NOT SUPPORTED", "extended attributes are not supported" },
    { 0xC0000052, "STATUS_NO_EAS_ON_FILE", "NO EAS ON FILE", "the file has no extended attributes" },
    { 0xC0000054, "STATUS_FILE_LOCK_CONFLICT", "FILE LOCK CONFLICT", "a lock conflicts with this access" },
    { 0xC0000055, "STATUS_LOCK_NOT_GRANTED", "NOT GRANTED", "the lock was not granted" },
    { 0xC0000056, "STATUS_DELETE_PENDING", "DELETE PENDING", "the file is being deleted" },
    { 0xC0000061, "STATUS_PRIVILEGE_NOT_HELD", "PRIVILEGE NOT HELD", "a required privilege is not held" },
    { 0xC000006D, "STATUS_LOGON_FAILURE", "LOGON FAILURE", "unknown user name or bad password" },
    { 0xC000007F, "STATUS_DISK_FULL", "DISK FULL", "the disk is full" },
    { 0xC000008C, "STATUS_ARRAY_BOUNDS_EXCEEDED", "", "an array bounds check failed (a crash)" },
    { 0xC000008E, "STATUS_FLOAT_DIVIDE_BY_ZERO", "", "a floating-point division by zero (a crash)" },
    { 0xC0000094, "STATUS_INTEGER_DIVIDE_BY_ZERO", "", "an integer division by zero (a crash)" },
    { 0xC0000095, "STATUS_INTEGER_OVERFLOW", "", "an integer overflow trap (a crash)" },
    { 0xC0000096, "STATUS_PRIVILEGED_INSTRUCTION", "", "a privileged instruction (a crash)" },
    { 0xC000009A, "STATUS_INSUFFICIENT_RESOURCES", "INSUFFICIENT RESOURCES", "insufficient system resources" },
    { 0xC00000A2, "STATUS_MEDIA_WRITE_PROTECTED", "MEDIA WRITE PROTECTED", "the media is write protected" },
    { 0xC00000AC, "STATUS_PIPE_NOT_AVAILABLE", "PIPE NOT AVAILABLE", "no pipe instance is available" },
    { 0xC00000AD, "STATUS_INVALID_PIPE_STATE", "INVALID PIPE STATE", "the pipe is in the wrong state" },
    { 0xC00000AE, "STATUS_PIPE_BUSY", "PIPE BUSY", "the pipe is busy" },
    { 0xC00000B0, "STATUS_PIPE_DISCONNECTED", "PIPE DISCONNECTED", "the pipe was disconnected" },
    { 0xC00000B1, "STATUS_PIPE_CLOSING", "PIPE CLOSING", "the pipe is closing" },
    { 0xC00000B5, "STATUS_IO_TIMEOUT", "IO TIMEOUT", "the I/O timed out" },
    { 0xC00000BA, "STATUS_FILE_IS_A_DIRECTORY", "IS DIRECTORY", "the name is a directory" },
    { 0xC00000BB, "STATUS_NOT_SUPPORTED", "NOT SUPPORTED", "not supported" },
    { 0xC00000BE, "STATUS_BAD_NETWORK_PATH", "BAD NETWORK PATH", "the network path was not found" },
    { 0xC00000C4, "STATUS_UNEXPECTED_NETWORK_ERROR", "NETWORK ERROR", "an unexpected network error" },
    { 0xC00000CC, "STATUS_BAD_NETWORK_NAME", "BAD NETWORK NAME", "the network name was not found" },
    { 0xC00000D8, "STATUS_CANT_WAIT", "CANT WAIT", "the operation would have to wait" },
    { 0xC00000D9, "STATUS_PIPE_EMPTY", "PIPE EMPTY", "the pipe is empty" },
    { 0xC00000E2, "STATUS_OPLOCK_NOT_GRANTED", "OPLOCK NOT GRANTED", "the oplock was not granted" },
    { 0xC00000FD, "STATUS_STACK_OVERFLOW", "", "the stack overflowed (a crash, often endless recursion)" },
    { 0xC0000101, "STATUS_DIRECTORY_NOT_EMPTY", "NOT EMPTY", "the directory is not empty" },
    { 0xC0000102, "STATUS_FILE_CORRUPT_ERROR", "FILE CORRUPT", "the file is corrupt" },
    { 0xC0000103, "STATUS_NOT_A_DIRECTORY", "NOT A DIRECTORY", "a name on the path is not a directory" },
    { 0xC0000120, "STATUS_CANCELLED", "CANCELLED", "the I/O was cancelled" },
    { 0xC0000121, "STATUS_CANNOT_DELETE", "CANNOT DELETE", "the file cannot be deleted" },
    { 0xC0000123, "STATUS_FILE_DELETED", "FILE DELETED", "the file was deleted" },
    { 0xC0000128, "STATUS_FILE_CLOSED", "FILE CLOSED", "the file was closed" },
    { 0xC0000135, "STATUS_DLL_NOT_FOUND", "", "a DLL the program needs was not found, so it could not start" },
    { 0xC0000138, "STATUS_ORDINAL_NOT_FOUND", "", "a DLL lacks an ordinal the program imports" },
    { 0xC0000139, "STATUS_ENTRYPOINT_NOT_FOUND", "",
        "a DLL lacks a function the program imports (a version mismatch)" },
    { 0xC000013A, "STATUS_CONTROL_C_EXIT", "", "the program was ended by Ctrl+C or by closing its console" },
    { 0xC0000142, "STATUS_DLL_INIT_FAILED", "", "a DLL's initialisation failed, so the program could not start" },
    { 0xC000014B, "STATUS_PIPE_BROKEN", "PIPE BROKEN", "the pipe is broken" },
    { 0xC000014C, "STATUS_REGISTRY_CORRUPT", "REGISTRY CORRUPT", "the registry is corrupt" },
    { 0xC000014D, "STATUS_REGISTRY_IO_FAILED", "IO FAILED", "registry I/O failed" },
    { 0xC000017C, "STATUS_KEY_DELETED", "KEY DELETED", "the registry key was deleted" },
    { 0xC0000184, "STATUS_INVALID_DEVICE_STATE", "INVALID DEVICE STATE", "the device is in the wrong state" },
    { 0xC0000185, "STATUS_IO_DEVICE_ERROR", "IO DEVICE ERROR", "a device I/O error" },
    { 0xC000020C, "STATUS_CONNECTION_DISCONNECTED", "DISCONNECTED", "the connection was disconnected" },
    { 0xC0000225, "STATUS_NOT_FOUND", "NOT FOUND", "not found" },
    { 0xC0000273, "STATUS_NO_MORE_MATCHES", "NO MORE MATCHES", "no more matches" },
    { 0xC0000275, "STATUS_NOT_A_REPARSE_POINT", "NOT REPARSE POINT", "the file is not a reparse point" },
    { 0xC00002F0, "STATUS_OBJECTID_NOT_FOUND", "OBJECTID NOT FOUND", "the object id was not found" },
    { 0xC0000374, "STATUS_HEAP_CORRUPTION", "",
        "the heap is corrupt (a memory bug in the program or a library it loads)" },
    { 0xC0000409, "STATUS_STACK_BUFFER_OVERRUN", "",
        "the program ended itself on purpose: a stack buffer overrun or a fail-fast call (abort, an invalid parameter, "
        "a failed check)" },
    { 0xC0000417, "STATUS_INVALID_CRUNTIME_PARAMETER", "", "the C runtime was given an invalid parameter" },
    { 0xC000041D, "STATUS_FATAL_USER_CALLBACK_EXCEPTION", "", "an exception in a user callback from the kernel" },
    { 0xC0000427, "STATUS_FILE_SYSTEM_LIMITATION", "FILE SYSTEM LIMITATION", "a file-system limitation" },
    { 0xC000042C, "STATUS_ELEVATION_REQUIRED", "", "the program must run as administrator (elevated)" },
    { 0xC000046D, "STATUS_OBJECT_NOT_EXTERNALLY_BACKED", "OBJECT NOT EXTERNALLY BACKED",
        "the object is not externally backed" },
    { 0xC0000909, "STATUS_CANNOT_BREAK_OPLOCK", "CANNOT BREAK OPLOCK", "the oplock cannot be broken" },
    { 0xC000A2A3, "STATUS_OFFLOAD_READ_FILE_NOT_SUPPORTED", "OFFLOAD READ FILE NOT SUPPORTED",
        "offload read is not supported for this file" },
    { 0xC01C0004, "STATUS_FLT_DISALLOW_FAST_IO", "FAST IO DISALLOWED",
        "the fast I/O path was refused (the normal path follows)" },
    { 0xE0434352, "", "", "an unhandled .NET exception" },
    { 0xE06D7363, "", "", "an unhandled C++ exception" },
};

constexpr bool sortedByCode()
{
    for (std::size_t i = 1; i < std::size(kTable); ++i) {
        if (kTable[i - 1].code >= kTable[i].code)
            return false;
    }
    return true;
}
static_assert(sortedByCode(), "kTable must be sorted by code");

} // namespace

const NtStatusInfo* findNtStatus(std::uint32_t code)
{
    const auto* end = std::end(kTable);
    const auto* it = std::lower_bound(std::begin(kTable), end, code,
        [](const NtStatusInfo& entry, std::uint32_t value) { return entry.code < value; });
    return it != end && it->code == code ? it : nullptr;
}

const NtStatusInfo* findNtStatusByProcmonText(std::string_view text)
{
    if (text.empty())
        return nullptr;
    for (const NtStatusInfo& entry : kTable) {
        if (entry.procmon == text)
            return &entry;
    }
    return nullptr;
}

std::string procmonResultText(std::uint32_t code)
{
    const NtStatusInfo* info = findNtStatus(code);
    // Entries with an empty text are either STATUS_PENDING (Process Monitor prints nothing) or exit
    // statuses it never shows as a Result; only the pending one prints empty.
    if (info != nullptr && (!info->procmon.empty() || code == 0x103))
        return std::string(info->procmon);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%X", static_cast<unsigned>(code));
    return buffer;
}

std::string formatWindowsExitStatus(std::uint32_t code)
{
    if (!isNtStatusFailure(code) && (code >> 28) != 0x4)
        return std::to_string(code);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08X", static_cast<unsigned>(code));
    std::string text = buffer;
    if (const NtStatusInfo* info = findNtStatus(code); info != nullptr && !info->name.empty()) {
        text += ' ';
        text += info->name;
    }
    return text;
}

} // namespace exitlens
