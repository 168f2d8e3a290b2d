#include "CompiledFilter.h"

#include "Names.h"
#include "filter/RuntimeNoise.h"
#include "model/ChunkedArray.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <climits>
#include <cmath>
#include <re2/re2.h>
#include <thread>
#include <unordered_map>

namespace exitlens {

namespace {
// Rows tested together. Small enough that a block of records (96 KiB) stays in L2 while every
// comparison makes its pass over it, large enough that the per-block bookkeeping vanishes.
constexpr std::uint32_t kBlock = 2048;
constexpr std::uint64_t kChunk = ChunkedArray<Event>::kChunkSize; // records contiguous in memory
constexpr std::uint64_t kCheckEvery = 1 << 16; // events between looks at "cancelled"
static_assert(kChunk % kBlock == 0, "a block never straddles two store chunks");

using Offsets = std::array<std::uint16_t, kBlock>;

const Offsets& identity()
{
    static const Offsets offsets = [] {
        Offsets all {};
        for (std::uint32_t i = 0; i < kBlock; ++i)
            all[i] = static_cast<std::uint16_t>(i);
        return all;
    }();
    return offsets;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    }) != haystack.end();
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && equalsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

bool endsWithIgnoringCase(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && equalsIgnoringCase(text.substr(text.size() - suffix.size()), suffix);
}

bool compareText(const FilterNode& node, std::string_view text)
{
    auto one = [&](const std::string& value) {
        switch (node.op) {
        case FilterOp::Equal:
        case FilterOp::In:
            return equalsIgnoringCase(text, value);
        case FilterOp::NotEqual:
            return !equalsIgnoringCase(text, value);
        case FilterOp::Contains:
            return containsIgnoringCase(text, value);
        case FilterOp::StartsWith:
            return startsWithIgnoringCase(text, value);
        case FilterOp::EndsWith:
            return endsWithIgnoringCase(text, value);
        case FilterOp::Matches:
            return node.regex && re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *node.regex);
        default:
            return false;
        }
    };
    if (node.op == FilterOp::NotEqual)
        return std::all_of(node.values.begin(), node.values.end(), one);
    return std::any_of(node.values.begin(), node.values.end(), one);
}

bool compareNumber(const FilterNode& node, double value)
{
    auto one = [&](double wanted) {
        switch (node.op) {
        case FilterOp::Equal:
        case FilterOp::In:
            return value == wanted;
        case FilterOp::NotEqual:
            return value != wanted;
        case FilterOp::Less:
            return value < wanted;
        case FilterOp::LessEqual:
            return value <= wanted;
        case FilterOp::Greater:
            return value > wanted;
        case FilterOp::GreaterEqual:
            return value >= wanted;
        default:
            return false;
        }
    };
    if (node.op == FilterOp::Contains || node.op == FilterOp::Matches || node.op == FilterOp::StartsWith
        || node.op == FilterOp::EndsWith) {
        return compareText(node, std::to_string(static_cast<long long>(value)));
    }
    if (node.op == FilterOp::NotEqual)
        return std::all_of(node.numbers.begin(), node.numbers.end(), one);
    return std::any_of(node.numbers.begin(), node.numbers.end(), one);
}

// kill(pid 42, SIGTERM): the signal name is the detail's last word.
std::string_view lastWord(std::string_view detail)
{
    const std::size_t at = detail.rfind(' ');
    return at == std::string_view::npos ? detail : detail.substr(at + 1);
}

// How a comparison is tested: each has its own loop in select().
enum class Leaf : std::uint8_t {
    Summary, // class, kind, failed, ok: a table of answers by the event's summary byte
    Errno, // a failed call whose errno's name matches
    Noise, // the Go runtime's housekeeping (RuntimeNoise.h)
    String, // one interned string field (op, path, detail): cached per string id
    Stream, // output events by stream name
    Text, // op, path and detail together
    Signal, // signal deliveries by name, kill calls by the detail's last word
    Number, // seq, time, pid, tid, result, duration
    Process, // process, exe, ppid: answered once per pid
};

struct ProcessFacts {
    std::string name;
    std::string exe;
    int ppid = 0;
};
using ProcessMap = std::unordered_map<int, ProcessFacts>;

