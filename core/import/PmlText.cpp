#include "import/PmlText.h"

#include "import/PmlLog.h"

#include <cstdio>

namespace exitlens::pml {

namespace {

struct Civil {
    int year = 1601, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    std::uint32_t fraction = 0; // 100 ns
};

// Days since 1970-01-01 to a civil date (Howard Hinnant's well-known algorithm).
void civilFromDays(std::int64_t z, int& y, int& m, int& d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

Civil civil(std::uint64_t filetime)
{
    Civil c;
    c.fraction = static_cast<std::uint32_t>(filetime % 10000000ULL);
    const std::int64_t seconds =
        static_cast<std::int64_t>(filetime / 10000000ULL) - static_cast<std::int64_t>(kFiletimeUnixEpoch / 10000000ULL);
    std::int64_t days = seconds / 86400;
    std::int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    civilFromDays(days, c.year, c.month, c.day);
    c.hour = static_cast<int>(rest / 3600);
    c.minute = static_cast<int>(rest / 60 % 60);
    c.second = static_cast<int>(rest % 60);
    return c;
}

} // namespace

void appendGrouped(std::string& out, std::uint64_t value)
{
    char digits[24];
    const int n = std::snprintf(digits, sizeof digits, "%llu", static_cast<unsigned long long>(value));
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
}

std::string groupThousands(std::uint64_t value)
{
    std::string out;
    appendGrouped(out, value);
    return out;
}

std::string formatTicks(std::uint64_t ticks)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%llu.%07llu", static_cast<unsigned long long>(ticks / 10000000ULL),
        static_cast<unsigned long long>(ticks % 10000000ULL));
    return buffer;
}

std::string formatTimeOfDay(std::uint64_t filetime)
{
    const Civil c = civil(filetime);
    const int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%d:%02d:%02d.%07u %s", hour12, c.minute, c.second, c.fraction,
        c.hour < 12 ? "AM" : "PM");
    return buffer;
}

std::string formatDateTime(std::uint64_t filetime)
{
    const Civil c = civil(filetime);
    const int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%d/%d/%d %d:%02d:%02d %s", c.month, c.day, c.year, hour12, c.minute, c.second,
        c.hour < 12 ? "AM" : "PM");
    return buffer;
}

std::string formatIso(std::uint64_t filetime)
{
    const Civil c = civil(filetime);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%07uZ", c.year, c.month, c.day, c.hour,
        c.minute, c.second, c.fraction);
    return buffer;
}

} // namespace exitlens::pml
