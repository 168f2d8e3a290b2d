// The workbench window end to end under the offscreen platform: real Go programs launched through
// MainWindow, asserting the event table's rows, the process tree, the output and the verdict;
// clicking an evidence item selects its event; the demo in one click; stop; filter; copy; drag and
// drop; the layout remembered; every toolbar action with a tooltip and a shortcut.
#include "GuiTestSupport.h"
#include "TestPaths.h"
#include "diagnosis/Verdict.h"
#include "model/CaptureData.h"
#include "ui/EventDetailsPane.h"
#include "ui/EventTableModel.h"
#include "ui/EventTableView.h"
#include "ui/FilterBar.h"
#include "ui/FilterController.h"
#include "ui/GoSection.h"
#include "ui/LaunchDialog.h"
#include "ui/MainWindow.h"
#include "ui/OutputPane.h"
#include "ui/ProcessTreeModel.h"
#include "ui/ProcessTreeView.h"
#include "ui/VerdictPanel.h"
#include "ui/WelcomePage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace exitlens;
using exitlens::test::fixture;
using exitlens::test::fixtureSpec;

namespace {

// The row of the first event with this operation whose path ends with pathEnd.
int findRow(const EventTableModel& model, const QString& operation, const QString& pathEnd)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, EventTableModel::OperationColumn).data().toString() == operation
            && model.index(row, EventTableModel::PathColumn).data().toString().endsWith(pathEnd))
            return row;
    }
    return -1;
}
} // namespace

class GuiWindowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void missingFileThroughTheWindow();
    void evidenceClickSelectsTheEvent();
    void processTreeShowsChildrenAndJumps();
    void goPanicFillsTheGoSection();
    void demoInOneClick();
    void stopKillsTheTree();
    void filterAndFind();
    void copyRowsAsText();
    void dropAnExecutableOpensTheLaunchDialog();
    void layoutIsRemembered();
    void toolbarActionsHaveTooltipsAndShortcuts();

private:
    void launchAndWait(const LaunchSpec& spec);

    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_eventTester;
    std::unique_ptr<QAbstractItemModelTester> m_processTester;
    QTemporaryDir m_folder;
};

void GuiWindowTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_window"));
    QVERIFY(m_folder.isValid());
}

void GuiWindowTest::init()
{
    m_window = test::newShownWindow();
    QVERIFY(m_window);
    m_eventTester = std::make_unique<QAbstractItemModelTester>(
        m_window->eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_processTester = std::make_unique<QAbstractItemModelTester>(
        m_window->processModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void GuiWindowTest::cleanup()
{
    m_eventTester.reset();
    m_processTester.reset();
    m_window.reset();
}

void GuiWindowTest::launchAndWait(const LaunchSpec& spec)
{
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    m_window->launch(spec);
    QVERIFY(m_window->isCapturing());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QVERIFY(!m_window->isCapturing());
}

void GuiWindowTest::missingFileThroughTheWindow()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("missing_file", folder.path()));
    const auto data = m_window->capture();
    QVERIFY(data);
    EventTableModel* model = m_window->eventModel();

    // The table: every event but the Go scheduler's noise (hidden by default), in order, starting
    // with the process start.
    std::uint64_t noise = 0;
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq)
        noise += (data->events().at(seq).flags & EventFlag::RuntimeNoise) ? 1 : 0;
    QCOMPARE(quint64(model->rowCount()), data->events().size() - noise);
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->seqAt(row) > model->seqAt(row - 1));
    QCOMPARE(model->index(0, EventTableModel::OperationColumn).data().toString(), QStringLiteral("process_start"));
    const int row = findRow(*model, QStringLiteral("openat"), QStringLiteral("/config.json"));
    QVERIFY(row > 0);
    QCOMPARE(model->index(row, EventTableModel::PathColumn).data().toString(), folder.filePath("config.json"));
    QCOMPARE(model->index(row, EventTableModel::ResultColumn).data().toString(), QStringLiteral("ENOENT"));
    QCOMPARE(model->index(row, EventTableModel::ProcessColumn).data().toString(), QStringLiteral("missing_file"));
    const int last = model->rowCount() - 1;
    QCOMPARE(model->index(last, EventTableModel::ResultColumn).data().toString(), QStringLiteral("exit 1"));
    // The view follows the tail (autoscroll) and shows the last row.
    QVERIFY(m_window->eventView()->isAtBottom());

    // The process tree: one process, exit 1, failed.
    ProcessTreeModel* tree = m_window->processModel();
    QCOMPARE(tree->rowCount(), 1);
    QCOMPARE(tree->index(0, ProcessTreeModel::NameColumn).data().toString(), QStringLiteral("missing_file"));
    QCOMPARE(tree->index(0, ProcessTreeModel::EndedColumn).data().toString(), QStringLiteral("exit 1"));
    QVERIFY(tree->index(0, 0).data(ProcessTreeModel::FailedRole).toBool());

    // The output: the program's last words, on stderr.
    QVERIFY(m_window->outputPane()->plainText().contains(
        QStringLiteral("missing_file: open config.json: no such file or directory")));

    // The verdict: the diagnosis engine's verdict, shown as it is, about config.json.
    const Verdict expected = describeExit(*data, *m_window->lastSummary());
    VerdictPanel* verdict = m_window->verdictPanel();
    QVERIFY(verdict->hasVerdict());
    QCOMPARE(verdict->headlineText(), QString::fromStdString(expected.headline));
    QVERIFY2(verdict->headlineText().contains(QStringLiteral("config.json")), qPrintable(verdict->headlineText()));
    QCOMPARE(verdict->evidenceList()->count(), int(expected.evidence.size()));
    QVERIFY(verdict->markdown().contains(QStringLiteral("## ExitLens verdict: ") + verdict->headlineText()));
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("verdictDock"))->isVisible());

    // The status bar and the title say how it ended.
    QVERIFY2(m_window->statusText().contains(QStringLiteral("exited with code 1")), qPrintable(m_window->statusText()));
    QVERIFY(m_window->statusText().contains(
        QStringLiteral("%1 events").arg(QLocale().toString(qulonglong(data->events().size())))));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("missing_file")));
}

