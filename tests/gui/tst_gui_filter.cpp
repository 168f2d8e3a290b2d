// The window's display filter on real captures: the filter bar's states for typed input (empty,
// still typing, invalid with the error's position, valid, busy), completion of field names and
// of values seen in the capture, the table's rows after a filter equal to what CompiledFilter
// accepts (in the worker and on the GUI thread, and live while a program runs), a newer filter
// winning over an older one, the right-click quick filters, the class toggles and the runtime
// noise switch with its count.
#include "GuiTestSupport.h"
#include "TestPaths.h"
#include "capture/CaptureEngine.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"
#include "ui/EventTableModel.h"
#include "ui/FilterBar.h"
#include "ui/FilterClauses.h"
#include "ui/FilterCompleter.h"
#include "ui/FilterController.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <set>

using namespace exitlens;

namespace {
LaunchSpec fixtureSpec(const QString& name, const QString& workingDirectory)
{
    return test::fixtureSpec(name, workingDirectory, {}, { .pipes = true });
}

std::vector<std::uint64_t> rowsOf(const EventTableModel& model)
{
    std::vector<std::uint64_t> rows;
    for (int row = 0; row < model.rowCount(); ++row)
        rows.push_back(model.seqAt(row));
    return rows;
}

// What the filter language itself says the rows are: the reference the window must match.
std::vector<std::uint64_t> accepted(const std::shared_ptr<const CaptureData>& data, const QString& expression)
{
    FilterParseResult parsed = FilterParser::parse(expression.toStdString());
    if (!parsed.valid()) {
        qWarning("not valid: %s (%s)", qPrintable(expression), parsed.error.c_str());
        return {};
    }
    CompiledFilter filter(std::move(parsed.root), data);
    std::vector<std::uint64_t> rows;
    filter.scan(0, data->events().size(), rows);
    return rows;
}

// The window's filter parts around one capture, as MainWindow wires them.
struct Workbench {
    EventTableModel model;
    FilterBar bar;
    FilterController controller { &model, &bar };
    QAbstractItemModelTester tester { &model, QAbstractItemModelTester::FailureReportingMode::QtTest };

    explicit Workbench(const std::shared_ptr<const CaptureData>& data)
    {
        model.setCapture(data);
        controller.setCapture(data);
        controller.sync(data->events().size());
    }
    bool settled() const { return !controller.busy(); }
};
} // namespace

class GuiFilterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void barStatesForTypedInput();
    void completionOffersFieldsAndCaptureValues();
    void rowsEqualWhatCompiledFilterAccepts_data();
    void rowsEqualWhatCompiledFilterAccepts();
    void liveRowsAreTestedAsTheyArrive();
    void newerFilterWins();
    void quickFiltersBuildTheExpectedRows();
    void classTogglesAndNoiseSwitch();

private:
    std::unique_ptr<test::ThreadedEngine> m_engine;
    QTemporaryDir m_folder;
    std::shared_ptr<const CaptureData> m_noise; // preempt_noise: SIGURG noise, a failed open, output
    std::shared_ptr<const CaptureData> m_children; // child_crash: a parent and a crashing child
};

void GuiFilterTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_filter"));
    QVERIFY(m_folder.isValid());
    m_engine = std::make_unique<test::ThreadedEngine>();
    m_noise = m_engine->capture(fixtureSpec(QStringLiteral("preempt_noise"), m_folder.path()));
    QVERIFY(m_noise && m_noise->events().size() > 0);
    m_children = m_engine->capture(fixtureSpec(QStringLiteral("child_crash"), m_folder.path()));
    QVERIFY(m_children && m_children->processes().snapshot().size() >= 2);
}

void GuiFilterTest::cleanupTestCase()
{
    m_engine.reset();
}

void GuiFilterTest::init()
{
    QSettings().clear(); // history and toggles start from their defaults
}

