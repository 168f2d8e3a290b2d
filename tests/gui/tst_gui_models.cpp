// The window's models and dialogs on real captures: EventTableModel and ProcessTreeModel under
// QAbstractItemModelTester while a real Go program is traced, the row index behind filtering,
// shell-style argument splitting, the quick filter, the output pane, and the launch dialog's
// inline validation (including a program for the wrong architecture, which must stay launchable).
#include "GuiTestSupport.h"
#include "TestPaths.h"
#include "capture/CaptureEngine.h"
#include "ui/EnvironmentEditor.h"
#include "ui/EventTableModel.h"
#include "ui/LaunchDialog.h"
#include "ui/OutputPane.h"
#include "ui/OutputView.h"
#include "ui/ProcessTreeModel.h"
#include "ui/QuickFilter.h"
#include "ui/ShellWords.h"
#include "ui/VisibleRowIndex.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QThread>
#include <csignal>

using namespace exitlens;

namespace {
// Piped, so the output pane has the program's output, and with this test's environment.
LaunchSpec fixtureSpec(const QString& name, const QString& workingDirectory, std::vector<std::string> args = {})
{
    return test::fixtureSpec(name, workingDirectory, std::move(args), { .pipes = true, .systemEnvironment = true });
}

std::vector<Event> eventsOf(const CaptureData& data)
{
    std::vector<Event> events;
    for (std::uint64_t seq = 0; seq < data.events().size(); ++seq)
        events.push_back(data.events().at(seq));
    return events;
}
} // namespace

class GuiModelsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void eventModelFollowsALiveCapture();
    void eventModelFiltersThroughTheRowIndex();
    void processTreeModelBuildsTheTree();
    void visibleRowIndexMapsRows();
    void shellWordsSplitLikeAShell_data();
    void shellWordsSplitLikeAShell();
    void quickFilterMatchesText();
    void outputPaneInterleavesAndMarksStderr();
    void outputPaneShowsWritesThatFailed();
    void launchDialogValidatesInline();
    void launchDialogBuildsTheSpec();
    void launchDialogChecksTheCaptureFilter();
    void processTreeShowsADetachedDaemonRunning();

private:
    std::unique_ptr<test::ThreadedEngine> m_engine;
    QTemporaryDir m_folder;
};

void GuiModelsTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_folder.isValid());
    m_engine = std::make_unique<test::ThreadedEngine>();
}

void GuiModelsTest::cleanupTestCase()
{
    m_engine.reset();
}

void GuiModelsTest::eventModelFollowsALiveCapture()
{
    EventTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    int batches = 0;
    const auto data = m_engine->capture(
        fixtureSpec("file_storm", m_folder.path(), { m_folder.path().toStdString() }),
        [&](std::shared_ptr<const CaptureData> started) { model.setCapture(started, QDateTime::currentDateTime()); },
        [&](quint64 first, quint64 count) {
            ++batches;
            model.syncTo(first + count);
        },
        [&] { model.refreshProcesses(); });
    QVERIFY(data);
    model.refreshProcesses();
    // Every event is a row, in sequence order, and arrived in one insert per engine tick.
    QCOMPARE(quint64(model.rowCount()), data->events().size());
    QVERIFY(model.rowCount() > 1000);
    QVERIFY2(
        inserted.size() <= batches, qPrintable(QString("%1 inserts for %2 ticks").arg(inserted.size()).arg(batches)));
    for (int row : { 0, model.rowCount() / 2, model.rowCount() - 1 })
        QCOMPARE(model.data(model.index(row, EventTableModel::SeqColumn), EventTableModel::SeqRole).toULongLong(),
            quint64(row));
    // The first event is the launched program's start; the last its exit.
    QCOMPARE(model.index(0, EventTableModel::OperationColumn).data().toString(), QStringLiteral("process_start"));
    QCOMPARE(model.index(0, EventTableModel::ProcessColumn).data().toString(), QStringLiteral("file_storm"));
    const int last = model.rowCount() - 1;
    QCOMPARE(model.index(last, EventTableModel::OperationColumn).data().toString(), QStringLiteral("process_exit"));
    QCOMPARE(model.index(last, EventTableModel::ResultColumn).data().toString(), QStringLiteral("exit 0"));
    QCOMPARE(model.data(model.index(last, 0), EventTableModel::RowStyleRole).toInt(),
        int(EventTableModel::RowStyle::ProcessExit));
    // The time tooltip carries the wall-clock time.
    QVERIFY(model.index(1, EventTableModel::TimeColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QString::number(QDate::currentDate().year())));
    // Clear hides what is there; new rows would still come.
    model.hideBefore(model.knownEvents());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.knownEvents(), data->events().size());
}

