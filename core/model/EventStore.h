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
    void publish() { m_events.publish(); }

    std::uint64_t size() const { return m_events.size(); }
    const Event& at(std::uint64_t seq) const { return m_events[seq]; }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    std::uint64_t memoryBytes() const
    {
        return m_events.allocatedChunks() * decltype(m_events)::kChunkSize * sizeof(Event);
    }

private:
    ChunkedArray<Event> m_events;
    std::atomic<std::uint64_t> m_dropped { 0 };
};

} // namespace exitlens
