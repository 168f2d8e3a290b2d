// The Go runtime's own log (GODEBUG gctrace, schedtrace, scheddetail, inittrace) parsed from a
// real program's stderr and checked against what that program reports about itself
// (runtime.ReadMemStats, runtime.NumGoroutine, runtime.GOMAXPROCS, /proc/self/status Threads).
#include "GoTestUtil.h"
#include "go/RuntimeLogParser.h"
#include "go/TracebackParser.h"

#include <QRegularExpression>
#include <QTest>

using namespace exitlens;
using exitlens::testing::fixturePath;
using exitlens::testing::runProgram;

namespace {
// "numgc=6 heapalloc=74711616 goroutines=41 gomaxprocs=2 threads=4 ..." → name → value
QMap<QString, qint64> selfReport(const QByteArray& out)
{
    QMap<QString, qint64> values;
    static const QRegularExpression pair("(\\w+)=(\\d+)");
    for (auto it = pair.globalMatch(QString::fromUtf8(out)); it.hasNext();) {
        const auto match = it.next();
        values[match.captured(1)] = match.captured(2).toLongLong();
    }
    return values;
}
} // namespace

class TestRuntimeLog : public QObject {
    Q_OBJECT

private slots:
    void gcSchedAndInitAgainstTheProgram()
    {
        const auto run =
            runProgram(fixturePath("gcstats"), {}, { "GODEBUG=gctrace=1,schedtrace=100,inittrace=1", "GOMAXPROCS=2" });
        QCOMPARE(run.exitCode, 0);
        const auto self = selfReport(run.out);
        QVERIFY2(self.contains("numgc"), run.out.constData());
        const std::string stderrText = run.err.toStdString();
        const RuntimeLog log = RuntimeLogParser::parse(stderrText);

        QVERIFY(!log.gc.empty());
        for (std::size_t i = 0; i < log.gc.size(); ++i)
            QCOMPARE(log.gc[i].number, static_cast<int>(i + 1));
        const GcTraceRecord& last = log.gc.back();
        QCOMPARE(static_cast<qint64>(last.number), self["numgc"]);
        QVERIFY(last.forced); // the program's runtime.GC() right before ReadMemStats
        // The live heap after that collection is what ReadMemStats reported (MB, truncated).
        QVERIFY2(std::abs(last.heapLiveMB - (self["heapalloc"] >> 20)) <= 1,
            qPrintable(QString("%1 vs %2").arg(last.heapLiveMB).arg(self["heapalloc"] >> 20)));
        QVERIFY(last.heapLiveMB >= 64); // the 64 MiB the program keeps
        QCOMPARE(last.procs, 2);
        QVERIFY(last.stacksMB >= 0 && last.globalsMB >= 0); // Go 1.18+ fields
        QVERIFY(last.heapGoalMB > 0);

        QVERIFY(log.sched.size() >= 2);
        // The runtime prints a SCHED line in several print() calls without holding the print lock
        // across them, so a gctrace line from another thread can split one (seen once in CI): the
        // split record then has fewer queues. At most one of them may be split.
        std::size_t completeQueues = 0;
        for (std::size_t i = 0; i < log.sched.size(); ++i) {
            QCOMPARE(static_cast<qint64>(log.sched[i].gomaxprocs), self["gomaxprocs"]);
            QVERIFY(log.sched[i].localRunQueues.size() <= std::size_t(2));
            if (log.sched[i].localRunQueues.size() == 2)
                ++completeQueues;
            // Go never ends its threads: every count seen is at most the final one.
            QVERIFY(log.sched[i].threads >= 1 && log.sched[i].threads <= self["threads"]);
            if (i > 0)
                QVERIFY(log.sched[i].atMs > log.sched[i - 1].atMs);
        }
        QVERIFY2(completeQueues + 1 >= log.sched.size(), qPrintable(QString::fromStdString(stderrText)));

        const auto mainInit = std::find_if(
            log.init.begin(), log.init.end(), [](const InitTraceRecord& record) { return record.package == "main"; });
        QVERIFY(mainInit != log.init.end());
        QVERIFY(mainInit->bytes >= 2 << 20); // the 2 MiB buffer of its init()
        QVERIFY(mainInit->allocs >= 1);
        QVERIFY(log.init.front().atMs <= mainInit->atMs);

        // None of it is taken for a traceback, and none of it is left unexplained.
        const auto traceback = TracebackParser::parse(stderrText);
        QVERIFY(!traceback.found());
        QCOMPARE(traceback.runtimeLogLines, log.lines);
        QString unexplained;
        for (const auto& [number, line] : traceback.otherLines)
            unexplained += QString::fromStdString(line) + "\n";
        // Interleavings the parser rejoins are tested exactly in malformedLines(); one cut in some
        // other way could leave a piece behind, so allow that much here rather than flake.
        QVERIFY2(traceback.otherLines.size() <= 2, qPrintable(unexplained));
    }