void GuiWindowTest::evidenceClickSelectsTheEvent()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("missing_file", folder.path()));
    // Scroll the table away from the evidence first, so selecting it must also scroll.
    EventTableView* view = m_window->eventView();
    view->scrollToBottom();
    QListWidget* evidence = m_window->verdictPanel()->evidenceList();
    QListWidgetItem* target = nullptr;
    std::uint64_t targetSeq = 0;
    for (int i = 0; i < evidence->count(); ++i) {
        const QVariant seq = evidence->item(i)->data(Qt::UserRole + 1);
        if (seq.isValid()) {
            const Event& event = m_window->capture()->events().at(seq.toULongLong());
            if (event.kind == EventKind::Syscall && event.failed()) {
                target = evidence->item(i);
                targetSeq = seq.toULongLong();
            }
        }
    }
    QVERIFY2(target, "the verdict names the failed openat as evidence");
    m_window->findChild<QDockWidget*>(QStringLiteral("verdictDock"))->raise();
    QTRY_VERIFY(evidence->isVisible());
    evidence->scrollToItem(target);
    const QRect rect = evidence->visualItemRect(target);
    QTest::mouseClick(evidence->viewport(), Qt::LeftButton, {}, rect.center());
    const int row = view->currentRow();
    QVERIFY(row >= 0);
    QCOMPARE(m_window->eventModel()->seqAt(row), targetSeq);
    QVERIFY(view->selectionModel()->isRowSelected(row, {}));
    QVERIFY(row >= view->firstVisibleRow() && row < view->firstVisibleRow() + view->visibleRowCount());
    QCOMPARE(
        m_window->eventModel()->index(row, EventTableModel::ResultColumn).data().toString(), QStringLiteral("ENOENT"));
    // The details pane shows that event.
    QVERIFY(m_window->detailsPane()->plainText().contains(QStringLiteral("Event %1").arg(targetSeq)));
    QVERIFY(m_window->detailsPane()->plainText().contains(folder.filePath("config.json")));
    // ...and the Go stack the tracer recorded at that failed open, down to the fixture's main.
    const QString details = m_window->detailsPane()->plainText();
    QVERIFY2(details.contains(QStringLiteral("os.ReadFile")) && details.contains(QStringLiteral("main.main"))
            && details.contains(QStringLiteral("missing_file.go:")),
        qPrintable(details));
    // An event without a recorded stack says why.
    const int first = 0;
    view->selectRow(first);
    QTRY_VERIFY(m_window->detailsPane()->plainText().contains(QStringLiteral("Not recorded for this event")));

    // Evidence hidden by the filter: the filter is cleared to show it, and the status bar says so.
    const QString hiding = QStringLiteral("kind == process_exit");
    m_window->filterBar()->setExpression(hiding);
    QTRY_VERIFY(m_window->eventModel()->rowOfSeq(targetSeq) < 0);
    evidence->scrollToItem(target);
    QTest::mouseClick(evidence->viewport(), Qt::LeftButton, {}, evidence->visualItemRect(target).center());
    QTRY_COMPARE(m_window->eventModel()->seqAt(view->currentRow()), targetSeq);
    QCOMPARE(m_window->filterBar()->appliedExpression(), QString());
    const QString message = m_window->statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("Event %1 was hidden").arg(targetSeq)) && message.contains(hiding),
        qPrintable(message));
    QVERIFY(m_window->filterBar()->history().contains(hiding));
}

