// CaptureEngine in a worker QThread, as the GUI uses it: batches are coalesced, the process table
// is published, and stop() from another thread kills the traced tree without leaving it stopped.
#include "TestPaths.h"
#include "capture/CaptureEngine.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <csignal>
#include <fstream>
#include <unistd.h>

extern char** environ;

using namespace exitlens;

namespace {
LaunchSpec fixture(const std::string& name, std::vector<std::string> args = {})
{
    LaunchSpec spec;
    spec.program = std::string(EXITLENS_FIXTURE_DIR) + "/" + name;
    spec.args = std::move(args);
    for (char** entry = environ; entry && *entry; ++entry)
        spec.environment.emplace_back(*entry);
    spec.stdio = StdioMode::Pipes;
    return spec;
}

// "T (tracing stop)" or "t" in /proc/PID/stat's state field means stopped.
char processState(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    return close == std::string::npos || close + 2 >= text.size() ? '?' : text[close + 2];
}
} // namespace

class EngineTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void publishesCoalescedBatches();
    void stopFromAnotherThreadKillsTheTree();

private:
    QThread* m_thread = nullptr;
    CaptureEngine* m_engine = nullptr;
};

void EngineTest::init()
{
    m_thread = new QThread;
    m_engine = new CaptureEngine;
    m_engine->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread->start();
}

void EngineTest::cleanup()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void EngineTest::publishesCoalescedBatches()
{
    QSignalSpy batches(m_engine, &CaptureEngine::batchAppended);
    QSignalSpy processes(m_engine, &CaptureEngine::processesChanged);
    QSignalSpy finished(m_engine, &CaptureEngine::finished);
    QElapsedTimer clock;
    clock.start();
    QMetaObject::invokeMethod(
        m_engine, "start", Qt::QueuedConnection, Q_ARG(exitlens::LaunchSpec, fixture("many_threads")));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    const qint64 elapsedMs = clock.elapsed();

    const auto summary = finished.at(0).at(0).value<TraceSummary>();
    QCOMPARE(summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(summary.rootStatus.code, 0);
    const auto data = m_engine->data();
    // The batches tile the store exactly: no gap, no overlap, nothing left unannounced.
    quint64 expectedFirst = 0;
    for (const auto& arguments : batches) {
        QCOMPARE(arguments.at(0).toULongLong(), expectedFirst);
        expectedFirst += arguments.at(1).toULongLong();
    }
    QCOMPARE(expectedFirst, data->events().size());
    QVERIFY(data->events().size() > 3000);
    // At most one batch per 50 ms tick (plus the final flush): never one signal per event.
    QVERIFY2(batches.size() <= elapsedMs / 50 + 2,
        qPrintable(QString("%1 batches in %2 ms").arg(batches.size()).arg(elapsedMs)));
    QVERIFY(processes.size() >= 1);
    QCOMPARE(data->processes().snapshot().front().status.code, 0);
}

void EngineTest::stopFromAnotherThreadKillsTheTree()
{
    QSignalSpy finished(m_engine, &CaptureEngine::finished);
    QSignalSpy processes(m_engine, &CaptureEngine::processesChanged);
    QMetaObject::invokeMethod(m_engine, "start", Qt::QueuedConnection, Q_ARG(exitlens::LaunchSpec, fixture("sleeper")));
    // Wait until the program has exec'd and is sleeping.
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->data() && m_engine->data()->events().size() > 20, 20000);
    const int pid = m_engine->data()->processes().snapshot().front().pid;
    QVERIFY(kill(pid, 0) == 0);
    m_engine->stop(); // called from the test's thread, not the engine's
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const auto summary = finished.at(0).at(0).value<TraceSummary>();
    QCOMPARE(summary.rootStatus.kind, ExitStatus::Kind::Signaled);
    QCOMPARE(summary.rootStatus.signal, SIGKILL);
    QVERIFY(summary.stoppedByUser);
    // Reaped by the tracer: the pid is gone, not a zombie and not left in a tracing stop.
    QTRY_VERIFY_WITH_TIMEOUT(kill(pid, 0) != 0 || processState(pid) == 'Z', 5000);
    QVERIFY(processState(pid) != 't' && processState(pid) != 'T');
    const auto exitEvent = m_engine->data()->processes().snapshot().front().endSeq;
    const std::string detail(m_engine->data()->text(m_engine->data()->events().at(exitEvent).detail));
    QVERIFY2(detail.find("sent by ExitLens") != std::string::npos, detail.c_str());
}

QTEST_GUILESS_MAIN(EngineTest)
#include "tst_engine.moc"
