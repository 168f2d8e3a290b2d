#include "ResultDocument.h"

#include "Names.h"
#include "OutputFile.h"
#include "Version.h"
#include "go/GoInsight.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace exitlens {

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QJsonArray stringArray(const std::vector<std::string>& values)
{
    QJsonArray array;
    for (const auto& value : values)
        array.append(qs(value));
    return array;
}

QJsonValue limitValue(std::int64_t value)
{
    return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(static_cast<qint64>(value));
}

QJsonObject contextObject(const LaunchContext& context)
{
    QJsonArray groups;
    for (unsigned group : context.groups)
        groups.append(static_cast<qint64>(group));
    QJsonArray limits;
    for (const auto& limit : context.limits)
        limits.append(QJsonObject {
            { "name", qs(limit.name) }, { "soft", limitValue(limit.soft) }, { "hard", limitValue(limit.hard) } });
    return QJsonObject {
        { "uid", static_cast<qint64>(context.uid) },
        { "gid", static_cast<qint64>(context.gid) },
        { "groups", groups },
        { "user", qs(context.user) },
        { "umask", QString::asprintf("%04o", context.umask) },
        { "cwd", qs(context.cwd) },
        { "path_searched", qs(context.searchedPath) },
        { "limits", limits },
        { "cgroup", qs(context.cgroup) },
        { "cgroup_memory_limit", limitValue(context.cgroupMemoryLimit) },
        { "cgroup_oom_kills_at_launch", limitValue(context.cgroupOomKillsAtLaunch) },
        { "stdin_is_tty", context.stdinIsTty },
        { "stdout_is_tty", context.stdoutIsTty },
        { "stderr_is_tty", context.stderrIsTty },
        { "hostname", qs(context.hostname) },
        { "kernel", qs(context.kernel) },
        { "machine", qs(context.machine) },
        { "environment", stringArray(context.environment) },
    };
}

QJsonObject exitContextObject(const ExitContext& context)
{
    QJsonArray files;
    for (const auto& file : context.openFiles) {
        QJsonObject object { { "fd", file.fd }, { "target", qs(file.target) } };
        if (file.forWriting) { // a regular file open for writing: its size and last lines at exit
            object["for_writing"] = true;
            object["size"] = static_cast<qint64>(file.size);
            object["tail"] = stringArray(file.tail);
        }
        files.append(object);
    }
    return QJsonObject {
        { "captured", context.captured },
        { "complete", context.complete },
        { "open_files", files },
        { "peak_rss_kib", limitValue(context.peakRssKiB) },
        { "rss_kib", limitValue(context.rssKiB) },
        { "address_space_limit", limitValue(context.addressSpaceLimit) },
        { "open_files_limit", limitValue(context.openFilesLimit) },
        { "cgroup", qs(context.cgroup) },
        { "cgroup_memory_limit", limitValue(context.cgroupMemoryLimit) },
        { "cgroup_oom_kills", limitValue(context.cgroupOomKills) },
    };
}

QJsonObject streamObject(const OutputLog::StreamView& view)
{
    constexpr std::size_t kTailInDocument = 4096;
    std::string tail = view.head + view.tail;
    if (tail.size() > kTailInDocument)
        tail = tail.substr(tail.size() - kTailInDocument);
    return QJsonObject {
        { "total_bytes", static_cast<qint64>(view.totalBytes) },
        { "tail", QString::fromUtf8(tail.data(), static_cast<qsizetype>(tail.size())) },
    };
}
} // namespace

QJsonObject ResultDocument::exitObject(const ExitStatus& status)
{
    QJsonObject exit;
    exit["code"] = status.kind == ExitStatus::Kind::Exited ? QJsonValue(status.code) : QJsonValue(QJsonValue::Null);
    exit["signal"] = status.kind == ExitStatus::Kind::Signaled ? QJsonValue(qs(signalName(status.signal)))
                                                               : QJsonValue(QJsonValue::Null);
    exit["core_dumped"] = status.coreDumped;
    if (status.kind == ExitStatus::Kind::LaunchFailed) {
        exit["launch_error"] = qs(errnoName(status.launchErrno));
        exit["launch_error_message"] = qs(errnoMessage(status.launchErrno));
    } else {
        exit["launch_error"] = QJsonValue(QJsonValue::Null);
    }
    exit["description"] = qs(status.describe());
    exit["shell_status"] = status.shellStatus();
    return exit;
}

