#include "FilterVocabulary.h"

#include "Names.h"
#include "model/CaptureData.h"

#include <QFileInfo>
#include <algorithm>

namespace exitlens {

namespace {
// Enough prefixes to be useful in a popup, bounded so a capture of a million temp files does not
// grow the set (and the popup) without end.
constexpr int kMaxPathPrefixes = 4000;
constexpr int kPrefixDepth = 4; // /a/b/c/d/

QString latin1(std::string_view text)
{
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}

QStringList sorted(const QSet<QString>& set)
{
    QStringList list(set.begin(), set.end());
    std::sort(list.begin(), list.end(), [](const QString& a, const QString& b) {
        const int folded = a.compare(b, Qt::CaseInsensitive);
        return folded != 0 ? folded < 0 : a < b;
    });
    return list;
}
} // namespace

void FilterVocabulary::setCapture(std::shared_ptr<const CaptureData> data)
{
    m_data = std::move(data);
    m_scanned = 0;
    m_seenString.clear();
    m_seenErrno.assign(4096, false);
    m_ops.clear();
    m_signals.clear();
    m_pathPrefixes.clear();
}

void FilterVocabulary::learnPath(std::uint32_t id)
{
    const std::string_view path = m_data->text(id);
    if (path.empty() || path.front() != '/' || m_pathPrefixes.size() >= kMaxPathPrefixes)
        return;
    int depth = 0;
    for (std::size_t slash = path.find('/', 1); slash != std::string_view::npos && depth < kPrefixDepth;
         slash = path.find('/', slash + 1), ++depth)
        m_pathPrefixes.insert(QString::fromUtf8(path.data(), qsizetype(slash + 1)));
}

void FilterVocabulary::update()
{
    if (!m_data)
        return;
    const std::uint64_t size = m_data->events().size();
    for (; m_scanned < size; ++m_scanned) {
        const Event& event = m_data->events().at(m_scanned);
        const std::size_t top = std::max({ event.op, event.path, event.detail }) + 1;
        if (top > m_seenString.size())
            m_seenString.resize(std::max(top, m_seenString.size() * 2), 0);
        const std::uint8_t opBit = event.kind == EventKind::Signal ? 4 : 1;
        if (event.op != kNoString && !(m_seenString[event.op] & opBit)) {
            m_seenString[event.op] |= opBit;
            const std::string_view text = m_data->text(event.op);
            const QString op = QString::fromUtf8(text.data(), qsizetype(text.size()));
            (opBit == 4 ? m_signals : m_ops).insert(op);
        }
        if (event.path != kNoString && event.kind != EventKind::Output && !(m_seenString[event.path] & 2)) {
            m_seenString[event.path] |= 2;
            learnPath(event.path);
        }
        if (event.failed() && event.errnum > 0 && event.errnum < 4096)
            m_seenErrno[std::size_t(event.errnum)] = true;
    }
}

QStringList FilterVocabulary::values(const QString& field)
{
    update();
    const QString name = field.toLower();
    if (name == QLatin1String("process") || name == QLatin1String("exe")) {
        QSet<QString> names;
        if (m_data) {
            for (const ProcessRecord& record : m_data->processes().snapshot()) {
                const QString exe = QString::fromStdString(record.exe);
                if (!exe.isEmpty())
                    names.insert(name == QLatin1String("exe") ? exe : QFileInfo(exe).fileName());
            }
        }
        return sorted(names);
    }
    if (name == QLatin1String("op"))
        return sorted(m_ops + m_signals);
    if (name == QLatin1String("signal"))
        return sorted(m_signals);
    if (name == QLatin1String("path"))
        return sorted(m_pathPrefixes);
    if (name == QLatin1String("errno")) {
        QSet<QString> names;
        for (std::size_t err = 1; err < m_seenErrno.size(); ++err) {
            if (m_seenErrno[err])
                names.insert(QString::fromStdString(errnoName(int(err))));
        }
        return sorted(names);
    }
    if (name == QLatin1String("class")) {
        QStringList classes;
        for (int cls = 0; cls < kEventClassCount; ++cls)
            classes << latin1(eventClassName(static_cast<EventClass>(cls)));
        return classes;
    }
    if (name == QLatin1String("kind")) {
        QStringList kinds;
        for (int kind = 0; kind <= int(EventKind::Note); ++kind)
            kinds << latin1(eventKindName(static_cast<EventKind>(kind)));
        return kinds;
    }
    if (name == QLatin1String("stream"))
        return { QStringLiteral("stderr"), QStringLiteral("stdout") };
    return {};
}

} // namespace exitlens