void GuiWindowTest::processTreeShowsChildrenAndJumps()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("worker_pool", folder.path(), { "0.6" }));
    ProcessTreeModel* tree = m_window->processModel();
    QCOMPARE(tree->rowCount(), 1);
    const QModelIndex root = tree->index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("worker_pool"));
    QCOMPARE(tree->rowCount(root), 2);
    QCOMPARE(tree->index(0, ProcessTreeModel::EndedColumn, root).data().toString(), QStringLiteral("exit 0"));
    QCOMPARE(tree->index(1, ProcessTreeModel::EndedColumn, root).data().toString(), QStringLiteral("exit 2"));
    QCOMPARE(tree->index(0, ProcessTreeModel::EndedColumn).data().toString(), QStringLiteral("exit 1"));
    QVERIFY(tree->index(1, 0, root).data(ProcessTreeModel::FailedRole).toBool());
    QVERIFY(!tree->index(0, 0, root).data(ProcessTreeModel::FailedRole).toBool());
    QVERIFY(m_window->processView()->isExpanded(root));

    // Selecting the failed worker highlights its events; double-click goes to its first event.
    const QModelIndex worker = tree->index(1, 0, root);
    const int pid = worker.data(ProcessTreeModel::PidRole).toInt();
    m_window->processView()->setCurrentIndex(worker);
    QCOMPARE(m_window->eventModel()->highlightedPid(), pid);
    QSignalSpy jumps(m_window->processView(), &ProcessTreeView::goToEvent);
    const QRect rect = m_window->processView()->visualRect(worker);
    // A widget double click in QTest is the second click only: press first, as a user does.
    QTest::mouseClick(m_window->processView()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(m_window->processView()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(jumps.size(), 1);
    const int row = m_window->eventView()->currentRow();
    QVERIFY(row >= 0);
    QCOMPARE(m_window->eventModel()->seqAt(row), worker.data(ProcessTreeModel::StartSeqRole).toULongLong());
    QCOMPARE(m_window->eventModel()->eventAt(row).pid, pid);
    // The verdict mentions the failed child process.
    const Verdict& verdict = m_window->verdictPanel()->verdict();
    QVERIFY(!verdict.headline.empty());
}

void GuiWindowTest::goPanicFillsTheGoSection()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("panic", folder.path()));
    GoSection* go = m_window->verdictPanel()->goSection();
    QVERIFY(go->hasContent());
    QVERIFY2(go->reason().contains(QStringLiteral("panic: settings: invalid port 70000")), qPrintable(go->reason()));
    QVERIFY(go->crashText().startsWith(QStringLiteral("panic: ")));
    QVERIFY(go->buildSummary().startsWith(QStringLiteral("go1.")));
    // The goroutine bucket lists main.loadSettings, emphasised as the program's own frame.
    QTreeWidget* frames = go->frames();
    QVERIFY(frames->topLevelItemCount() >= 1);
    bool found = false;
    for (int i = 0; i < frames->topLevelItem(0)->childCount(); ++i) {
        QTreeWidgetItem* frame = frames->topLevelItem(0)->child(i);
        if (frame->text(0) == QStringLiteral("main.loadSettings")) {
            found = true;
            QVERIFY(frame->font(0).bold());
            QVERIFY(frame->text(1).endsWith(QStringLiteral("panic.go:13")));
        }
    }
    QVERIFY(found);
    QVERIFY(m_window->verdictPanel()->markdown().contains(QStringLiteral("### Go crash output")));
}