void GuiFilterTest::barStatesForTypedInput()
{
    FilterBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy applied(&bar, &FilterBar::expressionApplied);
    QCOMPARE(bar.state(), FilterBar::State::Empty);
    const QImage emptyIcon = bar.stateIcon().pixmap(16).toImage();

    // Still typing: neutral, never red — also once the typing pauses.
    bar.filterField()->setFocus();
    QTest::keyClicks(bar.filterField(), QStringLiteral("path conta"));
    QCOMPARE(bar.state(), FilterBar::State::Typing);
    bar.validateNow();
    QCOMPARE(bar.state(), FilterBar::State::Typing);
    QCOMPARE(bar.errorPosition(), -1);
    const QImage typingIcon = bar.stateIcon().pixmap(16).toImage();

    // Invalid after the debounce: red, the message beside, the caret under the token.
    bar.filterField()->clear();
    QTest::keyClicks(bar.filterField(), QStringLiteral("pathh == x"));
    QTRY_COMPARE(bar.state(), FilterBar::State::Invalid);
    QCOMPARE(bar.errorPosition(), 0);
    QVERIFY2(bar.stateMessage().contains(QStringLiteral("did you mean 'path'")), qPrintable(bar.stateMessage()));
    QVERIFY(bar.filterField()->toolTip().contains(QStringLiteral("\n^^^^^<")));
    const QImage invalidIcon = bar.stateIcon().pixmap(16).toImage();
    QTest::keyClick(bar.filterField(), Qt::Key_Return);
    QCOMPARE(applied.size(), 0); // an invalid filter is never applied
    bar.setExpression(QStringLiteral("path == x and pathh == y"), false);
    QCOMPARE(bar.state(), FilterBar::State::Invalid);
    QCOMPARE(bar.errorPosition(), 14);

    // Enter on an unfinished expression: now it is a mistake.
    bar.setExpression(QStringLiteral("path =="), false);
    QCOMPARE(bar.state(), FilterBar::State::Typing);
    QTest::keyClick(bar.filterField(), Qt::Key_Return);
    QCOMPARE(bar.state(), FilterBar::State::Invalid);
    QCOMPARE(applied.size(), 0);

    // Valid: green, applied on Enter, remembered.
    bar.filterField()->clear();
    QTest::keyClicks(bar.filterField(), QStringLiteral("path contains conf"));
    QTRY_COMPARE(bar.state(), FilterBar::State::Valid);
    QCOMPARE(bar.stateMessage(), QStringLiteral("Enter to apply"));
    const QImage validIcon = bar.stateIcon().pixmap(16).toImage();
    QTest::keyClick(bar.filterField(), Qt::Key_Return);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.front().front().toString(), QStringLiteral("path contains conf"));
    QCOMPARE(bar.appliedExpression(), QStringLiteral("path contains conf"));
    QCOMPARE(bar.history().value(0), QStringLiteral("path contains conf"));

    bar.setBusy(true);
    QCOMPARE(bar.state(), FilterBar::State::Busy);
    const QImage busyIcon = bar.stateIcon().pixmap(16).toImage();
    bar.setBusy(false);
    QCOMPARE(bar.state(), FilterBar::State::Valid);

    // Each state has its own shape, so it reads without colour.
    const QList<QImage> icons { emptyIcon, typingIcon, invalidIcon, validIcon, busyIcon };
    for (int i = 0; i < icons.size(); ++i) {
        QVERIFY(!icons[i].isNull());
        for (int j = i + 1; j < icons.size(); ++j)
            QVERIFY2(icons[i] != icons[j], qPrintable(QStringLiteral("icons %1 and %2").arg(i).arg(j)));
    }

    // The clear button applies "everything".
    bar.filterField()->clear();
    QCOMPARE(applied.size(), 2);
    QCOMPARE(applied.back().front().toString(), QString());
    QCOMPARE(bar.state(), FilterBar::State::Empty);
}

