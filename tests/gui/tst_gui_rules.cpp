// The rules dialog (Filter Rules…, Ctrl+Shift+L) as widgets under the offscreen platform: the
// filter bar's expression read back into Process Monitor-style rules and rebuilt unchanged, an
// expression without that shape kept as one raw row, rules added from the editor, an invalid value
// refused, and OK putting the expression in the bar and the highlight colours on a real capture's
// rows; highlight rules remembered for the next window.
#include "TestPaths.h"
#include "filter/FilterParser.h"
#include "integration/TraceRun.h"
#include "session/SessionFile.h"
#include "ui/EventTableModel.h"
#include "ui/FilterBar.h"
#include "ui/FilterPresetMenu.h"
#include "ui/FilterRuleTable.h"
#include "ui/FilterRulesController.h"
#include "ui/FilterRulesDialog.h"
#include "ui/HighlightRules.h"
#include "ui/LaunchDialog.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace exitlens;
using exitlens::test::TraceRun;

namespace {
// A window's filter bar, table model (showing a capture) and rules controller, as MainWindow wires them.
struct RulesWindow {
    explicit RulesWindow(const std::shared_ptr<const CaptureData>& capture)
    {
        model.setCapture(capture);
        model.syncTo(capture->events().size());
    }
    QWidget window;
    FilterBar bar { &window };
    EventTableModel model;
    FilterRulesController controller { &bar, &model, &window };
};
} // namespace

class GuiRulesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void expressionBecomesRulesAndBack_data();
    void expressionBecomesRulesAndBack();
    void otherShapesStayOneRawRow();
    void editorAddsReplacesAndDisables();
    void invalidRulesCannotBeApplied();
    void okAppliesToTheBarAndHighlightsRows();
    void highlightRulesAreRemembered();
    void presetsPersistInSettingsAndSession();
    void captureClassesFromTheLaunchDialogToTheReport();

private:
    QTemporaryDir m_dir;
    TraceRun m_run;
};

void GuiRulesTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_rules"));
    QSettings().clear();
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.workingDirectory = m_dir.path().toStdString();
    m_run = TraceRun::run(spec);
    QCOMPARE(m_run.summary.rootStatus.code, 1);
}

void GuiRulesTest::expressionBecomesRulesAndBack_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("excluded");
    QTest::newRow("one include") << "path contains conf" << 1 << 0;
    QTest::newRow("alternatives and a second field")
        << "(path contains conf or path endswith .json) and class == file" << 3 << 0;
    QTest::newRow("excludes") << "class == file and not op == close and not failed" << 3 << 2;
    QTest::newRow("quoted value and a list")
        << "path startswith \"/my dir/x y\" and errno in (ENOENT, EACCES)" << 2 << 0;
    QTest::newRow("numbers") << "pid >= 100 and duration > 5ms" << 2 << 0;
    QTest::newRow("boolean") << "failed" << 1 << 0;
}

void GuiRulesTest::expressionBecomesRulesAndBack()
{
    QFETCH(QString, expression);
    QFETCH(int, rows);
    QFETCH(int, excluded);
    FilterRulesDialog dialog;
    dialog.setExpression(expression);
    QTableWidget* table = dialog.filterRules()->table();
    QCOMPARE(table->rowCount(), rows);
    int exclusions = 0;
    for (int row = 0; row < table->rowCount(); ++row) {
        QVERIFY(table->item(row, 1)->text() != QLatin1String("expression")); // no raw row
        QCOMPARE(table->item(row, 0)->checkState(), Qt::Checked);
        exclusions += table->item(row, 4)->text() == QLatin1String("Exclude") ? 1 : 0;
    }
    QCOMPARE(exclusions, excluded);
    // Rebuilt exactly, shown live, and read back into the same rules.
    QCOMPARE(dialog.expression(), expression);
    QCOMPARE(dialog.expressionView()->text(), expression);
    const auto before = dialog.filterRules()->rows();
    dialog.setExpression(dialog.expression());
    QCOMPARE(dialog.filterRules()->rows(), before);
}

void GuiRulesTest::otherShapesStayOneRawRow()
{
    for (const QString& expression :
        { QStringLiteral("failed or pid == 3"), QStringLiteral("path contains a and path contains b"),
            QStringLiteral("not (class == file and failed)") }) {
        FilterRulesDialog dialog;
        dialog.setExpression(expression);
        QTableWidget* table = dialog.filterRules()->table();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("expression"));
        QCOMPARE(table->item(0, 3)->text(), expression);
        // Kept whole: the bar gets the same filter back.
        QCOMPARE(dialog.expression(), "(" + expression + ")");
        QVERIFY(dialog.expressionError().isEmpty());
    }
}

