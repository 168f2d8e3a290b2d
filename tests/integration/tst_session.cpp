// Sessions: a real capture saved while it runs and reopened identical; a capturing ExitLens
// SIGKILLed and its file opened; a few hundred damaged files, each opened by a child
// `exitlens report` under a timeout; a real secret redacted from every byte of a shared copy;
// the HTML, JSON and CSV exports; notes, saved filters and Save As.
#include "TestPaths.h"
#include "TraceRun.h"
#include "diagnosis/Verdict.h"
#include "report/ResultDocument.h"
#include "session/HtmlReport.h"
#include "session/Redactor.h"
#include "session/SessionExport.h"
#include "session/SessionFile.h"
#include "session/SessionJson.h"
#include "session/SessionLoader.h"
#include "session/SessionPaths.h"
#include "session/SessionReader.h"
#include "session/SessionSchema.h"
#include "session/SessionWriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <csignal>
#include <random>

using namespace exitlens;
using exitlens::test::TraceRun;

namespace {

const std::string kSecret = "c0rrect-h0rse-Battery-9137"; // compiled into secret_holder (tests/CMakeLists.txt)

struct Saved {
    std::shared_ptr<CaptureData> data;
    TraceSummary summary;
    Verdict verdict;
};

// Traces spec on this thread while a SessionWriter saves it from its own thread, as in the CLI.
Saved captureAndSave(const LaunchSpec& spec, const QString& path)
{
    Saved saved;
    saved.data = std::make_shared<CaptureData>(spec);
    SessionWriter writer;
    QString error;
    if (!writer.start(path, saved.data, error))
        qFatal("cannot start the session writer: %s", qPrintable(error));
    auto tracer = createPlatformTracer();
    saved.summary = tracer->run(saved.data->spec(), *saved.data);
    saved.data->setSummary(saved.summary);
    saved.verdict = describeExit(*saved.data, saved.summary);
    writer.finish(saved.verdict);
    writer.waitForFinished();
    if (!writer.errorString().isEmpty())
        qFatal("the session writer failed: %s", qPrintable(writer.errorString()));
    return saved;
}

std::shared_ptr<CaptureData> load(const QString& path, SessionInfo& info)
{
    SessionLoader loader(path);
    QString error;
    auto data = loader.load(info, error);
    if (!data)
        qWarning("load failed: %s", qPrintable(error));
    return data;
}

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// Runs statements on a session file through its own Qt SQL connection.
bool execSql(const QString& path, const QStringList& statements, QString* error = nullptr)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "tst_session_edit");
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery query(db);
        for (const auto& statement : statements) {
            if (ok && !query.exec(statement)) {
                ok = false;
                if (error)
                    *error = statement + ": " + query.lastError().text();
            }
        }
        query = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase("tst_session_edit");
    return ok;
}

QString eventText(const CaptureData& data, std::uint64_t seq)
{
    const Event& e = data.events().at(seq);
    return QString("%1 %2 %3/%4 k%5 c%6 %7|%8|%9 r%10 e%11 d%12 f%13")
        .arg(seq)
        .arg(e.timeNs)
        .arg(e.pid)
        .arg(e.tid)
        .arg(static_cast<int>(e.kind))
        .arg(static_cast<int>(e.cls))
        .arg(QString::fromStdString(std::string(data.text(e.op))),
            QString::fromStdString(std::string(data.text(e.path))),
            QString::fromStdString(std::string(data.text(e.detail))))
        .arg(e.result)
        .arg(e.errnum)
        .arg(e.durationNs)
        .arg(e.flags);
}

QStringList processTexts(const CaptureData& data)
{
    QStringList texts;
    for (const auto& p : data.processes().snapshot()) {
        QString files;
        for (const auto& file : p.exitContext.openFiles)
            files += QString::number(file.fd) + "=" + QString::fromStdString(file.target) + ";";
        texts << QString("%1 %2 %3 [%4] %5 %6-%7 %8-%9 t%10 %11 %12 %13 %14 %15 | %16 %17 %18 %19 %20 %21 %22 %23 %24")
                     .arg(p.pid)
                     .arg(p.ppid)
                     .arg(QString::fromStdString(p.exe), QString::fromUtf8(SessionJson::stringList(p.argv)),
                         QString::fromStdString(p.cwd))
                     .arg(p.startNs)
                     .arg(p.endNs)
                     .arg(p.startSeq)
                     .arg(p.endSeq)
                     .arg(p.threads)
                     .arg(static_cast<int>(p.status.kind))
                     .arg(p.status.code)
                     .arg(p.status.signal)
                     .arg(p.status.coreDumped)
                     .arg(p.status.launchErrno)
                     .arg(p.exitContext.captured)
                     .arg(files)
                     .arg(p.exitContext.peakRssKiB)
                     .arg(p.exitContext.rssKiB)
                     .arg(p.exitContext.addressSpaceLimit)
                     .arg(p.exitContext.openFilesLimit)
                     .arg(QString::fromStdString(p.exitContext.cgroup))
                     .arg(p.exitContext.cgroupMemoryLimit)
                     .arg(p.exitContext.cgroupOomKills);
    }
    return texts;
}

void compareCaptures(const CaptureData& live, const CaptureData& loaded)
{
    QCOMPARE(loaded.events().size(), live.events().size());
    for (std::uint64_t seq = 0; seq < live.events().size(); ++seq) {
        if (eventText(loaded, seq) != eventText(live, seq))
            QCOMPARE(eventText(loaded, seq), eventText(live, seq));
    }
    QCOMPARE(processTexts(loaded), processTexts(live));
    for (int stream = 1; stream <= 2; ++stream) {
        const auto a = live.outputLog().stream(stream);
        const auto b = loaded.outputLog().stream(stream);
        QCOMPARE(b.head, a.head);
        QCOMPARE(b.tail, a.tail);
        QCOMPARE(b.totalBytes, a.totalBytes);
    }
    const auto liveChunks = live.outputLog().chunks();
    const auto loadedChunks = loaded.outputLog().chunks();
    QCOMPARE(loadedChunks.size(), liveChunks.size());
    for (std::size_t i = 0; i < liveChunks.size(); ++i) {
        QCOMPARE(loadedChunks[i].seq, liveChunks[i].seq);
        QCOMPARE(loadedChunks[i].offset, liveChunks[i].offset);
        QCOMPARE(loadedChunks[i].length, liveChunks[i].length);
        QCOMPARE(loadedChunks[i].pid, liveChunks[i].pid);
        QCOMPARE(loadedChunks[i].stream, liveChunks[i].stream);
    }
    QCOMPARE(loaded.spec().program, live.spec().program);
    QCOMPARE(loaded.spec().args, live.spec().args);
    QCOMPARE(loaded.spec().environment, live.spec().environment);
    QCOMPARE(loaded.spec().classes, live.spec().classes);
    QCOMPARE(SessionJson::launchContext(loaded.context()), SessionJson::launchContext(live.context()));
    QVERIFY(loaded.summary().has_value());
    QCOMPARE(loaded.summary()->rootStatus.describe(), live.summary()->rootStatus.describe());
    QCOMPARE(loaded.summary()->processes, live.summary()->processes);
    QCOMPARE(loaded.summary()->threads, live.summary()->threads);
}

// A synthetic but realistic capture of `count` events (for the reader's progress and cancellation).
std::shared_ptr<CaptureData> synthetic(std::uint64_t count)
{
    LaunchSpec spec;
    spec.program = "/srv/app/service";
    auto data = std::make_shared<CaptureData>(spec);
    const StringId open = data->intern("openat");
    const StringId detail = data->intern("O_RDONLY|O_CLOEXEC");
    std::vector<Event> batch;
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        Event event;
        event.kind = EventKind::Syscall;
        event.cls = EventClass::File;
        event.timeNs = seq * 1000;
        event.pid = 100 + static_cast<int>(seq % 4);
        event.tid = event.pid;
        event.op = open;
        event.path = data->intern("/var/lib/app/item_" + std::to_string(seq % 5000));
        event.detail = detail;
        batch.push_back(event);
        if (batch.size() == 4096) {
            data->append(batch);
            batch.clear();
        }
    }
    data->append(batch);
    TraceSummary summary;
    summary.rootStatus = ExitStatus::exited(0);
    data->setSummary(summary);
    return data;
}

struct ChildResult {
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QString out;
    QString err;
};