void GuiFilterTest::completionOffersFieldsAndCaptureValues()
{
    using Slot = FilterCompleter::Slot;
    // Where the cursor is decides what can come next.
    QCOMPARE(FilterCompleter::contextAt(QStringLiteral("pro"), 3).slot, Slot::Field);
    QCOMPARE(FilterCompleter::contextAt(QStringLiteral("pro"), 3).prefix, QStringLiteral("pro"));
    QCOMPARE(FilterCompleter::contextAt(QStringLiteral("path "), 5).slot, Slot::Operator);
    const auto value = FilterCompleter::contextAt(QStringLiteral("failed and errno == EN"), 22);
    QCOMPARE(value.slot, Slot::Value);
    QCOMPARE(value.field, QStringLiteral("errno"));
    QCOMPARE(value.prefix, QStringLiteral("EN"));
    QCOMPARE(value.start, 20);
    const auto inList = FilterCompleter::contextAt(QStringLiteral("op in (openat, "), 15);
    QCOMPARE(inList.slot, Slot::Value);
    QCOMPARE(inList.field, QStringLiteral("op"));
    QCOMPARE(FilterCompleter::contextAt(QStringLiteral("failed "), 7).slot, Slot::Keyword);
    QCOMPARE(FilterCompleter::contextAt(QStringLiteral("process == \"my a"), 16).prefix, QStringLiteral("my a"));

    Workbench bench(m_noise);
    bench.bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bench.bar));
    QLineEdit* field = bench.bar.filterField();
    field->setFocus();
    QTest::keyClicks(field, QStringLiteral("pro"));
    QVERIFY2(bench.bar.completer()->candidates().contains(QStringLiteral("process")),
        qPrintable(bench.bar.completer()->candidates().join(QLatin1Char(' '))));
    QVERIFY(!bench.bar.completer()->candidates().contains(QStringLiteral("path")));

    const auto valuesAfter = [&](const QString& text) {
        field->setText(text);
        field->setCursorPosition(int(text.size()));
        bench.bar.completer()->refresh(true);
        return bench.bar.completer()->candidates();
    };
    // Values seen in this capture.
    QVERIFY(valuesAfter(QStringLiteral("process == ")).contains(QStringLiteral("preempt_noise")));
    QVERIFY(valuesAfter(QStringLiteral("errno == ")).contains(QStringLiteral("ENOENT")));
    QVERIFY(valuesAfter(QStringLiteral("op == ")).contains(QStringLiteral("openat")));
    QVERIFY(valuesAfter(QStringLiteral("signal == ")).contains(QStringLiteral("SIGURG")));
    const QStringList prefixes = valuesAfter(QStringLiteral("path startswith "));
    QVERIFY2(prefixes.contains(QStringLiteral("/tmp/")), qPrintable(prefixes.join(QLatin1Char(' '))));
    QVERIFY(valuesAfter(QStringLiteral("class == f")).contains(QStringLiteral("file")));

    // Choosing a completion replaces only the word at the cursor.
    valuesAfter(QStringLiteral("failed and process == pre"));
    Q_EMIT bench.bar.completer()->completer()->activated(QStringLiteral("preempt_noise"));
    QCOMPARE(field->text(), QStringLiteral("failed and process == preempt_noise"));
    valuesAfter(QStringLiteral("pa"));
    Q_EMIT bench.bar.completer()->completer()->activated(QStringLiteral("path"));
    QCOMPARE(field->text(), QStringLiteral("path "));
}

void GuiFilterTest::rowsEqualWhatCompiledFilterAccepts_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<bool>("worker");
    const QStringList expressions { QStringLiteral("class == file"), QStringLiteral("failed"), QStringLiteral("noise"),
        QStringLiteral("op == openat or signal == SIGURG"), QStringLiteral("path contains missing and failed"),
        QStringLiteral("not class in (signal, thread)"),
        QStringLiteral("process == preempt_noise and kind == process_exit") };
    for (const QString& expression : expressions) {
        QTest::addRow("worker: %s", qPrintable(expression)) << expression << true;
        QTest::addRow("gui: %s", qPrintable(expression)) << expression << false;
    }
}

void GuiFilterTest::rowsEqualWhatCompiledFilterAccepts()
{
    QFETCH(QString, expression);
    QFETCH(bool, worker);
    Workbench bench(m_noise);
    bench.bar.setHideNoise(false);
    if (worker)
        bench.controller.setSynchronousLimit(0);
    bench.bar.setExpression(expression);
    QCOMPARE(bench.controller.busy(), worker);
    QTRY_VERIFY(bench.settled());
    const auto expected = accepted(m_noise, expression);
    QVERIFY(!expected.empty());
    QCOMPARE(rowsOf(bench.model), expected);
    const QString count = bench.bar.countText();
    QCOMPARE(count,
        QStringLiteral("%1 of %2 events")
            .arg(QLocale().toString(qulonglong(expected.size())),
                QLocale().toString(qulonglong(m_noise->events().size()))));
}

void GuiFilterTest::liveRowsAreTestedAsTheyArrive()
{
    EventTableModel model;
    FilterBar bar;
    FilterController controller(&model, &bar);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    bar.setExpression(QStringLiteral("class == file or kind == process_exit"));
    int ticks = 0;
    const auto data = m_engine->capture(
        fixtureSpec(QStringLiteral("worker_pool"), m_folder.path()),
        [&](std::shared_ptr<const CaptureData> started) {
            model.setCapture(started);
            controller.setCapture(started);
        },
        [&](quint64 first, quint64 count) {
            controller.sync(first + count);
            ++ticks;
        });
    QVERIFY(data);
    controller.sync(data->events().size());
    QTRY_VERIFY(!controller.busy());
    QVERIFY(ticks > 0);
    QCOMPARE(controller.effectiveExpression(), QStringLiteral("(class == file or kind == process_exit) and not noise"));
    const auto expected = accepted(data, controller.effectiveExpression());
    QVERIFY(expected.size() > 2);
    QCOMPARE(rowsOf(model), expected);
}

