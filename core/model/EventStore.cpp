#include "EventStore.h"

namespace exitlens {

std::uint64_t EventStore::append(std::span<const Event> events)
{
    const std::uint64_t first = m_events.writerSize();
    for (const Event& event : events) {
        if (!m_events.append(event))
            m_dropped.fetch_add(1, std::memory_order_relaxed);
        else
            m_summaries.append(summaryOf(event));
    }
    return first;
}

} // namespace exitlens