ChildResult runExitLens(const QStringList& arguments, int timeoutMs)
{
    QProcess process;
    process.start(EXITLENS_BINARY, arguments);
    ChildResult result;
    if (!process.waitForStarted(10000))
        return result;
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.crashed = process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// What every reader of the output needs (the diagnosis, the output pane, the exports cut a
// chunk's bytes out of the stream's kept head and tail): each chunk lies inside its stream.
QString chunkOutsideItsStream(const CaptureData& data)
{
    const OutputLog::StreamView streams[2] = { data.outputLog().stream(1), data.outputLog().stream(2) };
    for (const auto& chunk : data.outputLog().chunks()) {
        if (chunk.stream != 1 && chunk.stream != 2)
            return QString("chunk of event %1 has stream %2").arg(chunk.seq).arg(chunk.stream);
        const std::uint64_t total = streams[chunk.stream - 1].totalBytes;
        if (chunk.offset > total || chunk.length > total - chunk.offset)
            return QString("chunk of event %1 (offset %2, length %3) lies past stream %4's %5 bytes")
                .arg(chunk.seq)
                .arg(chunk.offset)
                .arg(chunk.length)
                .arg(chunk.stream)
                .arg(total);
        if (chunk.seq >= data.events().size())
            return QString("chunk of event %1 points past the %2 events").arg(chunk.seq).arg(data.events().size());
    }
    return {};
}

// Mounts a tmpfs of the given size (and options) at path; false when this machine does not allow it.
bool mountTmpfs(const QString& path, const QString& options, QString& why)
{
    QDir().mkpath(path);
    QProcess mount;
    mount.start("mount", { "-t", "tmpfs", "-o", options, "exitlens-test", path });
    if (!mount.waitForFinished(10000) || mount.exitStatus() != QProcess::NormalExit || mount.exitCode() != 0) {
        why = "cannot mount a tmpfs (" + QString::fromLocal8Bit(mount.readAllStandardError()).trimmed()
            + "): the test needs root or CAP_SYS_ADMIN";
        return false;
    }
    return true;
}

void unmount(const QString& path)
{
    QProcess::execute("umount", { "-l", path });
}

} // namespace

class SessionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripOfARealCapture();
    void roundTripOfAManyEventCapture();
    void sqliteToolsSeeTheSameFacts();
    void readerPublishesFirstRowsThenTheRest();
    void readerCancels();
    void newerSchemaGivesAClearMessage();
    void notesFiltersAndSaveAs();
    void autosaveNames();
    void sigkillDuringCaptureLeavesAReadableFile();
    void firstSigtermStillSavesTheSession();
    void corruptFilesNeverCrashOrHang();
    void redactedCopyHoldsNoSecret();
    void exportsHtmlJsonCsv();
    void exportKeepsOnlyTheFilteredEvents();
    void unfinishedSessionsOpenEverywhere();
    void craftedOutputRecordsAreChecked();
    void diskFullKeepsCapturingAndLeavesOneFile();
    void unwritableSessionIsRefusedBeforeLaunch();
    void truncatedFilesAreSalvaged();
    void killedAtLaunchLeavesNoHalfFile();
    void redactionCoversEverySpelling();

private:
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }
    void writeBigSession();
    QTemporaryDir m_dir;
    Saved m_crash; // child_crash, saved to crash.exitlens
};

void SessionTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(EXITLENS_BINARY), EXITLENS_BINARY);
    m_crash = captureAndSave(TraceRun::fixture("child_crash"), path("crash.exitlens"));
    QVERIFY(m_crash.data->events().size() > 100);
}

void SessionTest::roundTripOfARealCapture()
{
    SessionInfo info;
    const auto loaded = load(path("crash.exitlens"), info);
    QVERIFY(loaded);
    QVERIFY2(info.warnings.isEmpty(), qPrintable(info.warnings.join("; ")));
    QVERIFY(info.complete);
    QVERIFY(!info.redacted);
    QCOMPARE(info.schemaVersion, SessionSchema::kVersion);
    QVERIFY(!info.hostname.isEmpty());
    compareCaptures(*m_crash.data, *loaded);
    QVERIFY(loaded->verdict().has_value());
    QCOMPARE(SessionJson::verdict(*loaded->verdict()), SessionJson::verdict(m_crash.verdict));
    // The output the crashing child wrote to fd 2 came back byte for byte.
    QVERIFY(loaded->outputLog().stream(2).head.find("panic: runtime error") != std::string::npos);
    // The file is one file: the writer folded its WAL back and left rollback-journal mode.
    QVERIFY(!QFile::exists(path("crash.exitlens-wal")));
    QCOMPARE(readBytes(path("crash.exitlens")).at(18), char(1));
}

void SessionTest::roundTripOfAManyEventCapture()
{
    QDir(m_dir.path()).mkpath("storm");
    const Saved storm =
        captureAndSave(TraceRun::fixture("file_storm", { path("storm").toStdString() }), path("storm.exitlens"));
    QVERIFY(storm.data->events().size() > 15000);
    SessionInfo info;
    const auto loaded = load(path("storm.exitlens"), info);
    QVERIFY(loaded);
    QVERIFY2(info.warnings.isEmpty(), qPrintable(info.warnings.join("; ")));
    compareCaptures(*storm.data, *loaded);
    // Strings were stored once each and come back with the same ids (interned in the same order).
    QCOMPARE(loaded->strings().size(), storm.data->strings().size());
}

void SessionTest::sqliteToolsSeeTheSameFacts()
{
    // The readable view joins the lookups back: any SQLite tool sees plain rows.
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "tst_view");
    db.setDatabaseName(path("crash.exitlens"));
    db.setConnectOptions("QSQLITE_OPEN_READONLY");
    QVERIFY(db.open());
    {
        QSqlQuery query(db);
        QVERIFY(query.exec("SELECT seq, op, path, kind, class, errno, failed FROM events_readable ORDER BY seq"));
        std::uint64_t seq = 0;
        while (query.next()) {
            const Event& event = m_crash.data->events().at(seq);
            QCOMPARE(query.value(0).toULongLong(), seq);
            QCOMPARE(query.value(1).toString().toStdString(), std::string(m_crash.data->text(event.op)));
            QCOMPARE(query.value(2).toString().toStdString(), std::string(m_crash.data->text(event.path)));
            QCOMPARE(query.value(3).toString().toStdString(), std::string(eventKindName(event.kind)));
            QCOMPARE(query.value(4).toString().toStdString(), std::string(eventClassName(event.cls)));
            QCOMPARE(query.value(6).toInt() != 0, event.failed());
            if (event.failed() && event.errnum > 0)
                QVERIFY(query.value(5).toString().startsWith('E'));
            ++seq;
        }
        QCOMPARE(seq, m_crash.data->events().size());
        QVERIFY(query.exec("PRAGMA application_id"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), SessionSchema::kApplicationId);
        QVERIFY(
            query.exec("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'events_%' ORDER BY name"));
        QStringList indexes;
        while (query.next())
            indexes << query.value(0).toString();
        QCOMPARE(indexes, QStringList({ "events_failed" })); // ExitLens reads by seq, the rowid
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase("tst_view");
}

// A 300,000-event session (synthetic events, a real file written by the real writer), once.
void SessionTest::writeBigSession()
{
    if (QFile::exists(path("big.exitlens")))
        return;
    const auto data = synthetic(300000);
    {
        SessionWriter writer;
        QString error;
        QVERIFY2(writer.start(path("big.exitlens"), data, error), qPrintable(error));
        writer.finish(std::nullopt);
        QVERIFY(writer.waitForFinished(120000));
        QVERIFY2(writer.errorString().isEmpty(), qPrintable(writer.errorString()));
        QCOMPARE(writer.stats().committedEvents, quint64(300000));
    }
}

