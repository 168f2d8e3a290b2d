// A Process Monitor log imported as a capture (core/import/PmlImport): the model every view and
// exporter reads, Windows processes and NTSTATUS results, a session written from it and read back,
// and a session written before the schema knew Windows still opening.
#include "NtStatus.h"
#include "PmlTestData.h"
#include "TestPaths.h"
#include "diagnosis/Verdict.h"
#include "import/PmlImport.h"
#include "import/PmlReader.h"
#include "model/CaptureData.h"
#include "report/EventFormatter.h"
#include "session/SessionLoader.h"
#include "session/SessionSchema.h"
#include "session/SessionWriter.h"

#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace exitlens;

namespace {

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QVector<QStringList> csvRows(const QString& name)
{
    return pmltest::parseCsv(pmltest::gunzip(pmltest::dataDir() + QLatin1Char('/') + name + ".CSV.gz"));
}

} // namespace

class TestPmlImport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void processesAndExitStatuses();
    void eventsKeepProcessMonitorsVocabulary_data();
    void eventsKeepProcessMonitorsVocabulary();
    void cancelStopsTheImport();
    void sessionRoundTrip();
    void olderSessionStillOpens();
    void headlessReportAndExport();
    void elevationVerdictOnTheRealLog();
    void exitStatusVerdicts_data();
    void exitStatusVerdicts();

private:
    QTemporaryDir m_dir;
    QHash<QString, QString> m_logs;
};

void TestPmlImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const char* name : { "win10-x64-process", "win10-x64-registry", "win7-x86-mixed" }) {
        const QString path = pmltest::extractLog(QString::fromLatin1(name), m_dir.path());
        QVERIFY2(!path.isEmpty(), "the real Process Monitor logs are needed (set EXITLENS_PROCMON_DATA)");
        m_logs.insert(QString::fromLatin1(name), path);
    }
}

void TestPmlImport::processesAndExitStatuses()
{
    PmlImportInfo info;
    std::string error;
    const auto data = PmlImport::load(m_logs.value("win10-x64-process").toStdString(), info, error);
    QVERIFY2(data, error.c_str());
    QCOMPARE(info.events, 3400u);
    QCOMPARE(info.skipped, 0u);
    QCOMPARE(q(info.windowsVersion), QStringLiteral("Windows 10 (build 18362)"));
    QCOMPARE(q(info.computerName), QStringLiteral("DESKTOP-6PCIALL"));
    QCOMPARE(data->events().size(), 3400u);

    // vminstall.exe ran twice: as the user (Medium), exiting with 0xC000042C, then elevated (High).
    ProcessRecord denied, elevated;
    for (const ProcessRecord& p : data->processes().snapshot()) {
        if (p.pid == 6564)
            denied = p;
        if (p.pid == 4736)
            elevated = p;
    }
    QCOMPARE(denied.exe, std::string("C:\\Users\\test\\Desktop\\vminstall.exe"));
    QVERIFY(denied.windows.present);
    QCOMPARE(q(denied.windows.integrity), QStringLiteral("Medium"));
    QCOMPARE(q(denied.windows.user), QStringLiteral("DESKTOP-6PCIALL\\test"));
    QCOMPARE(q(denied.windows.architecture), QStringLiteral("64-bit"));
    QCOMPARE(denied.ppid, 3344);
    QVERIFY(denied.status.windows);
    QCOMPARE(denied.status.windowsCode(), 0xC000042Cu);
    QCOMPARE(q(denied.status.describe()), QStringLiteral("exited with status 0xC000042C STATUS_ELEVATION_REQUIRED"));
    QCOMPARE(data->events().at(denied.endSeq).kind, EventKind::ProcessExit);
    QCOMPARE(data->events().at(denied.endSeq).result, 0xC000042C); // never a negative decimal
    QCOMPARE(q(elevated.windows.integrity), QStringLiteral("High"));
    QCOMPARE(q(elevated.status.describe()), QStringLiteral("exited with code 0"));
    QVERIFY(elevated.startNs > denied.endNs);
    QVERIFY(!elevated.windows.modules.empty());
}

void TestPmlImport::eventsKeepProcessMonitorsVocabulary_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("win10-x64-registry") << QStringLiteral("win10-x64-registry");
    QTest::newRow("win7-x86-mixed") << QStringLiteral("win7-x86-mixed");
}

