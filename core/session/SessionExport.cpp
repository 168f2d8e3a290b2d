#include "SessionExport.h"

#include "HtmlReport.h"
#include "Names.h"
#include "go/GoInsight.h"
#include "report/OutputFile.h"
#include "report/ResultDocument.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace exitlens {

namespace {
void csvField(std::string& line, std::string_view text)
{
    const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        line += text;
        return;
    }
    line += '"';
    for (char c : text) {
        if (c == '"')
            line += '"';
        line += c;
    }
    line += '"';
}

void appendCsvLine(std::string& block, const CaptureData& data, std::uint64_t seq)
{
    const Event& event = data.events().at(seq);
    block += std::to_string(seq) + "," + std::to_string(event.timeNs) + "," + std::to_string(event.pid) + ","
        + std::to_string(event.tid) + ",";
    block += eventKindName(event.kind);
    block += ',';
    block += eventClassName(event.cls);
    block += ',';
    csvField(block, data.text(event.op));
    block += ',';
    csvField(block, data.text(event.path));
    block += ',';
    csvField(block, data.text(event.detail));
    block += "," + std::to_string(event.result) + ",";
    if (event.errnum != 0)
        block += errnoName(event.errnum);
    block += "," + std::to_string(event.durationNs) + "," + std::to_string(event.flags) + ","
        + (event.failed() ? "1" : "0") + "\r\n";
}

constexpr const char* kCsvHeader =
    "seq,time_ns,pid,tid,kind,class,op,path,detail,result,errno,duration_ns,flags,failed\r\n";

bool open(OutputFile& file, const QString& path, QString& error)
{
    if (!file.open(error)) {
        error = "cannot write " + path + ": " + error;
        return false;
    }
    return true;
}

bool commit(OutputFile& file, const QString& path, QString& error)
{
    if (!file.commit(error)) {
        error = "cannot write " + path + ": " + error;
        return false;
    }
    return true;
}

// Writes the header and then the line of every seq that forEachSeq hands to its callback, in
// blocks of about 1 MiB, so that the whole-capture and the row-list exports share one writer.
template<typename ForEachSeq>
bool writeCsvFile(const CaptureData& data, const QString& path, QString& error, ForEachSeq forEachSeq)
{
    OutputFile file(path);
    if (!open(file, path, error))
        return false;
    file.write(kCsvHeader);
    std::string block;
    forEachSeq([&](std::uint64_t seq) {
        appendCsvLine(block, data, seq);
        if (block.size() > (1 << 20)) {
            file.write(block.data(), static_cast<qint64>(block.size()));
            block.clear();
        }
    });
    file.write(block.data(), static_cast<qint64>(block.size()));
    return commit(file, path, error);
}
} // namespace

Verdict SessionExport::verdictOf(const CaptureData& data)
{
    if (auto verdict = data.verdict())
        return *verdict;
    return describeExit(data, summaryOf(data));
}

TraceSummary SessionExport::summaryOf(const CaptureData& data)
{
    if (auto summary = data.summary())
        return *summary;
    TraceSummary summary;
    summary.events = data.events().size();
    summary.processes = data.processes().size();
    return summary;
}

QJsonObject SessionExport::document(const CaptureData& data, const SessionInfo& info)
{
    QJsonObject document = ResultDocument::build(data, summaryOf(data), verdictOf(data));
    if (info.path.isEmpty())
        return document;
    auto stored = [](const QByteArray& json) {
        const QJsonDocument parsed = QJsonDocument::fromJson(json);
        return parsed.isObject() ? QJsonValue(parsed.object()) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject target = document["target"].toObject();
    target["elf"] = stored(info.elfFacts);
    target["go"] = stored(info.goBuildInfo);
    target.remove("inspect_error");
    document["target"] = target;
    const QJsonDocument stacks = QJsonDocument::fromJson(info.stackEvents);
    document["stack_events"] = GoInsight::sessionStackEvents(data, stacks.isArray() ? stacks.array() : QJsonArray());
    // A damaged file was read as far as it goes: the document says what it lacks.
    if (info.damaged)
        document["session_damage"] = info.damage;
    return document;
}

bool SessionExport::writeJson(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error)
{
    return ResultDocument::write(document(data, info), path, error);
}

bool SessionExport::writeCsv(const CaptureData& data, const QString& path, const EventFilter& filter, QString& error)
{
    return writeCsvFile(data, path, error, [&](const auto& writeLine) {
        const std::uint64_t count = data.events().size();
        for (std::uint64_t seq = 0; seq < count; ++seq) {
            if (!filter || filter(data.events().at(seq)))
                writeLine(seq);
        }
    });
}

bool SessionExport::writeCsvRows(
    const CaptureData& data, const QString& path, const std::vector<std::uint64_t>& rows, QString& error)
{
    return writeCsvFile(data, path, error, [&](const auto& writeLine) {
        const std::uint64_t count = data.events().size();
        for (const std::uint64_t seq : rows) {
            if (seq < count)
                writeLine(seq);
        }
    });
}

QJsonObject SessionExport::filteredEvents(
    const CaptureData& data, const std::vector<std::uint64_t>& rows, const QString& expression)
{
    QJsonArray events;
    const std::uint64_t count = data.events().size();
    auto text = [&](StringId id) {
        return QString::fromUtf8(data.text(id).data(), static_cast<qsizetype>(data.text(id).size()));
    };
    for (const std::uint64_t seq : rows) {
        if (seq >= count)
            continue;
        const Event& event = data.events().at(seq);
        events.append(QJsonObject {
            { "seq", static_cast<qint64>(seq) },
            { "time_ns", static_cast<qint64>(event.timeNs) },
            { "pid", event.pid },
            { "tid", event.tid },
            { "kind",
                QString::fromLatin1(
                    eventKindName(event.kind).data(), static_cast<qsizetype>(eventKindName(event.kind).size())) },
            { "class",
                QString::fromLatin1(
                    eventClassName(event.cls).data(), static_cast<qsizetype>(eventClassName(event.cls).size())) },
            { "op", text(event.op) },
            { "path", text(event.path) },
            { "detail", text(event.detail) },
            { "result", static_cast<qint64>(event.result) },
            { "errno", event.errnum != 0 ? QJsonValue(QString::fromStdString(errnoName(event.errnum))) : QJsonValue() },
            { "duration_ns", static_cast<qint64>(event.durationNs) },
            { "failed", event.failed() },
        });
    }
    return QJsonObject { { "expression", expression }, { "matching_events", static_cast<qint64>(events.size()) },
        { "events", events } };
}

bool SessionExport::writeHtml(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error)
{
    OutputFile file(path);
    if (!open(file, path, error))
        return false;
    file.write(HtmlReport::build(data, info, verdictOf(data)).toUtf8());
    return commit(file, path, error);
}

} // namespace exitlens