// One byte per string id: 0 = not yet known, 1 = true, 2 = false. Atomic bytes (plain loads and
// stores on x86) so the threads of one parallel scan share what they learn; two threads that
// compute the same answer at once both store it, which is harmless.
struct StringCache {
    std::unique_ptr<std::atomic<std::uint8_t>[]> bytes;
    std::size_t size = 0;

    void reserve(std::size_t wanted)
    {
        if (wanted <= size)
            return;
        auto fresh = std::make_unique<std::atomic<std::uint8_t>[]>(wanted);
        for (std::size_t i = 0; i < size; ++i)
            fresh[i].store(bytes[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
        bytes = std::move(fresh);
        size = wanted;
    }
};
} // namespace

struct CompiledFilter::Program {
    struct Node {
        FilterNode::Type type = FilterNode::Type::Compare;
        std::vector<int> children;
        double cost = 1; // relative cost per row tested, for ordering conjuncts
        // Compare:
        const FilterNode* source = nullptr;
        Leaf leaf = Leaf::Number;
        std::array<std::uint8_t, 256> table {}; // Summary: by summary byte
        std::vector<std::uint8_t> errnos; // Errno: by errno number
        StringId Event::*member = nullptr; // String
        int cache = -1; // index into caches
        int detailCache = -1; // Signal: kill calls, keyed by the detail's id
        int process = -1; // Process: index of the per-thread memo
        bool simpleNumber = false; // Number: one value and a plain relation (selectNumber)
    };

    std::unique_ptr<FilterNode> root;
    std::shared_ptr<const CaptureData> data;
    std::vector<Node> nodes; // nodes[0] is the root; empty when everything matches
    std::vector<StringCache> caches;
    int processLeaves = 0;
    std::shared_ptr<const ProcessMap> processes = std::make_shared<ProcessMap>();
    std::uint64_t processVersion = ~0ull;

    int flatten(const FilterNode& source);
    void refreshProcesses();
    void reserveCaches(std::size_t strings)
    {
        for (auto& cache : caches)
            cache.reserve(strings);
    }
};

// What one thread needs to evaluate: selection buffers per node, the adaptive order of each
// `and`, memos. Allocated once per scan thread, never per row.
struct CompiledFilter::Scratch {
    struct Stat {
        double tested = 0;
        double passed = 0;
    };
    struct ProcessMemo {
        int pid = INT_MIN;
        bool result = false;
        std::unordered_map<int, bool> known;
    };

    explicit Scratch(const Program& program)
        : bufferSlot(program.nodes.size(), -1)
        , keep(program.nodes.size())
        , order(program.nodes.size())
        , stats(program.nodes.size())
        , sinceReorder(program.nodes.size(), 0)
        , memos(static_cast<std::size_t>(program.processLeaves))
    {
        for (std::size_t i = 0; i < program.nodes.size(); ++i) {
            const auto& node = program.nodes[i];
            // Only and/or/not pass rows through buffers of their own; a comparison writes into
            // its parent's. An expression of thousands of comparisons costs no more than one.
            if (node.type != FilterNode::Type::Compare) {
                bufferSlot[i] = static_cast<int>(buffers.size());
                buffers.resize(buffers.size() + 3);
            }
            if (node.type == FilterNode::Type::Or)
                keep[i].assign(kBlock, 0);
            if (node.type != FilterNode::Type::And)
                continue;
            stats[i].resize(node.children.size());
            for (std::size_t c = 0; c < node.children.size(); ++c)
                order[i].push_back(static_cast<int>(c));
            // Before anything is measured: cheapest first.
            std::stable_sort(order[i].begin(), order[i].end(), [&](int a, int b) {
                return program.nodes[static_cast<std::size_t>(node.children[static_cast<std::size_t>(a)])].cost
                    < program.nodes[static_cast<std::size_t>(node.children[static_cast<std::size_t>(b)])].cost;
            });
        }
    }

    std::uint16_t* buffer(int node, int which)
    {
        return buffers[static_cast<std::size_t>(bufferSlot[static_cast<std::size_t>(node)] + which)].data();
    }