void GuiModelsTest::eventModelFiltersThroughTheRowIndex()
{
    QTemporaryDir folder;
    EventTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::shared_ptr<const CaptureData> captured;
    QuickFilterSettings failures;
    failures.failuresOnly = true;
    failures.hideRuntimeNoise = true;
    const auto data = m_engine->capture(
        fixtureSpec("missing_file", folder.path()),
        [&](std::shared_ptr<const CaptureData> started) {
            captured = started;
            // The filter is on from the start: rows are added through the index as they arrive.
            const QuickFilter filter(started, failures);
            model.setCapture(started, QDateTime::currentDateTime(),
                [filter](std::uint64_t, const Event& event) { return filter.accepts(event); });
        },
        [&](quint64 first, quint64 count) { model.syncTo(first + count); });
    const auto events = eventsOf(*data);
    const auto failed = std::count_if(events.begin(), events.end(), [](const Event& e) { return e.failed(); });
    QCOMPARE(qint64(model.rowCount()), qint64(failed));
    QVERIFY(model.rowCount() >= 2); // the openat of config.json and the exit 1
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.eventAt(row).failed());
    // The ENOENT of config.json is there, with an absolute path, and maps back to its row.
    int configRow = -1;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, EventTableModel::PathColumn).data().toString() == folder.filePath("config.json"))
            configRow = row;
    }
    QVERIFY(configRow >= 0);
    QCOMPARE(model.index(configRow, EventTableModel::ResultColumn).data().toString(), QStringLiteral("ENOENT"));
    QCOMPARE(model.data(model.index(configRow, 0), EventTableModel::RowStyleRole).toInt(),
        int(EventTableModel::RowStyle::Failure));
    QVERIFY(!model.index(configRow, EventTableModel::OperationColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
    const std::uint64_t configSeq = model.seqAt(configRow);
    QCOMPARE(model.rowOfSeq(configSeq), configRow);
    // A hidden event has no row; its nearest row is the next shown one.
    QCOMPARE(model.rowOfSeq(0), -1);
    QCOMPARE(model.nearestRowOfSeq(0), 0);
    // Dropping the filter shows everything again.
    model.setRowPredicate({});
    QCOMPARE(quint64(model.rowCount()), data->events().size());
    QCOMPARE(model.rowOfSeq(configSeq), int(configSeq));
    // Copying rows gives a header line and one tab-separated line per row.
    const QString text = model.rowsAsText({ int(configSeq) },
        { EventTableModel::SeqColumn, EventTableModel::OperationColumn, EventTableModel::ResultColumn });
    QCOMPARE(text, QStringLiteral("Seq\tOperation\tResult\n%1\topenat\tENOENT\n").arg(configSeq));
}

void GuiModelsTest::processTreeModelBuildsTheTree()
{
    ProcessTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto data = m_engine->capture(
        fixtureSpec("child_crash", m_folder.path()),
        [&](std::shared_ptr<const CaptureData> started) { model.setCapture(started); },
        [&](quint64 first, quint64 count) {
            model.setTimeSpan(model.timeSpan() + 1);
            Q_UNUSED(first)
            Q_UNUSED(count)
        },
        [&] { model.refresh(); });
    model.refresh();
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("child_crash"));
    QCOMPARE(model.index(0, ProcessTreeModel::EndedColumn).data().toString(), QStringLiteral("exit 1"));
    QVERIFY(root.data(ProcessTreeModel::FailedRole).toBool());
    // The re-executed child hangs under its parent and died by SIGABRT (GOTRACEBACK=crash).
    QCOMPARE(model.rowCount(root), 1);
    const QModelIndex child = model.index(0, 0, root);
    QCOMPARE(child.data(ProcessTreeModel::PidRole).toInt() != root.data(ProcessTreeModel::PidRole).toInt(), true);
    QVERIFY(
        model.index(0, ProcessTreeModel::EndedColumn, root).data().toString().startsWith(QStringLiteral("SIGABRT")));
    QVERIFY(model.index(0, ProcessTreeModel::CommandColumn, root).data().toString().endsWith(QStringLiteral(" child")));
    QVERIFY(child.data(ProcessTreeModel::FailedRole).toBool());
    QVERIFY(!child.data(ProcessTreeModel::RunningRole).toBool());
    // Its first event and its exit are events of that pid.
    const int pid = child.data(ProcessTreeModel::PidRole).toInt();
    QCOMPARE(data->events().at(child.data(ProcessTreeModel::StartSeqRole).toULongLong()).pid, pid);
    const Event& exit = data->events().at(child.data(ProcessTreeModel::EndSeqRole).toULongLong());
    QCOMPARE(exit.pid, pid);
    QCOMPARE(exit.kind, EventKind::ProcessExit);
    QCOMPARE(model.indexForPid(pid), child);
}