void TestPmlImport::eventsKeepProcessMonitorsVocabulary()
{
    QFETCH(QString, name);
    PmlImportInfo info;
    std::string error;
    const auto data = PmlImport::load(m_logs.value(name).toStdString(), info, error);
    QVERIFY2(data, error.c_str());
    const QVector<QStringList> rows = csvRows(name);
    QCOMPARE(static_cast<qsizetype>(data->events().size()), rows.size() - 1);
    const QStringList header = rows.front();
    const int opColumn = static_cast<int>(header.indexOf("Operation"));
    const int resultColumn = static_cast<int>(header.indexOf("Result"));
    const int classColumn = static_cast<int>(header.indexOf("Event Class"));
    const int pidColumn = static_cast<int>(header.indexOf("PID"));
    const int pathColumn = static_cast<int>(header.indexOf("Path"));
    EventFormatter formatter(*data);
    const QHash<QString, EventClass> classes { { "Registry", EventClass::Registry },
        { "File System", EventClass::File }, { "Network", EventClass::Network } };
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const Event& event = data->events().at(seq);
        const QStringList& row = rows.at(static_cast<qsizetype>(seq) + 1);
        QCOMPARE(q(data->text(event.op)), row.at(opColumn));
        QCOMPARE(q(data->text(event.path)), row.at(pathColumn));
        QCOMPARE(QString::number(event.pid), row.at(pidColumn));
        QCOMPARE(event.resultKind(), EventFlag::ResultNtStatus);
        if (classes.contains(row.at(classColumn)))
            QCOMPARE(event.cls, classes.value(row.at(classColumn)));
        if (event.kind == EventKind::ProcessExit)
            continue;
        // Failed: an NTSTATUS of error severity (NAME NOT FOUND, ACCESS DENIED), not a warning
        // (BUFFER OVERFLOW, NO MORE ENTRIES) or success.
        const NtStatusInfo* status = findNtStatus(static_cast<std::uint32_t>(event.result));
        QCOMPARE(event.failed(), (static_cast<std::uint32_t>(event.result) >> 30) == 3);
        if (status != nullptr && !status->procmon.empty())
            QCOMPARE(q(status->procmon), row.at(resultColumn));
        QCOMPARE(q(EventFormatter::resultText(event)),
            row.at(resultColumn).isEmpty() ? QStringLiteral("= ?") : "= " + row.at(resultColumn));
        if (seq < 50)
            QVERIFY(formatter.line(seq).find(data->text(event.op)) != std::string::npos);
    }
}

void TestPmlImport::cancelStopsTheImport()
{
    PmlImportInfo info;
    std::string error;
    int calls = 0;
    const auto data = PmlImport::load(
        m_logs.value("win7-x86-mixed").toStdString(), info, error, [&](std::uint64_t done, std::uint64_t total) {
            ++calls;
            return done < total / 2;
        });
    QVERIFY(!data);
    QCOMPARE(q(error), QStringLiteral("cancelled"));
    QVERIFY(calls >= 2);
    QVERIFY(PmlImport::looksLikePml(m_logs.value("win7-x86-mixed").toStdString()));
    QVERIFY(!PmlImport::looksLikePml(
        QStringLiteral(EXITLENS_TEST_DATA "/sessions/v1-missing_file.exitlens").toStdString()));
}

void TestPmlImport::sessionRoundTrip()
{
    PmlImportInfo info;
    std::string error;
    const auto data = PmlImport::load(m_logs.value("win10-x64-process").toStdString(), info, error);
    QVERIFY2(data, error.c_str());
    const QString path = m_dir.filePath("imported.exitlens");
    {
        SessionWriter writer;
        QString writeError;
        QVERIFY2(writer.start(path, data, writeError), qPrintable(writeError));
        writer.finish(std::nullopt);
        QVERIFY(writer.waitForFinished(60000));
    }
    SessionLoader loader(path);
    SessionInfo sessionInfo;
    QString loadError;
    const auto loaded = loader.load(sessionInfo, loadError);
    QVERIFY2(loaded, qPrintable(loadError));
    QCOMPARE(sessionInfo.schemaVersion, SessionSchema::kVersion);
    QCOMPARE(SessionSchema::kVersion, 2);
    QCOMPARE(loaded->events().size(), data->events().size());
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const Event& a = data->events().at(seq);
        const Event& b = loaded->events().at(seq);
        QCOMPARE(b.cls, a.cls);
        QCOMPARE(b.flags, a.flags);
        QCOMPARE(b.result, a.result);
        QCOMPARE(loaded->text(b.detail), data->text(a.detail));
    }
    const auto before = data->processes().snapshot();
    const auto after = loaded->processes().snapshot();
    QCOMPARE(after.size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        QCOMPARE(after[i].pid, before[i].pid);
        QCOMPARE(after[i].windows.present, true);
        QCOMPARE(after[i].windows.integrity, before[i].windows.integrity);
        QCOMPARE(after[i].windows.user, before[i].windows.user);
        QCOMPARE(after[i].windows.commandLine, before[i].windows.commandLine);
        QCOMPARE(after[i].windows.architecture, before[i].windows.architecture);
        QCOMPARE(after[i].windows.modules, before[i].windows.modules);
        QCOMPARE(after[i].status.windows, before[i].status.windows);
        QCOMPARE(after[i].status.describe(), before[i].status.describe());
    }
}