void GuiWindowTest::demoInOneClick()
{
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    QVERIFY(m_window->welcomePage()->demoButton()->isEnabled());
    QTest::mouseClick(m_window->welcomePage()->demoButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    // It ran in a fresh, empty folder that the window names, and failed for want of config.json.
    const QString folder = m_window->demoFolder();
    QVERIFY(!folder.isEmpty());
    QVERIFY(QDir(folder).exists());
    QVERIFY(QDir(folder).isEmpty());
    QCOMPARE(QString::fromStdString(m_window->capture()->spec().workingDirectory), folder);
    QCOMPARE(m_window->lastSummary()->rootStatus.code, 1);
    QVERIFY(m_window->verdictPanel()->headlineText().contains(QStringLiteral("config.json")));
    QVERIFY(findRow(*m_window->eventModel(), QStringLiteral("openat"), QStringLiteral("/config.json")) >= 0);
    // The window removes the folder it made when it closes (it is still empty).
    m_window.reset();
    QVERIFY(!QDir(folder).exists());
}

void GuiWindowTest::stopKillsTheTree()
{
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    m_window->launch(fixtureSpec("sleeper", m_folder.path()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->capture() && m_window->eventModel()->rowCount() > 5, 20000);
    QVERIFY(m_window->action(QStringLiteral("stop"))->isEnabled());
    QVERIFY2(m_window->statusText().contains(QStringLiteral("Running")), qPrintable(m_window->statusText()));
    m_window->action(QStringLiteral("stop"))->trigger(); // confirmations are off in tests
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QVERIFY(m_window->lastSummary()->stoppedByUser);
    QVERIFY2(m_window->statusText().contains(QStringLiteral("killed by SIGKILL")), qPrintable(m_window->statusText()));
    // The verdict says who stopped it (issue 19): ExitLens, not an unknown SIGKILL sender.
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_window->verdictPanel()->headlineText().contains(QStringLiteral("was stopped from ExitLens after")),
        qPrintable(m_window->verdictPanel()->headlineText()), 5000);
    QVERIFY(!m_window->action(QStringLiteral("stop"))->isEnabled());
    // Relaunch runs the same program again.
    QVERIFY(m_window->action(QStringLiteral("relaunch"))->isEnabled());
    const auto first = m_window->capture();
    m_window->action(QStringLiteral("relaunch"))->trigger();
    QVERIFY(m_window->isCapturing());
    // Stop at once, before the engine has even started it: it must still be stopped.
    m_window->stopCapture(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    QVERIFY(m_window->capture() != first);
    QCOMPARE(QString::fromStdString(m_window->capture()->spec().program), fixture("sleeper"));
    QVERIFY(m_window->lastSummary()->stoppedByUser);
    // And once more, after it is well under way.
    const auto second = m_window->capture();
    m_window->action(QStringLiteral("relaunch"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->capture() != second && m_window->eventModel()->rowCount() > 5, 20000);
    m_window->stopCapture(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 20000);
}

void GuiWindowTest::filterAndFind()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("missing_file", folder.path()));
    EventTableModel* model = m_window->eventModel();
    const int all = model->rowCount();
    FilterBar* bar = m_window->filterBar();
    bar->setExpression(QStringLiteral("failed"));
    QTRY_VERIFY(!m_window->filterController()->busy());
    QVERIFY(model->rowCount() > 0 && model->rowCount() < all);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(model->eventAt(row).failed());
    bar->setExpression(QString());
    QCOMPARE(model->rowCount(), all);
    // Typed in the bar, applied on Enter.
    bar->filterField()->setFocus();
    QTest::keyClicks(bar->filterField(), QStringLiteral("text contains config.json"));
    QTest::keyClick(bar->filterField(), Qt::Key_Return);
    QTRY_VERIFY(!m_window->filterController()->busy());
    QCOMPARE(bar->appliedExpression(), QStringLiteral("text contains config.json"));
    QVERIFY2(model->rowCount() >= 2 && model->rowCount() < all, qPrintable(QString::number(model->rowCount())));
    bar->filterField()->clear();
    QCOMPARE(model->rowCount(), all);
    // Find selects the next match.
    m_window->eventView()->selectRow(0);
    bar->findField()->setText(QStringLiteral("ENOENT"));
    m_window->action(QStringLiteral("findNext"))->trigger();
    const int row = m_window->eventView()->currentRow();
    QVERIFY(row > 0);
    QCOMPARE(model->index(row, EventTableModel::ResultColumn).data().toString(), QStringLiteral("ENOENT"));
}

void GuiWindowTest::copyRowsAsText()
{
    QTemporaryDir folder;
    launchAndWait(fixtureSpec("missing_file", folder.path()));
    const int row = findRow(*m_window->eventModel(), QStringLiteral("openat"), QStringLiteral("/config.json"));
    m_window->eventView()->selectRow(row);
    m_window->eventView()->setFocus();
    QApplication::clipboard()->clear();
    m_window->action(QStringLiteral("copy"))->trigger();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith(QStringLiteral("Seq\tTime\tProcess")));
    QVERIFY(lines[1].contains(folder.filePath("config.json")));
    QVERIFY(lines[1].contains(QStringLiteral("\tENOENT\t")));
}