void SessionTest::readerPublishesFirstRowsThenTheRest()
{
    writeBigSession();
    SessionReader reader;
    QSignalSpy opened(&reader, &SessionReader::opened);
    QSignalSpy progress(&reader, &SessionReader::progress);
    QSignalSpy finished(&reader, &SessionReader::finished);
    QSignalSpy failed(&reader, &SessionReader::failed);
    reader.open(path("big.exitlens"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(opened.size(), 1);
    QVERIFY(progress.size() >= 1);
    // opened() came first, with the capture that then grew to the whole file.
    const auto first = opened.front().at(0).value<std::shared_ptr<const CaptureData>>();
    const auto last = finished.front().at(0).value<std::shared_ptr<const CaptureData>>();
    QCOMPARE(first.get(), last.get());
    QCOMPARE(last->events().size(), quint64(300000));
    QCOMPARE(opened.front().at(1).value<SessionInfo>().expectedEvents, quint64(300000));
    QCOMPARE(progress.back().at(0).toULongLong(), quint64(300000));
    QCOMPARE(std::string(last->text(last->events().at(299999).path)), std::string("/var/lib/app/item_4999"));
}

void SessionTest::readerCancels()
{
    writeBigSession();
    SessionReader reader;
    QSignalSpy finished(&reader, &SessionReader::finished);
    QSignalSpy failed(&reader, &SessionReader::failed);
    // Cancel as soon as the first rows are in: the load stops instead of reading the rest.
    connect(
        &reader, &SessionReader::opened, &reader, [&reader] { reader.cancel(); }, Qt::DirectConnection);
    reader.open(path("big.exitlens"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size() + finished.size(), 1, 60000);
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.front().at(0).toString().contains("cancelled"));
}

void SessionTest::newerSchemaGivesAClearMessage()
{
    QVERIFY(QFile::copy(path("crash.exitlens"), path("future.exitlens")));
    QVERIFY(execSql(path("future.exitlens"), { "UPDATE meta SET schema_version = 99, exitlens_version = '7.0.0'" }));
    SessionLoader loader(path("future.exitlens"));
    SessionInfo info;
    QString error;
    QVERIFY(!loader.load(info, error));
    QVERIFY2(error.contains("ExitLens 7.0.0") && error.contains("session format 99")
            && error.contains(QString("up to %1").arg(SessionSchema::kVersion)),
        qPrintable(error));
}

void SessionTest::notesFiltersAndSaveAs()
{
    QVERIFY(QFile::copy(path("crash.exitlens"), path("notes.exitlens")));
    QString error;
    {
        SessionFile file;
        QVERIFY2(file.open(path("notes.exitlens"), error), qPrintable(error));
        SessionNote bookmark;
        bookmark.seq = 5;
        bookmark.bookmark = true;
        QVERIFY2(file.saveNote(bookmark, error) > 0, qPrintable(error));
        SessionNote onVerdict;
        onVerdict.text = "the child's nil map, see ticket 42";
        const qint64 id = file.saveNote(onVerdict, error);
        QVERIFY(id > 0);
        onVerdict.id = id;
        onVerdict.text += " (fixed in 1.4.3)";
        QCOMPARE(file.saveNote(onVerdict, error), id);
        SavedFilter filter;
        filter.name = "failures";
        filter.expression = "failed and pid == 42";
        QVERIFY(file.saveFilter(filter, error) > 0);
    }
    // Notes travel with the file: Save As, then read them from the copy.
    QVERIFY2(SessionFile::saveAs(path("notes.exitlens"), path("copy.exitlens"), error), qPrintable(error));
    SessionFile copy;
    QVERIFY2(copy.open(path("copy.exitlens"), error), qPrintable(error));
    const auto notes = copy.notes(error);
    QCOMPARE(notes.size(), std::size_t(2));
    QCOMPARE(notes[0].seq, std::optional<quint64>(5));
    QVERIFY(notes[0].bookmark);
    QVERIFY(!notes[1].seq);
    QCOMPARE(notes[1].text, QString("the child's nil map, see ticket 42 (fixed in 1.4.3)"));
    const auto filters = copy.filters(error);
    QCOMPARE(filters.size(), std::size_t(1));
    QCOMPARE(filters[0].expression, QString("failed and pid == 42"));
    QVERIFY(copy.removeNote(notes[0].id, error));
    QCOMPARE(copy.notes(error).size(), std::size_t(1));
    copy.close();
    SessionInfo info;
    const auto loaded = load(path("copy.exitlens"), info);
    QVERIFY(loaded);
    compareCaptures(*m_crash.data, *loaded);
    // Save As onto the session itself is refused, not a truncated original.
    QVERIFY(!SessionFile::saveAs(path("copy.exitlens"), path("copy.exitlens"), error));
}

void SessionTest::autosaveNames()
{
    const QDateTime started(QDate(2026, 11, 29), QTime(5, 57, 19));
    QCOMPARE(SessionPaths::fileName(
                 "/srv/bin/inventory-service", started, SessionPaths::outcomeLabel(ExitStatus::exited(1))),
        QString("inventory-service 2026-11-29 05.57.19 exit_1.exitlens"));
    QCOMPARE(SessionPaths::outcomeLabel(ExitStatus::signaled(SIGKILL, false)), QString("SIGKILL"));
    QCOMPARE(SessionPaths::fileName("../we/ird name*?", started, "running"),
        QString("ird_name__ 2026-11-29 05.57.19 running.exitlens"));
    QVERIFY(QFile::copy(path("crash.exitlens"), path("x 2026-11-29 05.57.19 running.exitlens")));
    const QString renamed = SessionPaths::renameForOutcome(
        path("x 2026-11-29 05.57.19 running.exitlens"), "x", started, ExitStatus::signaled(SIGSEGV, true));
    QCOMPARE(renamed, path("x 2026-11-29 05.57.19 SIGSEGV.exitlens"));
    QVERIFY(QFile::exists(renamed));
    QCOMPARE(SessionPaths::uniquePath(m_dir.path(), "x 2026-11-29 05.57.19 SIGSEGV.exitlens"),
        path("x 2026-11-29 05.57.19 SIGSEGV (2).exitlens"));
}

void SessionTest::sigkillDuringCaptureLeavesAReadableFile()
{
    QDir(m_dir.path()).mkpath("churn");
    const QString session = path("killed.exitlens");
    QProcess exitlens;
    exitlens.setStandardErrorFile(QProcess::nullDevice());
    exitlens.start(EXITLENS_BINARY,
        { "run", "--quiet", "--session", session, "--", QString(EXITLENS_FIXTURE_DIR) + "/file_churn", path("churn"),
            "60" });
    QVERIFY(exitlens.waitForStarted());
    // Let it capture (and commit) for a while: the file grows past its schema pages.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(session + "-wal").size() > 256 * 1024, 30000);
    QTest::qWait(700);
    ::kill(static_cast<pid_t>(exitlens.processId()), SIGKILL);
    QVERIFY(exitlens.waitForFinished(10000));
    QCOMPARE(exitlens.exitStatus(), QProcess::CrashExit);

    SessionInfo info;
    const auto data = load(session, info);
    QVERIFY(data);
    QVERIFY(!info.complete);
    QVERIFY(info.warnings.join(" ").contains("did not finish cleanly"));
    QVERIFY2(!info.warnings.join(" ").contains("placeholder") && !info.warnings.join(" ").contains("damaged"),
        qPrintable(info.warnings.join("; ")));
    const std::uint64_t count = data->events().size();
    QVERIFY2(count > 1000, qPrintable(QString::number(count)));
    QCOMPARE(data->events().at(0).kind, EventKind::ProcessStart);
    // Everything up to the last commit, in order: the ENOENT stats of the missing file are there.
    std::uint64_t missing = 0;
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const Event& event = data->events().at(seq);
        if (event.failed() && data->text(event.path).ends_with("/churn/missing"))
            ++missing;
    }
    QVERIFY(missing > 100);
    QVERIFY(!data->processes().snapshot().empty());
    // PTRACE_O_EXITKILL took the traced program down with ExitLens.
    const int root = data->processes().snapshot().front().pid;
    QTRY_VERIFY_WITH_TIMEOUT(::kill(root, 0) != 0, 5000);
}

void SessionTest::firstSigtermStillSavesTheSession()
{
    const QString session = path("term.exitlens");
    QProcess exitlens;
    exitlens.start(EXITLENS_BINARY,
        { "run", "--quiet", "--session", session, "--", QString(EXITLENS_FIXTURE_DIR) + "/sleeper", "handle" });
    QVERIFY(exitlens.waitForStarted());
    QByteArray output;
    QTRY_VERIFY_WITH_TIMEOUT((output += exitlens.readAllStandardOutput()).contains("ready"), 20000);
    ::kill(static_cast<pid_t>(exitlens.processId()), SIGTERM);
    QVERIFY(exitlens.waitForFinished(30000));
    QCOMPARE(exitlens.exitCode(), 7); // the handler's exit code, forwarded
    SessionInfo info;
    const auto data = load(session, info);
    QVERIFY(data);
    QVERIFY(info.complete);
    QCOMPARE(data->summary()->rootStatus.code, 7);
    const auto sigterms = [&] {
        int found = 0;
        for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
            const Event& event = data->events().at(seq);
            if (event.kind == EventKind::Signal && event.result == SIGTERM)
                ++found;
        }
        return found;
    }();
    QVERIFY(sigterms >= 1);
    QVERIFY(data->outputLog().stream(2).head.find("got SIGTERM") != std::string::npos);
}