// A session written by ExitLens before this schema change (version 1, committed as test data:
// `exitlens run --session` of tests/programs/missing_file.go) opens, with its Linux facts intact.
void TestPmlImport::olderSessionStillOpens()
{
    SessionLoader loader(QStringLiteral(EXITLENS_TEST_DATA "/sessions/v1-missing_file.exitlens"));
    SessionInfo info;
    QString error;
    const auto data = loader.load(info, error);
    QVERIFY2(data, qPrintable(error));
    QCOMPARE(info.schemaVersion, 1);
    QCOMPARE(data->events().size(), 31u);
    const auto processes = data->processes().snapshot();
    QVERIFY(!processes.empty());
    QVERIFY(!processes.front().windows.present);
    QVERIFY(!processes.front().status.windows);
    QCOMPARE(q(processes.front().status.describe()), QStringLiteral("exited with code 1"));
    QVERIFY(data->spec().classes == CaptureClasses::all());
    bool sawFailedOpen = false;
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const Event& event = data->events().at(seq);
        QCOMPARE(event.resultKind(), EventFlag::ResultErrno);
        QVERIFY(static_cast<int>(event.cls) < kTracedClassCount);
        sawFailedOpen = sawFailedOpen || (event.failed() && event.errnum == 2);
    }
    QVERIFY(sawFailedOpen);
}

// `exitlens report FILE.pml [--process NAME|PID]` and `exitlens export --csv --filter EXPR FILE.pml`.
void TestPmlImport::headlessReportAndExport()
{
    auto run = [](const QStringList& arguments, QString* err = nullptr) {
        QProcess process;
        process.start(QStringLiteral(EXITLENS_BINARY), arguments);
        if (!process.waitForFinished(120000))
            return QStringLiteral("(timed out)");
        if (err)
            *err = QString::fromUtf8(process.readAllStandardError());
        return QString::fromUtf8(process.readAllStandardOutput()) + QStringLiteral("\nexit=%1").arg(process.exitCode());
    };
    const QString log = m_logs.value("win10-x64-process");
    const QString report = run({ "report", log });
    QVERIFY2(
        report.contains("vminstall.exe            PID 6564   exited with status 0xC000042C STATUS_ELEVATION_REQUIRED"),
        qPrintable(report));
    QVERIFY2(report.contains("on DESKTOP-6PCIALL (Windows 10 (build 18362), x64)"), qPrintable(report));
    QVERIFY(report.endsWith("exit=0"));
    const QString byPid = run({ "report", log, "--process", "4736" });
    QVERIFY2(byPid.contains("High integrity") && byPid.contains("exited with code 0"), qPrintable(byPid));
    const QString byName = run({ "report", log, "--process", "VMINSTALL.EXE" });
    QCOMPARE(byName.count("process:   vminstall.exe"), 2);
    QVERIFY(run({ "report", log, "--process", "nosuch.exe" }).endsWith("exit=2"));

    const QString csv = m_dir.filePath("registry.csv");
    QString err;
    const QString exported =
        run({ "export", "--csv", csv, "--filter", "class == registry", m_logs.value("win7-x86-mixed") }, &err);
    QVERIFY2(exported.endsWith("exit=0"), qPrintable(err));
    QVERIFY2(err.contains("27099 of 32930 events match the filter."), qPrintable(err)); // the CSV's Registry rows
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 27099 + 1);
    // A session copy or redaction needs a session: a clear refusal, nothing written.
    QVERIFY(run({ "export", "--session", m_dir.filePath("x.exitlens"), log }, &err).endsWith("exit=2"));
    QVERIFY2(err.contains("Save As"), qPrintable(err));
}

