// Sessions in the workbench window, under the offscreen platform, with real Go programs: every
// capture is saved automatically and re-opens through the window with the same events,
// processes, verdict and output; opening by openFile(), by a drop and while a capture runs;
// damaged, foreign and missing files give an error and leave the view as it was; Save As,
// the HTML, JSON and CSV exports (CSV = the rows the table shows); bookmarks and notes survive
// closing and reopening.
#include "GuiTestSupport.h"
#include "TestPaths.h"
#include "model/CaptureData.h"
#include "session/SessionFile.h"
#include "session/SessionLoader.h"
#include "session/SessionPaths.h"
#include "ui/BackgroundJob.h"
#include "ui/EventDetailsPane.h"
#include "ui/EventTableModel.h"
#include "ui/EventTableView.h"
#include "ui/MainWindow.h"
#include "ui/OutputPane.h"
#include "ui/ProcessTreeModel.h"
#include "ui/RecentList.h"
#include "ui/SessionController.h"
#include "ui/SessionShareDialog.h"
#include "ui/VerdictPanel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrl>

using namespace exitlens;
using exitlens::test::fixture;
using exitlens::test::fixtureSpec;

namespace {
constexpr int kCaptureTimeoutMs = 60000;
constexpr int kFileTimeoutMs = 60000;

// What a person sees of a capture, to compare a live one with the same one re-opened.
struct Seen {
    quint64 events = 0;
    int tableRows = 0;
    int processes = 0;
    QString headline;
    QString output;
    QString state;
};

Seen seen(const MainWindow& window)
{
    Seen result;
    result.events = window.capture() ? window.capture()->events().size() : 0;
    result.tableRows = window.eventModel()->rowCount();
    result.processes = int(window.capture() ? window.capture()->processes().size() : 0);
    result.headline = window.verdictPanel()->headlineText();
    result.output = window.outputPane()->plainText();
    result.state = window.statusText().section(QStringLiteral(" | "), 0, 0);
    return result;
}

QStringList readLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"));
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}
} // namespace

class GuiSessionsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyCaptureIsSavedAndReopens();
    void openByOpenFileAndByDrop();
    void badFilesKeepTheView();
    void openWhileCapturingStopsFirst();
    void saveAsWritesASession();
    void saveAsWithoutAutosave();
    void exportsHtmlJsonAndShownCsv();
    void bookmarksAndNotesSurviveReopening();
    void exportForSharingRedacts();
    void notesDuringACaptureAreSavedWhenItEnds();
    void aCaptureCutShortStillOpens();

private:
    void launchAndWait(const LaunchSpec& spec);
    bool openAndWait(const QString& path);
    // A finished, autosaved capture of missing_file; returns its session path.
    QString capturedSession();

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_folder;
};

void GuiSessionsTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_sessions"));
    QVERIFY(m_folder.isValid());
    // A clean autosave folder (the test-mode data folder, never the user's).
    const QString autosave = SessionPaths::autosaveFolder();
    QVERIFY(autosave.contains(QStringLiteral(".qttest")));
    QDir(autosave).removeRecursively();
}

void GuiSessionsTest::init()
{
    QSettings().clear();
    m_window = test::newShownWindow();
}

void GuiSessionsTest::cleanup()
{
    m_window.reset();
}

void GuiSessionsTest::launchAndWait(const LaunchSpec& spec)
{
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    m_window->launch(spec);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kCaptureTimeoutMs);
    QVERIFY(m_window->sessions()->waitForAutosave(kFileTimeoutMs));
}

bool GuiSessionsTest::openAndWait(const QString& path)
{
    QSignalSpy opened(m_window.get(), &MainWindow::sessionOpened);
    QSignalSpy failed(m_window.get(), &MainWindow::errorReported);
    m_window->openSession(path);
    if (!QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, kFileTimeoutMs))
        return false;
    return !opened.isEmpty();
}

QString GuiSessionsTest::capturedSession()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec(QStringLiteral("missing_file"), folder.path()));
    return m_window->sessionPath();
}