void SessionTest::corruptFilesNeverCrashOrHang()
{
    const QString base = path("crash.exitlens");
    const QByteArray original = readBytes(base);
    QVERIFY(original.size() > 16 * 4096);
    QDir(m_dir.path()).mkpath("corrupt");
    std::mt19937 random(20261129);
    struct Variant {
        QString name;
        QString file;
        int expect = -1; // -1: either a clear error or a partial load; 0/1: that status
        QString mention; // text the output must contain
    };
    std::vector<Variant> variants;
    auto add = [&](const QString& name, const QByteArray& bytes, int expect = -1, const QString& mention = {}) {
        const QString file = path("corrupt/" + name + ".exitlens");
        QVERIFY(writeBytes(file, bytes));
        variants.push_back({ name, file, expect, mention });
    };
    auto addSql = [&](const QString& name, const QStringList& statements, int expect = -1,
                      const QString& mention = {}) {
        const QString file = path("corrupt/" + name + ".exitlens");
        QFile::remove(file);
        QVERIFY(QFile::copy(base, file));
        QString error;
        QVERIFY2(execSql(file, statements, &error), qPrintable(name + ": " + error));
        variants.push_back({ name, file, expect, mention });
    };
    const int pages = static_cast<int>(original.size() / 4096);

    // Not SQLite at all.
    add("empty", QByteArray(), 1, "is empty");
    add("one-byte", QByteArray("S"), 1, "not an SQLite database");
    add("text", QByteArray("this is just a note, not a session\n"), 1, "not an SQLite database");
    add("png", QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(3000, 'x'), 1, "not an SQLite database");
    add("json", QByteArray("{\"verdict\": {\"headline\": \"x\"}}"), 1, "not an SQLite database");
    add("elf", readBytes(QString(EXITLENS_FIXTURE_DIR) + "/exit_normal").left(65536), 1, "not an SQLite database");
    add("magic-only", QByteArray("SQLite format 3\0", 16), 1, "truncated");
    add("header-only", original.left(100));
    {
        QByteArray noise(8192, 0);
        for (auto& byte : noise)
            byte = static_cast<char>(random());
        add("random-bytes", noise, 1);
    }
    // Truncations.
    for (qsizetype size : { 99, 100, 101, 512, 1024, 4095, 4096, 4097, 8192, 12288 })
        add(QString("truncated-%1").arg(size), original.left(size));
    for (int i = 0; i < 30; ++i) {
        const auto size = static_cast<qsizetype>(random() % static_cast<unsigned>(original.size()));
        add(QString("truncated-random-%1").arg(i), original.left(size));
    }
    add("truncated-last-page", original.left(original.size() - 4096));
    add("truncated-one-byte", original.left(original.size() - 1));
    // Flipped bytes anywhere, and in the header.
    for (int i = 0; i < 160; ++i) {
        QByteArray bytes = original;
        const int flips = 1 << (2 * (i % 4)); // 1, 4, 16, 64
        for (int f = 0; f < flips; ++f) {
            const auto offset = static_cast<qsizetype>(random() % static_cast<unsigned>(bytes.size()));
            bytes[offset] = static_cast<char>(bytes[offset] ^ static_cast<char>(1 + random() % 255));
        }
        add(QString("flipped-%1").arg(i), bytes);
    }
    for (int i = 0; i < 20; ++i) {
        QByteArray bytes = original;
        const auto offset = static_cast<qsizetype>(16 + random() % 84);
        bytes[offset] = static_cast<char>(random());
        add(QString("header-flip-%1").arg(i), bytes);
    }
    for (int i = 0; i < 8; ++i) {
        QByteArray bytes = original;
        for (qsizetype offset = 16; offset < 100; ++offset)
            bytes[offset] = static_cast<char>(random());
        add(QString("header-garbage-%1").arg(i), bytes);
    }
    // Zeroed pages (page 1 below its 100-byte header, and others).
    for (int i = 0; i < 30; ++i) {
        QByteArray bytes = original;
        const int page = i == 0 ? 0 : static_cast<int>(random() % static_cast<unsigned>(pages));
        const qsizetype from = page * 4096 + (page == 0 ? 100 : 0);
        for (qsizetype offset = from; offset < (page + 1) * 4096; ++offset)
            bytes[offset] = 0;
        add(QString("zeroed-page-%1").arg(page) + (i ? QString("-%1").arg(i) : QString()), bytes);
    }
    // Missing tables.
    for (const char* table : { "target", "summary", "verdict", "processes", "strings", "events", "output_streams",
             "output_chunks", "notes", "errnos" })
        addSql(QString("dropped-%1").arg(table), { QString("DROP TABLE %1").arg(table) }, 0, "");
    addSql("dropped-meta", { "DROP TABLE meta" }, 1, "no meta table");
    addSql("empty-meta", { "DELETE FROM meta" }, 1, "meta table is empty");
    // Schema versions.
    addSql("schema-99", { "UPDATE meta SET schema_version = 99" }, 1, "session format 99");
    addSql("schema-0", { "UPDATE meta SET schema_version = 0" }, 1, "schema version is not valid");
    addSql("schema-negative", { "UPDATE meta SET schema_version = -1" }, 1, "schema version is not valid");
    addSql("schema-text", { "UPDATE meta SET schema_version = 'one'" }, 1, "schema version is not valid");
    addSql("schema-null",
        { "PRAGMA writable_schema = OFF",
            "CREATE TABLE m2 AS SELECT NULL AS schema_version, "
            "exitlens_version FROM meta",
            "DROP TABLE meta", "ALTER TABLE m2 RENAME TO meta" },
        1, "schema version is not valid");
    // Huge strings (one past the connection's length limit) and huge JSON.
    addSql("huge-string", { "UPDATE strings SET text = replace(hex(zeroblob(2000000)), '00', 'ab') WHERE id = 3" }, 0);
    addSql("string-beyond-limit",
        { "UPDATE strings SET text = replace(hex(zeroblob(35000000)), '00', 'ab') WHERE id = 4" }, 0);
    addSql("huge-environment",
        { "UPDATE target SET environment = '[\"' || replace(hex(zeroblob(3000000)), '00', 'ab') || '\"]'" }, 0);
    addSql("huge-output", { "UPDATE output_streams SET head = zeroblob(6000000), tail = randomblob(3000000)" }, 0);
    // Bogus counts, references and types.
    addSql("bogus-summary",
        { "UPDATE summary SET events = 9000000000000000000, processes = -5, threads = 'many', "
          "dropped = -1, exit_code = 99999999999" },
        0);
    addSql("seq-huge-gap", { "UPDATE events SET seq = seq + 1000000000000 WHERE seq > 300" }, 0, "jump");
    addSql("seq-small-gap", { "UPDATE events SET seq = seq + 5000 WHERE seq > 300" }, 0, "placeholders");
    addSql("seq-negative", { "UPDATE events SET seq = -seq - 1 WHERE seq < 10" }, 0);
    addSql("bogus-event-values",
        { "UPDATE events SET kind = 999, class = -3, errno = 999999, flags = -1, "
          "pid = 9000000000000000000, duration_ns = -7 WHERE seq % 3 = 0" },
        0);
    addSql("missing-strings", { "UPDATE events SET op = 2147483647, path = -9, detail = 9000000000000000000" }, 0,
        "missing from the file");
    addSql("text-in-int-columns", { "UPDATE events SET time_ns = 'yesterday', op = X'00FF00', result = 1.5e300" }, 0);
    addSql("bogus-process-seqs",
        { "UPDATE processes SET end_seq = 9000000000000000000, start_seq = -4, "
          "exit_kind = 'exited', threads = -2, pid = 'x'" },
        0);
    addSql("bogus-chunks", { "UPDATE output_chunks SET seq = -seq - 1, length = -5, stream = 77" }, 0);
    addSql("bogus-streams", { "UPDATE output_streams SET stream = stream + 10, total_bytes = -5" }, 0);
    addSql("verdict-not-json", { "UPDATE verdict SET json = 'not json at all {'" }, 0);
    addSql("verdict-evidence-out-of-range",
        { "UPDATE verdict SET json = '{\"headline\":\"h\",\"evidence\":[{\"text\":\"t\",\"event\":1e15}]}'" }, 0);
    addSql("invalid-utf8",
        { "UPDATE strings SET text = CAST(X'C3FFFE2F' AS TEXT) WHERE id % 2 = 0",
            "UPDATE target SET args = CAST(X'5B22FF225D' AS TEXT)" },
        0);
    addSql("duplicate-string-ids",
        { "DROP VIEW events_readable", "CREATE TABLE s2 (id INTEGER, text TEXT)",
            "INSERT INTO s2 SELECT id, text FROM strings", "INSERT INTO s2 SELECT id, 'dup' FROM strings",
            "DROP TABLE strings", "ALTER TABLE s2 RENAME TO strings" },
        0);
    // Hostile schema: views and an endless recursive query where tables should be.
    const QString endless = "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c) SELECT x AS seq, 0 AS "
                            "time_ns, 1 AS pid, 1 AS tid, 0 AS kind, 0 AS class, 0 AS op, 0 AS path, 0 AS detail, 0 AS "
                            "result, 0 AS errno, 0 AS duration_ns, 0 AS flags FROM c";
    addSql("events-endless-view", { "DROP TABLE events", "CREATE VIEW events AS " + endless }, 0, "no events table");
    addSql("strings-view", { "DROP TABLE strings", "CREATE VIEW strings AS SELECT 1 AS id, 'x' AS text" }, 0);
    addSql("meta-view",
        { "CREATE TABLE m2 AS SELECT * FROM meta", "DROP TABLE meta", "CREATE VIEW meta AS SELECT * FROM m2" }, 1,
        "no meta table");
    addSql("events-missing-columns",
        { "DROP TABLE events", "CREATE TABLE events (seq INTEGER PRIMARY KEY, other)",
            "INSERT INTO events(seq) VALUES (0), (1)" },
        0, "events table cannot be read");
    // Paths that are not files.
    variants.push_back({ "directory", path("corrupt"), 1, "not a regular file" });
    variants.push_back({ "missing", path("corrupt/does-not-exist.exitlens"), 1, "does not exist" });

    QVERIFY2(variants.size() >= 300, qPrintable(QString::number(variants.size())));
    int partial = 0;
    int refused = 0;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const Variant& variant = variants[i];
        const ChildResult result = runExitLens({ "report", variant.file }, 30000);
        const QString what = variant.name + ": " + result.err.left(300) + result.out.left(200);
        QVERIFY2(result.finished, qPrintable(variant.name + ": hung (no result within 30 s)"));
        QVERIFY2(!result.crashed, qPrintable(variant.name + ": crashed"));
        QVERIFY2(result.exitCode == 0 || result.exitCode == 1, qPrintable(what));
        if (result.exitCode == 1) {
            // A clear error: one line naming the file (or saying it is missing/not a file).
            QVERIFY2(result.err.startsWith("exitlens: ") && result.err.trimmed().size() > 20, qPrintable(what));
            ++refused;
        } else {
            QVERIFY2(result.out.contains("ExitLens session"), qPrintable(what));
            ++partial;
        }
        if (variant.expect >= 0)
            QVERIFY2(result.exitCode == variant.expect, qPrintable(what));
        if (!variant.mention.isEmpty())
            QVERIFY2((result.out + result.err).contains(variant.mention), qPrintable(what));
        // Every third file also goes through every export: the exporters see partial data too.
        if (i % 3 == 0 && result.exitCode == 0) {
            const ChildResult exported =
                runExitLens({ "export", variant.file, "--html", path("corrupt/out.html"), "--json",
                                path("corrupt/out.json"), "--csv", path("corrupt/out.csv") },
                    30000);
            QVERIFY2(exported.finished && !exported.crashed && exported.exitCode == 0,
                qPrintable(variant.name + " (export): " + exported.err.left(300)));
        }
    }
    qInfo("%zu damaged files: %d loaded partially, %d refused with a clear error", variants.size(), partial, refused);
    QVERIFY(partial > 50);
    QVERIFY(refused > 30);
}

