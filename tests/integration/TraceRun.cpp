#include "TraceRun.h"

#include "TestPaths.h"
#include "report/EventFormatter.h"

#include <QFile>
#include <unistd.h>

extern char** environ;

namespace exitlens::test {

int programLine(const QString& file, const QString& needle)
{
    QFile source(QString(EXITLENS_TEST_DATA) + "/../programs/" + file);
    if (!source.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray bytes = needle.toUtf8();
    int number = 0;
    while (!source.atEnd()) {
        ++number;
        if (source.readLine().contains(bytes))
            return number;
    }
    return -1;
}

TraceRun TraceRun::run(LaunchSpec spec)
{
    TraceRun result;
    result.data = std::make_shared<CaptureData>(spec);
    auto tracer = createPlatformTracer();
    result.summary = tracer->run(result.data->spec(), *result.data);
    result.data->setSummary(result.summary);
    return result;
}

std::string TraceRun::fixturePath(const std::string& name)
{
    return std::string(EXITLENS_FIXTURE_DIR) + "/" + name;
}

LaunchSpec TraceRun::fixture(const std::string& name, std::vector<std::string> args)
{
    LaunchSpec spec;
    spec.program = fixturePath(name);
    spec.args = std::move(args);
    for (char** entry = environ; entry && *entry; ++entry)
        spec.environment.emplace_back(*entry);
    spec.stdio = StdioMode::Null;
    return spec;
}

std::vector<std::uint64_t> TraceRun::find(const std::function<bool(const Event&)>& predicate) const
{
    std::vector<std::uint64_t> found;
    const std::uint64_t count = data->events().size();
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        if (predicate(data->events().at(seq)))
            found.push_back(seq);
    }
    return found;
}

std::vector<std::uint64_t> TraceRun::syscalls(const std::string& op) const
{
    return find([&](const Event& event) {
        return (event.kind == EventKind::Syscall || event.kind == EventKind::Output) && data->text(event.op) == op;
    });
}

QString TraceRun::dump() const
{
    QString text;
    const EventFormatter formatter(*data);
    const std::uint64_t count = data->events().size();
    for (std::uint64_t seq = 0; seq < count && seq < 400; ++seq)
        text += QString::number(seq) + ": " + QString::fromStdString(formatter.line(seq)) + "\n";
    return text;
}

} // namespace exitlens::test
