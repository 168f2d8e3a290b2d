// Session write and read rates, and bytes per event on disk, for synthetic captures whose
// operations, paths and processes are distributed like a real Go service's (see docs/PERFORMANCE.md,
// "Sessions"). Usage: session_bench [EVENTS...] [--dir DIR]   (default: 1000000 5000000)
//                    session_bench --trace [--full] PROGRAM [ARGS...]  (a real capture saved while it runs)
//                    session_bench --insert-paths [EVENTS]  (Qt SQL's insert paths against the writer's)
#include "session/SessionConnection.h"
#include "session/SessionLoader.h"
#include "session/SessionWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <random>
#include <sys/resource.h>
#include <thread>

extern char** environ;

using namespace exitlens;

namespace {

// A capture of `count` events: 8 processes with 6 threads each; the operation mix of a focused
// capture of a busy Go program (file calls dominate, about 8% fail with ENOENT); paths from a hot
// set of 3,000 (libraries, config, /proc) plus 25% unique ones (created files), so the string
// table grows the way a real one does.
std::shared_ptr<CaptureData> synthesize(std::uint64_t count)
{
    LaunchSpec spec;
    spec.program = "/srv/inventory/inventory-service";
    spec.args = { "--config", "/etc/inventory/config.json" };
    auto data = std::make_shared<CaptureData>(spec);
    std::mt19937_64 random(42);
    struct Op {
        const char* name;
        EventKind kind;
        EventClass cls;
        int weight;
        bool path;
    };
    const Op ops[] = {
        { "openat", EventKind::Syscall, EventClass::File, 30, true },
        { "newfstatat", EventKind::Syscall, EventClass::File, 22, true },
        { "close", EventKind::Syscall, EventClass::File, 14, false },
        { "readlinkat", EventKind::Syscall, EventClass::File, 4, true },
        { "unlinkat", EventKind::Syscall, EventClass::File, 5, true },
        { "renameat", EventKind::Syscall, EventClass::File, 4, true },
        { "mkdirat", EventKind::Syscall, EventClass::File, 2, true },
        { "connect", EventKind::Syscall, EventClass::Network, 3, true },
        { "mmap", EventKind::Syscall, EventClass::Memory, 6, false },
        { "write", EventKind::Output, EventClass::Output, 5, false },
        { "tgkill", EventKind::Syscall, EventClass::Signal, 3, false },
        { "clone", EventKind::Syscall, EventClass::Thread, 2, false },
    };
    int totalWeight = 0;
    for (const auto& op : ops)
        totalWeight += op.weight;
    std::vector<StringId> opIds;
    for (const auto& op : ops)
        opIds.push_back(data->intern(op.name));
    const StringId details[] = { data->intern("O_RDONLY|O_CLOEXEC"), data->intern("O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"),
        data->intern("AT_SYMLINK_NOFOLLOW"), data->intern("fd 3"), data->intern("fd 7"),
        data->intern("4096 bytes, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS") };
    std::vector<StringId> hotPaths;
    for (int i = 0; i < 3000; ++i)
        hotPaths.push_back(data->intern("/usr/lib/x86_64-linux-gnu/module" + std::to_string(i) + "/lib.so"));
    std::vector<Event> batch;
    std::uint64_t time = 0;
    std::uint64_t unique = 0;
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const auto roll = static_cast<int>(random() % static_cast<unsigned>(totalWeight));
        std::size_t index = 0;
        for (int acc = ops[0].weight; acc <= roll; acc += ops[++index].weight) { }
        const Op& op = ops[index];
        Event event;
        time += 1000 + random() % 4000;
        event.timeNs = time;
        const int process = static_cast<int>(random() % 8);
        event.pid = 412000 + process * 97;
        event.tid = event.pid + static_cast<int>(random() % 6);
        event.kind = op.kind;
        event.cls = op.cls;
        event.op = opIds[index];
        event.durationNs = static_cast<std::uint32_t>(2000 + random() % 60000);
        if (op.path) {
            if (random() % 4 == 0)
                event.path = data->intern("/var/lib/inventory/p" + std::to_string(process) + "/cache/item_"
                    + std::to_string(unique++) + ".json");
            else
                event.path = hotPaths[random() % hotPaths.size()];
        }
        if (op.kind == EventKind::Output) {
            event.path = data->intern(random() % 3 ? "stderr" : "stdout");
            event.detail = data->intern("\"2026/11/29 05:57:19 handled request " + std::to_string(seq) + "\\n\"");
            event.result = 48;
        } else {
            event.detail = details[random() % std::size(details)];
            event.result = static_cast<std::int64_t>(random() % 16);
        }
        if (op.path && random() % 12 == 0) {
            event.flags |= EventFlag::Failed;
            event.errnum = 2;
            event.result = -2;
        }
        batch.push_back(event);
        if (batch.size() == 1024) {
            data->append(batch);
            batch.clear();
        }
    }
    data->append(batch);
    TraceSummary summary;
    summary.rootStatus = ExitStatus::exited(1);
    summary.events = count;
    summary.processes = 8;
    summary.threads = 48;
    data->setSummary(summary);
    return data;
}