void SessionTest::redactedCopyHoldsNoSecret()
{
    const std::string secret = kSecret;
    LaunchSpec spec = TraceRun::fixture(
        "secret_holder", { "--password=" + secret, "--mirror=https://deploy:" + secret + "@git.example.com/app.git" });
    spec.environment.push_back("APP_TOKEN=" + secret);
    const Saved saved = captureAndSave(spec, path("secret.exitlens"));
    QCOMPARE(saved.summary.rootStatus.code, 3);
    const QByteArray needle = QByteArray::fromStdString(secret);
    const QByteArray originalBytes = readBytes(path("secret.exitlens"));
    // The capture really holds it: stderr, the opened path, argv, environment, build info.
    QVERIFY(originalBytes.count(needle) >= 5);
    QVERIFY(saved.data->outputLog().stream(2).head.find("starting with token " + secret) != std::string::npos);
    const TraceRun run { saved.data, saved.summary };
    const auto secretPaths = run.find(
        [&](const Event& e) { return e.failed() && saved.data->text(e.path).find(secret) != std::string_view::npos; });
    QVERIFY(!secretPaths.empty());
    const QByteArray originalHash = QCryptographicHash::hash(originalBytes, QCryptographicHash::Sha256);

    RedactionPlan plan;
    QString error;
    QVERIFY2(Redactor::preview(path("secret.exitlens"), {}, plan, error), qPrintable(error));
    QStringList sources;
    for (const auto& item : plan.items) {
        sources << item.sources;
        QVERIFY2(item.occurrences > 0, qPrintable(item.label));
    }
    // The one secret was found by every rule that applies to it; each place is listed.
    const QString found = sources.join("\n");
    for (const char* expected : { "environment: APP_TOKEN", "argument: --password (command line)",
             "url: https://deploy@", "assignment: main.secret (build info)" })
        QVERIFY2(found.contains(expected), qPrintable(expected + QString(" not in:\n") + found));

    QVERIFY2(Redactor::write(path("secret.exitlens"), path("shared.exitlens"), plan, error), qPrintable(error));
    const QByteArray shared = readBytes(path("shared.exitlens"));
    QVERIFY(!shared.isEmpty());
    QVERIFY2(!shared.contains(needle), "the secret is still in the redacted file's bytes");
    QVERIFY(!shared.contains(needle.left(16)));
    // The original is untouched.
    QCOMPARE(QCryptographicHash::hash(readBytes(path("secret.exitlens")), QCryptographicHash::Sha256), originalHash);

    SessionInfo info;
    const auto loaded = load(path("shared.exitlens"), info);
    QVERIFY(loaded);
    QVERIFY(info.redacted);
    QCOMPARE(loaded->events().size(), saved.data->events().size());
    QVERIFY(loaded->outputLog().stream(2).head.find("starting with token [REDACTED]") != std::string::npos);
    // The build info the writer read from the binary (go version -m's "-ldflags=-X main.secret=...").
    QVERIFY2(!info.goBuildInfo.contains(needle) && info.goBuildInfo.contains("main.secret=[REDACTED]"),
        info.goBuildInfo.constData());

    // Every export of the shared copy is clean too.
    const ChildResult exported = runExitLens({ "export", path("shared.exitlens"), "--html", path("shared.html"),
                                                 "--json", path("shared.json"), "--csv", path("shared.csv") },
        60000);
    QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(exported.err));
    for (const char* file : { "shared.html", "shared.json", "shared.csv" }) {
        const QByteArray bytes = readBytes(path(file));
        QVERIFY(bytes.size() > 100);
        QVERIFY2(!bytes.contains(needle), file);
    }
    // The CLI path: export --redact straight from the original.
    const ChildResult cli = runExitLens({ "export", path("secret.exitlens"), "--redact", "--session",
                                            path("cli-shared.exitlens"), "--html", path("cli-shared.html") },
        60000);
    QVERIFY2(cli.finished && cli.exitCode == 0, qPrintable(cli.err));
    QVERIFY(cli.err.contains("APP_TOKEN"));
    QVERIFY(!cli.err.contains(QString::fromStdString(secret)));
    QVERIFY(!readBytes(path("cli-shared.exitlens")).contains(needle));
    QVERIFY(!readBytes(path("cli-shared.html")).contains(needle));

    // Optional: the user's home folder too.
    const QByteArray home = qgetenv("HOME");
    if (home.size() > 1) {
        RedactionOptions options;
        options.userAndHome = true;
        RedactionPlan withUser;
        QVERIFY(Redactor::preview(path("secret.exitlens"), options, withUser, error));
        QVERIFY(Redactor::write(path("secret.exitlens"), path("shared-user.exitlens"), withUser, error));
        const QByteArray bytes = readBytes(path("shared-user.exitlens"));
        QVERIFY(!bytes.contains(needle));
        QVERIFY(!bytes.contains("HOME=" + home));
    }
}