void GuiModelsTest::visibleRowIndexMapsRows()
{
    std::vector<Event> events(100);
    for (std::size_t i = 0; i < events.size(); ++i)
        events[i].pid = int(i % 3);
    const auto get = [&](std::uint64_t seq) -> const Event& { return events[seq]; };
    VisibleRowIndex index;
    index.reset(0, 10, {}, get);
    QCOMPARE(index.size(), 10u);
    QCOMPARE(index.seqAt(7), 7u);
    QCOMPARE(index.extend(25, get), 15u);
    QCOMPARE(index.rowOf(24), 24);
    QCOMPARE(index.rowOf(25), -1);
    // Filtered: only pid 0 (seq 0, 3, 6, ...), starting after a Clear at seq 10.
    index.reset(
        10, 50, [](std::uint64_t, const Event& e) { return e.pid == 0; }, get);
    QCOMPARE(index.size(), 13u); // 12, 15, ..., 48
    QCOMPARE(index.seqAt(0), 12u);
    QCOMPARE(index.rowOf(15), 1);
    QCOMPARE(index.rowOf(16), -1);
    QCOMPARE(index.nearestRowOf(16), 2); // 18
    QCOMPARE(index.nearestRowOf(3), 0);
    QCOMPARE(index.nearestRowOf(99), 12);
    QCOMPARE(index.countNew(60, get), 3u); // 51, 54, 57
    QCOMPARE(index.extend(60, get), 3u);
    QCOMPARE(index.seqAt(15), 57u);
}

void GuiModelsTest::shellWordsSplitLikeAShell_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<bool>("ok");
    QTest::newRow("plain") << "--port 8080" << QStringList { "--port", "8080" } << true;
    QTest::newRow("spaces") << "  a   b  " << QStringList { "a", "b" } << true;
    QTest::newRow("single quotes") << "--name 'two words' x" << QStringList { "--name", "two words", "x" } << true;
    QTest::newRow("double quotes") << "\"a \\\"b\\\" $c\"" << QStringList { "a \"b\" $c" } << true;
    QTest::newRow("backslash") << "a\\ b c" << QStringList { "a b", "c" } << true;
    QTest::newRow("empty word") << "'' x" << QStringList { "", "x" } << true;
    QTest::newRow("joined") << "pre'quoted'post" << QStringList { "prequotedpost" } << true;
    QTest::newRow("unterminated") << "a 'b" << QStringList { "a", "b" } << false;
}

