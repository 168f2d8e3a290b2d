#pragma once

#include <cstdint>
#include <string>

// Process Monitor's ways of printing numbers and times, shared by the detail decoder, the importer
// and the tests that compare with its CSV export.
namespace exitlens::pml {

// 1234567 -> "1,234,567"
std::string groupThousands(std::uint64_t value);
void appendGrouped(std::string& out, std::uint64_t value);
// A 100 ns duration as seconds with seven decimals: "0.0000112"
std::string formatTicks(std::uint64_t ticks);
// FILETIME (UTC) as Process Monitor's Time of Day: "7:19:37.0147934 AM"
std::string formatTimeOfDay(std::uint64_t filetime);
// FILETIME as Process Monitor's Date & Time: "7/31/2020 7:19:37 AM"
std::string formatDateTime(std::uint64_t filetime);
// FILETIME as ISO 8601 UTC with 100 ns: "2020-07-31T07:19:37.0147934Z"
std::string formatIso(std::uint64_t filetime);

} // namespace exitlens::pml