void SessionTest::exportsHtmlJsonCsv()
{
    SessionInfo info;
    const auto loaded = load(path("crash.exitlens"), info);
    QVERIFY(loaded);
    QString error;
    // JSON: the same document `exitlens run --json` writes for the live capture.
    QVERIFY(SessionExport::writeJson(*loaded, info, path("crash.json"), error));
    const QJsonObject exported = QJsonDocument::fromJson(readBytes(path("crash.json"))).object();
    const QJsonObject live = ResultDocument::build(*m_crash.data, m_crash.summary, m_crash.verdict);
    for (const char* key : { "verdict", "exit", "processes", "output", "target", "capture", "context", "traceback" }) {
        if (exported[key] != live[key]) {
            // Name the first differing member (QTest cuts long messages).
            QString where = key;
            const QJsonValue a = exported[key];
            const QJsonValue b = live[key];
            if (a.isArray() && b.isArray() && a.toArray().size() == b.toArray().size()) {
                for (qsizetype i = 0; i < a.toArray().size(); ++i) {
                    const QJsonObject x = a.toArray()[i].toObject();
                    const QJsonObject y = b.toArray()[i].toObject();
                    for (const auto& member : x.keys()) {
                        if (x[member] != y[member])
                            where +=
                                QString("[%1].%2: %3 vs %4")
                                    .arg(i)
                                    .arg(member, QJsonDocument(QJsonArray { x[member] }).toJson(QJsonDocument::Compact),
                                        QJsonDocument(QJsonArray { y[member] }).toJson(QJsonDocument::Compact));
                    }
                }
            }
            QFAIL(qPrintable(where));
        }
    }
    // target.elf and target.go came from the session, and match what the live run read from disk.
    QVERIFY(exported["target"].toObject()["go"].isObject());
    QCOMPARE(exported["stats"].toObject()["events"], live["stats"].toObject()["events"]);

    // CSV with a filter predicate: only the failed events, with a header.
    QVERIFY(SessionExport::writeCsv(
        *loaded, path("failed.csv"), [](const Event& e) { return e.failed(); }, error));
    const QList<QByteArray> lines = readBytes(path("failed.csv")).split('\n');
    const auto failed = TraceRun { m_crash.data, m_crash.summary }.find([](const Event& e) { return e.failed(); });
    QCOMPARE(lines.size() - 2, static_cast<qsizetype>(failed.size())); // header + trailing empty line
    QVERIFY(lines[0].startsWith("seq,time_ns,pid,tid,kind,class,op,path,detail"));
    QVERIFY(SessionExport::writeCsv(*loaded, path("all.csv"), {}, error));
    QCOMPARE(readBytes(path("all.csv")).count('\n') - 1, static_cast<qsizetype>(loaded->events().size()));

    // HTML: self-contained (no scripts, no external references) and holding the facts.
    QVERIFY(SessionExport::writeHtml(*loaded, info, path("crash.html"), error));
    const QString html = QString::fromUtf8(readBytes(path("crash.html")));
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    for (const char* forbidden : { "<script", "<link", "src=", "url(", "@import", "http://", "https://" })
        QVERIFY2(!html.contains(forbidden), forbidden);
    QVERIFY(html.contains(QString::fromStdString(m_crash.verdict.headline).toHtmlEscaped()));
    QVERIFY(html.contains("Process tree (2)"));
    QVERIFY(html.contains("panic: runtime error"));
    QVERIFY(html.contains("class=\"evidence\""));
}

void SessionTest::exportKeepsOnlyTheFilteredEvents()
{
    SessionInfo info;
    const auto loaded = load(path("crash.exitlens"), info);
    QVERIFY(loaded);
    std::vector<std::uint64_t> failed;
    std::uint64_t exits = 0;
    for (std::uint64_t seq = 0; seq < loaded->events().size(); ++seq) {
        if (loaded->events().at(seq).failed())
            failed.push_back(seq);
        exits += loaded->events().at(seq).kind == EventKind::ProcessExit ? 1 : 0;
    }
    QVERIFY(!failed.empty());
    QCOMPARE(exits, std::uint64_t(2)); // child_crash: the parent and its crashing child

    // CSV: exactly the failed events, in sequence order.
    const ChildResult csv =
        runExitLens({ "export", path("crash.exitlens"), "--csv", path("filtered.csv"), "--filter", "failed" }, 60000);
    QVERIFY2(csv.finished && csv.exitCode == 0, qPrintable(csv.err));
    QVERIFY2(csv.err.contains(QString("%1 of %2 events match").arg(failed.size()).arg(loaded->events().size())),
        qPrintable(csv.err));
    QList<QByteArray> lines = readBytes(path("filtered.csv")).split('\n');
    QVERIFY(lines.first().startsWith("seq,time_ns,"));
    lines.removeFirst();
    lines.removeLast(); // after the last CRLF
    QCOMPARE(lines.size(), static_cast<qsizetype>(failed.size()));
    for (qsizetype i = 0; i < lines.size(); ++i)
        QCOMPARE(lines[i].left(lines[i].indexOf(',')).toULongLong(), failed[static_cast<std::size_t>(i)]);

    // JSON: the whole result document plus the filter's matching events.
    const ChildResult json = runExitLens({ "export", path("crash.exitlens"), "--json", path("filtered.json"),
                                             "--filter", "kind == process_exit and not ok or kind == process_exit" },
        60000);
    QVERIFY2(json.finished && json.exitCode == 0, qPrintable(json.err));
    const QJsonObject document = QJsonDocument::fromJson(readBytes(path("filtered.json"))).object();
    QVERIFY(document["verdict"].isObject());
    const QJsonObject filter = document["filter"].toObject();
    QCOMPARE(filter["matching_events"].toInt(), 2);
    const QJsonArray events = filter["events"].toArray();
    QCOMPARE(events.size(), 2);
    for (const auto& event : events) {
        QCOMPARE(event.toObject()["kind"].toString(), QString("process_exit"));
        const auto seq = static_cast<std::uint64_t>(event.toObject()["seq"].toInteger());
        QCOMPARE(loaded->events().at(seq).kind, EventKind::ProcessExit);
        QCOMPARE(event.toObject()["pid"].toInt(), loaded->events().at(seq).pid);
    }

    // A bad or unfinished expression: the message with a caret under the token, status 2, no file.
    const ChildResult bad = runExitLens(
        { "export", path("crash.exitlens"), "--csv", path("bad.csv"), "--filter", "failed and pathh == x" }, 60000);
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("unknown field 'pathh'") && bad.err.contains("did you mean 'path'"), qPrintable(bad.err));
    QVERIFY2(bad.err.contains("\n  failed and pathh == x\n             ^^^^^"), qPrintable(bad.err));
    QVERIFY(!QFile::exists(path("bad.csv")));
    const ChildResult unfinished =
        runExitLens({ "export", path("crash.exitlens"), "--json", path("bad.json"), "--filter", "path ==" }, 60000);
    QCOMPARE(unfinished.exitCode, 2);
    QVERIFY2(unfinished.err.contains("incomplete filter"), qPrintable(unfinished.err));
    QVERIFY(!QFile::exists(path("bad.json")));
    // The HTML report keeps every event: --filter with it is a usage error, not a silent no-op.
    const ChildResult html =
        runExitLens({ "export", path("crash.exitlens"), "--html", path("bad.html"), "--filter", "failed" }, 60000);
    QCOMPARE(html.exitCode, 2);
    QVERIFY(!QFile::exists(path("bad.html")));
}

void SessionTest::unfinishedSessionsOpenEverywhere()
{
    // A capture of a program writing to stdout, read while it runs and after ExitLens was SIGKILLed:
    // its output chunks were committed ahead of the stream bytes they point at.
    const QString session = path("unfinished.exitlens");
    QProcess exitlens;
    exitlens.setStandardOutputFile(QProcess::nullDevice());
    exitlens.setStandardErrorFile(QProcess::nullDevice());
    exitlens.start(EXITLENS_BINARY,
        { "run", "--quiet", "--session", session, "--", QString(EXITLENS_FIXTURE_DIR) + "/big_output", "100000" });
    QVERIFY(exitlens.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(session + "-wal").size() > 64 * 1024, 30000);
    // Opened while the capture still runs: every reader, several times.
    int whileRunning = 0;
    for (int round = 0; round < 4 && exitlens.state() == QProcess::Running; ++round) {
        const ChildResult report = runExitLens({ "report", session }, 60000);
        QVERIFY2(report.finished && !report.crashed && report.exitCode == 0, qPrintable(report.err.left(400)));
        const ChildResult exported = runExitLens({ "export", session, "--html", path("unfinished.html"), "--json",
                                                     path("unfinished.json"), "--csv", path("unfinished.csv") },
            60000);
        QVERIFY2(exported.finished && !exported.crashed && exported.exitCode == 0, qPrintable(exported.err.left(400)));
        SessionInfo info;
        const auto data = load(session, info);
        QVERIFY(data);
        const QString outside = chunkOutsideItsStream(*data);
        QVERIFY2(outside.isEmpty(), qPrintable(outside));
        ++whileRunning;
        QTest::qWait(300);
    }
    QVERIFY(whileRunning >= 1);
    ::kill(static_cast<pid_t>(exitlens.processId()), SIGKILL);
    QVERIFY(exitlens.waitForFinished(10000));

    SessionInfo info;
    const auto data = load(session, info);
    QVERIFY(data);
    QVERIFY(!info.complete);
    QVERIFY(data->outputLog().totalBytes() > 0);
    QVERIFY(!data->outputLog().chunks().empty());
    const QString outside = chunkOutsideItsStream(*data);
    QVERIFY2(outside.isEmpty(), qPrintable(outside));
    // The diagnosis reads the output by chunk, as every reader does.
    const Verdict verdict = SessionExport::verdictOf(*data);
    QVERIFY(!verdict.headline.empty());
    for (const QStringList& arguments :
        { QStringList { "report", session }, QStringList { "report", "--json", session },
            QStringList { "export", session, "--html", path("killed.html"), "--json", path("killed.json"), "--csv",
                path("killed.csv") } }) {
        const ChildResult result = runExitLens(arguments, 60000);
        QVERIFY2(result.finished && !result.crashed && result.exitCode == 0,
            qPrintable(arguments.join(' ') + ": " + result.err.left(400)));
    }
}

