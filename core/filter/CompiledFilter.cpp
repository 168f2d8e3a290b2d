#include "CompiledFilter.h"

#include "Names.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace exitlens {

namespace {
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
} // namespace

CompiledFilter::CompiledFilter(std::unique_ptr<FilterNode> root, std::shared_ptr<const CaptureData> data)
    : m_root(std::move(root))
    , m_data(std::move(data))
{
    if (m_root)
        prepare(*m_root);
}

void CompiledFilter::prepare(FilterNode& node)
{
    for (auto& child : node.children)
        prepare(*child);
    if (node.type != FilterNode::Type::Compare)
        return;
    node.slot = static_cast<int>(m_slots.size());
    Slot& slot = m_slots.emplace_back();
    // Fields with few possible values are decided for every value now.
    switch (node.field) {
    case FilterField::Class:
        for (int cls = 0; cls < kEventClassCount; ++cls)
            slot.small.push_back(compareText(node, eventClassName(static_cast<EventClass>(cls))) ? 1 : 0);
        break;
    case FilterField::Kind:
        for (int kind = 0; kind <= static_cast<int>(EventKind::Note); ++kind)
            slot.small.push_back(compareText(node, eventKindName(static_cast<EventKind>(kind))) ? 1 : 0);
        break;
    case FilterField::Errno:
        for (int err = 0; err < 4096; ++err)
            slot.small.push_back(err != 0 && compareText(node, errnoName(err)) ? 1 : 0);
        break;
    default:
        break;
    }
}

bool CompiledFilter::matches(std::uint64_t seq)
{
    return !m_root || evaluate(*m_root, m_data->events().at(seq), seq);
}

void CompiledFilter::scan(std::uint64_t first, std::uint64_t last, std::vector<std::uint64_t>& out)
{
    const EventStore& events = m_data->events();
    for (std::uint64_t seq = first; seq < last; ++seq) {
        if (!m_root || evaluate(*m_root, events.at(seq), seq))
            out.push_back(seq);
    }
}

bool CompiledFilter::evaluate(const FilterNode& node, const Event& event, std::uint64_t seq)
{
    switch (node.type) {
    case FilterNode::Type::And:
        return std::all_of(node.children.begin(), node.children.end(),
            [&](const auto& child) { return evaluate(*child, event, seq); });
    case FilterNode::Type::Or:
        return std::any_of(node.children.begin(), node.children.end(),
            [&](const auto& child) { return evaluate(*child, event, seq); });
    case FilterNode::Type::Not:
        return !evaluate(*node.children.front(), event, seq);
    case FilterNode::Type::Compare:
        return compare(node, event, seq);
    }
    return false;
}

bool CompiledFilter::compareText(const FilterNode& node, std::string_view text) const
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
            return node.regex && std::regex_search(text.begin(), text.end(), *node.regex);
        default:
            return false;
        }
    };
    if (node.op == FilterOp::NotEqual)
        return std::all_of(node.values.begin(), node.values.end(), one);
    return std::any_of(node.values.begin(), node.values.end(), one);
}

bool CompiledFilter::compareNumber(const FilterNode& node, double value) const
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

bool CompiledFilter::cachedString(const FilterNode& node, StringId id)
{
    // The per-string answer is computed once: a capture has far fewer distinct paths than events.
    std::vector<std::uint8_t>& cache = m_slots[static_cast<std::size_t>(node.slot)].strings;
    if (id >= cache.size())
        cache.resize(std::max<std::size_t>(id + 1, cache.size() * 2), 0);
    std::uint8_t& known = cache[id];
    if (known == 0)
        known = compareText(node, m_data->text(id)) ? 1 : 2;
    return known == 1;
}

const CompiledFilter::ProcessFacts& CompiledFilter::process(int pid)
{
    const std::uint64_t version = m_data->processes().version();
    if (version != m_processVersion) {
        m_processVersion = version;
        m_processes.clear();
        for (const auto& record : m_data->processes().snapshot()) {
            ProcessFacts facts;
            facts.exe = record.exe;
            facts.name = record.exe.substr(record.exe.rfind('/') + 1);
            facts.ppid = record.ppid;
            m_processes[record.pid] = std::move(facts);
        }
    }
    static const ProcessFacts unknown;
    auto found = m_processes.find(pid);
    return found != m_processes.end() ? found->second : unknown;
}

bool CompiledFilter::compare(const FilterNode& node, const Event& event, std::uint64_t seq)
{
    switch (node.field) {
    case FilterField::Seq:
        return compareNumber(node, static_cast<double>(seq));
    case FilterField::Time:
        return compareNumber(node, static_cast<double>(event.timeNs));
    case FilterField::Pid:
        return compareNumber(node, event.pid);
    case FilterField::Tid:
        return compareNumber(node, event.tid);
    case FilterField::Ppid:
        return compareNumber(node, process(event.pid).ppid);
    case FilterField::Process:
        return compareText(node, process(event.pid).name);
    case FilterField::Exe:
        return compareText(node, process(event.pid).exe);
    case FilterField::Op:
        return cachedString(node, event.op);
    case FilterField::Class:
        return m_slots[static_cast<std::size_t>(node.slot)].small[static_cast<std::size_t>(event.cls)] != 0;
    case FilterField::Kind:
        return m_slots[static_cast<std::size_t>(node.slot)].small[static_cast<std::size_t>(event.kind)] != 0;
    case FilterField::Path:
        return cachedString(node, event.path);
    case FilterField::Detail:
        return cachedString(node, event.detail);
    case FilterField::Result:
        return compareNumber(node, static_cast<double>(event.result));
    case FilterField::Errno:
        return event.failed() && event.errnum > 0 && event.errnum < 4096
            && m_slots[static_cast<std::size_t>(node.slot)].small[static_cast<std::size_t>(event.errnum)] != 0;
    case FilterField::Ok:
        return !event.failed();
    case FilterField::Failed:
        return event.failed();
    case FilterField::Duration:
        return compareNumber(node, event.durationNs);
    case FilterField::Stream:
        return event.kind == EventKind::Output && cachedString(node, event.path);
    case FilterField::Text:
        if (node.op == FilterOp::NotEqual)
            return cachedString(node, event.op) && cachedString(node, event.path) && cachedString(node, event.detail);
        return cachedString(node, event.op) || cachedString(node, event.path) || cachedString(node, event.detail);
    case FilterField::Signal:
        if (event.kind == EventKind::Signal)
            return cachedString(node, event.op);
        if (event.cls == EventClass::Signal && event.kind == EventKind::Syscall) {
            // kill(pid 42, SIGTERM): the signal name is the detail's last word.
            const std::string_view detail = m_data->text(event.detail);
            const std::size_t at = detail.rfind(' ');
            return compareText(node, at == std::string_view::npos ? detail : detail.substr(at + 1));
        }
        return false;
    }
    return false;
}

} // namespace exitlens