void GuiFilterTest::newerFilterWins()
{
    Workbench bench(m_noise);
    bench.controller.setSynchronousLimit(0); // both through the worker
    QSignalSpy replaced(&bench.controller, &FilterController::rowsReplaced);
    bench.bar.setExpression(QStringLiteral("class == file"));
    bench.bar.setExpression(QStringLiteral("class == signal or class == output"));
    QTRY_VERIFY(bench.settled());
    // Only the newest answer reached the table; the older scan's rows were never shown.
    QCOMPARE(replaced.size(), 1);
    QCOMPARE(rowsOf(bench.model), accepted(m_noise, bench.controller.effectiveExpression()));
    QVERIFY(bench.controller.effectiveExpression().startsWith(QStringLiteral("(class == signal")));
}

void GuiFilterTest::quickFiltersBuildTheExpectedRows()
{
    // Values come back from the parser as they went in, however they are quoted.
    for (const QString& value : { QStringLiteral("openat"), QStringLiteral("/etc/app.conf"),
             QStringLiteral("a \"b\" c\\d"), QStringLiteral("and"), QString(), QStringLiteral("x==y (z)") }) {
        const QString clause = FilterClauses::comparison(QStringLiteral("path"), QStringLiteral("=="), value);
        const FilterParseResult parsed = FilterParser::parse(clause.toStdString());
        QVERIFY2(parsed.valid(), qPrintable(clause));
        QCOMPARE(QString::fromStdString(parsed.root->values.front()), value);
    }
    QCOMPARE(FilterClauses::conjoin({ QStringLiteral("a == 1 or b == 2"), QStringLiteral("failed") }),
        QStringLiteral("(a == 1 or b == 2) and failed"));

    Workbench bench(m_children);
    const auto& events = m_children->events();
    std::uint64_t openat = events.size();
    for (std::uint64_t seq = 0; seq < events.size() && openat == events.size(); ++seq) {
        if (m_children->text(events.at(seq).op) == "openat")
            openat = seq;
    }
    QVERIFY(openat < events.size());

    bench.controller.filterCell(openat, EventTableModel::OperationColumn, true);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("op == openat"));
    QVERIFY(bench.model.rowCount() > 0);
    for (int row = 0; row < bench.model.rowCount(); ++row)
        QCOMPARE(m_children->text(bench.model.eventAt(row).op), std::string_view("openat"));
    QCOMPARE(rowsOf(bench.model), accepted(m_children, bench.controller.effectiveExpression()));

    bench.bar.setExpression(QString());
    const int all = bench.model.rowCount();
    bench.controller.filterCell(openat, EventTableModel::OperationColumn, false);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("op != openat"));
    QVERIFY(bench.model.rowCount() < all);
    for (int row = 0; row < bench.model.rowCount(); ++row)
        QVERIFY(m_children->text(bench.model.eventAt(row).op) != "openat");

    // Only failures, added to what is there.
    bench.controller.onlyFailures();
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("op != openat and failed"));
    QVERIFY(bench.model.rowCount() > 0);
    for (int row = 0; row < bench.model.rowCount(); ++row)
        QVERIFY(bench.model.eventAt(row).failed());
    QCOMPARE(rowsOf(bench.model), accepted(m_children, bench.controller.effectiveExpression()));

    // The parent and its children: every event of both processes, nothing else.
    bench.bar.setExpression(QString());
    const int root = m_children->events().at(0).pid; // the launched program
    int child = 0;
    for (const ProcessRecord& record : m_children->processes().snapshot()) {
        if (record.ppid == root)
            child = record.pid;
    }
    QVERIFY(root > 0 && child > 0);
    bench.controller.processAndChildren(root);
    QCOMPARE(bench.bar.appliedExpression(),
        QStringLiteral("pid in (%1, %2)").arg(std::min(root, child)).arg(std::max(root, child)));
    std::set<int> pids;
    for (int row = 0; row < bench.model.rowCount(); ++row)
        pids.insert(bench.model.eventAt(row).pid);
    QCOMPARE(pids, (std::set<int> { root, child }));
    QCOMPARE(rowsOf(bench.model), accepted(m_children, bench.controller.effectiveExpression()));

    // The process tree's selection replaces its own clause and leaves the rest alone.
    bench.bar.setExpression(QStringLiteral("failed"));
    bench.controller.followTreeSelection(child);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("failed and pid == %1").arg(child));
    bench.controller.followTreeSelection(root);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("failed and pid == %1").arg(root));
    for (int row = 0; row < bench.model.rowCount(); ++row)
        QCOMPARE(bench.model.eventAt(row).pid, root);
    bench.controller.followTreeSelection(0);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("failed"));
    bench.bar.treeSelectionAction()->setChecked(false);
    bench.controller.followTreeSelection(child);
    QCOMPARE(bench.bar.appliedExpression(), QStringLiteral("failed"));
}

