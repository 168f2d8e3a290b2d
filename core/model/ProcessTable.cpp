#include "ProcessTable.h"

namespace exitlens {

void ProcessTable::update(const ProcessRecord& record)
{
    std::lock_guard lock(m_mutex);
    auto found = m_latestByPid.find(record.pid);
    if (found != m_latestByPid.end() && m_records[found->second].startSeq == record.startSeq) {
        m_records[found->second] = record;
    } else {
        m_latestByPid[record.pid] = m_records.size();
        m_records.push_back(record);
    }
    m_version.fetch_add(1, std::memory_order_release);
}

void ProcessTable::replace(std::size_t index, const ProcessRecord& record)
{
    std::lock_guard lock(m_mutex);
    if (index >= m_records.size() || m_records[index].pid != record.pid)
        return;
    m_records[index] = record;
    m_version.fetch_add(1, std::memory_order_release);
}

std::vector<ProcessRecord> ProcessTable::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_records;
}

bool ProcessTable::find(int pid, ProcessRecord& out) const
{
    std::lock_guard lock(m_mutex);
    auto found = m_latestByPid.find(pid);
    if (found == m_latestByPid.end())
        return false;
    out = m_records[found->second];
    return true;
}

std::size_t ProcessTable::size() const
{
    std::lock_guard lock(m_mutex);
    return m_records.size();
}

} // namespace exitlens
