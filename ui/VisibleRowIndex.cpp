#include "VisibleRowIndex.h"

#include <algorithm>

namespace exitlens {

void VisibleRowIndex::reset(std::uint64_t first, std::uint64_t end, Predicate predicate,
    const std::function<const Event&(std::uint64_t)>& getEvent)
{
    m_first = first;
    m_end = first;
    m_predicate = std::move(predicate);
    m_filtered = static_cast<bool>(m_predicate);
    m_rows = std::make_unique<Rows>();
    m_pending.clear();
    m_pendingEnd = 0;
    extend(std::max(first, end), getEvent);
}

void VisibleRowIndex::assign(std::uint64_t first, std::uint64_t end, const std::vector<std::uint64_t>& rows,
    std::uint64_t scanned, Predicate predicate, const std::function<const Event&(std::uint64_t)>& getEvent)
{
    end = std::max(first, end);
    // The worker may have scanned events the table has not taken yet (live updates paused): keep
    // only what the table knows, so syncTo() stays the one way new events come in.
    const std::uint64_t known = std::clamp(scanned, first, end);
    m_first = first;
    m_predicate = std::move(predicate);
    m_filtered = true;
    m_rows = std::make_unique<Rows>();
    m_pending.clear();
    m_pendingEnd = 0;
    for (auto it = std::lower_bound(rows.begin(), rows.end(), first); it != rows.end() && *it < known; ++it)
        m_rows->append(static_cast<std::uint32_t>(*it));
    m_end = known;
    if (!m_predicate) // rows alone: everything past them passes
        m_predicate = [](std::uint64_t, const Event&) { return true; };
    extend(end, getEvent);
}

std::uint64_t VisibleRowIndex::countNew(
    std::uint64_t newEnd, const std::function<const Event&(std::uint64_t)>& getEvent) const
{
    if (newEnd <= m_end)
        return 0;
    if (!m_filtered)
        return newEnd - m_end;
    m_pending.clear();
    for (std::uint64_t seq = m_end; seq < newEnd; ++seq) {
        if (m_predicate(seq, getEvent(seq)))
            m_pending.push_back(static_cast<std::uint32_t>(seq));
    }
    m_pendingEnd = newEnd;
    return m_pending.size();
}

std::uint64_t VisibleRowIndex::extend(std::uint64_t newEnd, const std::function<const Event&(std::uint64_t)>& getEvent)
{
    if (newEnd <= m_end)
        return 0;
    if (!m_filtered) {
        const std::uint64_t added = newEnd - m_end;
        m_end = newEnd;
        return added;
    }
    if (m_pendingEnd != newEnd)
        countNew(newEnd, getEvent);
    for (std::uint32_t seq : m_pending)
        m_rows->append(seq);
    const std::uint64_t added = m_pending.size();
    m_pending.clear();
    m_pendingEnd = 0;
    m_end = newEnd;
    return added;
}

std::uint64_t VisibleRowIndex::lowerBound(std::uint64_t seq) const
{
    std::uint64_t low = 0;
    std::uint64_t high = m_rows->writerSize();
    while (low < high) {
        const std::uint64_t middle = low + (high - low) / 2;
        if ((*m_rows)[middle] < seq)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

std::int64_t VisibleRowIndex::rowOf(std::uint64_t seq) const
{
    if (seq < m_first || seq >= m_end)
        return -1;
    if (!m_filtered)
        return std::int64_t(seq - m_first);
    const std::uint64_t found = lowerBound(seq);
    if (found == m_rows->writerSize() || (*m_rows)[found] != seq)
        return -1;
    return std::int64_t(found);
}

std::int64_t VisibleRowIndex::nearestRowOf(std::uint64_t seq) const
{
    const std::uint64_t rows = size();
    if (rows == 0)
        return -1;
    if (!m_filtered) {
        if (seq < m_first)
            return 0;
        return std::int64_t(std::min(seq - m_first, rows - 1));
    }
    const std::uint64_t found = lowerBound(seq);
    if (found == m_rows->writerSize())
        return std::int64_t(rows - 1);
    return std::int64_t(found);
}

} // namespace exitlens