    // Orders an `and` by expected cost per row: a conjunct that costs c and passes a fraction p of
    // its rows should run before one with a higher c / (1 - p).
    void reorder(const Program& program, int index)
    {
        auto& childStats = stats[static_cast<std::size_t>(index)];
        auto rank = [&](int child) {
            const Stat& stat = childStats[static_cast<std::size_t>(child)];
            const double pass = (stat.passed + 1) / (stat.tested + 2);
            const auto& node = program.nodes[static_cast<std::size_t>(index)];
            return program.nodes[static_cast<std::size_t>(node.children[static_cast<std::size_t>(child)])].cost
                / std::max(1e-3, 1 - pass);
        };
        auto& childOrder = order[static_cast<std::size_t>(index)];
        std::stable_sort(childOrder.begin(), childOrder.end(), [&](int a, int b) { return rank(a) < rank(b); });
        // Forget slowly, so a capture whose shape changes along the way is followed.
        for (auto& stat : childStats) {
            if (stat.tested > 1e6) {
                stat.tested /= 2;
                stat.passed /= 2;
            }
        }
    }

    std::vector<int> bufferSlot; // by node: its first of three buffers, -1 for a comparison
    std::vector<Offsets> buffers;
    std::vector<std::vector<std::uint8_t>> keep; // Or: rows some child accepted
    std::vector<std::vector<int>> order; // And: children's indexes in the order to test them
    std::vector<std::vector<Stat>> stats; // And: by child index
    std::vector<std::uint32_t> sinceReorder;
    std::vector<ProcessMemo> memos;
    std::uint64_t memoVersion = ~0ull;
    Offsets result {};
    const std::uint8_t* summary = nullptr; // the block's summary bytes (EventStore::summaryAt)
    bool mayGrow = true; // false while other threads share the caches
};

int CompiledFilter::Program::flatten(const FilterNode& source)
{
    const int index = static_cast<int>(nodes.size());
    nodes.emplace_back();
    nodes.back().type = source.type;
    if (source.type != FilterNode::Type::Compare) {
        double cost = 0;
        for (const auto& child : source.children) {
            const int childIndex = flatten(*child);
            nodes[static_cast<std::size_t>(index)].children.push_back(childIndex);
            cost += nodes[static_cast<std::size_t>(childIndex)].cost;
        }
        nodes[static_cast<std::size_t>(index)].cost = cost;
        return index;
    }
    Node& node = nodes.back();
    node.source = &source;
    auto newCache = [&] {
        caches.emplace_back();
        return static_cast<int>(caches.size()) - 1;
    };
    switch (source.field) {
    case FilterField::Class:
    case FilterField::Kind:
    case FilterField::Failed:
    case FilterField::Ok: {
        // Decided for every value of the store's summary byte (EventStore::summaryAt): these
        // comparisons never touch the 48-byte records.
        node.leaf = Leaf::Summary;
        node.cost = 0.25; // one byte per row, not a record
        std::array<std::uint8_t, kEventClassCount> classes {};
        for (int cls = 0; cls < kEventClassCount; ++cls)
            classes[static_cast<std::size_t>(cls)] = compareText(source, eventClassName(static_cast<EventClass>(cls)));
        std::array<std::uint8_t, 16> kinds {};
        for (int kind = 0; kind <= static_cast<int>(EventKind::Note); ++kind)
            kinds[static_cast<std::size_t>(kind)] = compareText(source, eventKindName(static_cast<EventKind>(kind)));
        for (unsigned byte = 0; byte < 256; ++byte) {
            const auto summary = static_cast<std::uint8_t>(byte);
            const bool failed = EventStore::summaryFailed(summary);
            const unsigned cls = EventStore::summaryClass(summary);
            bool pass = false;
            switch (source.field) {
            case FilterField::Class:
                pass = cls < classes.size() && classes[cls] != 0;
                break;
            case FilterField::Kind:
                pass = kinds[EventStore::summaryKind(summary)] != 0;
                break;
            case FilterField::Failed:
                pass = failed;
                break;
            default:
                pass = !failed;
                break;
            }
            node.table[byte] = pass ? 1 : 0;
        }
        break;
    }
    case FilterField::Errno:
        node.leaf = Leaf::Errno;
        node.errnos.assign(4096, 0);
        for (int err = 1; err < 4096; ++err)
            node.errnos[static_cast<std::size_t>(err)] = compareText(source, errnoName(err)) ? 1 : 0;
        break;
    case FilterField::Noise:
        node.leaf = Leaf::Noise;
        break;
    case FilterField::Op:
    case FilterField::Path:
    case FilterField::Detail:
        node.leaf = Leaf::String;
        node.member = source.field == FilterField::Op ? &Event::op
            : source.field == FilterField::Path       ? &Event::path
                                                      : &Event::detail;
        node.cache = newCache();
        node.cost = 2;
        break;
    case FilterField::Stream:
        node.leaf = Leaf::Stream;
        node.cache = newCache();
        node.cost = 2;
        break;
    case FilterField::Text:
        node.leaf = Leaf::Text;
        node.cache = newCache();
        node.cost = 4;
        break;
    case FilterField::Signal:
        node.leaf = Leaf::Signal;
        node.cache = newCache();
        node.detailCache = newCache();
        node.cost = 3;
        break;
    case FilterField::Process:
    case FilterField::Exe:
    case FilterField::Ppid:
        node.leaf = Leaf::Process;
        node.process = processLeaves++;
        node.cost = 3;
        break;
    case FilterField::Seq:
    case FilterField::Time:
    case FilterField::Pid:
    case FilterField::Tid:
    case FilterField::Result:
    case FilterField::Duration:
        node.leaf = Leaf::Number;
        node.cost = 1.5;
        node.simpleNumber = source.numbers.size() == 1 && !std::isnan(source.numbers.front())
            && (source.op == FilterOp::Equal || source.op == FilterOp::In || source.op == FilterOp::NotEqual
                || source.op == FilterOp::Less || source.op == FilterOp::LessEqual || source.op == FilterOp::Greater
                || source.op == FilterOp::GreaterEqual);
        break;
    }
    return index;
}

void CompiledFilter::Program::refreshProcesses()
{
    if (processLeaves == 0)
        return;
    const std::uint64_t version = data->processes().version();
    if (version == processVersion)
        return;
    processVersion = version;
    auto map = std::make_shared<ProcessMap>();
    for (const auto& record : data->processes().snapshot()) {
        ProcessFacts facts;
        facts.exe = record.exe;
        facts.name = record.exe.substr(record.exe.rfind('/') + 1);
        facts.ppid = record.ppid;
        (*map)[record.pid] = std::move(facts);
    }
    processes = std::move(map);
}

namespace {
using Program = CompiledFilter::Program;
using Scratch = CompiledFilter::Scratch;
using Node = Program::Node;

// The per-string answer is computed once: a capture has far fewer distinct strings than events.
// The text is looked up only on a miss: touching the string pool per row costs a cache miss.
[[gnu::noinline]] bool computeCached(
    Program& program, Scratch& scratch, const Node& node, int cacheIndex, StringId id, bool byLastWord)
{
    StringCache& cache = program.caches[static_cast<std::size_t>(cacheIndex)];
    if (id >= cache.size && scratch.mayGrow)
        cache.reserve(std::max({ std::size_t(id) + 1, cache.size * 2, program.data->strings().size() }));
    const std::string_view text = program.data->text(id);
    const bool result = compareText(*node.source, byLastWord ? lastWord(text) : text);
    if (id < cache.size)
        cache.bytes[id].store(result ? 1 : 2, std::memory_order_relaxed);
    return result;
}

[[gnu::always_inline]] inline bool cached(
    Program& program, Scratch& scratch, const Node& node, int cacheIndex, StringId id, bool byLastWord)
{
    const StringCache& cache = program.caches[static_cast<std::size_t>(cacheIndex)];
    if (id < cache.size) [[likely]] {
        const std::uint8_t value = cache.bytes[id].load(std::memory_order_relaxed);
        if (value != 0) [[likely]]
            return value == 1;
    }
    return computeCached(program, scratch, node, cacheIndex, id, byLastWord);
}

bool processTest(const Program& program, Scratch& scratch, const Node& node, int pid)
{
    auto& memo = scratch.memos[static_cast<std::size_t>(node.process)];
    if (memo.pid == pid)
        return memo.result;
    bool result = false;
    if (auto known = memo.known.find(pid); known != memo.known.end()) {
        result = known->second;
    } else {
        static const ProcessFacts unknown;
        auto found = program.processes->find(pid);
        const ProcessFacts& facts = found != program.processes->end() ? found->second : unknown;
        switch (node.source->field) {
        case FilterField::Process:
            result = compareText(*node.source, facts.name);
            break;
        case FilterField::Exe:
            result = compareText(*node.source, facts.exe);
            break;
        default:
            result = compareNumber(*node.source, facts.ppid);
            break;
        }
        memo.known.emplace(pid, result);
    }
    memo.pid = pid;
    memo.result = result;
    return result;
}

// Keeps the offsets of `in` whose event passes test, in order. Branch-free: every offset is
// written and the count advances only on a pass.
template<typename Test>
[[gnu::always_inline]] inline std::uint32_t select(
    const Event* base, const std::uint16_t* in, std::uint32_t n, std::uint16_t* out, Test test)
{
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint16_t offset = in[i];
        out[kept] = offset;
        kept += test(base[offset], offset) ? 1u : 0u;
    }
    return kept;
}

// `pid == 1003`, `duration > 5ms`: one constant and one relation, decided outside the loop.
template<typename Get>
std::uint32_t selectCompare(FilterOp op, double wanted, const Event* base, const std::uint16_t* in, std::uint32_t n,
    std::uint16_t* out, Get get)
{
    switch (op) {
    case FilterOp::NotEqual:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) != wanted; });
    case FilterOp::Less:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) < wanted; });
    case FilterOp::LessEqual:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) <= wanted; });
    case FilterOp::Greater:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) > wanted; });
    case FilterOp::GreaterEqual:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) >= wanted; });
    default:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t o) { return get(e, o) == wanted; });
    }
}