    void goroutinesFromSchedDetail()
    {
        const auto run = runProgram(fixturePath("gcstats"), {}, { "GODEBUG=schedtrace=100,scheddetail=1" });
        QCOMPARE(run.exitCode, 0);
        const auto self = selfReport(run.out);
        const RuntimeLog log = RuntimeLogParser::parse(run.err.toStdString());
        QVERIFY(log.sched.size() >= 2);
        int most = -1;
        for (const auto& record : log.sched)
            most = std::max(most, record.goroutines);
        // scheddetail lists the runtime's own goroutines too (GC, finalizer, scavenger, workers).
        QVERIFY2(most >= self["goroutines"] && most <= self["goroutines"] + 10,
            qPrintable(QString("%1 vs %2").arg(most).arg(self["goroutines"])));
    }

    void malformedLines()
    {
        GcTraceRecord gc;
        QVERIFY(!RuntimeLogParser::parseGc("gc 1 @x: nothing", gc));
        QVERIFY(!RuntimeLogParser::parseGc("gc is running", gc));
        // Go 1.17 and earlier: no stacks/globals figures.
        QVERIFY(RuntimeLogParser::parseGc(
            "gc 12 @3.5s 1%: 0.1+2.0+0.05 ms clock, 0.2+1/2/3+0.1 ms cpu, 10->12->5 MB, 11 MB goal, 8 P", gc));
        QCOMPARE(gc.number, 12);
        QCOMPARE(gc.stacksMB, std::int64_t(-1));
        QCOMPARE(gc.heapEndMB, std::int64_t(12));
        QCOMPARE(gc.procs, 8);
        SchedTraceRecord sched;
        QVERIFY(!RuntimeLogParser::parseSched("SCHED soon", sched));
        InitTraceRecord init;
        QVERIFY(!RuntimeLogParser::parseInit("init done @ noon", init));
        QVERIFY(!RuntimeLogParser::isRuntimeLogLine("gc 1 is a fine name for a log line"));
        // Two threads' lines interleaved, as the runtime really writes them (seen here under load
        // with gctrace, schedtrace and inittrace together): glued, and one cut by the other.
        const std::string glued = "init internal/bytealg @0.004 ms, 0 ms clock, 0 bytes, 0 allocsSCHED 0ms: "
                                  "gomaxprocs=2 idleprocs=1 threads=2 spinningthreads=0 idlethreads=0 runqueue=0 [0 0]";
        QCOMPARE(RuntimeLogParser::records(glued).size(), std::size_t(2));
        QVERIFY(RuntimeLogParser::isRuntimeLogLine(glued));
        const std::string cut =
            "init internal/bytealg @SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=2 "
            "spinningthreads=0 idlethreads=0 runqueue=0 [0 0]\n0.003 ms, 0 ms clock, 0 bytes, 0 allocs\n";
        for (const std::string& text : { glued + "\n\n", cut }) {
            const RuntimeLog interleaved = RuntimeLogParser::parse(text);
            QCOMPARE(interleaved.init.size(), std::size_t(1));
            QCOMPARE(interleaved.init[0].package, std::string("internal/bytealg"));
            QCOMPARE(interleaved.sched.size(), std::size_t(1));
            QCOMPARE(interleaved.sched[0].threads, 2);
            const auto traceback = TracebackParser::parse(text);
            QVERIFY(traceback.otherLines.empty());
        }
        QVERIFY(RuntimeLogParser::records("init a @1 ms, 1 ms clock, 1 bytes, 1 allocsSCHED garbage").empty());
        const RuntimeLog log =
            RuntimeLogParser::parse("hello\r\nSCHED 5ms: gomaxprocs=4 threads=3 runqueue=1 [0 0 0 0]\r\n");
        QCOMPARE(log.sched.size(), std::size_t(1));
        QCOMPARE(log.sched[0].threads, 3);
        QCOMPARE(log.sched[0].localRunQueues.size(), std::size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestRuntimeLog)
#include "tst_runtimelog.moc"
