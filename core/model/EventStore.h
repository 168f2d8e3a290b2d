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
    // One byte per event, kept beside the records: class (bits 0-2), failed (bit 3), kind
    // (bits 4-7). A filter that tests only those reads a tenth of a byte per record's 48
    // (docs/filters.md, "Speed"). Contiguous within a 65,536-event chunk, like the records.
    const std::uint8_t& summaryAt(std::uint64_t seq) const { return m_summaries[seq]; }
    static std::uint8_t summaryOf(const Event& event)
    {
        return static_cast<std::uint8_t>((static_cast<unsigned>(event.cls) & 7u) | (event.failed() ? 8u : 0u)
            | ((static_cast<unsigned>(event.kind) & 15u) << 4));
    }
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