std::uint32_t selectNumber(const Node& node, const Event* base, std::uint64_t baseSeq, const std::uint16_t* in,
    std::uint32_t n, std::uint16_t* out)
{
    const FilterOp op = node.source->op;
    const double wanted = node.source->numbers.front();
    switch (node.source->field) {
    case FilterField::Seq:
        return selectCompare(op, wanted, base, in, n, out,
            [baseSeq](const Event&, std::uint16_t o) { return static_cast<double>(baseSeq + o); });
    case FilterField::Time:
        return selectCompare(
            op, wanted, base, in, n, out, [](const Event& e, std::uint16_t) { return static_cast<double>(e.timeNs); });
    case FilterField::Pid:
        return selectCompare(
            op, wanted, base, in, n, out, [](const Event& e, std::uint16_t) { return static_cast<double>(e.pid); });
    case FilterField::Tid:
        return selectCompare(
            op, wanted, base, in, n, out, [](const Event& e, std::uint16_t) { return static_cast<double>(e.tid); });
    case FilterField::Result:
        return selectCompare(
            op, wanted, base, in, n, out, [](const Event& e, std::uint16_t) { return static_cast<double>(e.result); });
    default:
        return selectCompare(op, wanted, base, in, n, out,
            [](const Event& e, std::uint16_t) { return static_cast<double>(e.durationNs); });
    }
}

