#pragma once

#include "Event.h"
#include "model/ChunkedArray.h"

#include <span>

namespace exitlens {

// The capture's events, append-only. Rows never move; readers see a stable prefix published with
// release semantics, so the GUI reads without locks while the tracer appends.
class EventStore {
public:
    // Writer only. Returns the sequence number of the first appended event; events beyond the
    // store's capacity are counted in dropped().
    std::uint64_t append(std::span<const Event> events);
    void publish()
    {
        m_summaries.publish(); // first: a reader that sees an event sees its summary
        m_events.publish();
    }

    std::uint64_t size() const { return m_events.size(); }
    const Event& at(std::uint64_t seq) const { return m_events[seq]; }
    // One byte per event, kept beside the records: class, kind and failed, packed as
    // failed + 2 * (kind + kKinds * class) (10 classes x 9 kinds x 2 = 180 values; bit 0 is failed).
    // A filter that tests only those reads a tenth of a byte per record's 48 (docs/filters.md,
    // "Speed"). Contiguous within a 65,536-event chunk, like the records.
    const std::uint8_t& summaryAt(std::uint64_t seq) const { return m_summaries[seq]; }
    static constexpr unsigned kSummaryKinds = static_cast<unsigned>(EventKind::Note) + 1;
    static_assert(2 * kSummaryKinds * kEventClassCount <= 256, "the summary byte holds every class x kind x failed");
    static std::uint8_t summaryOf(const Event& event)
    {
        const unsigned cls =
            static_cast<unsigned>(event.cls) < kEventClassCount ? static_cast<unsigned>(event.cls) : 0u;
        const unsigned kind =
            static_cast<unsigned>(event.kind) < kSummaryKinds ? static_cast<unsigned>(event.kind) : 0u;
        return static_cast<std::uint8_t>((event.failed() ? 1u : 0u) + 2u * (kind + kSummaryKinds * cls));
    }
    static bool summaryFailed(std::uint8_t summary) { return (summary & 1u) != 0; }
    static unsigned summaryKind(std::uint8_t summary) { return (summary >> 1) % kSummaryKinds; }
    // kEventClassCount or more for a byte no event has.
    static unsigned summaryClass(std::uint8_t summary) { return (summary >> 1) / kSummaryKinds; }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    std::uint64_t memoryBytes() const
    {
        return m_events.allocatedChunks() * decltype(m_events)::kChunkSize * (sizeof(Event) + 1);
    }

private:
    ChunkedArray<Event> m_events;
    ChunkedArray<std::uint8_t> m_summaries; // same chunking as m_events
    std::atomic<std::uint64_t> m_dropped { 0 };
};

} // namespace exitlens