void GuiModelsTest::shellWordsSplitLikeAShell()
{
    QFETCH(QString, line);
    QFETCH(QStringList, words);
    QFETCH(bool, ok);
    const auto result = ShellWords::split(line);
    QCOMPARE(result.error.isEmpty(), ok);
    if (ok) {
        QCOMPARE(result.words, words);
        // Quoting gives the same words back.
        QCOMPARE(ShellWords::split(ShellWords::join(words)).words, words);
    } else {
        QCOMPARE(result.errorPosition, 2);
    }
}

void GuiModelsTest::quickFilterMatchesText()
{
    QTemporaryDir folder;
    const auto data = m_engine->capture(
        fixtureSpec("missing_file", folder.path()), [](auto) {}, [](quint64, quint64) {});
    QuickFilterSettings settings;
    settings.text = QStringLiteral("CONFIG.json"); // case-insensitive
    settings.hideRuntimeNoise = false;
    const QuickFilter filter(data, settings);
    int matches = 0;
    const std::vector<Event> all = eventsOf(*data);
    for (const Event& event : all) {
        if (filter.accepts(event)) {
            ++matches;
            QVERIFY(std::string(data->text(event.path)).find("config.json") != std::string::npos
                || std::string(data->text(event.detail)).find("config.json") != std::string::npos);
        }
    }
    QVERIFY(matches >= 2); // the openat and the stderr line
    settings.text = QStringLiteral("enoent");
    const QuickFilter byErrno(data, settings);
    const std::vector<Event> events = eventsOf(*data);
    QVERIFY(std::any_of(events.begin(), events.end(),
        [&](const Event& event) { return byErrno.accepts(event) && event.errnum == ENOENT; }));
    settings.text = QStringLiteral("missing_file");
    const QuickFilter byProcess(data, settings);
    QVERIFY(byProcess.accepts(data->events().at(data->events().size() - 1))); // matched through the process name
    QVERIFY(QuickFilter(data, QuickFilterSettings { QString(), false, false }).passesEverything());
}

void GuiModelsTest::outputPaneInterleavesAndMarksStderr()
{
    QTemporaryDir folder;
    OutputPane pane;
    const auto data = m_engine->capture(
        fixtureSpec("worker_pool", folder.path(), { "0.4" }),
        [&](std::shared_ptr<const CaptureData> started) { pane.setCapture(started); },
        [&](quint64, quint64) { pane.refresh(); });
    pane.refresh();
    const QString text = pane.plainText();
    QVERIFY2(text.contains(QStringLiteral("worker_pool: starting 2 workers")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("worker 1: round 0")));
    QVERIFY(text.contains(QStringLiteral("panic: queue: pop from an empty queue")));
    // Each line is marked with its stream; stdout and stderr both appear.
    int stdoutLines = 0;
    int stderrLines = 0;
    for (QTextBlock block = pane.view()->document()->begin(); block.isValid(); block = block.next()) {
        if (block.text().startsWith(QStringLiteral("worker_pool:")))
            QCOMPARE(block.userState(), int(OutputView::LineKind::Stderr));
        if (block.text().contains(QStringLiteral(": round ")))
            QCOMPARE(block.userState(), int(OutputView::LineKind::Stdout));
        stdoutLines += block.userState() == int(OutputView::LineKind::Stdout);
        stderrLines += block.userState() == int(OutputView::LineKind::Stderr);
    }
    QVERIFY(stdoutLines > 0);
    QVERIFY(stderrLines > 5);
    // Time order: the parent's start line comes before any worker's line.
    QVERIFY(text.indexOf(QStringLiteral("starting 2 workers")) < text.indexOf(QStringLiteral("worker 1:")));
    // Search finds and counts.
    pane.searchField()->setText(QStringLiteral("empty queue"));
    QVERIFY(pane.findNext());
    QCOMPARE(pane.view()->textCursor().selectedText(), QStringLiteral("empty queue"));
    pane.searchField()->setText(QStringLiteral("no such text anywhere"));
    QVERIFY(!pane.findNext());
    // Double-clicking a line leads to the event that wrote it.
    const std::uint64_t seq = pane.view()->seqOfBlock(0);
    QVERIFY(seq < data->events().size());
    QCOMPARE(data->events().at(seq).kind, EventKind::Output);
}