void GuiSessionsTest::everyCaptureIsSavedAndReopens()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec(QStringLiteral("worker_pool"), folder.path(), { "0.6" }));
    const Seen live = seen(*m_window);
    QVERIFY(live.events > 0);
    QVERIFY2(live.processes == 3,
        qPrintable(m_window->statusText() + " " + live.output + " "
            + QString::number(live.events))); // the parent and its two workers
    QVERIFY(!live.headline.isEmpty());
    QVERIFY(live.output.contains(QStringLiteral("queue: pop from an empty queue")));

    // Saved automatically, in the data folder, named for program, date and outcome.
    const QString path = m_window->sessionPath();
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(QFileInfo(path).absolutePath(), SessionPaths::autosaveFolder());
    QVERIFY2(QFileInfo(path).fileName().startsWith(QStringLiteral("worker_pool ")), qPrintable(path));
    QVERIFY2(QFileInfo(path).fileName().endsWith(QStringLiteral(" exit_1.exitlens")), qPrintable(path));
    QVERIFY(RecentList(QStringLiteral("sessions/recent")).items().contains(path));
    QVERIFY(!m_window->findChild<QWidget*>(QStringLiteral("sessionWriterStatus"))->isVisible());

    // A fresh window opens it: the same events, processes, verdict and output.
    m_window = test::newShownWindow();
    QVERIFY(m_window);
    QVERIFY(openAndWait(path));
    const Seen opened = seen(*m_window);
    QCOMPARE(opened.events, live.events);
    QCOMPARE(opened.tableRows, live.tableRows);
    QCOMPARE(opened.processes, live.processes);
    QCOMPARE(m_window->processModel()->rowCount(), 1);
    QCOMPARE(m_window->processModel()->rowCount(m_window->processModel()->index(0, 0)), 2);
    QCOMPARE(opened.headline, live.headline);
    QCOMPARE(opened.output, live.output);
    QCOMPARE(opened.state, live.state);
    QCOMPARE(m_window->windowTitle(), QFileInfo(path).fileName() + QStringLiteral(" — ExitLens"));
    QVERIFY(!m_window->isLoadingSession());
    QVERIFY(!m_window->findChild<QWidget*>(QStringLiteral("sessionLoadProgress"))->isVisible());
    // The program exists here, so Relaunch runs it again.
    QVERIFY(m_window->action(QStringLiteral("relaunch"))->isEnabled());
    QVERIFY(m_window->action(QStringLiteral("save"))->isEnabled());
}

void GuiSessionsTest::openByOpenFileAndByDrop()
{
    const QString path = capturedSession();
    QVERIFY(QFileInfo::exists(path));
    const quint64 events = m_window->capture()->events().size();

    m_window = test::newShownWindow();
    QSignalSpy opened(m_window.get(), &MainWindow::sessionOpened);
    m_window->openFile(path); // what `exitlens FILE` does
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, kFileTimeoutMs);
    QCOMPARE(opened.front().front().toString(), path);
    QCOMPARE(m_window->capture()->events().size(), events);

    m_window = test::newShownWindow();
    QSignalSpy dropped(m_window.get(), &MainWindow::sessionOpened);
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, kFileTimeoutMs);
    QCOMPARE(m_window->capture()->events().size(), events);
    QCOMPARE(m_window->eventModel()->knownEvents(), events);
}

