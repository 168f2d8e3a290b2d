#include "SessionExport.h"

#include "HtmlReport.h"
#include "Names.h"
#include "report/ResultDocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

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

bool commit(QSaveFile& file, const QString& path, QString& error)
{
    if (!file.commit()) {
        error = "cannot write " + path + ": " + file.errorString();
        return false;
    }
    return true;
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
    document["stack_events"] = stacks.isArray() ? stacks.array() : QJsonArray();
    return document;
}

bool SessionExport::writeJson(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error)
{
    return ResultDocument::write(document(data, info), path, error);
}

bool SessionExport::writeCsv(const CaptureData& data, const QString& path, const EventFilter& filter, QString& error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = "cannot write " + path + ": " + file.errorString();
        return false;
    }
    file.write("seq,time_ns,pid,tid,kind,class,op,path,detail,result,errno,duration_ns,flags,failed\r\n");
    const std::uint64_t count = data.events().size();
    std::string line;
    std::string block;
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const Event& event = data.events().at(seq);
        if (filter && !filter(event))
            continue;
        line = std::to_string(seq) + "," + std::to_string(event.timeNs) + "," + std::to_string(event.pid) + ","
            + std::to_string(event.tid) + ",";
        line += eventKindName(event.kind);
        line += ',';
        line += eventClassName(event.cls);
        line += ',';
        csvField(line, data.text(event.op));
        line += ',';
        csvField(line, data.text(event.path));
        line += ',';
        csvField(line, data.text(event.detail));
        line += "," + std::to_string(event.result) + ",";
        if (event.errnum != 0)
            line += errnoName(event.errnum);
        line += "," + std::to_string(event.durationNs) + "," + std::to_string(event.flags) + ","
            + (event.failed() ? "1" : "0") + "\r\n";
        block += line;
        if (block.size() > (1 << 20)) {
            file.write(block.data(), static_cast<qint64>(block.size()));
            block.clear();
        }
    }
    file.write(block.data(), static_cast<qint64>(block.size()));
    return commit(file, path, error);
}

bool SessionExport::writeHtml(const CaptureData& data, const SessionInfo& info, const QString& path, QString& error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = "cannot write " + path + ": " + file.errorString();
        return false;
    }
    file.write(HtmlReport::build(data, info, verdictOf(data)).toUtf8());
    return commit(file, path, error);
}

} // namespace exitlens
