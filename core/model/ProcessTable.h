#pragma once

#include "ProcessRecord.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace exitlens {

// Every process of a capture in the order they started. Processes are few next to events, so a
// mutex and whole-record snapshots are simpler than lock-free tricks and cost nothing measurable.
class ProcessTable {
public:
    // Inserts or replaces the record for the live process with this pid (pids can be reused
    // within one capture: a pid whose earlier holder has ended gets a new row).
    void update(const ProcessRecord& record);
    // Replaces the record at index (in snapshot() order) whatever its start: a session loader
    // repairs a stored process whose event numbers point past the events it could load.
    void replace(std::size_t index, const ProcessRecord& record);

    std::vector<ProcessRecord> snapshot() const;
    bool find(int pid, ProcessRecord& out) const; // the latest process with this pid
    std::size_t size() const;
    // Increases on every change; a reader compares it with the value it last saw.
    std::uint64_t version() const { return m_version.load(std::memory_order_acquire); }

private:
    mutable std::mutex m_mutex;
    std::vector<ProcessRecord> m_records;
    std::unordered_map<int, std::size_t> m_latestByPid;
    std::atomic<std::uint64_t> m_version { 0 };
};

} // namespace exitlens