void GuiSessionsTest::badFilesKeepTheView()
{
    const QString good = capturedSession();
    m_window = test::newShownWindow();
    QVERIFY(openAndWait(good));
    const auto shown = m_window->capture();
    const Seen before = seen(*m_window);
    const QString title = m_window->windowTitle();

    // Damaged files: the SQLite header overwritten; cut short to one page; a text file with the
    // session extension; an empty file; a file that is not there.
    QByteArray bytes;
    {
        QFile file(good);
        QVERIFY(file.open(QIODevice::ReadOnly));
        bytes = file.readAll();
    }
    QVERIFY(bytes.size() > 8192);
    const auto write = [&](const QString& name, const QByteArray& content) {
        const QString path = m_folder.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return QString();
        file.write(content);
        return path;
    };
    // A session from a newer ExitLens: the schema version bumped in a copy.
    const QString newer = m_folder.filePath(QStringLiteral("newer.exitlens"));
    QFile::remove(newer);
    QVERIFY(QFile::copy(good, newer));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
        db.setDatabaseName(newer);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("UPDATE meta SET schema_version = 99")));
        query = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bump"));
    QByteArray corrupt = bytes;
    for (int i = 16; i < 100; ++i)
        corrupt[i] = char(0xA5);
    const QList<QPair<QString, QString>> cases {
        { QStringLiteral("newer schema"), newer },
        { QStringLiteral("corrupt header"), write(QStringLiteral("corrupt.exitlens"), corrupt) },
        { QStringLiteral("truncated"), write(QStringLiteral("truncated.exitlens"), bytes.left(4096)) },
        { QStringLiteral("text"), write(QStringLiteral("notes.exitlens"), "just some text\nnot a session\n") },
        { QStringLiteral("empty"), write(QStringLiteral("empty.exitlens"), QByteArray()) },
        { QStringLiteral("missing"), m_folder.filePath(QStringLiteral("not-there.exitlens")) },
    };
    for (const auto& [name, path] : cases) {
        QVERIFY2(!path.isEmpty(), qPrintable(name));
        QSignalSpy errors(m_window.get(), &MainWindow::errorReported);
        QSignalSpy opened(m_window.get(), &MainWindow::sessionOpened);
        m_window->openFile(path);
        QTRY_VERIFY2_WITH_TIMEOUT(!errors.isEmpty(), qPrintable(name), kFileTimeoutMs);
        QVERIFY2(opened.isEmpty(), qPrintable(name));
        QVERIFY2(!m_window->lastError().isEmpty(), qPrintable(name));
        // The view is the good session, untouched.
        QCOMPARE(m_window->capture(), shown);
        const Seen after = seen(*m_window);
        QCOMPARE(after.events, before.events);
        QCOMPARE(after.tableRows, before.tableRows);
        QCOMPARE(after.headline, before.headline);
        QCOMPARE(m_window->windowTitle(), title);
        QVERIFY(!m_window->isLoadingSession());
    }
    // The newer file's message says what to do.
    m_window->openSession(newer);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->lastError().contains(QStringLiteral("reads session formats up to")), kFileTimeoutMs);
    // A text file without the session extension is neither a program nor a session.
    const QString text = write(QStringLiteral("readme.txt"), "hello\n");
    m_window->openFile(text);
    QVERIFY(m_window->lastError().contains(QStringLiteral("neither an executable program nor a session")));
    QCOMPARE(m_window->capture(), shown);
}

void GuiSessionsTest::openWhileCapturingStopsFirst()
{
    const QString path = capturedSession();
    const quint64 events = m_window->capture()->events().size();
    QTemporaryDir folder;
    QSignalSpy started(m_window.get(), &MainWindow::captureStarted);
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    QSignalSpy opened(m_window.get(), &MainWindow::sessionOpened);
    m_window->launch(fixtureSpec(QStringLiteral("sleeper"), folder.path()));
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kCaptureTimeoutMs);
    QVERIFY(m_window->isCapturing());
    m_window->openSession(path);
    // The sleeper (30 s) is stopped, then the session opens.
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kCaptureTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, kFileTimeoutMs);
    QCOMPARE(m_window->capture()->events().size(), events);
    QVERIFY(!m_window->isCapturing());
    // The stopped capture was saved too, under its outcome.
    QVERIFY(m_window->sessions()->waitForAutosave(kFileTimeoutMs));
    const QStringList recent = RecentList(QStringLiteral("sessions/recent")).items();
    // Killed long before its 30 s were up, and named for it.
    QVERIFY2(std::any_of(recent.begin(), recent.end(),
                 [](const QString& item) {
                     const QString name = QFileInfo(item).fileName();
                     return name.startsWith(QStringLiteral("sleeper ")) && name.contains(QStringLiteral("SIGKILL"));
                 }),
        qPrintable(recent.join(QLatin1Char('\n'))));
}

