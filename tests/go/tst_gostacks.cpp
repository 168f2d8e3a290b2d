// Go stacks for the events that decide a diagnosis, captured by the real tracer at the syscall
// stop (frame pointers, process_vm_readv) and symbolized from the binary's pclntab: os.Exit from
// a method, a failed open, the writes of a panic to fd 2, the tgkill of GOTRACEBACK=crash.
#include "GoTestUtil.h"
#include "go/GoInsight.h"
#include "go/Symbolizer.h"
#include "integration/TraceRun.h"
#include "session/SessionLoader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace exitlens;
using exitlens::test::TraceRun;

namespace {

int sourceLine(const char* file, const char* needle)
{
    return exitlens::test::programLine(QString::fromUtf8(file), QString::fromUtf8(needle));
}

// The symbolized stack of event SEQ, or empty.
std::vector<SymbolizedFrame> stackOf(const TraceRun& run, std::uint64_t seq, const std::string& binary)
{
    std::string error;
    auto symbolizer = Symbolizer::open(binary, error);
    if (!symbolizer)
        return {};
    for (const auto& sample : run.data->stacks())
        if (sample.seq == seq)
            return symbolizer->symbolizeSample(sample.pcs);
    return {};
}

QString describe(const std::vector<SymbolizedFrame>& frames)
{
    QString text;
    for (const auto& frame : frames)
        text += QString::fromStdString(frame.function) + " " + QString::fromStdString(frame.file) + ":"
            + QString::number(frame.line) + "\n";
    return text;
}

int indexOf(const std::vector<SymbolizedFrame>& frames, const std::string& function)
{
    for (std::size_t i = 0; i < frames.size(); ++i)
        if (frames[i].function == function)
            return static_cast<int>(i);
    return -1;
}

QJsonArray jsonArray(const QByteArray& bytes)
{
    return QJsonDocument::fromJson(bytes).array();
}

// The stack_events entry of the exit_group call, or an empty object.
QJsonObject exitEntry(const QJsonArray& events)
{
    for (const auto& value : events)
        if (value.toObject()["op"].toString() == "exit_group")
            return value.toObject();
    return {};
}

// "function file:line" per frame: what must survive a session's round trip.
QStringList frameLines(const QJsonValue& stack)
{
    QStringList lines;
    for (const auto& value : stack.toArray()) {
        const QJsonObject frame = value.toObject();
        lines << frame["function"].toString() + " " + frame["file"].toString() + ":"
                + QString::number(frame["line"].toInt()) + " " + frame["pc"].toString();
    }
    return lines;
}

exitlens::testing::ProcessOutput runExitLens(const QStringList& arguments)
{
    return exitlens::testing::runProgram(EXITLENS_BINARY, arguments);
}

} // namespace

class TestGoStacks : public QObject {
    Q_OBJECT

private slots:
    void exitFromAMethod()
    {
        const auto run = TraceRun::run(TraceRun::fixture("gocrash", { "exit" }));
        QCOMPARE(run.summary.rootStatus.code, 4);
        const auto exits = run.syscalls("exit_group");
        QCOMPARE(exits.size(), std::size_t(1));
        const auto frames = stackOf(run, exits[0], TraceRun::fixturePath("gocrash"));
        QVERIFY2(!frames.empty(), "no stack recorded for exit_group");
        // "os.Exit(4) was called from main.(*Server).shutdown at gocrash.go:NN, from main.main".
        const int exit = indexOf(frames, "os.Exit");
        const int shutdown = indexOf(frames, "main.(*Server).shutdown");
        const int caller = indexOf(frames, "main.main");
        QVERIFY2(exit >= 0 && shutdown == exit + 1 && caller == shutdown + 1, qPrintable(describe(frames)));
        QCOMPARE(frames[static_cast<std::size_t>(shutdown)].line, sourceLine("gocrash.go", "os.Exit(code)"));
        QCOMPARE(frames[static_cast<std::size_t>(caller)].line, sourceLine("gocrash.go", "(&Server{}).shutdown(4)"));
        QCOMPARE(frames.front().function, std::string("runtime.exit")); // where the syscall instruction is
        QCOMPARE(frames.back().function, std::string("runtime.goexit"));
    }