QJsonObject ResultDocument::verdictObject(const Verdict& verdict)
{
    QJsonArray evidence;
    for (const auto& item : verdict.evidence)
        evidence.append(QJsonObject { { "text", qs(item.text) },
            { "event", item.event ? QJsonValue(static_cast<qint64>(*item.event)) : QJsonValue(QJsonValue::Null) } });
    QJsonObject facts;
    for (const auto& fact : verdict.facts) {
        if (const auto* text = std::get_if<std::string>(&fact.value))
            facts[qs(fact.key)] = qs(*text);
        else
            facts[qs(fact.key)] = static_cast<qint64>(std::get<std::int64_t>(fact.value));
    }
    QJsonArray children;
    for (const auto& child : verdict.children)
        children.append(verdictObject(child));
    return QJsonObject {
        { "category", qs(verdict.category) },
        { "headline", qs(verdict.headline) },
        { "explanation", qs(verdict.explanation) },
        { "evidence", evidence },
        { "suggestions", stringArray(verdict.suggestions) },
        { "facts", facts },
        { "confidence", verdict.confidence },
        { "pid", verdict.pid },
        { "children", children },
    };
}

QJsonObject ResultDocument::build(const CaptureData& data, const TraceSummary& summary, const Verdict& verdict)
{
    const LaunchSpec& spec = data.spec();
    const LaunchContext context = data.context();

    QJsonArray processes;
    for (const auto& process : data.processes().snapshot()) {
        const ExitStatus& status = process.status;
        processes.append(QJsonObject {
            { "pid", process.pid },
            { "ppid", process.ppid },
            { "exe", qs(process.exe) },
            { "args", stringArray(process.argv) },
            { "cwd", qs(process.cwd) },
            { "start_ns", static_cast<qint64>(process.startNs) },
            { "end_ns", status.ended() ? QJsonValue(static_cast<qint64>(process.endNs)) : QJsonValue() },
            { "exit_code", status.kind == ExitStatus::Kind::Exited ? QJsonValue(status.code) : QJsonValue() },
            { "signal",
                status.kind == ExitStatus::Kind::Signaled ? QJsonValue(qs(signalName(status.signal))) : QJsonValue() },
            { "core_dumped", status.coreDumped },
            { "threads", process.threads },
            { "first_event", static_cast<qint64>(process.startSeq) },
            { "exit_event", status.ended() ? QJsonValue(static_cast<qint64>(process.endSeq)) : QJsonValue() },
            { "exit_context", exitContextObject(process.exitContext) },
        });
    }

    const std::uint64_t events = data.events().size();
    QJsonObject stats {
        { "events", static_cast<qint64>(events) },
        { "processes", static_cast<qint64>(summary.processes) },
        { "threads", static_cast<qint64>(summary.threads) },
        { "dropped", static_cast<qint64>(summary.dropped + data.events().dropped()) },
        { "filtered_out", static_cast<qint64>(summary.filteredOut) },
        { "stops", static_cast<qint64>(summary.stops) },
        { "store_bytes", static_cast<qint64>(data.storeBytes()) },
        { "bytes_per_event_record", static_cast<qint64>(sizeof(Event)) },
        { "output_bytes", static_cast<qint64>(data.outputLog().totalBytes()) },
    };

    QJsonObject document {
        { "exitlens_version", QString::fromLatin1(kVersion) },
        { "target",
            QJsonObject { { "program", qs(spec.program) }, { "resolved", qs(context.resolvedProgram) },
                { "args", stringArray(spec.args) }, { "cwd", qs(context.cwd) } } },
        { "capture",
            QJsonObject { { "mode", spec.fullTrace ? "full" : "focused" },
                { "classes", qs(spec.fullTrace ? CaptureClasses::all().toString() : spec.classes.toString()) },
                { "filter", spec.captureFilter.empty() ? QJsonValue() : QJsonValue(qs(spec.captureFilter)) },
                { "stopped_by_user", summary.stoppedByUser } } },
        { "context", contextObject(context) },
        { "exit", exitObject(summary.rootStatus) },
        { "processes", processes },
        { "stats", stats },
        { "output",
            QJsonObject { { "stdout", streamObject(data.outputLog().stream(1)) },
                { "stderr", streamObject(data.outputLog().stream(2)) } } },
        { "verdict", verdictObject(verdict) },
    };
    // Go insight (docs/go-insight.md): target.elf, target.go, traceback, runtime_log.
    GoInsight::addToResult(data, document);
    if (!summary.error.empty())
        document["error"] = qs(summary.error);
    return document;
}

bool ResultDocument::write(const QJsonObject& document, const QString& path, QString& error)
{
    OutputFile file(path);
    if (!file.open(error))
        return false;
    file.write(QJsonDocument(document).toJson(QJsonDocument::Indented));
    return file.commit(error);
}

} // namespace exitlens
