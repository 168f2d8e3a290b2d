// The window as a newcomer finds it (issue 16), driving the real widgets offscreen: a right-click
// acts on the row under the cursor at every scroll position; the layout the user had comes back in
// a second window, and a small window keeps the verdict and the Result column readable.
#include "GuiTestSupport.h"
#include "model/CaptureData.h"
#include "ui/EventTableDelegate.h"
#include "ui/EventTableModel.h"
#include "ui/EventTableView.h"
#include "ui/FilterBar.h"
#include "ui/FilterClauses.h"
#include "ui/FilterController.h"
#include "ui/MainWindow.h"
#include "ui/ProcessTreeView.h"
#include "ui/RecentList.h"
#include "ui/SessionController.h"
#include "ui/VerdictPanel.h"
#include "ui/WelcomePage.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace exitlens;
using exitlens::test::fixtureSpec;

class GuiWorkbenchTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void rightClickActsOnTheRowUnderTheCursor();
    void layoutComesBackInTheNextWindow();
    void smallWindowKeepsVerdictAndResultReadable();
    void togglesShowTheirState();
    void countsAgreeAndSeqFits();
    void menusAndNotes();

private:
    void launchAndWait(MainWindow& window, const LaunchSpec& spec);

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_folder;
};

void GuiWorkbenchTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_workbench"));
    QVERIFY(m_folder.isValid());
}

void GuiWorkbenchTest::init()
{
    QSettings().clear(); // every test starts as a first start
    m_window = test::newShownWindow();
    QVERIFY(m_window);
}

void GuiWorkbenchTest::cleanup()
{
    m_window.reset();
}

void GuiWorkbenchTest::launchAndWait(MainWindow& window, const LaunchSpec& spec)
{
    QSignalSpy finished(&window, &MainWindow::captureFinished);
    window.launch(spec);
    QVERIFY(window.isCapturing());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
}

void GuiWorkbenchTest::rightClickActsOnTheRowUnderTheCursor()
{
    launchAndWait(*m_window, fixtureSpec("file_storm", m_folder.path(), { m_folder.path().toStdString() }));
    EventTableView* view = m_window->eventView();
    EventTableModel* model = m_window->eventModel();
    QVERIFY2(
        model->rowCount() > 4 * view->visibleRowCount(), qPrintable(QStringLiteral("%1 rows").arg(model->rowCount())));
    const std::shared_ptr<const CaptureData> data = m_window->capture();
    QScrollBar* scroll = view->verticalScrollBar();

    // A right click arrives at the viewport, in its coordinates, as the platform delivers it.
    for (const int pointSize : { 0, 16 }) {
        if (pointSize > 0) {
            QFont font = view->font();
            font.setPointSize(pointSize); // taller rows
            view->setFont(font);
        }
        for (const int position : { 0, scroll->maximum() / 3, scroll->maximum() / 2, scroll->maximum() }) {
            scroll->setValue(position);
            QCoreApplication::processEvents();
            const int row = qMin(view->firstVisibleRow() + 5, model->rowCount() - 1);
            const int x = view->header()->sectionViewportPosition(EventTableModel::OperationColumn) + 5;
            const QPoint at(x, view->rowRect(row).top() + 2);
            const QString expected =
                FilterClauses::cellClause(*data, model->seqAt(row), EventTableModel::OperationColumn, true);
            QVERIFY(!expected.isEmpty());

            QSignalSpy requested(view, &EventTableView::contextMenuRequested);
            QStringList offered;
            QTimer::singleShot(0, this, [&offered] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                if (!menu)
                    return;
                for (QAction* action : menu->actions())
                    offered << action->text();
                menu->close();
            });
            QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
            QApplication::sendEvent(view->viewport(), &event);
            QCOMPARE(requested.size(), 1);
            QCOMPARE(requested.at(0).at(1).toInt(), row);
            // The menu offers the values of that row.
            QVERIFY2(offered.contains(QStringLiteral("&Include: %1").arg(expected)), qPrintable(offered.join(" | ")));
        }
    }
}

void GuiWorkbenchTest::layoutComesBackInTheNextWindow()
{
    launchAndWait(*m_window, fixtureSpec("exit_normal", m_folder.path()));
    auto* verdict = m_window->findChild<QDockWidget*>(QStringLiteral("verdictDock"));
    QVERIFY(verdict->isVisible());
    m_window->resizeDocks({ verdict }, { 560 }, Qt::Horizontal);
    QTRY_VERIFY(qAbs(verdict->width() - 560) <= 8);
    const int width = verdict->width();
    m_window->close(); // remembers the layout
    m_window.reset();

    MainWindow again;
    again.setConfirmations(false);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    launchAndWait(again, fixtureSpec("exit_normal", m_folder.path()));
    auto* restored = again.findChild<QDockWidget*>(QStringLiteral("verdictDock"));
    QVERIFY(restored->isVisible());
    QTRY_VERIFY2(qAbs(restored->width() - width) <= 8,
        qPrintable(QStringLiteral("verdict %1 px wide, was %2").arg(restored->width()).arg(width)));
    // Closed on the welcome page, the window still remembers the layout the user worked in.
    again.close();
    MainWindow third;
    third.setConfirmations(false);
    third.show();
    QVERIFY(QTest::qWaitForWindowExposed(&third));
    third.close();
    MainWindow fourth;
    fourth.setConfirmations(false);
    fourth.show();
    QVERIFY(QTest::qWaitForWindowExposed(&fourth));
    launchAndWait(fourth, fixtureSpec("exit_normal", m_folder.path()));
    auto* fourthVerdict = fourth.findChild<QDockWidget*>(QStringLiteral("verdictDock"));
    QTRY_VERIFY2(qAbs(fourthVerdict->width() - width) <= 8,
        qPrintable(QStringLiteral("verdict %1 px wide, was %2").arg(fourthVerdict->width()).arg(width)));
    fourth.close();
}