    void failedOpenAndStderrWrite()
    {
        auto spec = TraceRun::fixture("missing_file");
        spec.workingDirectory = "/";
        const auto run = TraceRun::run(spec);
        std::uint64_t failedOpen = 0;
        bool found = false;
        for (std::uint64_t seq : run.syscalls("openat")) {
            if (run.at(seq).failed() && run.text(run.at(seq).path) == "/config.json") {
                failedOpen = seq;
                found = true;
            }
        }
        QVERIFY2(found, qPrintable(run.dump()));
        const auto open = stackOf(run, failedOpen, TraceRun::fixturePath("missing_file"));
        const int readFile = indexOf(open, "os.ReadFile");
        QVERIFY2(readFile >= 0, qPrintable(describe(open)));
        QCOMPARE(open[static_cast<std::size_t>(readFile) + 1].function, std::string("main.main"));
        QCOMPARE(open[static_cast<std::size_t>(readFile) + 1].line,
            sourceLine("missing_file.go", "os.ReadFile(\"config.json\")"));

        // The message to stderr: written from fmt.Fprintln in main.main.
        const auto writes = run.find(
            [&](const Event& event) { return event.kind == EventKind::Output && run.text(event.path) == "stderr"; });
        QVERIFY(!writes.empty());
        const auto write = stackOf(run, writes.front(), TraceRun::fixturePath("missing_file"));
        const int fprintln = indexOf(write, "fmt.Fprintln");
        QVERIFY2(fprintln >= 0 && write[static_cast<std::size_t>(fprintln) + 1].function == "main.main",
            qPrintable(describe(write)));

        // Successful opens carry no stack: only the calls that explain an exit pay for one.
        for (const auto& sample : run.data->stacks()) {
            const Event& event = run.at(sample.seq);
            if (run.text(event.op) == "openat")
                QVERIFY(event.failed());
        }
    }

    void panicWritesAndCrashSignal()
    {
        auto spec = TraceRun::fixture("gocrash", { "nil" });
        spec.environment.push_back("GOTRACEBACK=crash");
        const auto run = TraceRun::run(spec);
        QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Signaled);
        // The runtime re-raises SIGABRT at itself with tgkill: its stack shows the crash path.
        const auto kills = run.find(
            [&](const Event& event) { return run.text(event.op) == "tgkill" && event.kind == EventKind::Syscall; });
        QVERIFY2(!kills.empty(), qPrintable(run.dump()));
        const auto kill = stackOf(run, kills.back(), TraceRun::fixturePath("gocrash"));
        // ... raise ← dieFromSignal (the handler of the SIGABRT from runtime.crash) ... and, through
        // the signal frame, the fault in the program's own method that started it all.
        QVERIFY2(indexOf(kill, "runtime.raise") == 0 && indexOf(kill, "runtime.dieFromSignal") == 1
                && indexOf(kill, "main.(*Server).register") > 1,
            qPrintable(describe(kill)));