void GuiFilterTest::classTogglesAndNoiseSwitch()
{
    Workbench bench(m_noise);
    // Hidden by default, and counted.
    QVERIFY(bench.bar.hidesNoise());
    const std::size_t noise = accepted(m_noise, QStringLiteral("noise")).size();
    QVERIFY2(noise > 0, "preempt_noise made no SIGURG preemption");
    QCOMPARE(bench.controller.hiddenNoise(), quint64(noise));
    const int quiet = bench.model.rowCount();
    QCOMPARE(std::size_t(quiet), m_noise->events().size() - noise);
    QVERIFY2(bench.bar.noiseStatusLabel()->text().contains(QLocale().toString(qulonglong(noise))),
        qPrintable(bench.bar.noiseStatusLabel()->text()));
    QCOMPARE(bench.bar.countText(),
        QStringLiteral("%1 of %2 events")
            .arg(QLocale().toString(quiet), QLocale().toString(qulonglong(m_noise->events().size()))));

    // One click shows them.
    Q_EMIT bench.bar.noiseStatusLabel()->linkActivated(QStringLiteral("show"));
    QVERIFY(!bench.bar.hidesNoise());
    QCOMPARE(bench.model.rowCount(), quiet + int(noise));
    QCOMPARE(bench.bar.countText(),
        QStringLiteral("%1 events").arg(QLocale().toString(qulonglong(m_noise->events().size()))));
    bench.bar.setHideNoise(true);
    QCOMPARE(bench.model.rowCount(), quiet);

    // The noise count follows the rest of the filter: hiding signals leaves no noise to hide.
    bench.bar.classAction(FilterBar::ClassToggle::Signal)->setChecked(false);
    QCOMPARE(bench.controller.effectiveExpression(), QStringLiteral("not class in (signal) and not noise"));
    QCOMPARE(
        bench.controller.hiddenNoise(), quint64(accepted(m_noise, QStringLiteral("noise and class != signal")).size()));
    const int withoutSignals = bench.model.rowCount();
    QVERIFY(withoutSignals < quiet || accepted(m_noise, QStringLiteral("class == signal and not noise")).empty());
    bench.bar.classAction(FilterBar::ClassToggle::Signal)->setChecked(true);

    // Each class toggle takes its class away.
    bench.bar.classAction(FilterBar::ClassToggle::File)->setChecked(false);
    const int withoutFiles = bench.model.rowCount();
    QVERIFY(withoutFiles < quiet);
    for (int row = 0; row < withoutFiles; ++row)
        QVERIFY(bench.model.eventAt(row).cls != EventClass::File);
    bench.bar.classAction(FilterBar::ClassToggle::Output)->setChecked(false);
    QCOMPARE(bench.controller.effectiveExpression(), QStringLiteral("not class in (file, output) and not noise"));
    QVERIFY(bench.model.rowCount() < withoutFiles);
    bench.bar.classAction(FilterBar::ClassToggle::Process)->setChecked(false);
    for (int row = 0; row < bench.model.rowCount(); ++row) {
        const EventClass cls = bench.model.eventAt(row).cls;
        QVERIFY(cls != EventClass::Process && cls != EventClass::Thread && cls != EventClass::Output);
    }
    QCOMPARE(rowsOf(bench.model), accepted(m_noise, bench.controller.effectiveExpression()));

    // Back to everything.
    bench.controller.showEverything();
    QCOMPARE(std::size_t(bench.model.rowCount()), m_noise->events().size());
    QCOMPARE(bench.controller.effectiveExpression(), QString());
}

QTEST_MAIN(GuiFilterTest)
#include "tst_gui_filter.moc"