void GuiSessionsTest::saveAsWritesASession()
{
    capturedSession();
    const quint64 events = m_window->capture()->events().size();
    const QString copy = m_folder.filePath(QStringLiteral("copy.exitlens"));
    QSignalSpy written(m_window.get(), &MainWindow::fileWritten);
    QVERIFY(m_window->saveSessionAs(copy));
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kFileTimeoutMs);
    QCOMPARE(written.front().at(0).toString(), copy);
    QVERIFY2(written.front().at(1).toString().isEmpty(), qPrintable(written.front().at(1).toString()));
    SessionInfo info;
    QString error;
    const auto loaded = SessionLoader(copy).load(info, error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->events().size(), events);
    QVERIFY(info.complete);
    QCOMPARE(QString::fromStdString(loaded->verdict()->headline), m_window->verdictPanel()->headlineText());
    QVERIFY(RecentList(QStringLiteral("sessions/recent")).items().contains(copy));
}

void GuiSessionsTest::saveAsWithoutAutosave()
{
    m_window->action(QStringLiteral("autosave"))->setChecked(false);
    QVERIFY(!SessionController::autosaveEnabled());
    // Sessions only: an earlier capture's writer may still be removing its -wal/-shm beside its file.
    const auto sessions = [] {
        return QDir(SessionPaths::autosaveFolder()).entryList({ QStringLiteral("*.exitlens") }, QDir::Files).size();
    };
    const auto before = sessions();
    QTemporaryDir folder;
    launchAndWait(fixtureSpec(QStringLiteral("missing_file"), folder.path()));
    QVERIFY(m_window->sessionPath().isEmpty());
    QCOMPARE(sessions(), before);
    // Save As still writes a whole session, from the capture itself.
    const QString copy = m_folder.filePath(QStringLiteral("unsaved.exitlens"));
    QSignalSpy written(m_window.get(), &MainWindow::fileWritten);
    QVERIFY(m_window->saveSessionAs(copy));
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kFileTimeoutMs);
    QVERIFY2(written.front().at(1).toString().isEmpty(), qPrintable(written.front().at(1).toString()));
    SessionInfo info;
    QString error;
    const auto loaded = SessionLoader(copy).load(info, error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->events().size(), m_window->capture()->events().size());
    QVERIFY(loaded->verdict());
    QCOMPARE(QString::fromStdString(loaded->verdict()->headline), m_window->verdictPanel()->headlineText());
    QVERIFY(!QFileInfo::exists(copy + QStringLiteral(".part")));
}