std::uint32_t evaluateLeaf(Program& program, Scratch& scratch, const Node& node, const Event* base,
    std::uint64_t baseSeq, const std::uint16_t* in, std::uint32_t n, std::uint16_t* out)
{
    switch (node.leaf) {
    case Leaf::Summary: {
        const std::uint8_t* table = node.table.data();
        const std::uint8_t* summary = scratch.summary;
        std::uint32_t kept = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint16_t offset = in[i];
            out[kept] = offset;
            kept += table[summary[offset]];
        }
        return kept;
    }
    case Leaf::Errno: {
        // Only failed events have an errno: the summary byte says which, so the records of the
        // others are never touched.
        const std::uint8_t* table = node.errnos.data();
        const std::uint8_t* summary = scratch.summary;
        std::uint32_t kept = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint16_t offset = in[i];
            if (!EventStore::summaryFailed(summary[offset]))
                continue;
            const std::int16_t err = base[offset].errnum;
            out[kept] = offset;
            kept += err > 0 && err < 4096 && table[err] != 0 ? 1u : 0u;
        }
        return kept;
    }
    case Leaf::Noise: {
        const CaptureData& data = *program.data;
        return select(base, in, n, out, [&data](const Event& e, std::uint16_t) {
            if ((e.flags & EventFlag::RuntimeNoise) != 0 || e.cls == EventClass::Runtime)
                return true;
            // Only a successful signal call needs its strings looked at, and those are rare.
            if (e.kind != EventKind::Syscall || e.cls != EventClass::Signal || e.failed())
                return false;
            return isRuntimeNoise(e, data.text(e.op), data.text(e.detail));
        });
    }
    case Leaf::String: {
        const auto member = node.member;
        return select(base, in, n, out, [&](const Event& e, std::uint16_t) {
            return cached(program, scratch, node, node.cache, e.*member, false);
        });
    }
    case Leaf::Stream:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t) {
            return e.kind == EventKind::Output && cached(program, scratch, node, node.cache, e.path, false);
        });
    case Leaf::Text:
        if (node.source->op == FilterOp::NotEqual)
            return select(base, in, n, out, [&](const Event& e, std::uint16_t) {
                return cached(program, scratch, node, node.cache, e.op, false)
                    && cached(program, scratch, node, node.cache, e.path, false)
                    && cached(program, scratch, node, node.cache, e.detail, false);
            });
        return select(base, in, n, out, [&](const Event& e, std::uint16_t) {
            return cached(program, scratch, node, node.cache, e.op, false)
                || cached(program, scratch, node, node.cache, e.path, false)
                || cached(program, scratch, node, node.cache, e.detail, false);
        });
    case Leaf::Signal:
        return select(base, in, n, out, [&](const Event& e, std::uint16_t) {
            if (e.kind == EventKind::Signal)
                return cached(program, scratch, node, node.cache, e.op, false);
            if (e.cls == EventClass::Signal && e.kind == EventKind::Syscall)
                return cached(program, scratch, node, node.detailCache, e.detail, true);
            return false;
        });
    case Leaf::Process:
        return select(base, in, n, out,
            [&](const Event& e, std::uint16_t) { return processTest(program, scratch, node, e.pid); });
    case Leaf::Number: {
        const FilterNode& source = *node.source;
        if (node.simpleNumber)
            return selectNumber(node, base, baseSeq, in, n, out);
        switch (source.field) {
        case FilterField::Seq:
            return select(base, in, n, out, [&](const Event&, std::uint16_t offset) {
                return compareNumber(source, static_cast<double>(baseSeq + offset));
            });
        case FilterField::Time:
            return select(base, in, n, out,
                [&](const Event& e, std::uint16_t) { return compareNumber(source, static_cast<double>(e.timeNs)); });
        case FilterField::Pid:
            return select(
                base, in, n, out, [&](const Event& e, std::uint16_t) { return compareNumber(source, e.pid); });
        case FilterField::Tid:
            return select(
                base, in, n, out, [&](const Event& e, std::uint16_t) { return compareNumber(source, e.tid); });
        case FilterField::Result:
            return select(base, in, n, out,
                [&](const Event& e, std::uint16_t) { return compareNumber(source, static_cast<double>(e.result)); });
        default:
            return select(
                base, in, n, out, [&](const Event& e, std::uint16_t) { return compareNumber(source, e.durationNs); });
        }
    }
    }
    return 0;
}