void GuiWorkbenchTest::smallWindowKeepsVerdictAndResultReadable()
{
    m_window.reset();
    QSettings().clear();
    MainWindow window;
    window.setConfirmations(false);
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTemporaryDir folder;
    launchAndWait(window, fixtureSpec("missing_file", folder.path()));
    QCoreApplication::processEvents();
    // The verdict reads without a horizontal scroll bar, its headline wrapped inside the pane.
    auto* verdictDock = window.findChild<QDockWidget*>(QStringLiteral("verdictDock"));
    QVERIFY(verdictDock->isVisible());
    auto* scroll = window.verdictPanel()->findChild<QScrollArea*>();
    QVERIFY(scroll);
    QTRY_VERIFY2(!scroll->horizontalScrollBar()->isVisible(),
        qPrintable(QStringLiteral("verdict %1 px wide").arg(verdictDock->width())));
    auto* copy = window.verdictPanel()->findChild<QPushButton*>();
    QVERIFY(copy);
    const QRect copyRect(copy->mapTo(scroll->viewport(), QPoint(0, 0)), copy->size());
    QVERIFY(scroll->viewport()->rect().contains(copyRect));
    // The table's Result column is in view, whole.
    EventTableView* view = window.eventView();
    const int left = view->header()->sectionViewportPosition(EventTableModel::ResultColumn);
    const int right = left + view->header()->sectionSize(EventTableModel::ResultColumn);
    QVERIFY2(left >= 0 && right <= view->viewport()->width(),
        qPrintable(QStringLiteral("Result at %1..%2 of %3").arg(left).arg(right).arg(view->viewport()->width())));
    window.close();
}

void GuiWorkbenchTest::togglesShowTheirState()
{
    // The platform's checked look: check boxes bound to the toggles' actions.
    FilterBar* bar = m_window->filterBar();
    auto* noise = bar->findChild<QCheckBox*>(QStringLiteral("hideRuntimeNoiseBox"));
    QVERIFY(noise);
    QVERIFY(noise->isChecked());
    QVERIFY(bar->hidesNoise());
    for (const QString& name : { QStringLiteral("show-process"), QStringLiteral("show-file") }) {
        auto* box = bar->findChild<QCheckBox*>(name + QStringLiteral("Box"));
        QVERIFY2(box, qPrintable(name));
        QVERIFY(box->isChecked());
    }
    launchAndWait(*m_window, fixtureSpec("file_storm", m_folder.path(), { m_folder.path().toStdString() }));
    // The count of hidden events beside the noise toggle.
    const quint64 hidden = m_window->filterController()->hiddenNoise();
    QVERIFY(hidden > 0);
    QTRY_VERIFY2(noise->text().contains(QLocale().toString(hidden)), qPrintable(noise->text()));
    const int rowsHiding = m_window->eventModel()->rowCount();
    noise->click();
    QVERIFY(!bar->hidesNoise());
    QVERIFY(!noise->isChecked());
    QTRY_VERIFY(m_window->eventModel()->rowCount() > rowsHiding);
    // Show everything (a hidden event was asked for) puts the boxes in step with their actions.
    auto* file = bar->findChild<QCheckBox*>(QStringLiteral("show-fileBox"));
    file->click();
    QVERIFY(!file->isChecked());
    m_window->filterController()->showEverything();
    QVERIFY(file->isChecked());
}

void GuiWorkbenchTest::countsAgreeAndSeqFits()
{
    launchAndWait(*m_window, fixtureSpec("file_storm", m_folder.path(), { m_folder.path().toStdString() }));
    FilterBar* bar = m_window->filterBar();
    QTRY_VERIFY2(m_window->statusText().contains(bar->countText()),
        qPrintable(m_window->statusText() + QStringLiteral(" / ") + bar->countText()));
    bar->setExpression(QStringLiteral("failed"), true);
    QTRY_VERIFY(bar->countText().contains(QStringLiteral(" of ")));
    QVERIFY2(m_window->statusText().contains(bar->countText()),
        qPrintable(m_window->statusText() + QStringLiteral(" / ") + bar->countText()));
    // Clear hides what was shown: both say so, with the same numbers.
    m_window->action(QStringLiteral("clear"))->trigger();
    QTRY_VERIFY2(m_window->statusText().contains(bar->countText()),
        qPrintable(m_window->statusText() + QStringLiteral(" / ") + bar->countText()));
    QVERIFY(bar->countText().startsWith(QStringLiteral("0 ")));
    // A seven-digit sequence number beside the bookmark icon is not elided.
    EventTableView* view = m_window->eventView();
    const int needed = 2 * EventTableDelegate::kPadding + EventTableDelegate::kIconSize + 4
        + view->fontMetrics().horizontalAdvance(QStringLiteral("1281360"));
    QVERIFY2(view->header()->sectionSize(EventTableModel::SeqColumn) >= needed,
        qPrintable(QStringLiteral("%1 < %2").arg(view->header()->sectionSize(EventTableModel::SeqColumn)).arg(needed)));
}

