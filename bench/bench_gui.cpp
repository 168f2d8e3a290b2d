// GUI benchmark: drives the real event table (EventTableModel + EventTableView + delegate) with
// synthetic batches written into a real CaptureData by a producer thread, the way the tracer
// does, and measures what a user feels:
//   1. sustained ingest (events/s the table takes in at one insert per 50 ms tick, autoscrolling)
//      and the worst GUI-thread stall while it does (a 2 ms heartbeat timer's longest gap);
//   2. paint time of the whole 1600x1000 table after random scroll jumps over all rows.
// Results go to docs/PERFORMANCE.md ("GUI"). Usage:
//   bench_gui [--events N] [--rate EVENTS_PER_S] [--jumps N] [--unfiltered] [--qtableview ROWS]
#include "EventTableModel.h"
#include "EventTableView.h"
#include "QuickFilter.h"
#include "model/CaptureData.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>
#include <vector>

using namespace exitlens;

namespace {

struct Options {
    std::uint64_t events = 10'000'000;
    double rate = 0; // 0: as fast as the producer can
    int jumps = 400;
    bool unfiltered = false;
    int qtableviewRows = 0;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t index = std::min(values.size() - 1, std::size_t(p / 100.0 * double(values.size())));
    return values[index];
}

// Writes events the way the tracer does: interned strings, batches of up to 1024, published as
// it goes. A realistic mix: mostly file calls on a few thousand paths, some failures, lifecycle
// events, signals, output, and a unique detail string every 64 events.
void produce(CaptureData& data, std::uint64_t total, double rate, std::atomic<bool>& stop)
{
    const char* ops[] = { "openat", "newfstatat", "read", "close", "mmap", "futex", "connect", "write", "getdents64",
        "readlinkat", "unlinkat", "socket", "execve", "clone" };
    std::vector<StringId> opIds;
    for (const char* op : ops)
        opIds.push_back(data.intern(op));
    std::vector<StringId> pathIds;
    for (int i = 0; i < 4000; ++i)
        pathIds.push_back(data.intern("/srv/inventory/data/shard-" + std::to_string(i % 97) + "/item-"
            + std::to_string(i) + (i % 3 == 0 ? ".json" : ".idx")));
    std::vector<StringId> detailIds;
    for (int i = 0; i < 200; ++i)
        detailIds.push_back(data.intern(i % 2 ? "O_RDONLY|O_CLOEXEC" : "O_WRONLY|O_CREAT|O_TRUNC, 0644"));
    const StringId stderrId = data.intern("stderr");
    const StringId sigurg = data.intern("SIGURG");
    const StringId start = data.intern("process_start");
    const StringId exe = data.intern("/srv/inventory/bin/inventory-service");
    ProcessRecord root;
    root.pid = 4242;
    root.ppid = 1;
    root.exe = "/srv/inventory/bin/inventory-service";
    root.argv = { root.exe, "--serve" };
    data.processChanged(root);

    std::mt19937_64 random(42);
    std::vector<Event> batch;
    batch.reserve(1024);
    QElapsedTimer clock;
    clock.start();
    std::uint64_t written = 0;
    while (written < total && !stop.load(std::memory_order_relaxed)) {
        batch.clear();
        const std::uint64_t n = std::min<std::uint64_t>(1024, total - written);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::uint64_t seq = written + i;
            Event event;
            event.timeNs = std::uint64_t(clock.nsecsElapsed());
            event.pid = 4242 + int(seq % 5 == 0);
            event.tid = event.pid + int(seq % 7);
            const std::uint64_t r = random();
            event.kind = EventKind::Syscall;
            event.cls = EventClass::File;
            event.op = opIds[r % 10];
            event.path = pathIds[(r >> 8) % pathIds.size()];
            event.detail = detailIds[(r >> 20) % detailIds.size()];
            event.result = std::int64_t((r >> 32) % 64);
            event.durationNs = std::uint32_t((r >> 40) % 200000);
            if (seq == 0) {
                event.kind = EventKind::ProcessStart;
                event.cls = EventClass::Process;
                event.op = start;
                event.path = exe;
            } else if (r % 41 == 0) {
                event.flags |= EventFlag::Failed;
                event.errnum = 2;
                event.result = -2;
            } else if (r % 101 == 0) {
                event.kind = EventKind::Signal;
                event.cls = EventClass::Signal;
                event.op = sigurg;
                event.result = 23;
                event.flags |= EventFlag::RuntimeNoise;
            } else if (r % 67 == 0) {
                event.kind = EventKind::Output;
                event.cls = EventClass::Output;
                event.op = opIds[7];
                event.path = stderrId;
            }
            if (seq % 64 == 0)
                event.detail =
                    data.intern("request " + std::to_string(seq) + " took " + std::to_string(r % 997) + " us");
            batch.push_back(event);
        }
        data.append(batch);
        written += n;
        if (rate > 0) {
            const double due = double(written) / rate * 1e9;
            while (double(clock.nsecsElapsed()) < due)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }
}

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

// Times every paint of the table's viewport, to tell our own work from the scheduler's delays.
class PaintTimer : public QObject {
public:
    double maxMs = 0;
    double maxCpuMs = 0; // the GUI thread's own CPU time in the paint (excludes being preempted)
    int paints = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::Paint)
            return false;
        auto* widget = static_cast<QWidget*>(watched);
        widget->removeEventFilter(this);
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuMs();
        QCoreApplication::sendEvent(widget, event);
        widget->installEventFilter(this);
        maxMs = std::max(maxMs, double(timer.nsecsElapsed()) / 1e6);
        maxCpuMs = std::max(maxCpuMs, threadCpuMs() - cpu);
        ++paints;
        return true;
    }
};

