#include "SessionJson.h"

#include "report/ResultDocument.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace exitlens {

namespace {
// The tracer keeps at most 5 last lines per file (linux/FileTail); a file may not force more.
constexpr std::size_t kMaxTailLines = 16;

QString qs(const std::string& text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::string str(const QJsonValue& value)
{
    return value.toString().toStdString();
}

QByteArray compact(const QJsonValue& value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

std::int64_t int64(const QJsonValue& value, std::int64_t fallback)
{
    return value.isDouble() ? static_cast<std::int64_t>(value.toDouble()) : fallback;
}

QJsonObject parseObject(const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return document.isObject() ? document.object() : QJsonObject();
}

QJsonArray parseArray(const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return document.isArray() ? document.array() : QJsonArray();
}
} // namespace

QByteArray SessionJson::stringList(const std::vector<std::string>& values)
{
    QJsonArray array;
    for (const auto& value : values)
        array.append(qs(value));
    return compact(array);
}

std::vector<std::string> SessionJson::parseStringList(const QByteArray& json, std::size_t maxItems)
{
    std::vector<std::string> values;
    for (const auto& value : parseArray(json)) {
        if (values.size() >= maxItems)
            break;
        values.push_back(str(value));
    }
    return values;
}

QByteArray SessionJson::launchContext(const LaunchContext& context)
{
    QJsonArray groups;
    for (unsigned group : context.groups)
        groups.append(static_cast<qint64>(group));
    QJsonArray limits;
    for (const auto& limit : context.limits)
        limits.append(QJsonObject { { "name", qs(limit.name) }, { "soft", static_cast<qint64>(limit.soft) },
            { "hard", static_cast<qint64>(limit.hard) } });
    QJsonArray environment;
    for (const auto& entry : context.environment)
        environment.append(qs(entry));
    return compact(QJsonObject {
        { "resolved_program", qs(context.resolvedProgram) },
        { "path_searched", qs(context.searchedPath) },
        { "cwd", qs(context.cwd) },
        { "environment", environment },
        { "uid", static_cast<qint64>(context.uid) },
        { "gid", static_cast<qint64>(context.gid) },
        { "groups", groups },
        { "user", qs(context.user) },
        { "umask", static_cast<qint64>(context.umask) },
        { "limits", limits },
        { "cgroup", qs(context.cgroup) },
        { "cgroup_memory_limit", static_cast<qint64>(context.cgroupMemoryLimit) },
        { "cgroup_oom_kills_at_launch", static_cast<qint64>(context.cgroupOomKillsAtLaunch) },
        { "stdin_is_tty", context.stdinIsTty },
        { "stdout_is_tty", context.stdoutIsTty },
        { "stderr_is_tty", context.stderrIsTty },
        { "hostname", qs(context.hostname) },
        { "kernel", qs(context.kernel) },
        { "machine", qs(context.machine) },
    });
}

LaunchContext SessionJson::parseLaunchContext(const QByteArray& json)
{
    const QJsonObject object = parseObject(json);
    LaunchContext context;
    context.resolvedProgram = str(object["resolved_program"]);
    context.searchedPath = str(object["path_searched"]);
    context.cwd = str(object["cwd"]);
    for (const auto& entry : object["environment"].toArray())
        context.environment.push_back(str(entry));
    context.uid = static_cast<unsigned>(int64(object["uid"], 0));
    context.gid = static_cast<unsigned>(int64(object["gid"], 0));
    for (const auto& group : object["groups"].toArray())
        context.groups.push_back(static_cast<unsigned>(int64(group, 0)));
    context.user = str(object["user"]);
    context.umask = static_cast<unsigned>(int64(object["umask"], 022));
    for (const auto& value : object["limits"].toArray()) {
        const QJsonObject limit = value.toObject();
        context.limits.push_back({ str(limit["name"]), int64(limit["soft"], -1), int64(limit["hard"], -1) });
    }
    context.cgroup = str(object["cgroup"]);
    context.cgroupMemoryLimit = int64(object["cgroup_memory_limit"], -1);
    context.cgroupOomKillsAtLaunch = int64(object["cgroup_oom_kills_at_launch"], -1);
    context.stdinIsTty = object["stdin_is_tty"].toBool();
    context.stdoutIsTty = object["stdout_is_tty"].toBool();
    context.stderrIsTty = object["stderr_is_tty"].toBool();
    context.hostname = str(object["hostname"]);
    context.kernel = str(object["kernel"]);
    context.machine = str(object["machine"]);
    return context;
}

QByteArray SessionJson::openFiles(const std::vector<ExitContext::OpenFile>& files)
{
    QJsonArray array;
    for (const auto& file : files) {
        QJsonObject object { { "fd", file.fd }, { "target", qs(file.target) } };
        if (file.forWriting) {
            QJsonArray tail;
            for (const auto& line : file.tail)
                tail.append(qs(line));
            object["for_writing"] = true;
            object["size"] = static_cast<qint64>(file.size);
            object["modified_ns"] = static_cast<qint64>(file.modifiedNs);
            object["tail"] = tail;
        }
        array.append(object);
    }
    return compact(array);
}

std::vector<ExitContext::OpenFile> SessionJson::parseOpenFiles(const QByteArray& json)
{
    std::vector<ExitContext::OpenFile> files;
    for (const auto& value : parseArray(json)) {
        const QJsonObject object = value.toObject();
        ExitContext::OpenFile file;
        file.fd = static_cast<int>(int64(object["fd"], -1));
        file.target = str(object["target"]);
        file.forWriting = object["for_writing"].toBool();
        if (file.forWriting) {
            file.size = int64(object["size"], -1);
            file.modifiedNs = int64(object["modified_ns"], -1);
            // Untrusted input: keep no more lines than the tracer ever records.
            for (const auto& line : object["tail"].toArray()) {
                if (file.tail.size() >= kMaxTailLines)
                    break;
                file.tail.push_back(str(line));
            }
        }
        files.push_back(std::move(file));
    }
    return files;
}

QByteArray SessionJson::verdict(const Verdict& verdict)
{
    return compact(ResultDocument::verdictObject(verdict));
}

namespace {
Verdict verdictFrom(const QJsonObject& object, int depth)
{
    Verdict out;
    out.category = str(object["category"]);
    out.headline = str(object["headline"]);
    out.explanation = str(object["explanation"]);
    for (const auto& value : object["evidence"].toArray()) {
        const QJsonObject item = value.toObject();
        Verdict::Evidence evidence;
        evidence.text = str(item["text"]);
        if (item["event"].isDouble() && item["event"].toDouble() >= 0 && item["event"].toDouble() < 9.0e18)
            evidence.event = static_cast<std::uint64_t>(item["event"].toDouble());
        out.evidence.push_back(std::move(evidence));
    }
    for (const auto& value : object["suggestions"].toArray())
        out.suggestions.push_back(str(value));
    const QJsonObject facts = object["facts"].toObject();
    for (auto it = facts.begin(); it != facts.end(); ++it) {
        if (it.value().isDouble())
            out.fact(it.key().toStdString(), static_cast<std::int64_t>(it.value().toDouble()));
        else
            out.fact(it.key().toStdString(), str(it.value()));
    }
    out.confidence = object["confidence"].toDouble();
    out.pid = static_cast<int>(int64(object["pid"], 0));
    // Nested verdicts of failed children; a hostile file cannot make this recurse without end.
    if (depth < 16) {
        for (const auto& child : object["children"].toArray())
            out.children.push_back(verdictFrom(child.toObject(), depth + 1));
    }
    return out;
}
} // namespace

bool SessionJson::parseVerdict(const QByteArray& json, Verdict& out)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (!document.isObject())
        return false;
    out = verdictFrom(document.object(), 0);
    return true;
}

} // namespace exitlens
