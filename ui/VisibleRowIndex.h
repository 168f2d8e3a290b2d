#pragma once

#include "model/ChunkedArray.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace exitlens {

struct Event;

// Maps the table's visible rows to event sequence numbers. Unfiltered (the common, huge case) it
// is a plain range [first, end) and costs nothing per row; with a row filter it keeps the
// sequence numbers that pass, in order. Filtering lives here, in the model, not in a proxy model
// over millions of rows. The filter language (its own issue) plugs in as the predicate.
class VisibleRowIndex {
public:
    using Predicate = std::function<bool(std::uint64_t seq, const Event& event)>;

    // Starts over: rows are the events [first, end) that pass the predicate (all when empty).
    // getEvent reads the store; it is called once per event only when a predicate is set.
    void reset(std::uint64_t first, std::uint64_t end, Predicate predicate,
        const std::function<const Event&(std::uint64_t)>& getEvent);
    // Starts over from rows computed elsewhere (the filter worker): `rows` are the matching sequence
    // numbers of [0, scanned), in order. Events from `scanned` up to `end` are tested with the
    // predicate now, and later ones as extend() brings them: the live tail.
    void assign(std::uint64_t first, std::uint64_t end, const std::vector<std::uint64_t>& rows, std::uint64_t scanned,
        Predicate predicate, const std::function<const Event&(std::uint64_t)>& getEvent);
    // Takes events [end(), newEnd) into account. Returns how many rows were added.
    std::uint64_t extend(std::uint64_t newEnd, const std::function<const Event&(std::uint64_t)>& getEvent);
    // How many of the rows extend() would add (for beginInsertRows before extend()).
    std::uint64_t countNew(std::uint64_t newEnd, const std::function<const Event&(std::uint64_t)>& getEvent) const;

    std::uint64_t size() const { return m_filtered ? m_rows->writerSize() : m_end - m_first; }
    std::uint64_t seqAt(std::uint64_t row) const { return m_filtered ? (*m_rows)[row] : m_first + row; }
    // The row showing seq, or -1 when it is hidden or outside the index.
    std::int64_t rowOf(std::uint64_t seq) const;
    // The row showing seq or, when it is hidden, the first row after it (clamped to the last row).
    std::int64_t nearestRowOf(std::uint64_t seq) const;

    bool filtered() const { return m_filtered; }
    std::uint64_t first() const { return m_first; }
    std::uint64_t end() const { return m_end; } // events considered so far
    std::size_t memoryBytes() const
    {
        return m_rows->allocatedChunks() * Rows::kChunkSize * sizeof(std::uint32_t) + sizeof(Rows);
    }

private:
    std::uint64_t m_first = 0;
    std::uint64_t m_end = 0;
    bool m_filtered = false;
    Predicate m_predicate;
    // The store holds at most 2^32 events, so 4 bytes per row suffice. Chunks that never move:
    // growing the index never copies it (a vector's doubling would stall the GUI at 10M rows).
    using Rows = ChunkedArray<std::uint32_t>;
    std::unique_ptr<Rows> m_rows = std::make_unique<Rows>();
    std::uint64_t lowerBound(std::uint64_t seq) const;
    // extend() after countNew() reuses the rows countNew() found instead of testing them twice.
    mutable std::vector<std::uint32_t> m_pending;
    mutable std::uint64_t m_pendingEnd = 0;
};

} // namespace exitlens