void GuiWorkbenchTest::menusAndNotes()
{
    // View lists the panes in their shortcut order.
    QMenu* view = m_window->menuBar()->findChild<QMenu*>(QStringLiteral("viewMenu"));
    QVERIFY(view);
    QList<QKeySequence> keys;
    for (QAction* action : view->actions()) {
        if (action->objectName().endsWith(QStringLiteral("DockToggle")))
            keys << action->shortcut();
    }
    QCOMPARE(keys,
        (QList<QKeySequence> { QKeySequence(Qt::CTRL | Qt::Key_1), QKeySequence(Qt::CTRL | Qt::Key_2),
            QKeySequence(Qt::CTRL | Qt::Key_3), QKeySequence(Qt::CTRL | Qt::Key_4) }));
    // So does the shortcuts list.
    for (QAction* action : m_window->findChildren<QAction*>()) {
        if (action->text() == QStringLiteral("&Keyboard Shortcuts"))
            action->trigger();
    }
    auto* shortcuts = m_window->findChild<QMessageBox*>(QStringLiteral("shortcutsDialog"));
    QVERIFY(shortcuts);
    const QString list = shortcuts->text();
    int last = -1;
    for (int digit = 1; digit <= 4; ++digit) {
        const int at =
            list.indexOf(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + digit)).toString(QKeySequence::NativeText));
        QVERIFY2(at > last, qPrintable(list));
        last = at;
    }
    shortcuts->close();

    launchAndWait(*m_window, fixtureSpec("missing_file", m_folder.path()));
    QVERIFY(m_window->sessions()->waitForAutosave(30000));
    const QString session = m_window->sessionPath();
    QVERIFY(!session.isEmpty());

    // Tab into the process tree selects nothing and filters nothing.
    const QString before = m_window->filterBar()->appliedExpression();
    m_window->processView()->setFocus(Qt::TabFocusReason);
    QCoreApplication::processEvents();
    QCOMPARE(m_window->filterBar()->appliedExpression(), before);

    // The note on the verdict: its dialog says where it shows, and Ctrl+Enter saves it.
    m_window->action(QStringLiteral("verdictNote"))->trigger();
    auto* dialog = m_window->findChild<QDialog*>(QStringLiteral("noteDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    bool saysVerdict = false;
    for (QLabel* label : dialog->findChildren<QLabel*>())
        saysVerdict = saysVerdict || label->text().contains(QStringLiteral("under the verdict"));
    QVERIFY(saysVerdict);
    auto* text = dialog->findChild<QPlainTextEdit*>(QStringLiteral("noteText"));
    QVERIFY(text);
    text->setFocus();
    QTest::keyClicks(text, QStringLiteral("first line"));
    QTest::keyClick(text, Qt::Key_Return);
    QTest::keyClicks(text, QStringLiteral("second"));
    QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(!dialog->isVisible() || dialog->result() == QDialog::Accepted);
    QTRY_COMPARE(m_window->sessions()->noteText(std::nullopt), QStringLiteral("first line\nsecond"));
    QVERIFY(m_window->verdictPanel()->noteText().contains(QStringLiteral("second")));

    // File > Close goes back to the welcome page; File > Open Recent brings the session back.
    QAction* close = m_window->action(QStringLiteral("closeSession"));
    QVERIFY(close);
    QVERIFY(close->isEnabled());
    close->trigger();
    QVERIFY(!m_window->capture());
    QVERIFY(m_window->welcomePage()->isVisible());
    QVERIFY(!close->isEnabled());
    QMenu* recent = m_window->menuBar()->findChild<QMenu*>(QStringLiteral("recentMenu"));
    QVERIFY(recent);
    Q_EMIT recent->aboutToShow();
    QAction* entry = nullptr;
    for (QAction* action : recent->actions()) {
        if (action->data().toString() == session)
            entry = action;
    }
    QVERIFY2(entry, qPrintable(RecentList(QStringLiteral("sessions/recent")).items().join(QLatin1Char(' '))));
    QSignalSpy opened(m_window.get(), &MainWindow::sessionOpened);
    entry->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 30000);
    QVERIFY(m_window->capture());
    QVERIFY(!m_window->welcomePage()->isVisible());
}

QTEST_MAIN(GuiWorkbenchTest)
#include "tst_gui_workbench.moc"
