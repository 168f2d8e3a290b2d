#pragma once

#include "filter/FilterExpression.h"
#include "model/CaptureData.h"

#include <functional>
#include <memory>
#include <vector>

namespace exitlens {

// A parsed filter bound to one capture, ready to test events.
//
// Why it is shaped this way (docs/PERFORMANCE.md, "Filter"): the expression is flattened once into
// a small array of nodes, and events are tested a block at a time (2,048 contiguous records of
// one store chunk) with selection vectors: each comparison runs one tight, specialised loop over
// the rows still alive, so there is no virtual call, recursion or allocation per row. The
// conjuncts of an `and` are reordered as the scan goes by their measured cost and pass rate
// (cheapest, most selective first). String predicates (path contains "conf", op == openat) are
// evaluated once per distinct interned string and cached in a byte per string id.
//
// Not thread-safe: one thread calls matches()/scan() at a time. scanParallel() spreads one scan
// over several threads itself, sharing the string caches.
class CompiledFilter {
public:
    CompiledFilter(std::unique_ptr<FilterNode> root, std::shared_ptr<const CaptureData> data);
    ~CompiledFilter();
    CompiledFilter(const CompiledFilter&) = delete;
    CompiledFilter& operator=(const CompiledFilter&) = delete;

    bool matches(std::uint64_t seq);
    // Tests an event that is not in the store: the capture filter, on the tracer thread, before the
    // event is numbered (CaptureData::keep). Its strings must already be interned in the capture's
    // pool; `seq` is what the seq field compares against.
    bool matchesEvent(const Event& event, std::uint64_t seq);
    // Appends the matching sequence numbers in [first, last) to out.
    void scan(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out);
    // The same over up to `threads` threads (this one included). cancelled is polled from every
    // thread every 65,536 events; returns false (out unspecified) when it said so.
    bool scanParallel(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out, int threads,
        const std::function<bool()>& cancelled = {});

    // The number of threads worth using for a scan of `events` events on this machine.
    static int threadsFor(std::uint64_t events);

    struct Program;
    struct Scratch;

private:
    bool scanChecked(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out, Scratch& scratch,
        const std::function<bool()>& cancelled);

    std::shared_ptr<Program> m_program;
    std::unique_ptr<Scratch> m_scratch;
};

} // namespace exitlens
