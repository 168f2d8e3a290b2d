// `exitlens inspect`, `exitlens traceback` and the Go parts of `exitlens run --json`, run as the
// real binary on real Go programs and their real tracebacks.
#include "GoTestUtil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using exitlens::testing::fixturePath;
using exitlens::testing::ProcessOutput;
using exitlens::testing::runProgram;

namespace {

ProcessOutput runExitLens(const QStringList& arguments, const QByteArray& input = {})
{
    QProcess process;
    process.start(EXITLENS_BINARY, arguments);
    ProcessOutput output;
    output.started = process.waitForStarted(10000);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(120000))
        process.kill();
    process.waitForFinished();
    output.out = process.readAllStandardOutput();
    output.err = process.readAllStandardError();
    output.exitCode = process.exitCode();
    output.crashed = process.exitStatus() == QProcess::CrashExit;
    return output;
}

QJsonObject json(const QByteArray& bytes)
{
    QJsonParseError error {};
    const auto document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("bad JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

} // namespace

class TestGoCli : public QObject {
    Q_OBJECT

private slots:
    void inspectText()
    {
        const auto output = runExitLens({ "inspect", fixturePath("cgo_hello") });
        QCOMPARE(output.exitCode, 0);
        const QString text = QString::fromUtf8(output.out);
        QVERIFY2(text.contains("dynamically linked"), qPrintable(text));
        QVERIFY(text.contains("interpreter  /lib64/ld-linux-x86-64.so.2"));
        QVERIFY(text.contains("libc.so.6"));
        QVERIFY(text.contains("cgo linked in"));
        // The build info lines are those of `go version -m`.
        const auto go = runProgram(EXITLENS_GO, { "version", "-m", fixturePath("cgo_hello") });
        for (const QString& line : QString::fromUtf8(go.out).split('\n', Qt::SkipEmptyParts).mid(1))
            QVERIFY2(text.contains("  " + line.mid(1) + "\n"), qPrintable(line));
    }

    void inspectJson()
    {
        const auto output = runExitLens({ "inspect", "--json", fixturePath("gocrash_ldflags") });
        QCOMPARE(output.exitCode, 0);
        const QJsonObject document = json(output.out);
        QCOMPARE(document["elf"].toObject()["static"].toBool(), true);
        QCOMPARE(document["elf"].toObject()["architecture"].toString(), QString("x86-64"));
        const QJsonObject go = document["go"].toObject();
        QVERIFY(go["is_go"].toBool());
        QCOMPARE(go["cgo_linked"].toBool(), false);
        const QJsonObject info = go["build_info"].toObject();
        QCOMPARE(info["go_version"].toString(), QString("go1.19.8"));
        QCOMPARE(info["ldflags"].toString(), QString("-X main.version=1.2.3 -X 'main.note=two words'"));
        QCOMPARE(info["cgo_enabled"].toBool(true), false);
        QCOMPARE(info["own_module"].toString(), QString("main"));
    }

    void inspectRefusals()
    {
        QTemporaryDir dir;
        QFile text(dir.filePath("notes.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("just text\n");
        text.close();
        const auto notElf = runExitLens({ "inspect", text.fileName() });
        QCOMPARE(notElf.exitCode, 1);
        QVERIFY(notElf.err.contains("not an ELF executable"));
        const auto notGo = runExitLens({ "inspect", "/bin/sh" });
        QCOMPARE(notGo.exitCode, 0);
        QVERIFY(notGo.out.contains("not a Go program"));
        const auto notGoJson = json(runExitLens({ "inspect", "--json", "/bin/sh" }).out);
        QCOMPARE(notGoJson["go"].toObject()["is_go"].toBool(true), false);
        QCOMPARE(runExitLens({ "inspect" }).exitCode, 2);
        QCOMPARE(runExitLens({ "inspect", dir.filePath("missing") }).exitCode, 1);
    }

    void tracebackFromFileAndStdin()
    {
        const auto crash = runProgram(fixturePath("gocrash"), { "workers" }, { "GOTRACEBACK=all" });
        QTemporaryDir dir;
        QFile saved(dir.filePath("crash.log"));
        QVERIFY(saved.open(QIODevice::WriteOnly));
        saved.write(crash.err);
        saved.close();

        const auto text = runExitLens({ "traceback", saved.fileName() });
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains("Go panic: settings: invalid port 70000"), qPrintable(out));
        QVERIFY(out.contains("your code: main.loadSettings"));
        QVERIFY(out.contains("26 goroutine(s) in 3 bucket(s)"));
        QVERIFY(out.contains("   20 × [chan receive]"));

        const auto fromStdin = runExitLens({ "traceback", "--json", "-" }, crash.err);
        QCOMPARE(fromStdin.exitCode, 0);
        const QJsonObject document = json(fromStdin.out);
        QCOMPARE(document["kind"].toString(), QString("panic"));
        QCOMPARE(document["reason"].toString(), QString("settings: invalid port 70000"));
        QCOMPARE(document["panicking_goroutine"].toInt(), 1);
        QCOMPARE(document["own_frame"].toObject()["function"].toString(), QString("main.loadSettings"));
        QCOMPARE(document["goroutine_count"].toInt(), 26);
        QCOMPARE(document["buckets"].toArray()[0].toObject()["count"].toInt(), 20);

        // --binary: the module comes from the program's build info ("main" here).
        const auto withBinary =
            runExitLens({ "traceback", "--json", "--binary", fixturePath("gocrash"), saved.fileName() });
        QCOMPARE(json(withBinary.out)["own_frame"].toObject()["function"].toString(), QString("main.loadSettings"));
    }

    void tracebackRefusals()
    {
        const auto none = runExitLens({ "traceback" }, "hello\nworld\n");
        QCOMPARE(none.exitCode, 1);
        QVERIFY(none.err.contains("no Go traceback found"));
        const auto missing = runExitLens({ "traceback", "/nonexistent/crash.log" });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("cannot read /nonexistent/crash.log"));
        QCOMPARE(runExitLens({ "traceback", "a", "b" }).exitCode, 2);
        QCOMPARE(runExitLens({ "traceback", "--module", "x", "--binary", "y" }).exitCode, 2);
        const auto notGo = runExitLens({ "traceback", "--binary", "/bin/sh" }, "panic: x\n");
        QCOMPARE(notGo.exitCode, 1);
        QVERIFY(notGo.err.contains("not a Go program"));
    }

    void tracebackPastesAndBounds()
    {
        // A header without a goroutine and its frames is no traceback; neither is a malformed one.
        const auto header = runExitLens({ "traceback" }, "panic: x\n");
        QCOMPARE(header.exitCode, 1);
        QVERIFY(header.err.contains("no Go traceback found"));
        const auto headerOnly = runExitLens({ "traceback" }, "panic: x\n\ngoroutine 1 [running]:\njunk\n");
        QCOMPARE(headerOnly.exitCode, 1);

        // Goroutines in one place that differ in argument values: one bucket, or four.
        const QString sample = QString(EXITLENS_TEST_DATA) + "/tracebacks/go1.4_frames_without_offset.txt";
        QVERIFY(QString::fromUtf8(runExitLens({ "traceback", sample }).out).contains("4 goroutine(s) in 1 bucket(s)"));
        const auto distinct = runExitLens({ "traceback", "--no-aggressive", sample });
        QCOMPARE(distinct.exitCode, 0);
        QVERIFY(QString::fromUtf8(distinct.out).contains("4 goroutine(s) in 4 bucket(s)"));

        // Reports of programs that went on: a race, a panic net/http recovered.
        const QString data = QString(EXITLENS_TEST_DATA) + "/tracebacks/";
        const auto race = runExitLens({ "traceback", data + "panicparse_race_report.txt" });
        QCOMPARE(race.exitCode, 0);
        QVERIFY2(QString::fromUtf8(race.out).contains("Go race detector report: data race: read at 0x00c000014100 by "
                                                      "goroutine 8; previous write at 0x00c000014100 by goroutine 7"),
            race.out.constData());
        const auto http = runExitLens({ "traceback", data + "go1.13_indented_http_panic.txt" });
        QVERIFY2(QString::fromUtf8(http.out).contains("logged by net/http (the program went on): 403 Forbidden: "
                                                      "Forbidden"),
            http.out.constData());
        QVERIFY(QString::fromUtf8(http.out).contains("your code: main.process"));

        // A 2,000-frame stack, three times: frames capped, the rest counted, identical goroutines
        // listed once in --json.
        QByteArray deep = "fatal error: stack overflow\n";
        for (int g = 1; g <= 3; ++g) {
            deep += "\ngoroutine " + QByteArray::number(g) + " [running]:\n";
            for (int i = 0; i < 2000; ++i)
                deep += "main.f" + QByteArray::number(i) + "()\n\t/src/a.go:" + QByteArray::number(i + 1) + " +0x1d\n";
        }
        const auto text = runExitLens({ "traceback" }, deep);
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(QString::fromUtf8(text.out).contains("… 1994 more frames"), text.out.constData());
        QVERIFY(QString::fromUtf8(text.out).contains("3 goroutine(s) in 1 bucket(s)"));
        const QJsonObject document = json(runExitLens({ "traceback", "--json" }, deep).out);
        QCOMPARE(document["goroutine_count"].toInt(), 3);
        QCOMPARE(document["goroutines"].toArray().size(), 1);
        QCOMPARE(document["goroutines_collapsed"].toInt(), 2);
        const QJsonObject first = document["goroutines"].toArray()[0].toObject();
        QCOMPARE(first["frames"].toArray().size(), 100);
        QCOMPARE(first["frames_omitted"].toInt(), 1900);
        QCOMPARE(first["identical"].toInt(), 2);
        QCOMPARE(first["frames"].toArray()[99].toObject()["function"].toString(), QString("main.f1999"));
    }

    void runJsonHasGoSections()
    {
        QTemporaryDir dir;
        const QString result = dir.filePath("result.json");
        const auto run = runExitLens({ "run", "--quiet", "--json", result, "--", fixturePath("gocrash"), "nil" });
        QCOMPARE(run.exitCode, 2);
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = json(file.readAll());
        const QJsonObject target = document["target"].toObject();
        QCOMPARE(target["elf"].toObject()["static"].toBool(), true);
        QCOMPARE(target["go"].toObject()["is_go"].toBool(), true);
        QCOMPARE(target["go"].toObject()["build_info"].toObject()["go_version"].toString(), QString("go1.19.8"));
        const QJsonObject traceback = document["traceback"].toObject();
        QCOMPARE(traceback["kind"].toString(), QString("panic"));
        QCOMPARE(traceback["signal"].toObject()["name"].toString(), QString("SIGSEGV"));
        QCOMPARE(traceback["own_frame"].toObject()["function"].toString(), QString("main.(*Server).register"));
        QVERIFY(document["runtime_log"].isNull());

        // A program that is not Go, and one that did not panic: null sections, not errors.
        const QString quiet = dir.filePath("true.json");
        QCOMPARE(runExitLens({ "run", "--quiet", "--json", quiet, "--", "/bin/true" }).exitCode, 0);
        QFile trueFile(quiet);
        QVERIFY(trueFile.open(QIODevice::ReadOnly));
        const QJsonObject plain = json(trueFile.readAll());
        QCOMPARE(plain["target"].toObject()["go"].toObject()["is_go"].toBool(true), false);
        QVERIFY(plain["traceback"].isNull());
    }

    void runJsonHasStackEvents()
    {
        QTemporaryDir dir;
        const QString result = dir.filePath("exit.json");
        QCOMPARE(runExitLens({ "run", "--quiet", "--json", result, "--", fixturePath("gocrash"), "exit" }).exitCode, 4);
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = json(file.readAll());
        QJsonArray stack;
        for (const auto& event : document["stack_events"].toArray())
            if (event.toObject()["op"].toString() == "exit_group")
                stack = event.toObject()["stack"].toArray();
        QStringList functions;
        for (const auto& frame : stack)
            functions << frame.toObject()["function"].toString();
        const auto shutdown = functions.indexOf("main.(*Server).shutdown");
        QVERIFY2(shutdown > 0 && functions[shutdown - 1] == "os.Exit" && functions[shutdown + 1] == "main.main",
            qPrintable(functions.join(", ")));
        QVERIFY(document["traceback"].isNull()); // os.Exit prints nothing
    }

    void runJsonHasRuntimeLog()
    {
        QTemporaryDir dir;
        const QString result = dir.filePath("gc.json");
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("GODEBUG", "gctrace=1");
        process.setProcessEnvironment(environment);
        process.start(EXITLENS_BINARY, { "run", "--quiet", "--json", result, "--", fixturePath("gcstats") });
        QVERIFY(process.waitForFinished(120000));
        QCOMPARE(process.exitCode(), 0);
        QFile file(result);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = json(file.readAll());
        const QJsonArray gc = document["runtime_log"].toObject()["gc"].toArray();
        QVERIFY(!gc.isEmpty());
        QVERIFY(gc.last().toObject()["forced"].toBool());
        QVERIFY(document["traceback"].isNull()); // the runtime's log is not a traceback
    }
};

QTEST_GUILESS_MAIN(TestGoCli)
#include "tst_gocli.moc"
