#pragma once

#include "filter/FilterExpression.h"
#include "model/CaptureData.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace exitlens {

// A parsed filter bound to one capture, ready to test events. String predicates (path contains
// "conf", process == app) are evaluated once per distinct interned string or process and cached,
// so the test per event is a few lookups. Not thread-safe: one thread evaluates at a time.
class CompiledFilter {
public:
    CompiledFilter(std::unique_ptr<FilterNode> root, std::shared_ptr<const CaptureData> data);

    bool matches(std::uint64_t seq);
    // Appends the matching sequence numbers in [first, last) to out.
    void scan(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out);

private:
    struct ProcessFacts {
        std::string name;
        std::string exe;
        int ppid = 0;
    };
    bool evaluate(const FilterNode& node, const Event& event, std::uint64_t seq);
    bool compare(const FilterNode& node, const Event& event, std::uint64_t seq);
    bool compareText(const FilterNode& node, std::string_view text) const;
    bool compareNumber(const FilterNode& node, double value) const;
    bool cachedString(const FilterNode& node, StringId id);
    const ProcessFacts& process(int pid);

    // What one comparison knows ahead of the scan, so the per-event test is a lookup.
    struct Slot {
        std::vector<std::uint8_t> strings; // by string id: 0 = not yet known, 1 = true, 2 = false
        std::vector<std::uint8_t> small; // by class, kind or errno number: 1 = true
    };
    void prepare(FilterNode& node);

    std::unique_ptr<FilterNode> m_root;
    std::shared_ptr<const CaptureData> m_data;
    std::vector<Slot> m_slots;
    std::unordered_map<int, ProcessFacts> m_processes;
    std::uint64_t m_processVersion = ~0ull;
};

} // namespace exitlens