void GuiModelsTest::outputPaneShowsWritesThatFailed()
{
    // fd 2 closed: the program's last words never reach anything, but the write was seen.
    QTemporaryDir folder;
    OutputPane pane;
    m_engine->capture(
        fixtureSpec("close_stderr", folder.path(), { "close" }),
        [&](std::shared_ptr<const CaptureData> started) { pane.setCapture(started); },
        [&](quint64, quint64) { pane.refresh(); });
    pane.refresh();
    const QString text = pane.plainText();
    QVERIFY2(text.contains(QStringLiteral("last words: cannot reach database")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("this write failed with EBADF")));
    QTextBlock words;
    for (QTextBlock block = pane.view()->document()->begin(); block.isValid(); block = block.next()) {
        if (block.text().contains(QStringLiteral("last words")))
            words = block;
    }
    QCOMPARE(words.userState(), int(OutputView::LineKind::Stderr));
    QCOMPARE(words.next().userState(), int(OutputView::LineKind::Note));
}

void GuiModelsTest::launchDialogValidatesInline()
{
    QTemporaryDir folder;
    LaunchDialog dialog;
    dialog.show();
    // Nothing chosen yet.
    dialog.setProgram(QString());
    QVERIFY(!dialog.launchButton()->isEnabled());
    QVERIFY(!dialog.programMessage().isEmpty());

    dialog.setProgram(folder.filePath("no-such-program"));
    QCOMPARE(dialog.programMessage(), QStringLiteral("No such file."));
    QVERIFY(!dialog.launchButton()->isEnabled());

    // A folder, and a file without the execute bit.
    dialog.setProgram(folder.path());
    QVERIFY(dialog.programMessage().contains(QStringLiteral("folder")));
    QVERIFY(!dialog.launchButton()->isEnabled());
    QFile plain(folder.filePath("notes.txt"));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("hello\n");
    plain.close();
    dialog.setProgram(plain.fileName());
    QVERIFY(dialog.programMessage().startsWith(QStringLiteral("Not executable")));
    QVERIFY(!dialog.launchButton()->isEnabled());

    // A real Go program: fine, with its build info, and its folder as the working directory.
    dialog.setProgram(test::fixture("exit_normal"));
    QVERIFY2(dialog.programMessage().isEmpty(), qPrintable(dialog.programMessage()));
    QVERIFY(dialog.launchButton()->isEnabled());
    QVERIFY(dialog.programFacts().isGo);
    QVERIFY(dialog.programFacts().goVersion.startsWith(QStringLiteral("go1.")));
    QCOMPARE(dialog.workingDirectoryEdit()->text(), QStringLiteral(EXITLENS_FIXTURE_DIR));

    // A missing working directory is said next to the field and blocks Launch.
    dialog.setWorkingDirectory(folder.filePath("gone"));
    QCOMPARE(dialog.workingDirectoryMessage(), QStringLiteral("This folder does not exist."));
    QVERIFY(!dialog.launchButton()->isEnabled());
    dialog.setWorkingDirectory(plain.fileName());
    QCOMPARE(dialog.workingDirectoryMessage(), QStringLiteral("This is a file, not a folder."));
    dialog.setWorkingDirectory(folder.path());
    QVERIFY(dialog.workingDirectoryMessage().isEmpty());
    QVERIFY(dialog.launchButton()->isEnabled());

    // Arguments that cannot be split.
    dialog.setArguments(QStringLiteral("--name 'unfinished"));
    QVERIFY(dialog.argumentsMessage().contains(QStringLiteral("unterminated single quote")));
    QVERIFY(!dialog.launchButton()->isEnabled());
    dialog.setArguments(QStringLiteral("--name 'two words'"));
    QVERIFY(dialog.argumentsMessage().isEmpty());
    QCOMPARE(dialog.argv(), (QStringList { test::fixture("exit_normal"), "--name", "two words" }));

    // The wrong architecture is a warning, not an error: that failure is what ExitLens explains.
    dialog.setProgram(test::fixture("wrong_arch"));
    QCOMPARE(dialog.programSeverity(), ProgramInfo::Severity::Warning);
    QVERIFY2(dialog.programMessage().contains(QStringLiteral("AArch64")), qPrintable(dialog.programMessage()));
    QVERIFY(dialog.programMessage().contains(QStringLiteral("launch it")));
    QVERIFY(dialog.launchButton()->isEnabled());
    QVERIFY(dialog.programFacts().foreignArchitecture);

    // A bare name is looked up in PATH.
    dialog.setProgram(QStringLiteral("true"));
    QVERIFY(dialog.programMessage().isEmpty());
    QVERIFY(dialog.argv().front() == QStringLiteral("true"));
    dialog.setProgram(QStringLiteral("no-such-command-anywhere"));
    QCOMPARE(dialog.programMessage(), QStringLiteral("Not found in PATH."));
    QVERIFY(!dialog.launchButton()->isEnabled());
}