void SessionTest::craftedOutputRecordsAreChecked()
{
    // A finished session whose stdout and stderr hold bytes, then output records that point past
    // them (or are absurd): the loader drops what it cannot honour and says so; nothing reads past.
    const QString base = path("crash.exitlens");
    {
        SessionInfo info;
        const auto data = load(base, info);
        QVERIFY(data);
        QVERIFY(!data->outputLog().chunks().empty());
    }
    const std::vector<std::pair<QString, QStringList>> variants = {
        { "past-the-end", { "UPDATE output_chunks SET offset = offset + 100000000" } },
        { "long", { "UPDATE output_chunks SET length = 2147483647" } },
        { "huge-offset", { "UPDATE output_chunks SET offset = 9223372036854775000, length = 4000" } },
        { "wrapping", { "UPDATE output_chunks SET offset = 9223372036854775807, length = 4294967295" } },
        { "negative", { "UPDATE output_chunks SET offset = -100, length = -1" } },
        { "no-streams", { "DELETE FROM output_streams" } },
        { "empty-streams", { "UPDATE output_streams SET head = X'', tail = X'', total_bytes = 0" } },
        { "short-streams", { "UPDATE output_streams SET head = X'41', tail = X'42', total_bytes = 5" } },
        { "streams-swapped",
            { "UPDATE output_streams SET stream = stream + 10", "UPDATE output_streams SET stream = 13 - stream" } },
        { "text-values", { "UPDATE output_chunks SET offset = 'far', length = 'long', stream = 'out'" } },
        { "chunk-seq-past-events", { "UPDATE output_chunks SET seq = seq + 1000000" } },
        { "process-seqs-past-events",
            { "UPDATE processes SET start_seq = 9000000, end_seq = 9000001, exit_kind = 'signaled'" } },
        { "evidence-past-events", { "UPDATE verdict SET json = json_set(json, '$.evidence[0].event', 999999999)" } },
    };
    int dropped = 0;
    for (const auto& [name, statements] : variants) {
        const QString file = path("crafted-" + name + ".exitlens");
        QFile::remove(file);
        QVERIFY(QFile::copy(base, file));
        QString error;
        QVERIFY2(execSql(file, statements, &error), qPrintable(name + ": " + error));
        SessionInfo info;
        const auto data = load(file, info);
        QVERIFY2(data, qPrintable(name));
        const QString outside = chunkOutsideItsStream(*data);
        QVERIFY2(outside.isEmpty(), qPrintable(name + ": " + outside));
        for (const auto& process : data->processes().snapshot()) {
            QVERIFY2(process.startSeq < data->events().size(), qPrintable(name));
            if (process.status.ended())
                QVERIFY2(process.endSeq < data->events().size(), qPrintable(name));
        }
        if (const auto verdict = data->verdict()) {
            for (const auto& evidence : verdict->evidence)
                QVERIFY2(!evidence.event || *evidence.event < data->events().size(), qPrintable(name));
        }
        if (info.warnings.join(' ').contains("lie beyond the output"))
            ++dropped;
        // Every reader: the diagnosis, the report, every export.
        QVERIFY(!SessionExport::verdictOf(*data).headline.empty());
        for (const QStringList& arguments : { QStringList { "report", file }, QStringList { "report", "--json", file },
                 QStringList { "export", file, "--html", path("crafted.html"), "--json", path("crafted.json"), "--csv",
                     path("crafted.csv") } }) {
            const ChildResult result = runExitLens(arguments, 60000);
            QVERIFY2(result.finished && !result.crashed && result.exitCode == 0,
                qPrintable(name + ": " + arguments.join(' ') + ": " + result.err.left(400)));
        }
    }
    QVERIFY2(dropped >= 5, qPrintable(QString::number(dropped)));
}

void SessionTest::diskFullKeepsCapturingAndLeavesOneFile()
{
    const QString mountPoint = path("small-disk");
    QString why;
    if (!mountTmpfs(mountPoint, "size=3m", why))
        QSKIP(qPrintable(why));
    struct Unmount {
        QString path;
        ~Unmount() { unmount(path); }
    } unmountAtEnd { mountPoint };
    QDir(m_dir.path()).mkpath("full-churn");
    const QString session = mountPoint + "/full.exitlens";
    QProcess exitlens;
    exitlens.start(EXITLENS_BINARY,
        { "run", "--quiet", "--session", session, "--", QString(EXITLENS_FIXTURE_DIR) + "/file_churn",
            path("full-churn"), "8" });
    QVERIFY(exitlens.waitForStarted());
    // Said when it happens, while the program still runs, not at the end.
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += exitlens.readAllStandardError()).contains("cannot write the session"), 30000);
    const bool saidWhileRunning = exitlens.state() == QProcess::Running;
    QVERIFY2(saidWhileRunning, err.constData());
    QVERIFY2(err.contains("full") || err.contains("room"), err.constData());
    QVERIFY(exitlens.waitForFinished(60000));
    err += exitlens.readAllStandardError();
    // The program's exit status, not ExitLens's own failure (125).
    QCOMPARE(exitlens.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exitlens.exitCode() == 0, err.constData());
    // One consistent file: no -wal, -shm or -journal beside it.
    for (const char* suffix : { "-wal", "-shm", "-journal" })
        QVERIFY2(!QFile::exists(session + suffix), suffix);
    SessionInfo info;
    const auto data = load(session, info);
    QVERIFY(data);
    QVERIFY(info.damaged);
    QVERIFY2(info.damage.contains("disk was full"), qPrintable(info.damage));
    QVERIFY(!info.complete);
    QVERIFY2(data->events().size() > 1000, qPrintable(QString::number(data->events().size())));
    QVERIFY(chunkOutsideItsStream(*data).isEmpty());
    const ChildResult report = runExitLens({ "report", session }, 60000);
    QVERIFY2(report.finished && report.exitCode == 0, qPrintable(report.err));
    QVERIFY2(report.out.contains("disk was full"), qPrintable(report.out));
    qInfo("a %s session on a full 3 MiB disk: %llu events saved; %s",
        qPrintable(QString::number(QFileInfo(session).size())), static_cast<unsigned long long>(data->events().size()),
        qPrintable(info.damage));
}

void SessionTest::unwritableSessionIsRefusedBeforeLaunch()
{
    const QString marker = path("launched-marker");
    QFile::remove(marker);
    const QString readOnly = path("read-only-disk");
    QStringList targets = { path("no-such-folder/x.exitlens"), m_dir.path() };
    QString why;
    const bool mounted = mountTmpfs(readOnly, "size=1m,ro", why);
    if (mounted)
        targets << readOnly + "/x.exitlens";
    for (const QString& target : targets) {
        const ChildResult result = runExitLens({ "run", "--session", target, "--", "/usr/bin/touch", marker }, 30000);
        QVERIFY2(result.finished && result.exitCode == 125, qPrintable(target + ": " + result.err));
        QVERIFY2(result.err.contains("cannot write the session"), qPrintable(result.err));
        QVERIFY2(!QFile::exists(marker), qPrintable(target + ": the program was launched"));
    }
    if (mounted)
        unmount(readOnly);
    else
        qInfo("read-only mount not tried: %s", qPrintable(why));
    // A writable path still runs the program.
    const ChildResult ok =
        runExitLens({ "run", "--quiet", "--session", path("ok.exitlens"), "--", "/usr/bin/touch", marker }, 30000);
    QVERIFY2(ok.finished && ok.exitCode == 0, qPrintable(ok.err));
    QVERIFY(QFile::exists(marker));
}

