#include "FilterClauses.h"

#include "EventTableModel.h"
#include "Names.h"
#include "filter/FilterParser.h"
#include "model/CaptureData.h"

#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <algorithm>

namespace exitlens {

namespace {
QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Whether `clause and x` could mean something else than `(clause) and x`: an `or` at the top, or
// text the parser does not read (parentheses keep whatever it is to itself).
bool needsParentheses(const QString& clause)
{
    const FilterParseResult parsed = FilterParser::parse(clause.toStdString());
    return !parsed.valid() || !parsed.root || parsed.root->type == FilterNode::Type::Or;
}
} // namespace

QString FilterClauses::quoted(const QString& value)
{
    // Bare words are what the tokenizer reads as one word and nothing else: letters, digits and
    // path punctuation. Keywords stay quoted so `op == "and"` can never be misread.
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_./:+@%~-]+$"));
    static const QStringList keywords { QStringLiteral("and"), QStringLiteral("or"), QStringLiteral("not"),
        QStringLiteral("in"), QStringLiteral("contains"), QStringLiteral("startswith"), QStringLiteral("endswith"),
        QStringLiteral("matches") };
    if (bare.match(value).hasMatch() && !keywords.contains(value, Qt::CaseInsensitive))
        return value;
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString FilterClauses::comparison(const QString& field, const QString& op, const QString& value)
{
    return field + QLatin1Char(' ') + op + QLatin1Char(' ') + quoted(value);
}

QString FilterClauses::conjoin(const QStringList& clauses)
{
    QStringList parts;
    for (const QString& clause : clauses) {
        if (!clause.trimmed().isEmpty())
            parts << clause.trimmed();
    }
    if (parts.size() < 2)
        return parts.value(0);
    for (QString& part : parts) {
        if (needsParentheses(part))
            part = QLatin1Char('(') + part + QLatin1Char(')');
    }
    return parts.join(QStringLiteral(" and "));
}

QString FilterClauses::cellClause(const CaptureData& data, std::uint64_t seq, int column, bool include)
{
    if (seq >= data.events().size())
        return QString();
    const Event& event = data.events().at(seq);
    const QString op = include ? QStringLiteral("==") : QStringLiteral("!=");
    switch (column) {
    case EventTableModel::SeqColumn:
        return comparison(QStringLiteral("seq"), op, QString::number(seq));
    case EventTableModel::ProcessColumn: {
        ProcessRecord record;
        if (!data.processes().find(event.pid, record))
            return comparison(QStringLiteral("pid"), op, QString::number(event.pid));
        return comparison(QStringLiteral("process"), op, QFileInfo(QString::fromStdString(record.exe)).fileName());
    }
    case EventTableModel::PidColumn:
        return comparison(QStringLiteral("pid"), op, QString::number(event.pid));
    case EventTableModel::TidColumn:
        return comparison(QStringLiteral("tid"), op, QString::number(event.tid));
    case EventTableModel::OperationColumn:
        return comparison(QStringLiteral("op"), op, fromView(data.text(event.op)));
    case EventTableModel::PathColumn:
        return comparison(QStringLiteral("path"), op, fromView(data.text(event.path)));
    case EventTableModel::ResultColumn:
        // A failed call shows its errno name: filter on that, as the user sees it.
        if (event.failed() && event.errnum > 0)
            return comparison(QStringLiteral("errno"), op, QString::fromStdString(errnoName(event.errnum)));
        return comparison(QStringLiteral("result"), op, QString::number(event.result));
    case EventTableModel::DetailColumn:
        return comparison(QStringLiteral("detail"), op, fromView(data.text(event.detail)));
    default:
        return QString();
    }
}

QList<int> FilterClauses::processAndDescendants(const CaptureData& data, int pid)
{
    QMultiHash<int, int> children;
    for (const ProcessRecord& record : data.processes().snapshot())
        children.insert(record.ppid, record.pid);
    QList<int> result { pid };
    // Breadth first over the ppid links; a pid seen twice (reuse) is walked once.
    for (qsizetype i = 0; i < result.size(); ++i) {
        const QList<int> direct = children.values(result[i]);
        for (int child : direct) {
            if (!result.contains(child))
                result << child;
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

QString FilterClauses::pidClause(const QList<int>& pids)
{
    if (pids.isEmpty())
        return QString();
    if (pids.size() == 1)
        return QStringLiteral("pid == %1").arg(pids.front());
    QStringList numbers;
    for (int pid : pids)
        numbers << QString::number(pid);
    return QStringLiteral("pid in (%1)").arg(numbers.join(QStringLiteral(", ")));
}

} // namespace exitlens