void GuiModelsTest::launchDialogBuildsTheSpec()
{
    QTemporaryDir folder;
    LaunchDialog dialog;
    dialog.setProgram(test::fixture("exit_normal"));
    dialog.setArguments(QStringLiteral("a 'b c'"));
    dialog.setWorkingDirectory(folder.path());
    auto* traceback = dialog.findChild<QComboBox*>(QStringLiteral("goTraceback"));
    QVERIFY(traceback);
    traceback->setCurrentIndex(traceback->findData(QStringLiteral("all")));
    auto* environment = dialog.findChild<EnvironmentEditor*>();
    QVERIFY(environment);
    environment->addChange({ QStringLiteral("EXITLENS_TEST_VAR"), QStringLiteral("42"), false });
    environment->addChange({ QStringLiteral("HOME"), QString(), true });
    dialog.validateNow();
    QVERIFY(dialog.canLaunch());
    const LaunchSpec spec = dialog.spec();
    QCOMPARE(QString::fromStdString(spec.program), test::fixture("exit_normal"));
    QCOMPARE(spec.args, (std::vector<std::string> { "a", "b c" }));
    QCOMPARE(QString::fromStdString(spec.workingDirectory), folder.path());
    QCOMPARE(spec.stdio, StdioMode::Pipes);
    const auto has = [&](const std::string& entry) {
        return std::find(spec.environment.begin(), spec.environment.end(), entry) != spec.environment.end();
    };
    QVERIFY(has("EXITLENS_TEST_VAR=42"));
    QVERIFY(has("GOTRACEBACK=all"));
    QVERIFY(std::none_of(spec.environment.begin(), spec.environment.end(),
        [](const std::string& e) { return e.rfind("HOME=", 0) == 0; }));
    // A bad variable name blocks Launch.
    environment->addChange({ QStringLiteral("A=B"), QStringLiteral("x"), false });
    dialog.validateNow();
    QVERIFY(!dialog.canLaunch());
}