// Writes the offsets of `in` (sorted) that the node accepts to out (sorted); in and out never alias.
std::uint32_t evaluate(Program& program, Scratch& scratch, int index, const Event* base, std::uint64_t baseSeq,
    const std::uint16_t* in, std::uint32_t n, std::uint16_t* out)
{
    const Node& node = program.nodes[static_cast<std::size_t>(index)];
    switch (node.type) {
    case FilterNode::Type::Compare:
        return evaluateLeaf(program, scratch, node, base, baseSeq, in, n, out);
    case FilterNode::Type::And: {
        auto& stats = scratch.stats[static_cast<std::size_t>(index)];
        std::uint16_t* buffers[2] = { scratch.buffer(index, 0), scratch.buffer(index, 1) };
        const std::uint16_t* current = in;
        std::uint32_t alive = n;
        int flip = 0;
        for (const int child : scratch.order[static_cast<std::size_t>(index)]) {
            const std::uint32_t kept = evaluate(program, scratch, node.children[static_cast<std::size_t>(child)], base,
                baseSeq, current, alive, buffers[flip]);
            stats[static_cast<std::size_t>(child)].tested += alive;
            stats[static_cast<std::size_t>(child)].passed += kept;
            current = buffers[flip];
            flip ^= 1;
            alive = kept;
            if (alive == 0)
                break;
        }
        std::copy_n(current, alive, out);
        std::uint32_t& since = scratch.sinceReorder[static_cast<std::size_t>(index)];
        since += n;
        if (since >= kBlock) {
            since = 0;
            scratch.reorder(program, index);
        }
        return alive;
    }
    case FilterNode::Type::Or: {
        std::uint8_t* keep = scratch.keep[static_cast<std::size_t>(index)].data();
        std::uint16_t* matched = scratch.buffer(index, 0);
        std::uint16_t* rest[2] = { scratch.buffer(index, 1), scratch.buffer(index, 2) };
        const std::uint16_t* remaining = in;
        std::uint32_t left = n;
        int flip = 0;
        for (const int child : node.children) {
            const std::uint32_t kept = evaluate(program, scratch, child, base, baseSeq, remaining, left, matched);
            if (kept == 0)
                continue;
            for (std::uint32_t i = 0; i < kept; ++i)
                keep[matched[i]] = 1;
            if (kept == left)
                break;
            // Later alternatives only test the rows no earlier one accepted.
            std::uint16_t* next = rest[flip];
            std::uint32_t count = 0;
            for (std::uint32_t i = 0, j = 0; i < left; ++i) {
                if (j < kept && matched[j] == remaining[i])
                    ++j;
                else
                    next[count++] = remaining[i];
            }
            remaining = next;
            left = count;
            flip ^= 1;
        }
        std::uint32_t count = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint16_t offset = in[i];
            out[count] = offset;
            count += keep[offset];
            keep[offset] = 0;
        }
        return count;
    }
    case FilterNode::Type::Not: {
        std::uint16_t* matched = scratch.buffer(index, 0);
        const std::uint32_t kept = evaluate(program, scratch, node.children.front(), base, baseSeq, in, n, matched);
        std::uint32_t count = 0;
        for (std::uint32_t i = 0, j = 0; i < n; ++i) {
            if (j < kept && matched[j] == in[i])
                ++j;
            else
                out[count++] = in[i];
        }
        return count;
    }
    }
    return 0;
}