struct IngestResult {
    double seconds = 0;
    double eventsPerSecond = 0;
    double maxStallMs = 0;
    double p99GapMs = 0;
    double maxTickMs = 0;
    double maxPaintMs = 0;
    double maxPaintCpuMs = 0;
    double maxTickCpuMs = 0;
    double maxStallAfterWarmupMs = 0; // after the first tenth: fonts and caches are warm
    int paints = 0;
    std::vector<double> maxStallPerTenth; // worst stall in each tenth of the run
};

IngestResult ingest(
    const Options& options, std::shared_ptr<CaptureData> data, EventTableModel& model, EventTableView& view)
{
    IngestResult result;
    // A local loop: QApplication::quit() would close the window being measured.
    QEventLoop loop;
    std::atomic<bool> stop { false };
    QElapsedTimer clock;
    clock.start();
    std::thread producer([&] { produce(*data, options.events, options.rate, stop); });

    constexpr int kHeartbeatMs = 2;
    std::vector<double> gaps;
    gaps.reserve(1 << 20);
    result.maxStallPerTenth.assign(10, 0);
    qint64 lastBeat = clock.nsecsElapsed();
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(kHeartbeatMs);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gap = double(now - lastBeat) / 1e6;
        lastBeat = now;
        gaps.push_back(gap);
        const double stall = gap - kHeartbeatMs;
        result.maxStallMs = std::max(result.maxStallMs, stall);
        const std::size_t tenth = std::min<std::size_t>(9, model.knownEvents() * 10 / options.events);
        result.maxStallPerTenth[tenth] = std::max(result.maxStallPerTenth[tenth], stall);
        if (tenth > 0)
            result.maxStallAfterWarmupMs = std::max(result.maxStallAfterWarmupMs, stall);
    });
    // What CaptureEngine does every 50 ms: announce everything published since the last tick.
    QTimer drain;
    drain.setInterval(50);
    QObject::connect(&drain, &QTimer::timeout, [&] {
        QElapsedTimer tick;
        tick.start();
        const double cpu = threadCpuMs();
        model.syncTo(data->events().size());
        result.maxTickMs = std::max(result.maxTickMs, double(tick.nsecsElapsed()) / 1e6);
        result.maxTickCpuMs = std::max(result.maxTickCpuMs, threadCpuMs() - cpu);
        if (model.knownEvents() >= options.events)
            loop.quit();
    });
    PaintTimer paintTimer;
    view.viewport()->installEventFilter(&paintTimer);
    heartbeat.start();
    drain.start();
    loop.exec();
    view.viewport()->removeEventFilter(&paintTimer);
    result.maxPaintMs = paintTimer.maxMs;
    result.maxPaintCpuMs = paintTimer.maxCpuMs;
    result.paints = paintTimer.paints;
    result.seconds = double(clock.nsecsElapsed()) / 1e9;
    stop = true;
    producer.join();
    heartbeat.stop();
    drain.stop();
    result.eventsPerSecond = double(options.events) / result.seconds;
    result.p99GapMs = percentile(gaps, 99);
    if (!view.isAtBottom())
        std::fprintf(stderr, "warning: the view stopped following the tail\n");
    return result;
}

struct JumpTimes {
    std::vector<double> wall;
    std::vector<double> cpu;
};

