#pragma once

#include "Event.h"

#include <QString>
#include <cstdint>
#include <memory>

namespace exitlens {

class CaptureData;

// Find's matcher (the display filter is the filter language: FilterController): a text contained
// in the process name, operation, path, result or detail; optionally failures only and no Go
// runtime housekeeping. Matching tests each distinct string once (the dictionary, not the
// rows, as hotspot does) and caches the answer per string id, so testing an event is a few
// lookups however many millions of rows there are.
struct QuickFilterSettings {
    QString text;
    bool failuresOnly = false;
    bool hideRuntimeNoise = true;

    bool operator==(const QuickFilterSettings&) const = default;
};

class QuickFilter {
public:
    QuickFilter() = default;
    QuickFilter(std::shared_ptr<const CaptureData> data, QuickFilterSettings settings);

    // True when every event passes (the model then needs no row index at all).
    bool passesEverything() const;
    bool accepts(const Event& event) const; // the whole filter
    bool textMatches(const Event& event) const; // only the text part (used by Find)
    const QuickFilterSettings& settings() const { return m_settings; }

private:
    struct Cache;
    bool stringMatches(StringId id) const;
    bool processMatches(const Event& event) const;

    std::shared_ptr<const CaptureData> m_data;
    QuickFilterSettings m_settings;
    std::shared_ptr<Cache> m_cache; // shared by copies: the predicate is copied into the model
};

} // namespace exitlens