// The capture filter expression: checked as typed, its mistake said beside the field with the
// column, Launch held back until it parses; the spec carries it, the settings remember it per
// program, and the engine refuses a bad one without starting anything.
void GuiModelsTest::launchDialogChecksTheCaptureFilter()
{
    // A copy of the program in a folder of its own: the dialog remembers settings per program
    // path, and what this test remembers must not prefill other tests' launches.
    QTemporaryDir folder;
    const QString program = folder.filePath(QStringLiteral("exit_normal"));
    QVERIFY(QFile::copy(test::fixture("exit_normal"), program));
    const QString settingsKey = QStringLiteral("launch/programs/")
        + QString::fromLatin1(program.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
    const auto forget = qScopeGuard([&] { QSettings().remove(settingsKey); });
    LaunchDialog dialog;
    dialog.show();
    dialog.setProgram(program);
    QVERIFY(dialog.canLaunch());
    QLineEdit* edit = dialog.captureFilterEdit();
    QVERIFY(edit);
    QVERIFY(dialog.captureFilterMessage().isEmpty());

    edit->setText(QStringLiteral("class == file and pathh == x"));
    dialog.validateNow();
    QVERIFY2(dialog.captureFilterMessage().contains(QStringLiteral("unknown field 'pathh'")),
        qPrintable(dialog.captureFilterMessage()));
    QVERIFY2(
        dialog.captureFilterMessage().contains(QStringLiteral("column 19")), qPrintable(dialog.captureFilterMessage()));
    QVERIFY(!dialog.launchButton()->isEnabled());

    // Still typing: unfinished is not launchable either (Launch would use it as it is).
    edit->setText(QStringLiteral("path contains"));
    dialog.validateNow();
    QVERIFY(dialog.captureFilterMessage().startsWith(QStringLiteral("Unfinished expression")));
    QVERIFY(!dialog.launchButton()->isEnabled());

    // Typing goes through the pause-then-validate path too.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("class == file and failed"));
    QTRY_VERIFY(dialog.launchButton()->isEnabled());
    QVERIFY(dialog.captureFilterMessage().isEmpty());
    QCOMPARE(QString::fromStdString(dialog.spec().captureFilter), QStringLiteral("class == file and failed"));

    // Remembered with the program's other launch settings.
    QTest::mouseClick(dialog.launchButton(), Qt::LeftButton);
    LaunchDialog again;
    again.setProgram(program);
    QCOMPARE(again.captureFilterEdit()->text(), QStringLiteral("class == file and failed"));
    LaunchSpec prefilled = again.spec();
    prefilled.captureFilter.clear();
    again.setSpec(prefilled);
    QVERIFY(again.captureFilterEdit()->text().isEmpty());
    QVERIFY(again.canLaunch());

    // The engine checks too (a spec built elsewhere): a bad expression never starts the program.
    QTemporaryDir work;
    LaunchSpec bad;
    bad.program = "/bin/sh";
    bad.args = { "-c", "touch " + work.filePath("ran").toStdString() };
    bad.stdio = StdioMode::Null;
    bad.captureFilter = "failed and";
    const auto data = m_engine->capture(
        bad, [](std::shared_ptr<const CaptureData>) {}, [](quint64, quint64) {}, {});
    QVERIFY(data && data->summary());
    QVERIFY2(QString::fromStdString(data->summary()->error).startsWith(QStringLiteral("capture filter: ")),
        data->summary()->error.c_str());
    QCOMPARE(data->events().size(), std::uint64_t(0));
    QVERIFY(!QFile::exists(work.filePath("ran")));
}

void GuiModelsTest::processTreeShowsADetachedDaemonRunning()
{
    // Issue 19: a daemon that outlives the program stays in the tree, running and detached, and
    // the capture ends with the program (the window's piped output is drained on for it).
    const QString pidFile = m_folder.path() + "/daemon.pid";
    ProcessTreeModel model;
    const auto data = m_engine->capture(
        fixtureSpec("daemonize", m_folder.path(),
            { "root", pidFile.toStdString(), (m_folder.path() + "/daemon.log").toStdString(), "60" }),
        [&](std::shared_ptr<const CaptureData> started) { model.setCapture(started); }, {}, [&] { model.refresh(); });
    model.refresh();
    int pid = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QFile file(pidFile);
            return file.open(QIODevice::ReadOnly) && (pid = file.readAll().toInt()) > 0;
        }(),
        20'000);
    const auto killDaemon = qScopeGuard([pid] { kill(pid, SIGKILL); });
    QVERIFY(kill(pid, 0) == 0);
    const QModelIndex daemon = model.indexForPid(pid);
    QVERIFY(daemon.isValid());
    QVERIFY(daemon.data(ProcessTreeModel::RunningRole).toBool());
    QCOMPARE(
        daemon.siblingAtColumn(ProcessTreeModel::EndedColumn).data().toString(), QStringLiteral("running, detached"));
    QVERIFY(daemon.data(Qt::ToolTipRole).toString().contains(QStringLiteral("detached")));
}

QTEST_MAIN(GuiModelsTest)
#include "tst_gui_models.moc"