void GuiRulesTest::editorAddsReplacesAndDisables()
{
    FilterRulesDialog dialog;
    FilterRuleTable* rules = dialog.filterRules();
    rules->fieldBox()->setCurrentText("path");
    rules->relationBox()->setCurrentText("contains");
    rules->valueEdit()->setText("conf");
    rules->addButton()->click();
    rules->fieldBox()->setCurrentText("errno");
    rules->relationBox()->setCurrentText("==");
    rules->valueEdit()->setText("ENOENT");
    rules->actionBox()->setCurrentIndex(1); // Exclude
    rules->addButton()->click();
    QCOMPARE(dialog.expressionView()->text(), QStringLiteral("path contains conf and not errno == ENOENT"));
    // Selecting a rule loads it into the editor; Add then replaces it.
    rules->table()->selectRow(0);
    QCOMPARE(rules->valueEdit()->text(), QStringLiteral("conf"));
    rules->valueEdit()->setText("json");
    rules->addButton()->click();
    QCOMPARE(rules->table()->rowCount(), 2);
    QCOMPARE(dialog.expressionView()->text(), QStringLiteral("path contains json and not errno == ENOENT"));
    // The checkbox turns a rule off without removing it.
    rules->table()->item(1, 0)->setCheckState(Qt::Unchecked);
    QCOMPARE(dialog.expressionView()->text(), QStringLiteral("path contains json"));
    QCOMPARE(rules->table()->rowCount(), 2);
    // A boolean field takes no value.
    rules->table()->clearSelection();
    rules->fieldBox()->setCurrentText("failed");
    QVERIFY(!rules->valueEdit()->isEnabled());
    rules->actionBox()->setCurrentIndex(0);
    rules->addButton()->click();
    QCOMPARE(dialog.expressionView()->text(), QStringLiteral("path contains json and failed"));
}

void GuiRulesTest::invalidRulesCannotBeApplied()
{
    FilterRulesDialog dialog;
    FilterRuleTable* rules = dialog.filterRules();
    rules->fieldBox()->setCurrentText("pid");
    rules->relationBox()->setCurrentText("==");
    rules->valueEdit()->setText("abc");
    rules->addButton()->click();
    QVERIFY(dialog.expressionError().contains("not a number"));
    QVERIFY(dialog.findChild<QLabel*>("rulesState")->text().startsWith("Not valid"));
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
    rules->removeRow(0);
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
}

void GuiRulesTest::okAppliesToTheBarAndHighlightsRows()
{
    RulesWindow shown(m_run.data);
    FilterBar& bar = shown.bar;
    EventTableModel& model = shown.model;
    FilterRulesController& controller = shown.controller;
    QVERIFY(model.rowCount() > 10);
    QCOMPARE(controller.rulesAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));

    bar.setExpression("class == file and not op == close", true);
    controller.rulesAction()->trigger();
    FilterRulesDialog* dialog = controller.dialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->filterRules()->table()->rowCount(), 2); // the bar's expression, as rules

    // Highlight failures in red; include failed calls only in the filter.
    FilterRuleTable* highlight = dialog->highlightRules();
    highlight->fieldBox()->setCurrentText("failed");
    highlight->actionBox()->setCurrentIndex(3); // Red
    highlight->addButton()->click();
    FilterRuleTable* rules = dialog->filterRules();
    rules->fieldBox()->setCurrentText("failed");
    rules->actionBox()->setCurrentIndex(0);
    rules->addButton()->click();
    QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(bar.expression(), QStringLiteral("class == file and failed and not op == close"));
    QCOMPARE(bar.appliedExpression(), bar.expression());

    // Every row of the real capture: red exactly when the event failed.
    const QColor red = FilterRuleTable::colors()[3].second;
    int highlighted = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QColor color = model.data(model.index(row, 0), EventTableModel::HighlightRole).value<QColor>();
        const bool failed = model.eventAt(row).failed();
        QCOMPARE(color.isValid(), failed);
        if (failed) {
            QCOMPARE(color, red);
            ++highlighted;
        }
    }
    QVERIFY(highlighted >= 1); // the missing config.json

    // The other way: an expression applied in the bar shows up in the open dialog.
    controller.showDialog();
    bar.setExpression("path endswith config.json", true);
    QCOMPARE(dialog->filterRules()->table()->rowCount(), 1);
    QCOMPARE(dialog->expressionView()->text(), QStringLiteral("path endswith config.json"));
    dialog->close();
}