        // The panic's lines to fd 2 come from the runtime's panic printer.
        const auto writes = run.find(
            [&](const Event& event) { return event.kind == EventKind::Output && run.text(event.path) == "stderr"; });
        QVERIFY(writes.size() > 5);
        const auto first = stackOf(run, writes[1], TraceRun::fixturePath("gocrash"));
        QVERIFY2(
            indexOf(first, "runtime.write1") >= 0 || indexOf(first, "runtime.write") >= 0, qPrintable(describe(first)));
        // Printed on the system stack: the chain ends at runtime.systemstack.
        QVERIFY2(indexOf(first, "runtime.printpanics") >= 0 && indexOf(first, "runtime.fatalpanic.func1") >= 0,
            qPrintable(describe(first)));
    }

    void budgetForStderrWrites()
    {
        auto spec = TraceRun::fixture("gocrash", { "workers" });
        spec.environment.push_back("GOTRACEBACK=all");
        const auto run = TraceRun::run(spec);
        const auto writes = run.find(
            [&](const Event& event) { return event.kind == EventKind::Output && run.text(event.path) == "stderr"; });
        std::size_t sampled = 0;
        for (const auto& sample : run.data->stacks())
            sampled += run.at(sample.seq).kind == EventKind::Output ? 1 : 0;
        QVERIFY2(writes.size() > 256, qPrintable(QString::number(writes.size())));
        QCOMPARE(sampled, std::size_t(256));
    }

    void resultDocumentStackEvents()
    {
        const auto run = TraceRun::run(TraceRun::fixture("gocrash", { "exit" }));
        const QJsonArray events = GoInsight::stackEvents(*run.data);
        QJsonObject exitEvent;
        for (const auto& value : events)
            if (value.toObject()["op"].toString() == "exit_group")
                exitEvent = value.toObject();
        QVERIFY(!exitEvent.isEmpty());
        QVERIFY(exitEvent["raw_pcs"].toArray().size() >= 3);
        bool shutdown = false;
        for (const auto& frame : exitEvent["stack"].toArray())
            shutdown = shutdown || frame.toObject()["function"].toString() == "main.(*Server).shutdown";
        QVERIFY(shutdown);
    }

    // The stacks travel with a session: `exitlens run --session` stores raw pcs and symbolized
    // frames; the loader gives the same samples back, `exitlens report --json` carries the frames,
    // a session whose binary is gone still shows them, and one whose binary is at hand is
    // re-symbolized from the raw pcs to the same frames.
    void stacksTravelWithSessions()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A copy of the program that the test can delete afterwards, as if the session had been
        // opened on another machine.
        const QString binary = dir.filePath("gocrash");
        QVERIFY(QFile::copy(QString::fromStdString(TraceRun::fixturePath("gocrash")), binary));
        const QString session = dir.filePath("exit.exitlens");
        const QString result = dir.filePath("exit.json");
        const auto run =
            runExitLens({ "run", "--quiet", "--json", result, "--session", session, "--", binary, "exit" });
        QVERIFY2(run.started && !run.crashed, run.err.constData());
        QCOMPARE(run.exitCode, 4);
        QFile resultFile(result);
        QVERIFY(resultFile.open(QIODevice::ReadOnly));
        const QJsonArray live = QJsonDocument::fromJson(resultFile.readAll()).object()["stack_events"].toArray();
        const QJsonObject liveExit = exitEntry(live);
        QVERIFY2(!liveExit.isEmpty(), "the run's JSON has no exit_group stack");
        const QStringList liveFrames = frameLines(liveExit["stack"]);
        const int exitLine = sourceLine("gocrash.go", "os.Exit(code)");
        QVERIFY2(liveFrames
                     .filter(QRegularExpression(
                         "^main\\.\\(\\*Server\\)\\.shutdown .*gocrash\\.go:" + QString::number(exitLine) + " "))
                     .size()
                == 1,
            qPrintable(liveFrames.join('\n')));

        // Reopened: the same samples (seq, pid, raw pcs) and the same symbolized frames.
        {
            SessionLoader loader(session);
            SessionInfo info;
            QString error;
            const auto data = loader.load(info, error);
            QVERIFY2(data, qPrintable(error));
            QVERIFY2(info.warnings.isEmpty(), qPrintable(info.warnings.join('\n')));
            const auto stacks = data->stacks();
            QCOMPARE(static_cast<qsizetype>(stacks.size()), live.size());
            for (qsizetype i = 0; i < live.size(); ++i) {
                const QJsonObject entry = live[i].toObject();
                const auto& sample = stacks[static_cast<std::size_t>(i)];
                QCOMPARE(static_cast<qint64>(sample.seq), static_cast<qint64>(entry["seq"].toDouble()));
                QCOMPARE(sample.pid, entry["pid"].toInt());
                QStringList pcs;
                for (std::uint64_t pc : sample.pcs)
                    pcs << "0x" + QString::number(pc, 16);
                QCOMPARE(QJsonArray::fromStringList(pcs), entry["raw_pcs"].toArray());
            }
            const QJsonArray stored = jsonArray(info.stackEvents);
            QCOMPARE(stored.size(), live.size());
            for (qsizetype i = 0; i < live.size(); ++i) {
                QCOMPARE(stored[i].toObject()["seq"], live[i].toObject()["seq"]);
                QCOMPARE(frameLines(stored[i].toObject()["stack"]), frameLines(live[i].toObject()["stack"]));
            }
            // The binary is at hand: the raw pcs give the same frames again.
            const QJsonArray again = GoInsight::stackEvents(*data);
            QCOMPARE(again.size(), live.size());
            for (qsizetype i = 0; i < live.size(); ++i)
                QCOMPARE(frameLines(again[i].toObject()["stack"]), frameLines(live[i].toObject()["stack"]));
        }

        // `exitlens report FILE --json` carries them.
        const auto report = runExitLens({ "report", session, "--json" });
        QCOMPARE(report.exitCode, 0);
        const QJsonObject reported = QJsonDocument::fromJson(report.out).object();
        QCOMPARE(frameLines(exitEntry(reported["stack_events"].toArray())["stack"]), liveFrames);
        QCOMPARE(exitEntry(reported["stack_events"].toArray())["raw_pcs"], liveExit["raw_pcs"]);

        // A session without the symbolized frames (a capture killed before it could write them):
        // with the binary at hand, the report re-symbolizes the raw pcs.
        const QString unsymbolized = dir.filePath("unsymbolized.exitlens");
        QVERIFY(QFile::copy(session, unsymbolized));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "unsymbolize");
            db.setDatabaseName(unsymbolized);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec("UPDATE stacks SET symbolized = NULL"));
            db.close();
        }
        QSqlDatabase::removeDatabase("unsymbolize");
        const auto resymbolized = runExitLens({ "report", unsymbolized, "--json" });
        QCOMPARE(resymbolized.exitCode, 0);
        const QJsonArray again = QJsonDocument::fromJson(resymbolized.out).object()["stack_events"].toArray();
        QCOMPARE(again.size(), live.size());
        QCOMPARE(frameLines(exitEntry(again)["stack"]), liveFrames);

        // The binary is gone: the stored frames are still there; re-symbolizing cannot name them.
        QVERIFY(QFile::remove(binary));
        {
            SessionLoader loader(session);
            SessionInfo info;
            QString error;
            const auto data = loader.load(info, error);
            QVERIFY2(data, qPrintable(error));
            QCOMPARE(frameLines(exitEntry(jsonArray(info.stackEvents))["stack"]), liveFrames);
            QVERIFY(exitEntry(GoInsight::stackEvents(*data))["stack"].isNull());
        }
        const auto orphan = runExitLens({ "report", session, "--json" });
        QCOMPARE(orphan.exitCode, 0);
        QCOMPARE(frameLines(exitEntry(QJsonDocument::fromJson(orphan.out).object()["stack_events"].toArray())["stack"]),
            liveFrames);
        // ... and a session that never stored them says so (null frames), raw pcs intact.
        const auto bare = runExitLens({ "report", unsymbolized, "--json" });
        const QJsonObject bareExit = exitEntry(QJsonDocument::fromJson(bare.out).object()["stack_events"].toArray());
        QVERIFY(bareExit["stack"].isNull());
        QCOMPARE(bareExit["raw_pcs"], liveExit["raw_pcs"]);
    }
};

QTEST_GUILESS_MAIN(TestGoStacks)
#include "tst_gostacks.moc"