// The real log: vminstall.exe exits with 0xC000042C and runs again elevated.
void TestPmlImport::elevationVerdictOnTheRealLog()
{
    PmlImportInfo info;
    std::string error;
    const auto data = PmlImport::load(m_logs.value("win10-x64-process").toStdString(), info, error);
    QVERIFY2(data, error.c_str());
    const auto verdict = data->verdict();
    QVERIFY(verdict.has_value());
    QCOMPARE(verdict->pid, 6564);
    QCOMPARE(q(verdict->category), QStringLiteral("elevation_required"));
    QCOMPARE(q(verdict->headline),
        QStringLiteral("vminstall.exe needs to run as administrator: it exited with 0xC000042C "
                       "STATUS_ELEVATION_REQUIRED, then ran again elevated (PID 4736, High integrity), which exited "
                       "with code 0."));
    QVERIFY(verdict->findFact("elevated_pid") != nullptr);
    QCOMPARE(std::get<std::int64_t>(verdict->findFact("elevated_pid")->value), 4736);
}

void TestPmlImport::exitStatusVerdicts_data()
{
    QTest::addColumn<quint32>("status");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("headline");
    QTest::newRow("dll") << 0xC0000135u << "missing_library"
                         << "vminstall.exe could not start: a DLL it needs was not found (0xC0000135 "
                            "STATUS_DLL_NOT_FOUND).";
    QTest::newRow("entry") << 0xC0000139u << "missing_library"
                           << "vminstall.exe could not start: a DLL lacks a function it imports (0xC0000139 "
                              "STATUS_ENTRYPOINT_NOT_FOUND).";
    QTest::newRow("av") << 0xC0000005u << "crash"
                        << "vminstall.exe ended abnormally with 0xC0000005 STATUS_ACCESS_VIOLATION: access violation: "
                           "the program read or wrote memory it may not (a crash).";
    QTest::newRow("ctrl-c") << 0xC000013Au << "interrupted"
                            << "vminstall.exe ended abnormally with 0xC000013A STATUS_CONTROL_C_EXIT: the program was "
                               "ended by Ctrl+C or by closing its console.";
    QTest::newRow("heap") << 0xC0000374u << "crash"
                          << "vminstall.exe ended abnormally with 0xC0000374 STATUS_HEAP_CORRUPTION: the heap is "
                             "corrupt (a memory bug in the program or a library it loads).";
    QTest::newRow("gs") << 0xC0000409u << "crash"
                        << "vminstall.exe ended abnormally with 0xC0000409 STATUS_STACK_BUFFER_OVERRUN: the program "
                           "ended itself on purpose: a stack buffer overrun or a fail-fast call (abort, an invalid "
                           "parameter, a failed check).";
}

// A log constructed from the real one: vminstall.exe's Process Exit event edited to end with
// another status (its four bytes in the file), everything else as captured.
void TestPmlImport::exitStatusVerdicts()
{
    QFETCH(quint32, status);
    QFETCH(QString, category);
    QFETCH(QString, headline);
    const QString original = m_logs.value("win10-x64-process");
    pml::PmlReader reader;
    std::string error;
    QVERIFY(reader.open(original.toStdString(), error));
    std::uint64_t at = 0;
    pml::PmlEvent event;
    for (std::uint32_t i = 0; i < reader.eventCount() && at == 0; ++i) {
        QVERIFY(reader.readEvent(i, event, error));
        if (event.operation == "Process Exit" && event.exitStatus == 0xC000042Cu)
            at = reader.eventOffset(i) + 0x34 + event.stack.size() * 8; // the detail: exit status first
    }
    QVERIFY(at != 0);
    QFile in(original);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QByteArray bytes = in.readAll();
    QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + at), 0xC000042Cu);
    qToLittleEndian<quint32>(status, bytes.data() + at);
    const QString edited = m_dir.filePath(QStringLiteral("edited-%1.PML").arg(status, 0, 16));
    QFile out(edited);
    QVERIFY(out.open(QIODevice::WriteOnly));
    QCOMPARE(out.write(bytes), bytes.size());
    out.close();

    PmlImportInfo info;
    const auto data = PmlImport::load(edited.toStdString(), info, error);
    QVERIFY2(data, error.c_str());
    const auto verdict = data->verdict();
    QVERIFY(verdict.has_value());
    QCOMPARE(verdict->pid, 6564);
    QCOMPARE(q(verdict->category), category);
    QCOMPARE(q(verdict->headline), headline);
    QVERIFY(!verdict->evidence.empty());
}

QTEST_GUILESS_MAIN(TestPmlImport)
#include "tst_pml_import.moc"
