// The window's display filter on a large synthetic capture: how long the GUI thread is busy when a
// filter is applied (parsing, compiling, starting the worker), how long until the worker's rows
// reach the table, the GUI thread's longest stall while it waits (an event-loop probe), and the
// cost of handing the rows to the model. docs/PERFORMANCE.md, "Filter bar".
//   bench_filterbar [--events N]
#include "model/CaptureData.h"
#include "ui/EventTableModel.h"
#include "ui/FilterBar.h"
#include "ui/FilterController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>
#include <cstdio>
#include <random>

using namespace exitlens;

namespace {
std::shared_ptr<CaptureData> makeCapture(std::uint64_t count)
{
    auto data = std::make_shared<CaptureData>(LaunchSpec {});
    const char* ops[] = { "openat", "read", "write", "close", "newfstatat", "connect", "execve", "unlinkat" };
    std::vector<StringId> opIds;
    for (const char* op : ops)
        opIds.push_back(data->intern(op));
    std::vector<StringId> paths;
    for (int i = 0; i < 5000; ++i)
        paths.push_back(data->intern("/srv/app/" + std::string(i % 7 == 0 ? "conf/" : "data/") + std::to_string(i)));
    const StringId sigurg = data->intern("SIGURG");
    std::mt19937_64 random(42);
    std::vector<Event> batch;
    for (std::uint64_t seq = 0; seq < count;) {
        batch.clear();
        for (std::uint64_t i = 0; i < 65536 && seq < count; ++i, ++seq) {
            const std::uint64_t r = random();
            Event event;
            event.timeNs = seq * 1000;
            event.pid = 100 + int(r % 4);
            event.tid = event.pid;
            event.kind = EventKind::Syscall;
            event.cls = EventClass::File;
            event.op = opIds[r % opIds.size()];
            event.path = paths[(r >> 8) % paths.size()];
            if (r % 41 == 0) {
                event.flags |= EventFlag::Failed;
                event.errnum = 2;
                event.result = -2;
            } else if (r % 13 == 0) {
                event.kind = EventKind::Signal;
                event.cls = EventClass::Signal;
                event.op = sigurg;
                event.flags |= EventFlag::RuntimeNoise;
            }
            batch.push_back(event);
        }
        data->append(batch);
    }
    return data;
}

struct Probe {
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 worst = 0;
    Probe()
    {
        timer.setInterval(0);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.nsecsElapsed();
            worst = std::max(worst, now - last);
            last = now;
        });
    }
    void start()
    {
        clock.start();
        last = 0;
        worst = 0;
        timer.start();
    }
};
} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::uint64_t events = 10'000'000;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == QLatin1String("--events") && i + 1 < argc) {
            events = QString::fromLocal8Bit(argv[++i]).toULongLong();
        } else {
            std::fprintf(stderr, "usage: bench_filterbar [--events N]\n");
            return 2;
        }
    }
    if (events == 0) {
        std::fprintf(stderr, "bench_filterbar: --events must be positive\n");
        return 2;
    }
    const auto data = makeCapture(events);
    EventTableModel model;
    FilterBar bar;
    FilterController controller(&model, &bar);
    model.setCapture(data);
    controller.setCapture(data);
    Probe probe;

    const auto wait = [&] {
        QElapsedTimer clock;
        clock.start();
        while (controller.busy())
            app.processEvents(QEventLoop::AllEvents, 5);
        return double(clock.nsecsElapsed()) / 1e6;
    };
    std::printf("bench_filterbar: %llu events, %d threads available\n", static_cast<unsigned long long>(events),
        QThread::idealThreadCount());
    // The events arrive at once (a session opened): the table takes them and the worker filters.
    probe.start();
    QElapsedTimer call;
    call.start();
    controller.sync(data->events().size());
    double gui = double(call.nsecsElapsed()) / 1e6;
    double total = gui + wait();
    std::printf("  load + default filter (not noise): GUI call %.2f ms, rows in the table after %.1f ms, "
                "longest GUI stall %.1f ms, %llu rows, %llu noise hidden\n",
        gui, total, double(probe.worst) / 1e6, static_cast<unsigned long long>(model.rowCount()),
        static_cast<unsigned long long>(controller.hiddenNoise()));

    const QString filters[] = { QStringLiteral("class == file and failed and path contains \"conf\""),
        QStringLiteral("path matches 'conf/[0-9]+7$'"), QStringLiteral("op == openat or op == connect") };
    for (const QString& filter : filters) {
        for (int run = 0; run < 3; ++run) {
            probe.start();
            call.restart();
            bar.setExpression(filter);
            gui = double(call.nsecsElapsed()) / 1e6;
            total = gui + wait();
            std::printf("  %-55s run %d: GUI call %.2f ms, rows after %.1f ms, longest GUI stall %.1f ms, %d rows\n",
                qPrintable(filter), run + 1, gui, total, double(probe.worst) / 1e6, model.rowCount());
        }
    }
    return 0;
}