void GuiSessionsTest::exportsHtmlJsonAndShownCsv()
{
    const QString path = capturedSession();
    m_window = test::newShownWindow();
    QVERIFY(openAndWait(path));
    const auto write = [&](MainWindow::ExportFormat format, const QString& name) {
        const QString file = m_folder.filePath(name);
        QSignalSpy written(m_window.get(), &MainWindow::fileWritten);
        if (!m_window->exportTo(format, file))
            return QStringLiteral("not started");
        if (!QTest::qWaitFor([&] { return !written.isEmpty(); }, kFileTimeoutMs))
            return QStringLiteral("timed out");
        return written.front().at(1).toString();
    };

    QString error = write(MainWindow::ExportFormat::Html, QStringLiteral("report.html"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile html(m_folder.filePath(QStringLiteral("report.html")));
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(html.readAll());
    QVERIFY(page.startsWith(QStringLiteral("<!DOCTYPE html>"), Qt::CaseInsensitive));
    QVERIFY(page.contains(QStringLiteral("config.json")));
    QVERIFY(page.contains(QStringLiteral("missing_file")));

    error = write(MainWindow::ExportFormat::Json, QStringLiteral("result.json"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile json(m_folder.filePath(QStringLiteral("result.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject document = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(document.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("headline")).toString(),
        m_window->verdictPanel()->headlineText());

    // CSV: exactly the rows the table shows. Show only failed events first.
    EventTableModel* model = m_window->eventModel();
    const int all = model->rowCount();
    model->setRowPredicate([](std::uint64_t, const Event& event) { return event.failed(); });
    const int rows = model->rowCount();
    QVERIFY(rows > 0);
    QVERIFY(rows < all);
    error = write(MainWindow::ExportFormat::Csv, QStringLiteral("shown.csv"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QStringList lines = readLines(m_folder.filePath(QStringLiteral("shown.csv")));
    QCOMPARE(lines.size(), rows + 1);
    QVERIFY(lines.front().startsWith(QStringLiteral("seq,time_ns,pid")));
    for (int row = 0; row < rows; ++row) {
        QCOMPARE(lines[row + 1].section(QLatin1Char(','), 0, 0).toULongLong(), model->seqAt(row));
        QVERIFY(lines[row + 1].endsWith(QStringLiteral(",1"))); // the failed column
    }
    QVERIFY(std::any_of(lines.begin(), lines.end(),
        [](const QString& line) { return line.contains(QStringLiteral("config.json")) && line.contains("ENOENT"); }));
}

void GuiSessionsTest::bookmarksAndNotesSurviveReopening()
{
    const QString path = capturedSession();
    EventTableModel* model = m_window->eventModel();
    QVERIFY(model->rowCount() > 5);
    const int first = 2;
    const int second = model->rowCount() - 2;
    const quint64 firstSeq = model->seqAt(first);
    const quint64 secondSeq = model->seqAt(second);

    // Ctrl+B on two rows, a note on one of them and one on the verdict.
    m_window->eventView()->selectRow(first);
    m_window->action(QStringLiteral("bookmark"))->trigger();
    m_window->eventView()->selectRow(second);
    m_window->action(QStringLiteral("bookmark"))->trigger();
    QVERIFY(m_window->sessions()->isBookmarked(firstSeq));
    QVERIFY(m_window->sessions()->isBookmarked(secondSeq));
    QVERIFY(m_window->setNote(secondSeq, QStringLiteral("the exit we care about")));
    QVERIFY(m_window->setNote(std::nullopt, QStringLiteral("config.json must ship with the service (ticket 42)")));
    // A third bookmark toggled on and off again leaves nothing behind.
    m_window->eventView()->selectRow(first + 1);
    m_window->action(QStringLiteral("bookmark"))->trigger();
    m_window->action(QStringLiteral("bookmark"))->trigger();
    QVERIFY(!m_window->sessions()->isBookmarked(model->seqAt(first + 1)));
    QVERIFY2(m_window->lastError().isEmpty(), qPrintable(m_window->lastError()));

    // In the file itself.
    {
        SessionFile file;
        QString error;
        QVERIFY2(file.open(path, error), qPrintable(error));
        QCOMPARE(file.notes(error).size(), std::size_t(3));
    }

    // Close the window, open the session in a new one.
    m_window = test::newShownWindow();
    QVERIFY(openAndWait(path));
    SessionController* sessions = m_window->sessions();
    QVERIFY(sessions->isBookmarked(firstSeq));
    QVERIFY(sessions->isBookmarked(secondSeq));
    QCOMPARE(sessions->bookmarks().size(), std::size_t(2));
    QCOMPARE(sessions->noteText(secondSeq), QStringLiteral("the exit we care about"));
    QCOMPARE(sessions->noteText(std::nullopt), QStringLiteral("config.json must ship with the service (ticket 42)"));

    // F2 walks the bookmarks in order and wraps; Shift+F2 goes back.
    model = m_window->eventModel();
    m_window->eventView()->selectRow(0);
    m_window->action(QStringLiteral("nextBookmark"))->trigger();
    QCOMPARE(model->seqAt(m_window->eventView()->currentRow()), firstSeq);
    m_window->action(QStringLiteral("nextBookmark"))->trigger();
    QCOMPARE(model->seqAt(m_window->eventView()->currentRow()), secondSeq);
    m_window->action(QStringLiteral("nextBookmark"))->trigger();
    QCOMPARE(model->seqAt(m_window->eventView()->currentRow()), firstSeq);
    m_window->action(QStringLiteral("previousBookmark"))->trigger();
    QCOMPARE(model->seqAt(m_window->eventView()->currentRow()), secondSeq);
    QVERIFY(model->isBookmarked(firstSeq));
    QVERIFY(!model->isBookmarked(firstSeq + 1));
    QVERIFY(m_window->verdictPanel()->noteText().contains(QStringLiteral("ticket 42")));
    // The selected event's details show its note.
    QTRY_VERIFY(m_window->detailsPane()->plainText().contains(QStringLiteral("the exit we care about")));
}

void GuiSessionsTest::exportForSharingRedacts()
{
    // A token in the environment of a real run.
    const QByteArray secret = "tok-8d1f0c77e2b94a15";
    QTemporaryDir folder;
    LaunchSpec spec = fixtureSpec(QStringLiteral("missing_file"), folder.path());
    for (const QString& entry : QProcessEnvironment::systemEnvironment().toStringList())
        spec.environment.push_back(entry.toStdString());
    spec.environment.push_back("DEPLOY_API_TOKEN=" + secret.toStdString());
    launchAndWait(spec);
    const QString source = m_window->sessionPath();
    QVERIFY(m_window->action(QStringLiteral("exportShare"))->isEnabled());
    const auto bytesOf = [](const QString& path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    QVERIFY(bytesOf(source).contains(secret));

    // The preview names it before anything is written.
    SessionShareDialog dialog(source, m_window.get());
    QVERIFY2(dialog.refreshPreview(), qPrintable(dialog.errorString()));
    QTreeWidget* items = dialog.itemList();
    bool listed = false;
    for (int i = 0; i < items->topLevelItemCount(); ++i) {
        listed |= items->topLevelItem(i)->text(0).contains(QStringLiteral("DEPLOY_API_TOKEN"));
        // The value is masked in the list (its owner sees it whole only in the tooltip).
        QVERIFY(!items->topLevelItem(i)->text(1).contains(QString::fromLatin1(secret)));
    }
    QVERIFY(listed);

    // The window asks for the same preview off the GUI thread: Write waits for it.
    SessionShareDialog async(source, m_window.get());
    QSignalSpy previewed(&async, &SessionShareDialog::previewFinished);
    async.startPreview();
    QVERIFY(async.previewRunning());
    QVERIFY(!async.writeButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(previewed.size(), 1, kFileTimeoutMs);
    QVERIFY(previewed.front().at(0).toBool());
    QVERIFY(!async.previewRunning());
    QVERIFY(async.writeButton()->isEnabled());
    QCOMPARE(async.itemList()->topLevelItemCount(), items->topLevelItemCount());
    // A file it cannot read: the error in the dialog, nothing to write.
    const QString garbled = m_folder.filePath(QStringLiteral("garbled-share.exitlens"));
    {
        QFile file(garbled);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
    }
    SessionShareDialog broken(garbled, m_window.get());
    QSignalSpy failed(&broken, &SessionShareDialog::previewFinished);
    broken.startPreview();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kFileTimeoutMs);
    QVERIFY(!failed.front().at(0).toBool());
    QVERIFY(!broken.writeButton()->isEnabled());
    QVERIFY(!broken.errorString().isEmpty());

    const QString copy = m_folder.filePath(QStringLiteral("shared.exitlens"));
    QSignalSpy written(m_window.get(), &MainWindow::fileWritten);
    QVERIFY(m_window->exportForSharing(copy, dialog.plan()));
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kFileTimeoutMs);
    QVERIFY2(written.front().at(1).toString().isEmpty(), qPrintable(written.front().at(1).toString()));
    QVERIFY(!bytesOf(copy).isEmpty());
    QVERIFY(!bytesOf(copy).contains(secret));
    QVERIFY(bytesOf(source).contains(secret)); // the original is untouched

    // It opens in the window, which says it is a copy made for sharing.
    const quint64 events = m_window->capture()->events().size();
    QVERIFY(openAndWait(copy));
    QCOMPARE(m_window->capture()->events().size(), events);
    const auto* banner = m_window->findChild<QLabel*>(QStringLiteral("banner"));
    QVERIFY(banner && banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("made for sharing")), qPrintable(banner->text()));
}

void GuiSessionsTest::notesDuringACaptureAreSavedWhenItEnds()
{
    QTemporaryDir folder;
    QSignalSpy started(m_window.get(), &MainWindow::captureStarted);
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    m_window->launch(fixtureSpec(QStringLiteral("sleeper"), folder.path()));
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kCaptureTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->eventModel()->rowCount() > 0, kCaptureTimeoutMs);
    // The writer owns the file now: the bookmark and note wait in memory.
    m_window->eventView()->selectRow(0);
    const quint64 seq = m_window->eventModel()->seqAt(0);
    m_window->toggleBookmark();
    QVERIFY(m_window->setNote(std::nullopt, QStringLiteral("stopped by hand after the ready line")));
    QVERIFY(m_window->sessions()->isBookmarked(seq));
    m_window->stopCapture(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kCaptureTimeoutMs);
    QVERIFY(m_window->sessions()->waitForAutosave(kFileTimeoutMs));
    const QString path = m_window->sessionPath();
    QVERIFY2(path.endsWith(QStringLiteral(" SIGKILL.exitlens")), qPrintable(path));
    SessionFile file;
    QString error;
    QVERIFY2(file.open(path, error), qPrintable(error));
    const auto notes = file.notes(error);
    QCOMPARE(notes.size(), std::size_t(2));
    QVERIFY(std::any_of(notes.begin(), notes.end(),
        [seq](const SessionNote& note) { return note.bookmark && note.seq == std::optional<quint64>(seq); }));
    QVERIFY(std::any_of(notes.begin(), notes.end(), [](const SessionNote& note) {
        return !note.seq && note.text == QStringLiteral("stopped by hand after the ready line");
    }));
}

void GuiSessionsTest::aCaptureCutShortStillOpens()
{
    // What a crash of the workbench leaves: the autosaved file as it is on disk mid-capture (the
    // database and its write-ahead log), copied while the program still runs.
    QTemporaryDir folder;
    QSignalSpy started(m_window.get(), &MainWindow::captureStarted);
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    m_window->launch(fixtureSpec(QStringLiteral("sleeper"), folder.path()));
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kCaptureTimeoutMs);
    const QString path = m_window->sessionPath();
    QVERIFY(path.endsWith(QStringLiteral(" running.exitlens")));
    // Wait for the program's "ready" to be on disk (the writer commits within 250 ms).
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(QStringLiteral("ready")), kCaptureTimeoutMs);
    QTest::qWait(800);
    const QString crashed = m_folder.filePath(QStringLiteral("crashed.exitlens"));
    QFile::remove(crashed);
    QFile::remove(crashed + QStringLiteral("-wal"));
    QVERIFY(QFile::copy(path, crashed));
    if (QFileInfo::exists(path + QStringLiteral("-wal")))
        QVERIFY(QFile::copy(path + QStringLiteral("-wal"), crashed + QStringLiteral("-wal")));
    m_window->stopCapture(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kCaptureTimeoutMs);
    QVERIFY(m_window->sessions()->waitForAutosave(kFileTimeoutMs));

    m_window = test::newShownWindow();
    QVERIFY(openAndWait(crashed));
    QVERIFY(m_window->capture()->events().size() > 0);
    QVERIFY(m_window->outputPane()->plainText().contains(QStringLiteral("ready")));
    QCOMPARE(m_window->processModel()->rowCount(), 1);
    // Said in the banner: the capture did not finish.
    const auto* banner = m_window->findChild<QLabel*>(QStringLiteral("banner"));
    QVERIFY(banner && banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("did not finish")), qPrintable(banner->text()));
}

QTEST_MAIN(GuiSessionsTest)
#include "tst_gui_sessions.moc"