void GuiRulesTest::highlightRulesAreRemembered()
{
    QSettings().remove(QStringLiteral("filter/highlightRules"));
    const auto highlightedRows = [](const EventTableModel& model) {
        std::vector<QColor> colors;
        for (int row = 0; row < model.rowCount(); ++row)
            colors.push_back(model.data(model.index(row, 0), EventTableModel::HighlightRole).value<QColor>());
        return colors;
    };
    const QColor orange = FilterRuleTable::colors()[2].second;
    {
        RulesWindow first(m_run.data);
        FilterRulesDialog* dialog = first.controller.showDialog();
        FilterRuleTable* highlight = dialog->highlightRules();
        QCOMPARE(highlight->table()->rowCount(), 0);
        highlight->fieldBox()->setCurrentText("path");
        highlight->relationBox()->setCurrentText("endswith");
        highlight->valueEdit()->setText("config.json");
        highlight->actionBox()->setCurrentIndex(2);
        highlight->addButton()->click();
        QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }

    // A new window colours its rows before its dialog is ever opened: the rows of events on
    // .../config.json and no others.
    RulesWindow next(m_run.data);
    EventTableModel& model = next.model;
    FilterRulesController& controller = next.controller;
    const std::vector<QColor> colors = highlightedRows(model);
    int highlighted = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const bool onConfig = model.capture()->text(model.eventAt(row).path).ends_with("config.json");
        QCOMPARE(colors[static_cast<std::size_t>(row)].isValid(), onConfig);
        if (onConfig) {
            QCOMPARE(colors[static_cast<std::size_t>(row)], orange);
            ++highlighted;
        }
    }
    QVERIFY(highlighted >= 1);
    // Its dialog shows the rule, and removing it there forgets it for the windows after.
    FilterRulesDialog* dialog = controller.showDialog();
    QCOMPARE(dialog->highlightRules()->table()->rowCount(), 1);
    dialog->highlightRules()->removeRow(0);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    for (const QColor& color : highlightedRows(model))
        QVERIFY(!color.isValid());
    QVERIFY(!QSettings().contains(QStringLiteral("filter/highlightRules")));

    // A damaged entry is dropped, not turned into a rule.
    QSettings().setValue(QStringLiteral("filter/highlightRules"),
        QVariantList { QVariantMap {
            { "field", "path" }, { "relation", "contains" }, { "value", "x" }, { "color", "not a colour" } } });
    RulesWindow fresh(m_run.data);
    QVERIFY(fresh.controller.highlights().empty());
    QSettings().remove(QStringLiteral("filter/highlightRules"));
}