void syncMemos(const Program& program, Scratch& scratch)
{
    if (scratch.memoVersion == program.processVersion)
        return;
    scratch.memoVersion = program.processVersion;
    for (auto& memo : scratch.memos)
        memo = {};
}
} // namespace

CompiledFilter::CompiledFilter(std::unique_ptr<FilterNode> root, std::shared_ptr<const CaptureData> data)
    : m_program(std::make_shared<Program>())
{
    m_program->root = std::move(root);
    m_program->data = std::move(data);
    if (m_program->root)
        m_program->flatten(*m_program->root);
    m_scratch = std::make_unique<Scratch>(*m_program);
}

CompiledFilter::~CompiledFilter() = default;

bool CompiledFilter::matches(std::uint64_t seq)
{
    Program& program = *m_program;
    if (program.nodes.empty())
        return true;
    program.refreshProcesses();
    syncMemos(program, *m_scratch);
    m_scratch->summary = &program.data->events().summaryAt(seq);
    return evaluate(program, *m_scratch, 0, &program.data->events().at(seq), seq, identity().data(), 1,
               m_scratch->result.data())
        == 1;
}

bool CompiledFilter::matchesEvent(const Event& event, std::uint64_t seq)
{
    Program& program = *m_program;
    if (program.nodes.empty())
        return true;
    program.refreshProcesses();
    syncMemos(program, *m_scratch);
    // The summary byte the store would keep for it: class, kind and failed tests read only this.
    const std::uint8_t summary = EventStore::summaryOf(event);
    m_scratch->summary = &summary;
    const bool matched =
        evaluate(program, *m_scratch, 0, &event, seq, identity().data(), 1, m_scratch->result.data()) == 1;
    m_scratch->summary = nullptr;
    return matched;
}