JumpTimes paintJumps(QAbstractScrollArea& view, int rows, int jumps, QApplication& app)
{
    std::mt19937 random(7);
    JumpTimes times;
    for (int i = 0; i < jumps; ++i) {
        view.verticalScrollBar()->setValue(int(random() % std::uint32_t(std::max(1, rows))));
        app.processEvents(); // let scroll handling settle outside the measurement
        QElapsedTimer timer;
        timer.start();
        const double cpu = threadCpuMs();
        view.viewport()->repaint();
        times.wall.push_back(double(timer.nsecsElapsed()) / 1e6);
        times.cpu.push_back(threadCpuMs() - cpu);
    }
    return times;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Options options;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString& arg = args[i];
        const auto next = [&] { return i + 1 < args.size() ? args[++i] : QString(); };
        if (arg == "--events")
            options.events = next().toULongLong();
        else if (arg == "--rate")
            options.rate = next().toDouble();
        else if (arg == "--jumps")
            options.jumps = next().toInt();
        else if (arg == "--unfiltered")
            options.unfiltered = true;
        else if (arg == "--qtableview")
            options.qtableviewRows = next().toInt();
        else {
            std::fprintf(stderr,
                "usage: bench_gui [--events N] [--rate EVENTS_PER_S] [--jumps N] [--unfiltered] "
                "[--qtableview ROWS]\n");
            return 2;
        }
    }
    if (options.events == 0) {
        std::fprintf(stderr, "bench_gui: --events must be positive\n");
        return 2;
    }

    auto data = std::make_shared<CaptureData>(LaunchSpec {});
    EventTableModel model;
    // The window's default filter hides Go runtime noise, which makes the model keep a row index.
    QuickFilterSettings settings;
    settings.hideRuntimeNoise = !options.unfiltered;
    QuickFilter filter(data, settings);
    EventTableModel::RowPredicate predicate;
    if (!filter.passesEverything())
        predicate = [filter](std::uint64_t, const Event& event) { return filter.accepts(event); };
    model.setCapture(data, QDateTime::currentDateTime(), predicate);
    EventTableView view;
    view.setModel(&model);
    view.resize(1600, 1000);
    view.show();
    app.processEvents();

    std::printf("GUI benchmark: %llu events, producer %s, %s, view %dx%d (viewport %dx%d), %d rows visible\n",
        static_cast<unsigned long long>(options.events),
        options.rate > 0 ? qPrintable(QString("throttled to %1 events/s").arg(options.rate)) : "unthrottled",
        options.unfiltered ? "no row filter" : "default filter (runtime noise hidden: row index kept)", view.width(),
        view.height(), view.viewport()->width(), view.viewport()->height(), view.visibleRowCount());
    const IngestResult result = ingest(options, data, model, view);
    std::printf("ingest: %.2f s, %.0f events/s sustained, %llu rows shown\n", result.seconds, result.eventsPerSecond,
        static_cast<unsigned long long>(model.visibleEvents()));
    std::printf("GUI thread: worst stall %.1f ms (%.1f ms after the first tenth), p99 heartbeat gap %.1f ms (2 ms "
                "timer)\n",
        result.maxStallMs, result.maxStallAfterWarmupMs, result.p99GapMs);
    std::printf("GUI work: slowest drain tick %.2f ms wall / %.2f ms CPU; slowest of %d live paints %.2f ms wall / "
                "%.2f ms CPU\n",
        result.maxTickMs, result.maxTickCpuMs, result.paints, result.maxPaintMs, result.maxPaintCpuMs);
    std::printf("worst stall by tenth of the run (ms):");
    for (double stall : result.maxStallPerTenth)
        std::printf(" %.1f", stall);
    std::printf("\nmemory: store %.0f MiB, row index %.0f MiB\n", double(data->storeBytes()) / 1048576.0,
        double(model.visibleEvents() * (options.unfiltered ? 0 : 4)) / 1048576.0);

    const auto times = paintJumps(view, model.rowCount(), options.jumps, app);
    std::printf("paint after random jumps over %d rows (%d jumps): p50 %.2f ms, p99 %.2f ms, max %.2f ms wall; "
                "p99 %.2f ms CPU\n",
        model.rowCount(), options.jumps, percentile(times.wall, 50), percentile(times.wall, 99),
        *std::max_element(times.wall.begin(), times.wall.end()), percentile(times.cpu, 99));

    if (options.qtableviewRows > 0) {
        // Reference: the stock QTableView + QStyledItemDelegate over the first ROWS rows.
        EventTableModel small;
        small.setCapture(data, QDateTime::currentDateTime());
        small.syncTo(std::min<std::uint64_t>(std::uint64_t(options.qtableviewRows), data->events().size()));
        QTableView table;
        table.setModel(&small);
        table.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        table.verticalHeader()->setDefaultSectionSize(view.rowHeight());
        table.verticalHeader()->hide();
        table.resize(1600, 1000);
        table.show();
        app.processEvents();
        const auto stock = paintJumps(table, small.rowCount(), options.jumps, app);
        std::printf("reference QTableView + QStyledItemDelegate over %d rows: p50 %.2f ms, p99 %.2f ms wall\n",
            small.rowCount(), percentile(stock.wall, 50), percentile(stock.wall, 99));
    }
    return 0;
}