void SessionTest::truncatedFilesAreSalvaged()
{
    // Every cut of a finished session, page-aligned or not, that leaves its table list readable
    // opens read-only as damaged, says what was lost, and keeps everything before the cut.
    const QString base = path("crash.exitlens");
    const QByteArray original = readBytes(base);
    const qsizetype pages = original.size() / 4096;
    const std::uint64_t allEvents = m_crash.data->events().size();
    QDir(m_dir.path()).mkpath("cut");
    int tried = 0;
    int salvaged = 0;
    int refused = 0;
    std::uint64_t eventsAfterOnePage = 0;
    std::vector<qsizetype> sizes;
    for (qsizetype cut = 1; cut < pages; cut += cut < 8 ? 1 : cut / 4)
        sizes.push_back((pages - cut) * 4096);
    for (qsizetype size :
        { original.size() - 1, original.size() - 1000, original.size() / 2 + 123, original.size() / 3 + 7 })
        sizes.push_back(size);
    for (const qsizetype size : sizes) {
        const QString file = path(QString("cut/%1.exitlens").arg(size));
        QVERIFY(writeBytes(file, original.left(size)));
        const QByteArray before = readBytes(file);
        ++tried;
        SessionInfo info;
        SessionLoader loader(file);
        QString error;
        const auto data = loader.load(info, error);
        // Read-only: the damaged file is exactly as it was.
        QVERIFY2(readBytes(file) == before, qPrintable(file));
        if (!data) {
            QVERIFY2(error.contains("damaged") || error.contains("not an ExitLens session"), qPrintable(error));
            ++refused;
            continue;
        }
        ++salvaged;
        QVERIFY2(info.damaged, qPrintable(QString::number(size)));
        QVERIFY2(info.damage.contains("cut short"), qPrintable(info.damage));
        QVERIFY(data->events().size() <= allEvents + 1);
        QVERIFY(chunkOutsideItsStream(*data).isEmpty());
        if (size == (pages - 1) * 4096)
            eventsAfterOnePage = data->events().size();
        // What was read is what the file held: the first events are the original's.
        for (std::uint64_t seq = 0; seq < std::min<std::uint64_t>(data->events().size(), 50); ++seq)
            QCOMPARE(eventText(*data, seq), eventText(*m_crash.data, seq));
    }
    // One page off the end costs no event (the last pages hold what was written last).
    QCOMPARE(eventsAfterOnePage, allEvents);
    const ChildResult report =
        runExitLens({ "report", path(QString("cut/%1.exitlens").arg((pages - 1) * 4096)) }, 60000);
    QVERIFY2(report.exitCode == 0 && report.out.contains("damaged:") && report.out.contains("cut short"),
        qPrintable(report.out + report.err));
    qInfo("%d truncated copies of a %lld-page session: %d salvaged (marked damaged), %d refused with a message", tried,
        static_cast<long long>(pages), salvaged, refused);
    QVERIFY(salvaged >= tried * 3 / 4);
}

void SessionTest::killedAtLaunchLeavesNoHalfFile()
{
    // SIGKILL at many moments right after the launch: the file is empty (nothing was saved yet)
    // or holds its meta row; never a database without one.
    QDir(m_dir.path()).mkpath("early-churn");
    int loaded = 0;
    int empty = 0;
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString session = path(QString("early-%1.exitlens").arg(attempt));
        QProcess exitlens;
        exitlens.setStandardErrorFile(QProcess::nullDevice());
        exitlens.start(EXITLENS_BINARY,
            { "run", "--quiet", "--session", session, "--", QString(EXITLENS_FIXTURE_DIR) + "/file_churn",
                path("early-churn"), "5" });
        QVERIFY(exitlens.waitForStarted());
        // As soon as the file exists, then a little later each time (0 to 225 ms).
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(session), 20000);
        QThread::usleep(static_cast<unsigned long>(attempt * 15000));
        ::kill(static_cast<pid_t>(exitlens.processId()), SIGKILL);
        QVERIFY(exitlens.waitForFinished(10000));
        if (!QFile::exists(session))
            continue;
        const ChildResult report = runExitLens({ "report", session }, 30000);
        QVERIFY2(report.finished && !report.crashed, qPrintable(session));
        QVERIFY2(!report.err.contains("no meta table"), qPrintable(report.err));
        if (report.exitCode == 0) {
            ++loaded;
        } else {
            QVERIFY2(report.err.contains("nothing was saved"), qPrintable(report.err));
            ++empty;
        }
    }
    qInfo("16 captures killed at launch: %d files opened, %d said nothing was saved yet", loaded, empty);
    QVERIFY(loaded > 0);
}

void SessionTest::redactionCoversEverySpelling()
{
    // A secret with a quote, a backslash, a tab and non-ASCII letters, which the session holds
    // raw (output, paths), JSON-escaped (arguments, environment), C-escaped (event details), and
    // which the program was also given URL-encoded and in base64.
    const std::string secret = "Pa\"ss\\w\xc3\xb6rd\tK9-/+x=2026";
    const QByteArray raw = QByteArray::fromStdString(secret);
    const QByteArray url = "Pa%22ss%5Cw%C3%B6rd%09K9-%2F%2Bx%3D2026";
    const QByteArray base64 = raw.left(raw.size() / 3 * 3).toBase64();
    LaunchSpec spec = TraceRun::fixture("secret_holder",
        { "--password=" + secret, "--callback=https://app.example/cb?state=" + url.toStdString(),
            "--blob=" + raw.toBase64().toStdString() });
    spec.environment.push_back("APP_TOKEN=" + secret);
    const Saved saved = captureAndSave(spec, path("escaped.exitlens"));
    QCOMPARE(saved.summary.rootStatus.code, 3);
    const std::vector<std::pair<const char*, QByteArray>> spellings = {
        { "raw", raw },
        { "JSON-escaped", "Pa\\\"ss\\\\w\xc3\xb6rd\\tK9-/+x=2026" },
        { "JSON-escaped, \\u", "Pa\\\"ss\\\\w\\u00f6rd\\tK9-/+x=2026" },
        { "C-escaped", "Pa\\\"ss\\\\w\\xc3\\xb6rd\\tK9-/+x=2026" },
        { "C-escaped unquoted", "Pa\"ss\\\\w\\xc3\\xb6rd\\tK9-/+x=2026" },
        { "URL-encoded", url },
        { "base64", base64 },
    };
    // The original holds the escaped spellings (else this test would prove nothing).
    const QByteArray original = readBytes(path("escaped.exitlens"));
    for (const char* expected : { "raw", "JSON-escaped", "C-escaped", "URL-encoded", "base64" }) {
        for (const auto& [name, bytes] : spellings) {
            if (qstrcmp(name, expected) == 0)
                QVERIFY2(original.contains(bytes), name);
        }
    }

    RedactionPlan plan;
    QString error;
    QVERIFY2(Redactor::preview(path("escaped.exitlens"), {}, plan, error), qPrintable(error));
    QVERIFY2(
        Redactor::write(path("escaped.exitlens"), path("escaped-shared.exitlens"), plan, error), qPrintable(error));
    const ChildResult exported =
        runExitLens({ "export", path("escaped-shared.exitlens"), "--html", path("escaped.html"), "--json",
                        path("escaped.json"), "--csv", path("escaped.csv") },
            60000);
    QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(exported.err));
    // The CLI's one step (export --redact), and its report of what it replaced.
    const ChildResult cli = runExitLens(
        { "export", path("escaped.exitlens"), "--redact", "--session", path("escaped-cli.exitlens"), "--csv",
            path("escaped-cli.csv"), "--json", path("escaped-cli.json"), "--html", path("escaped-cli.html") },
        60000);
    QVERIFY2(cli.finished && cli.exitCode == 0, qPrintable(cli.err));
    // Every byte of every output, free pages included (a VACUUMed file has none to hide in, and
    // the check reads the whole file anyway).
    for (const char* file : { "escaped-shared.exitlens", "escaped.html", "escaped.json", "escaped.csv",
             "escaped-cli.exitlens", "escaped-cli.csv", "escaped-cli.json", "escaped-cli.html" }) {
        const QByteArray bytes = readBytes(path(file));
        QVERIFY2(bytes.size() > 100, file);
        for (const auto& [name, spelling] : spellings)
            QVERIFY2(!bytes.contains(spelling), qPrintable(QString("%1 holds the %2 spelling").arg(file, name)));
        // The CSV doubles quotes: its own spelling of the raw value.
        QVERIFY2(!bytes.contains(QByteArray(raw).replace("\"", "\"\"")), file);
    }
    SessionInfo info;
    const auto shared = load(path("escaped-shared.exitlens"), info);
    QVERIFY(shared && info.redacted);
    QVERIFY(shared->outputLog().stream(2).head.find("[REDACTED]") != std::string::npos);
}

QTEST_GUILESS_MAIN(SessionTest)
#include "tst_session.moc"
