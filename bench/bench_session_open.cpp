// Opening a session in the workbench window: how long until the verdict and the first rows are on
// screen, how long until every event is in, and the longest stall of the GUI thread meanwhile
// (docs/PERFORMANCE.md, "Opening a session in the window"). The file is any .exitlens session, for
// example one kept by `SESSION_BENCH_KEEP=1 session_bench 5000000 --dir DIR`.
// Usage: QT_QPA_PLATFORM=offscreen bench_session_open FILE [RUNS]
#include "model/CaptureData.h"
#include "ui/EventTableModel.h"
#include "ui/MainWindow.h"
#include "ui/VerdictPanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

using namespace exitlens;

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings or recent list
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_session_open FILE [RUNS]\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    for (int run = 0; run < runs; ++run) {
        MainWindow window;
        window.setConfirmations(false);
        window.resize(1600, 1000);
        window.show();
        QApplication::processEvents();

        QElapsedTimer clock;
        qint64 firstRowsMs = -1;
        qint64 verdictMs = -1;
        qint64 doneMs = -1;
        qint64 worstStallMs = 0;
        qint64 lastTick = 0;
        QString error;
        // A 5 ms ticker: the gap between two ticks is how long the GUI thread was busy.
        QTimer ticker;
        ticker.setInterval(5);
        QObject::connect(&ticker, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            worstStallMs = std::max(worstStallMs, now - lastTick);
            lastTick = now;
            if (firstRowsMs < 0 && window.eventModel()->rowCount() > 0)
                firstRowsMs = now;
            if (verdictMs < 0 && window.verdictPanel()->hasVerdict())
                verdictMs = now;
        });
        QObject::connect(&window, &MainWindow::sessionOpened, [&] {
            doneMs = clock.elapsed();
            if (firstRowsMs < 0)
                firstRowsMs = doneMs;
            if (verdictMs < 0)
                verdictMs = doneMs;
        });
        QObject::connect(&window, &MainWindow::errorReported, [&](const QString& message) { error = message; });
        clock.start();
        ticker.start();
        window.openSession(path);
        while (doneMs < 0 && error.isEmpty() && clock.elapsed() < 600000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "bench_session_open: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("run %d: %llu events; first rows after %lld ms, verdict after %lld ms, all events after %lld ms; "
                    "worst GUI stall %lld ms\n",
            run + 1, static_cast<unsigned long long>(window.capture()->events().size()),
            static_cast<long long>(firstRowsMs), static_cast<long long>(verdictMs), static_cast<long long>(doneMs),
            static_cast<long long>(worstStallMs));
    }
    return 0;
}
