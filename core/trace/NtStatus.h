#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace exitlens {

// The NTSTATUS values a Windows program can end with or an operation can return, shared by every
// Windows feature (the Process Monitor importer, the formatter, the verdict rules, a future Windows
// backend). Plain data: no Windows headers, so it compiles and means the same on every host.
struct NtStatusInfo {
    std::uint32_t code = 0;
    std::string_view name; // "STATUS_DLL_NOT_FOUND"; empty when only Process Monitor's text is known
    std::string_view procmon; // Process Monitor's Result column: "NAME NOT FOUND"; empty for none
    std::string_view description; // a short sentence for people: "a DLL the program needs was not found"
};

// The entry for a code, or null when the table does not know it.
const NtStatusInfo* findNtStatus(std::uint32_t code);
// The entry whose Process Monitor text is `text` ("NAME NOT FOUND"), or null.
const NtStatusInfo* findNtStatusByProcmonText(std::string_view text);

// Process Monitor's Result text: its own words for the known codes ("SUCCESS", "NAME NOT FOUND",
// "" for a pending STATUS_PENDING), otherwise the code as it prints it: "0xC000046F".
std::string procmonResultText(std::uint32_t code);

// An exit status as people should read it: "0xC0000135 STATUS_DLL_NOT_FOUND" for an NTSTATUS-shaped
// code (severity bits set), otherwise the plain decimal ("0", "2"). Never a negative decimal.
std::string formatWindowsExitStatus(std::uint32_t code);

// True for a code with the NTSTATUS error or warning severity (0xC..., 0x8...): an exit status in
// that range is a crash or an abnormal end, not a number the program chose.
inline bool isNtStatusFailure(std::uint32_t code)
{
    return (code & 0x80000000u) != 0;
}

} // namespace exitlens
