#pragma once

#include "model/CaptureData.h"

#include <string>

namespace exitlens {

// One readable line per event, strace-like, for `exitlens run --print-events`:
//   +0.012345 [1234] openat("/srv/app/config.json", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
class EventFormatter {
public:
    explicit EventFormatter(const CaptureData& data)
        : m_data(data)
    {
    }
    std::string line(std::uint64_t seq) const;
    // "= 3", "= -1 ENOENT (No such file or directory)", "= ? (unfinished)"
    static std::string resultText(const Event& event);

private:
    const CaptureData& m_data;
};

} // namespace exitlens