void CompiledFilter::scan(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out)
{
    m_program->refreshProcesses();
    m_program->reserveCaches(m_program->data->strings().size());
    scanChecked(first, last, out, *m_scratch, {});
}

bool CompiledFilter::scanChecked(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out,
    Scratch& scratch, const std::function<bool()>& cancelled)
{
    Program& program = *m_program;
    syncMemos(program, scratch);
    std::uint64_t nextCheck = first;
    if (program.nodes.empty()) {
        for (std::uint64_t seq = first; seq < last; ++seq)
            out.push_back(seq);
        return !cancelled || !cancelled();
    }
    const EventStore& events = program.data->events();
    const std::uint16_t* all = identity().data();
    std::uint16_t* result = scratch.result.data();
    for (std::uint64_t seq = first; seq < last;) {
        if (seq >= nextCheck) {
            if (cancelled && cancelled())
                return false;
            nextCheck = seq + kCheckEvery;
        }
        // A block never crosses a chunk boundary: its records are one contiguous array.
        const std::uint64_t chunkEnd = (seq / kChunk + 1) * kChunk;
        const auto n = static_cast<std::uint32_t>(std::min({ last - seq, chunkEnd - seq, std::uint64_t(kBlock) }));
        scratch.summary = &events.summaryAt(seq);
        const std::uint32_t kept = evaluate(program, scratch, 0, &events.at(seq), seq, all, n, result);
        for (std::uint32_t i = 0; i < kept; ++i)
            out.push_back(seq + result[i]);
        seq += n;
    }
    return true;
}

int CompiledFilter::threadsFor(std::uint64_t events)
{
    // Below a million events one thread finishes in a few milliseconds; starting another costs more.
    if (events < (1u << 20))
        return 1;
    return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

bool CompiledFilter::scanParallel(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out, int threads,
    const std::function<bool()>& cancelled)
{
    Program& program = *m_program;
    program.refreshProcesses();
    program.reserveCaches(program.data->strings().size());
    const std::uint64_t total = last > first ? last - first : 0;
    threads = static_cast<int>(std::clamp<std::uint64_t>(total / (kBlock * 16), 1, std::max(threads, 1)));
    if (threads == 1)
        return scanChecked(first, last, out, *m_scratch, cancelled);

    // Every thread takes one contiguous slice, so the slices' results concatenate in order.
    std::atomic<bool> stop { false };
    auto check = [&] { return stop.load(std::memory_order_relaxed) || (cancelled && cancelled()); };
    const std::uint64_t slice = (total / static_cast<std::uint64_t>(threads) + kBlock - 1) / kBlock * kBlock;
    std::vector<std::vector<std::uint64_t>> parts(static_cast<std::size_t>(threads));
    std::vector<std::unique_ptr<Scratch>> scratches;
    std::vector<std::thread> workers;
    std::vector<char> finished(static_cast<std::size_t>(threads), 0);
    m_scratch->mayGrow = false; // the caches are shared now: nobody may move them
    for (int t = 1; t < threads; ++t) {
        const std::uint64_t from = std::min(last, first + slice * static_cast<std::uint64_t>(t));
        const std::uint64_t to = t + 1 == threads ? last : std::min(last, from + slice);
        auto& scratch = scratches.emplace_back(std::make_unique<Scratch>(program));
        scratch->mayGrow = false;
        workers.emplace_back([&, from, to, t, raw = scratch.get()] {
            finished[static_cast<std::size_t>(t)] =
                scanChecked(from, to, parts[static_cast<std::size_t>(t)], *raw, check);
            if (!finished[static_cast<std::size_t>(t)])
                stop.store(true);
        });
    }
    finished[0] = scanChecked(first, std::min(last, first + slice), parts[0], *m_scratch, check);
    if (!finished[0])
        stop.store(true);
    for (auto& worker : workers)
        worker.join();
    m_scratch->mayGrow = true;
    if (std::find(finished.begin(), finished.end(), 0) != finished.end())
        return false;
    std::size_t size = 0;
    for (const auto& part : parts)
        size += part.size();
    out.reserve(out.size() + size);
    for (const auto& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return true;
}

} // namespace exitlens