// CPU seconds of the whole process (all threads): on a shared machine wall time alone misleads.
double cpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double seconds(const QElapsedTimer& timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

void run(std::uint64_t count, const QString& dir)
{
    std::printf("\n== %llu events ==\n", static_cast<unsigned long long>(count));
    const auto data = synthesize(count);
    const QString path = dir + QString("/bench-%1.exitlens").arg(count);

    // Write: the capture already holds every event, so this is the writer's sustained rate.
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuSeconds();
    SessionWriter writer;
    QString error;
    if (!writer.start(path, data, error)) {
        std::printf("cannot write: %s\n", qPrintable(error));
        return;
    }
    quint64 caughtUpAt = 0;
    double caughtUpSeconds = 0;
    while (writer.stats().committedEvents < count) {
        QThread::msleep(5);
    }
    caughtUpAt = writer.stats().committedEvents;
    caughtUpSeconds = seconds(timer);
    Verdict verdict;
    verdict.category = "exit_code";
    verdict.headline = "inventory-service exited with code 1.";
    writer.finish(verdict);
    double completeSeconds = 0;
    while (!writer.stats().complete && writer.isRunning())
        QThread::msleep(2);
    completeSeconds = seconds(timer);
    writer.waitForFinished();
    const double total = seconds(timer);
    const double writeCpu = cpuSeconds() - cpu;
    const qint64 bytes = QFileInfo(path).size();
    std::printf("write: events committed in %.2f s (%.0f events/s); file complete (summary, verdict) at %.2f s; "
                "with the indexes and the final checkpoint %.2f s (%.0f events/s)\n",
        caughtUpSeconds, static_cast<double>(caughtUpAt) / caughtUpSeconds, completeSeconds, total,
        static_cast<double>(count) / total);
    std::printf("write CPU time (all threads): %.2f s\n", writeCpu);
    std::printf("file: %.1f MiB, %.1f bytes/event (strings: %zu)\n", static_cast<double>(bytes) / 1048576.0,
        static_cast<double>(bytes) / static_cast<double>(count), data->strings().size());

    // Read through the loader (what the GUI and CLI do), with the time to the first rows.
    timer.restart();
    cpu = cpuSeconds();
    double openedAt = -1;
    double firstRowsAt = -1;
    SessionLoader loader(path);
    SessionInfo info;
    SessionLoader::Callbacks callbacks;
    std::shared_ptr<const CaptureData> live;
    callbacks.opened = [&](std::shared_ptr<const CaptureData> loaded, const SessionInfo&) {
        openedAt = seconds(timer);
        live = std::move(loaded);
    };
    callbacks.progress = [&](std::uint64_t loaded, std::uint64_t) {
        if (firstRowsAt < 0 && loaded > 0)
            firstRowsAt = seconds(timer);
    };
    const auto loaded = loader.load(info, error, callbacks);
    const double readTotal = seconds(timer);
    const double readCpu = cpuSeconds() - cpu;
    if (!loaded) {
        std::printf("cannot read: %s\n", qPrintable(error));
        return;
    }
    std::printf("read (loader): verdict+processes after %.3f s, first rows published after %.3f s, all %llu events "
                "in %.2f s (%.0f events/s; CPU %.2f s)\n",
        openedAt, firstRowsAt, static_cast<unsigned long long>(loaded->events().size()), readTotal,
        static_cast<double>(count) / readTotal, readCpu);

    // For comparison: the events table read through QSqlQuery (forward only), a QVariant per cell.
    {
        SessionConnection connection;
        if (connection.open(path, SessionConnection::Mode::ReadOnly, error)) {
            timer.restart();
            QSqlQuery query(connection.database());
            query.setForwardOnly(true);
            query.exec("SELECT seq, time_ns, pid, tid, kind, class, op, path, detail, result, errno, duration_ns, "
                       "flags FROM events ORDER BY seq");
            qint64 sum = 0;
            std::uint64_t rows = 0;
            while (query.next()) {
                for (int column = 0; column < 13; ++column)
                    sum += query.value(column).toLongLong();
                ++rows;
            }
            const double qtSeconds = seconds(timer);
            std::printf("read (QSqlQuery, events table only, for comparison): %llu rows in %.2f s (%.0f rows/s)\n",
                static_cast<unsigned long long>(rows), qtSeconds, static_cast<double>(rows) / qtSeconds);
            (void)sum; // the values are read, not used
        }
    }
    if (!qEnvironmentVariableIsSet("SESSION_BENCH_KEEP"))
        QFile::remove(path);
}

// A real capture (the tracer on its own thread, as in the engine) saved while it runs: does the
// writer keep up with the capture's sustained rate, and how far behind does it ever get?
void live(QStringList command)
{
    LaunchSpec spec;
    if (command.size() > 1 && command.front() == "--full") {
        spec.fullTrace = true; // every syscall: the highest event rate the tracer produces
        command.removeFirst();
    }
    spec.program = command.front().toStdString();
    for (qsizetype i = 1; i < command.size(); ++i)
        spec.args.push_back(command[i].toStdString());
    spec.stdio = StdioMode::Null;
    for (char** entry = environ; entry && *entry; ++entry)
        spec.environment.emplace_back(*entry);
    auto data = std::make_shared<CaptureData>(spec);
    QTemporaryDir dir;
    const QString path = dir.filePath("live.exitlens");
    SessionWriter writer;
    QString error;
    if (!writer.start(path, data, error)) {
        std::printf("cannot write: %s\n", qPrintable(error));
        return;
    }
    QElapsedTimer timer;
    timer.start();
    std::atomic<bool> done { false };
    double captureSeconds = 0;
    std::thread tracer([&] {
        auto backend = createPlatformTracer();
        const TraceSummary summary = backend->run(data->spec(), *data);
        data->setSummary(summary);
        captureSeconds = seconds(timer);
        done = true;
    });
    quint64 maxLagEvents = 0;
    double maxLagSeconds = 0;
    while (!done) {
        QThread::msleep(20);
        const auto stats = writer.stats();
        maxLagEvents = std::max(maxLagEvents, stats.lagEvents);
        maxLagSeconds = std::max(maxLagSeconds, stats.lagSeconds);
    }
    tracer.join();
    const quint64 events = data->events().size();
    while (writer.stats().committedEvents < events)
        QThread::msleep(2);
    const double committedAt = seconds(timer);
    writer.finish(std::nullopt);
    writer.waitForFinished();
    std::printf("\n== live%s: %s ==\ncapture: %llu events in %.2f s (%.0f events/s sustained)\n",
        spec.fullTrace ? " --full" : "", qPrintable(command.join(' ')), static_cast<unsigned long long>(events),
        captureSeconds, static_cast<double>(events) / captureSeconds);
    std::printf("writer: every event committed %.3f s after the capture ended; largest lag seen %llu events "
                "(%.3f s of capture time); finished %.2f s after the start\n",
        committedAt - captureSeconds, static_cast<unsigned long long>(maxLagEvents), maxLagSeconds, seconds(timer));
}

// The same events table filled three ways, to show why the writer inserts through the sqlite3
// handle: QSqlQuery::bindValue/exec per row, QSqlQuery::execBatch, and SessionWriter (handle).
void insertPaths(std::uint64_t count, const QString& dir)
{
    const auto data = synthesize(count);
    std::printf("\n== inserting %llu events into the events table ==\n", static_cast<unsigned long long>(count));
    for (int variant = 0; variant < 2; ++variant) {
        const QString path = dir + QString("/insert-%1.db").arg(variant);
        SessionConnection connection;
        QString error;
        if (!connection.open(path, SessionConnection::Mode::Create, error)
            || !connection.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE events (seq "
                                "INTEGER PRIMARY KEY, time_ns, pid, tid, kind, class, op, path, detail, result, "
                                "errno, duration_ns, flags)",
                error)) {
            std::printf("cannot create %s: %s\n", qPrintable(path), qPrintable(error));
            return;
        }
        QElapsedTimer timer;
        timer.start();
        {
            QSqlDatabase db = connection.database();
            db.transaction();
            QSqlQuery query(db);
            query.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            const auto& store = data->events();
            if (variant == 0) {
                for (std::uint64_t seq = 0; seq < count; ++seq) {
                    const Event& e = store.at(seq);
                    const QVariant values[] = { qint64(seq), qint64(e.timeNs), e.pid, e.tid, int(e.kind), int(e.cls),
                        e.op, e.path, e.detail, qint64(e.result), e.errnum, e.durationNs, e.flags };
                    for (int column = 0; column < 13; ++column)
                        query.bindValue(column, values[column]);
                    query.exec();
                }
            } else {
                constexpr std::uint64_t kBatch = 8192;
                for (std::uint64_t first = 0; first < count; first += kBatch) {
                    QVariantList columns[13];
                    for (std::uint64_t seq = first; seq < std::min(count, first + kBatch); ++seq) {
                        const Event& e = store.at(seq);
                        const QVariant values[] = { qint64(seq), qint64(e.timeNs), e.pid, e.tid, int(e.kind),
                            int(e.cls), e.op, e.path, e.detail, qint64(e.result), e.errnum, e.durationNs, e.flags };
                        for (int column = 0; column < 13; ++column)
                            columns[column] << values[column];
                    }
                    for (int column = 0; column < 13; ++column)
                        query.bindValue(column, columns[column]);
                    query.execBatch();
                }
            }
            db.commit();
        }
        const double elapsed = seconds(timer);
        std::printf("%s: %.2f s (%.0f events/s)\n", variant == 0 ? "QSqlQuery bindValue/exec" : "QSqlQuery execBatch",
            elapsed, static_cast<double>(count) / elapsed);
        connection.close();
        QFile::remove(path);
        QFile::remove(path + "-wal");
        QFile::remove(path + "-shm");
    }
    QElapsedTimer timer;
    timer.start();
    SessionWriter writer;
    QString error;
    if (writer.start(dir + "/insert-writer.exitlens", data, error)) {
        while (writer.stats().committedEvents < count)
            QThread::msleep(2);
        const double elapsed = seconds(timer);
        std::printf("SessionWriter (sqlite3 handle, 32 rows per INSERT, strings too): %.2f s (%.0f events/s)\n",
            elapsed, static_cast<double>(count) / elapsed);
        writer.finish(std::nullopt);
        writer.waitForFinished();
        QFile::remove(dir + "/insert-writer.exitlens");
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::uint64_t> counts;
    QString dir;
    const QStringList arguments = app.arguments();
    for (int i = 1; i < arguments.size(); ++i) {
        if (arguments[i] == "--trace" && i + 1 < arguments.size()) {
            live(arguments.mid(i + 1));
            return 0;
        }
        if (arguments[i] == "--insert-paths") {
            QTemporaryDir scratch;
            insertPaths(i + 1 < arguments.size() ? arguments[i + 1].toULongLong() : 1000000, scratch.path());
            return 0;
        }
        if (arguments[i] == "--dir" && i + 1 < arguments.size())
            dir = arguments[++i];
        else
            counts.push_back(arguments[i].toULongLong());
    }
    if (counts.empty())
        counts = { 1000000, 5000000 };
    QTemporaryDir temporary;
    if (dir.isEmpty())
        dir = temporary.path();
    for (auto count : counts)
        run(count, dir);
    return 0;
}
