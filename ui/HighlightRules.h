#pragma once

#include <QColor>
#include <QString>
#include <memory>
#include <vector>

namespace exitlens {

class CaptureData;
class CompiledFilter;

// The event table's highlight rules: expressions with a background colour, the first that matches
// a row colours it. Compiled lazily for whichever capture the table shows, so a new capture needs
// no call; the per-string caches make the per-row test cheap enough for painting. GUI thread only.
class HighlightRules {
public:
    HighlightRules();
    ~HighlightRules();

    void setRules(std::vector<std::pair<QString, QColor>> rules);
    const std::vector<std::pair<QString, QColor>>& rules() const { return m_rules; }
    bool empty() const { return m_rules.empty(); }

    // Invalid when no rule matches (or the expression does not parse).
    QColor colorFor(const std::shared_ptr<const CaptureData>& data, std::uint64_t seq);

private:
    std::vector<std::pair<QString, QColor>> m_rules;
    std::weak_ptr<const CaptureData> m_compiledFor;
    const CaptureData* m_compiledForRaw = nullptr;
    std::vector<std::unique_ptr<CompiledFilter>> m_filters; // by rule; null when it did not parse
};

} // namespace exitlens
