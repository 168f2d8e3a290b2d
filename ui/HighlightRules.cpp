#include "HighlightRules.h"

#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"

namespace exitlens {

HighlightRules::HighlightRules() = default;
HighlightRules::~HighlightRules() = default;

void HighlightRules::setRules(std::vector<std::pair<QString, QColor>> rules)
{
    m_rules = std::move(rules);
    m_filters.clear();
    m_compiledFor.reset();
    m_compiledForRaw = nullptr;
}

QColor HighlightRules::colorFor(const std::shared_ptr<const CaptureData>& data, std::uint64_t seq)
{
    if (m_rules.empty() || !data || seq >= data->events().size())
        return {};
    // The weak pointer tells a new capture from an old one that was freed and whose address came back.
    if (m_compiledForRaw != data.get() || m_compiledFor.expired()) {
        m_filters.clear();
        for (const auto& [expression, color] : m_rules) {
            FilterParseResult parsed = FilterParser::parse(expression.toStdString());
            m_filters.push_back(
                parsed.valid() ? std::make_unique<CompiledFilter>(std::move(parsed.root), data) : nullptr);
        }
        m_compiledFor = data;
        m_compiledForRaw = data.get();
    }
    for (std::size_t i = 0; i < m_filters.size(); ++i) {
        if (m_filters[i] && m_filters[i]->matches(seq))
            return m_rules[i].second;
    }
    return {};
}

} // namespace exitlens
