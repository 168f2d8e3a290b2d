#include "QuickFilter.h"

#include "Names.h"
#include "model/CaptureData.h"

#include <QHash>
#include <vector>

namespace exitlens {

struct QuickFilter::Cache {
    std::vector<std::int8_t> strings; // per string id: -1 not tested yet, 0 no, 1 yes
    QHash<int, bool> processes; // per pid: does its executable's name contain the text
    std::uint64_t processVersion = ~std::uint64_t(0);
    QByteArray needle; // UTF-8, lower-cased
};

namespace {
bool containsFolded(std::string_view haystack, const QByteArray& needle)
{
    if (needle.isEmpty())
        return true;
    if (haystack.size() < std::size_t(needle.size()))
        return false;
    // ASCII case folding is enough for syscall names, paths and errno names; other bytes must
    // match exactly, which is what a user typing a path expects.
    const std::size_t last = haystack.size() - std::size_t(needle.size());
    for (std::size_t i = 0; i <= last; ++i) {
        std::size_t j = 0;
        for (; j < std::size_t(needle.size()); ++j) {
            char c = haystack[i + j];
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
            if (c != needle[qsizetype(j)])
                break;
        }
        if (j == std::size_t(needle.size()))
            return true;
    }
    return false;
}
} // namespace

QuickFilter::QuickFilter(std::shared_ptr<const CaptureData> data, QuickFilterSettings settings)
    : m_data(std::move(data))
    , m_settings(std::move(settings))
    , m_cache(std::make_shared<Cache>())
{
    m_settings.text = m_settings.text.trimmed();
    QByteArray needle = m_settings.text.toUtf8();
    for (char& c : needle) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    m_cache->needle = needle;
}

bool QuickFilter::passesEverything() const
{
    return m_settings.text.isEmpty() && !m_settings.failuresOnly && !m_settings.hideRuntimeNoise;
}

bool QuickFilter::accepts(const Event& event) const
{
    if (m_settings.hideRuntimeNoise && (event.flags & EventFlag::RuntimeNoise))
        return false;
    if (m_settings.failuresOnly && !event.failed())
        return false;
    return m_settings.text.isEmpty() || textMatches(event);
}

bool QuickFilter::stringMatches(StringId id) const
{
    auto& strings = m_cache->strings;
    if (id >= strings.size())
        strings.resize(std::max<std::size_t>(id + 1, strings.size() * 2), -1);
    std::int8_t& known = strings[id];
    if (known < 0)
        known = containsFolded(m_data->text(id), m_cache->needle) ? 1 : 0;
    return known == 1;
}

bool QuickFilter::processMatches(const Event& event) const
{
    const std::uint64_t version = m_data->processes().version();
    if (version != m_cache->processVersion) {
        m_cache->processes.clear();
        m_cache->processVersion = version;
    }
    auto found = m_cache->processes.constFind(event.pid);
    if (found != m_cache->processes.constEnd())
        return *found;
    ProcessRecord record;
    bool matches = false;
    if (m_data->processes().find(event.pid, record)) {
        const auto slash = record.exe.rfind('/');
        const std::string name = slash == std::string::npos ? record.exe : record.exe.substr(slash + 1);
        matches = containsFolded(name, m_cache->needle);
    }
    m_cache->processes.insert(event.pid, matches);
    return matches;
}

bool QuickFilter::textMatches(const Event& event) const
{
    if (!m_data || m_cache->needle.isEmpty())
        return true;
    if (stringMatches(event.op) || stringMatches(event.path) || stringMatches(event.detail))
        return true;
    if (event.failed() && event.errnum != 0 && containsFolded(errnoName(event.errnum), m_cache->needle))
        return true;
    return processMatches(event);
}

} // namespace exitlens
