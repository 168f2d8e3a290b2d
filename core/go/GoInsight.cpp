#include "GoInsight.h"

#include "go/BinaryInspection.h"
#include "go/GoJson.h"
#include "go/Symbolizer.h"
#include "go/TracebackParser.h"
#include "model/CaptureData.h"

#include <memory>
#include <unordered_map>

namespace exitlens {

namespace {
constexpr int kMaxGoroutinesInDocument = 200; // the buckets cover the rest
constexpr qsizetype kMaxStackEventsInDocument = 500;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

std::string GoInsight::targetExecutable(const CaptureData& data)
{
    const auto processes = data.processes().snapshot();
    if (!processes.empty() && !processes.front().exe.empty())
        return processes.front().exe;
    return data.context().resolvedProgram;
}

std::string GoInsight::stderrText(const CaptureData& data)
{
    const OutputLog::StreamView view = data.outputLog().stream(2);
    if (view.omittedBytes == 0)
        return view.head + view.tail;
    return view.head + "\n" + view.tail;
}

QJsonArray GoInsight::stackEvents(const CaptureData& data)
{
    QJsonArray events;
    std::unordered_map<std::string, std::unique_ptr<Symbolizer>> symbolizers; // by executable
    const std::uint64_t published = data.events().size();
    for (const auto& sample : data.stacks()) {
        if (events.size() >= kMaxStackEventsInDocument)
            break;
        if (sample.seq >= published)
            continue;
        ProcessRecord process;
        std::string executable = data.processes().find(sample.pid, process) ? process.exe : std::string();
        auto [it, inserted] = symbolizers.try_emplace(executable);
        if (inserted && !executable.empty()) {
            std::string ignored; // an unreadable binary leaves the frames unnamed, pcs still saved
            it->second = Symbolizer::open(executable, ignored);
        }
        const Event& event = data.events().at(sample.seq);
        QJsonArray raw;
        for (std::uint64_t pc : sample.pcs)
            raw.append(QStringLiteral("0x") + QString::number(pc, 16));
        QJsonObject object {
            { "seq", static_cast<qint64>(sample.seq) },
            { "op", qs(data.text(event.op)) },
            { "pid", event.pid },
            { "tid", event.tid },
            { "path", qs(data.text(event.path)) },
            { "result", static_cast<qint64>(event.result) },
            { "failed", event.failed() },
            { "executable", qs(executable) },
            { "raw_pcs", raw },
        };
        if (it->second)
            object["stack"] = GoJson::stack(it->second->symbolizeSample(sample.pcs));
        else
            object["stack"] = QJsonValue(QJsonValue::Null);
        events.append(object);
    }
    return events;
}

QJsonArray GoInsight::sessionStackEvents(const CaptureData& data, const QJsonArray& stored)
{
    std::unordered_map<qint64, QJsonObject> bySeq;
    bool complete = true;
    for (const auto& value : stored) {
        const QJsonObject entry = value.toObject();
        bySeq[static_cast<qint64>(entry["seq"].toDouble(-1))] = entry;
    }
    for (const auto& sample : data.stacks()) {
        const auto it = bySeq.find(static_cast<qint64>(sample.seq));
        complete = complete && it != bySeq.end() && it->second["stack"].isArray();
    }
    if (complete)
        return stored; // the common case: nothing to read from disk
    QJsonArray merged;
    for (const auto& value : stackEvents(data)) {
        const QJsonObject fresh = value.toObject();
        const auto it = bySeq.find(static_cast<qint64>(fresh["seq"].toDouble(-1)));
        // What the file stored was made on the machine that ran the program: it wins unless it
        // could not name the frames and this machine can.
        const bool keepStored = it != bySeq.end() && (it->second["stack"].isArray() || !fresh["stack"].isArray());
        merged.append(keepStored ? it->second : fresh);
    }
    return merged;
}

void GoInsight::addToResult(const CaptureData& data, QJsonObject& document)
{
    const std::string executable = targetExecutable(data);
    QJsonObject target = document.value("target").toObject();
    std::string ownModule;
    if (executable.empty()) {
        target["elf"] = QJsonValue(QJsonValue::Null);
        target["go"] = QJsonValue(QJsonValue::Null);
    } else {
        const BinaryInspection inspection = BinaryInspection::inspect(executable);
        target["elf"] = inspection.readable ? QJsonValue(GoJson::elf(inspection.facts)) : QJsonValue(QJsonValue::Null);
        target["go"] = inspection.readable ? QJsonValue(GoJson::go(inspection)) : QJsonValue(QJsonValue::Null);
        if (!inspection.readable)
            target["inspect_error"] = QString::fromStdString(inspection.error);
        if (inspection.buildInfo)
            ownModule = inspection.buildInfo->ownModule();
    }
    document["target"] = target;

    const std::string text = stderrText(data);
    const GoTraceback traceback = TracebackParser::parse(text, ownModule);
    document["traceback"] = traceback.found() ? QJsonValue(GoJson::traceback(traceback, kMaxGoroutinesInDocument))
                                              : QJsonValue(QJsonValue::Null);
    document["stack_events"] = stackEvents(data);
    const RuntimeLog log = RuntimeLogParser::parse(text);
    document["runtime_log"] = log.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(GoJson::runtimeLog(log));
}

} // namespace exitlens