void GuiRulesTest::presetsPersistInSettingsAndSession()
{
    // A real session file, written by `exitlens run --session`.
    const QString session = m_dir.filePath("presets.exitlens");
    QProcess run;
    run.setWorkingDirectory(m_dir.path());
    run.start(EXITLENS_BINARY,
        { "run", "--quiet", "--session", session, "--",
            QString::fromStdString(TraceRun::fixturePath("missing_file")) });
    QVERIFY(run.waitForFinished(60000));
    QCOMPARE(run.exitCode(), 1);

    FilterBar bar;
    QString sessionPath = session;
    FilterPresetMenu menu(&bar, [&sessionPath] { return sessionPath; });
    QString error;
    QVERIFY(!menu.savePreset("broken", "pathh == x", error));
    QVERIFY2(error.contains("did you mean 'path'"), qPrintable(error));
    QVERIFY(!menu.savePreset("  ", "failed", error));
    QVERIFY2(menu.savePreset("config failures", "failed and path contains config", error), qPrintable(error));

    // In the settings: a menu without a session (another window, a later run) offers it.
    QCOMPARE(FilterPresetMenu::settingsPresets().size(), std::size_t(1));
    QString noSession;
    FilterPresetMenu other(&bar, [&noSession] { return noSession; });
    QCOMPARE(other.presets().size(), std::size_t(1));
    QVERIFY(!other.presets().front().inSession);
    // In the session file: its `filters` table holds it, read back by a fresh connection.
    SessionFile file;
    QVERIFY2(file.open(session, error), qPrintable(error));
    const auto saved = file.filters(error);
    QCOMPARE(saved.size(), std::size_t(1));
    QCOMPARE(saved.front().name, QStringLiteral("config failures"));
    QCOMPARE(saved.front().expression, QStringLiteral("failed and path contains config"));
    file.close();
    // Listed once (the session's copy), and choosing it applies it in the bar.
    const auto listed = menu.presets();
    QCOMPARE(listed.size(), std::size_t(1));
    QVERIFY(listed.front().inSession);
    Q_EMIT menu.aboutToShow();
    QAction* entry = nullptr;
    for (QAction* action : menu.actions()) {
        if (action->text() == QStringLiteral("config failures (session)"))
            entry = action;
    }
    QVERIFY(entry);
    entry->trigger();
    QCOMPARE(bar.appliedExpression(), QStringLiteral("failed and path contains config"));
    // Saving a name again replaces its expression in the settings.
    sessionPath.clear();
    QVERIFY(menu.savePreset("config failures", "failed", error));
    QCOMPARE(FilterPresetMenu::settingsPresets().size(), std::size_t(1));
    QCOMPARE(FilterPresetMenu::settingsPresets().front().expression, QStringLiteral("failed"));
    // Delete Preset lists the settings presets; deleting one drops it from the settings and the menu.
    QVERIFY(menu.savePreset("openat only", "op == openat", error));
    Q_EMIT menu.aboutToShow();
    auto* removeMenu = menu.findChild<QMenu*>("deletePresetMenu");
    QVERIFY(removeMenu);
    QStringList deletable;
    for (QAction* action : removeMenu->actions())
        deletable << action->text();
    QCOMPARE(deletable, (QStringList { "config failures", "openat only" }));
    menu.deletePreset("config failures");
    QCOMPARE(FilterPresetMenu::settingsPresets().size(), std::size_t(1));
    QCOMPARE(FilterPresetMenu::settingsPresets().front().name, QStringLiteral("openat only"));
    Q_EMIT menu.aboutToShow();
    for (QAction* action : menu.actions())
        QVERIFY(action->text() != QStringLiteral("config failures"));
    menu.deletePreset("openat only");
    QVERIFY(FilterPresetMenu::settingsPresets().empty());
    Q_EMIT menu.aboutToShow();
    QVERIFY(!menu.findChild<QMenu*>("deletePresetMenu")); // nothing left to delete: no submenu
}

void GuiRulesTest::captureClassesFromTheLaunchDialogToTheReport()
{
    // The launch dialog's capture filter: one checkbox per class, read from and into the spec.
    LaunchDialog dialog;
    LaunchSpec spec = TraceRun::fixture("missing_file");
    std::string error;
    QVERIFY(CaptureClasses::parse("process,signal", spec.classes, error));
    dialog.setSpec(spec);
    QVERIFY(dialog.findChild<QCheckBox*>("captureClass-process")->isChecked());
    QVERIFY(!dialog.findChild<QCheckBox*>("captureClass-file")->isChecked());
    dialog.findChild<QCheckBox*>("captureClass-file")->setChecked(true);
    dialog.findChild<QCheckBox*>("captureClass-signal")->setChecked(false);
    QCOMPARE(QString::fromStdString(dialog.spec().classes.toString()), QStringLiteral("process,file"));

    // A session captured with fewer classes says so in `exitlens report`, so a reader knows what
    // was never recorded; a full capture's report has no such line.
    const QString session = m_dir.filePath("classes.exitlens");
    QProcess run;
    run.setWorkingDirectory(m_dir.path());
    run.start(EXITLENS_BINARY,
        { "run", "--quiet", "--capture", "process,signal", "--session", session, "--",
            QString::fromStdString(TraceRun::fixturePath("missing_file")) });
    QVERIFY(run.waitForFinished(60000));
    QProcess report;
    report.start(EXITLENS_BINARY, { "report", session });
    QVERIFY(report.waitForFinished(60000));
    const QString text = QString::fromUtf8(report.readAllStandardOutput());
    QVERIFY2(text.contains("capture:   focused mode, classes process,signal (events of other classes were never "
                           "recorded)"),
        qPrintable(text));
    QProcess reportAll;
    reportAll.start(EXITLENS_BINARY, { "report", m_dir.filePath("presets.exitlens") });
    QVERIFY(reportAll.waitForFinished(60000));
    QVERIFY(!QString::fromUtf8(reportAll.readAllStandardOutput()).contains("capture:"));
}

QTEST_MAIN(GuiRulesTest)
#include "tst_gui_rules.moc"