void GuiWindowTest::dropAnExecutableOpensTheLaunchDialog()
{
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(fixture("exit_code")) });
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    LaunchDialog* dialog = m_window->findChild<LaunchDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->programBox()->currentText(), fixture("exit_code"));
    QVERIFY(dialog->launchButton()->isEnabled());
    // Launching from the dialog runs it.
    QSignalSpy finished(m_window.get(), &MainWindow::captureFinished);
    QTest::mouseClick(dialog->launchButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(QString::fromStdString(m_window->capture()->spec().program), fixture("exit_code"));
}

void GuiWindowTest::layoutIsRemembered()
{
    auto* output = m_window->findChild<QDockWidget*>(QStringLiteral("outputDock"));
    // The welcome page is the whole window; the panes come with the first capture.
    QVERIFY(!output->isVisible());
    launchAndWait(fixtureSpec("exit_normal", m_folder.path()));
    QVERIFY(output->isVisible());
    output->hide();
    m_window->close(); // saves the layout
    m_window.reset();
    MainWindow again;
    again.setConfirmations(false);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QSignalSpy finished(&again, &MainWindow::captureFinished);
    again.launch(fixtureSpec("exit_normal", m_folder.path()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QVERIFY(!again.findChild<QDockWidget*>(QStringLiteral("outputDock"))->isVisible());
    QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("processDock"))->isVisible());
    QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("verdictDock"))->isVisible());
    // Reset brings every pane back.
    again.findChild<QAction*>(QStringLiteral("resetLayout"))->trigger();
    QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("outputDock"))->isVisible());
    again.close();
}

void GuiWindowTest::toolbarActionsHaveTooltipsAndShortcuts()
{
    const QList<QAction*> actions = m_window->toolBarActions();
    QVERIFY(actions.size() >= 10);
    for (QAction* action : actions) {
        QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->objectName()));
        QVERIFY2(action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)),
            qPrintable(action->toolTip()));
    }
    // The shortcuts.
    const QList<QPair<QString, QKeySequence>> expected {
        { "launch", QKeySequence(Qt::CTRL | Qt::Key_N) },
        { "capture", QKeySequence(Qt::CTRL | Qt::Key_E) },
        { "filter", QKeySequence(Qt::CTRL | Qt::Key_L) },
        { "filterRules", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L) },
        { "find", QKeySequence(Qt::CTRL | Qt::Key_F) },
        { "processTree", QKeySequence(Qt::CTRL | Qt::Key_T) },
        { "open", QKeySequence(Qt::CTRL | Qt::Key_O) },
        { "save", QKeySequence(Qt::CTRL | Qt::Key_S) },
    };
    for (const auto& [name, key] : expected)
        QCOMPARE(m_window->action(name)->shortcut(), key);
    // Open works from the start; Save needs a capture (tst_gui_sessions covers both).
    QVERIFY(m_window->action(QStringLiteral("open"))->isEnabled());
    QVERIFY(!m_window->action(QStringLiteral("save"))->isEnabled());
    QVERIFY(m_window->action(QStringLiteral("save"))->shortcuts().contains(QKeySequence(QKeySequence::SaveAs)));
    // Ctrl+T shows the process tree even after it was closed.
    auto* tree = m_window->findChild<QDockWidget*>(QStringLiteral("processDock"));
    tree->hide();
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QVERIFY(tree->isVisible());
}

QTEST_MAIN(GuiWindowTest)
#include "tst_gui_window.moc"
