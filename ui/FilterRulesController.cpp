#include "FilterRulesController.h"

#include "EventTableModel.h"
#include "FilterBar.h"
#include "FilterRulesDialog.h"
#include "HighlightRules.h"

#include <QAction>
#include <QSettings>
#include <QVariantMap>
#include <QWidget>

namespace exitlens {

namespace {
constexpr auto kHighlightsKey = "filter/highlightRules";
}

FilterRulesController::FilterRulesController(FilterBar* bar, EventTableModel* model, QWidget* window)
    : QObject(window)
    , m_bar(bar)
    , m_model(model)
    , m_window(window)
    , m_highlights(std::make_shared<HighlightRules>())
{
    m_action = new QAction(tr("Filter &Rules…"), window);
    m_action->setObjectName(QStringLiteral("filterRules"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    const QString tip = tr("Build the filter from Process Monitor-style rules, and highlight rows with colours");
    m_action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, m_action->shortcut().toString(QKeySequence::NativeText)));
    m_action->setStatusTip(tip);
    window->addAction(m_action); // the shortcut works with the menu bar hidden
    connect(m_action, &QAction::triggered, this, [this] { showDialog(); });
    // Both ways: what the bar applies shows up as rules while the dialog is open.
    connect(m_bar, &FilterBar::expressionApplied, this, [this](const QString& expression) {
        if (m_dialog && m_dialog->isVisible() && expression != m_dialog->expression())
            m_dialog->setExpression(expression);
    });
    useHighlights(loadHighlights());
}

FilterRulesController::~FilterRulesController() = default;

FilterRulesDialog* FilterRulesController::showDialog()
{
    if (!m_dialog) {
        m_dialog = new FilterRulesDialog(m_window);
        m_dialog->setHighlights(m_highlightRows);
        connect(m_dialog, &FilterRulesDialog::applied, this, &FilterRulesController::apply);
    }
    m_dialog->setExpression(m_bar->expression());
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
    return m_dialog;
}

void FilterRulesController::apply()
{
    if (!m_dialog)
        return;
    const QString expression = m_dialog->expression();
    if (expression != m_bar->expression() || expression != m_bar->appliedExpression())
        m_bar->setExpression(expression, true);
    const std::vector<FilterRuleTable::Row> rows = m_dialog->highlights();
    if (rows != m_highlightRows)
        saveHighlights(rows);
    useHighlights(rows);
}

void FilterRulesController::useHighlights(const std::vector<FilterRuleTable::Row>& rows)
{
    m_highlightRows = rows;
    m_highlights->setRules(FilterRulesDialog::highlightExpressions(rows));
    if (m_highlights->empty()) {
        m_model->setHighlighter({});
        return;
    }
    m_model->setHighlighter([highlights = m_highlights, model = m_model](
                                std::uint64_t seq) { return highlights->colorFor(model->capture(), seq); });
}

std::vector<FilterRuleTable::Row> FilterRulesController::loadHighlights()
{
    std::vector<FilterRuleTable::Row> rows;
    for (const QVariant& item : QSettings().value(QLatin1String(kHighlightsKey)).toList()) {
        const QVariantMap map = item.toMap();
        FilterRuleTable::Row row;
        row.rule.field = map.value(QStringLiteral("field")).toString().toStdString();
        row.rule.relation = map.value(QStringLiteral("relation")).toString().toStdString();
        row.rule.value = map.value(QStringLiteral("value")).toString().toStdString();
        row.rule.include = map.value(QStringLiteral("include"), true).toBool();
        row.rule.enabled = map.value(QStringLiteral("enabled"), true).toBool();
        row.color = QColor(map.value(QStringLiteral("color")).toString());
        // A hand-edited or damaged entry is dropped, not shown as a rule that matches nothing.
        if (!row.color.isValid() || (row.rule.raw() && row.rule.value.empty()))
            continue;
        rows.push_back(std::move(row));
    }
    return rows;
}

void FilterRulesController::saveHighlights(const std::vector<FilterRuleTable::Row>& rows)
{
    QVariantList list;
    for (const auto& row : rows) {
        list.append(QVariantMap {
            { QStringLiteral("field"), QString::fromStdString(row.rule.field) },
            { QStringLiteral("relation"), QString::fromStdString(row.rule.relation) },
            { QStringLiteral("value"), QString::fromStdString(row.rule.value) },
            { QStringLiteral("include"), row.rule.include },
            { QStringLiteral("enabled"), row.rule.enabled },
            { QStringLiteral("color"), row.color.name(QColor::HexArgb) },
        });
    }
    QSettings settings;
    if (list.isEmpty())
        settings.remove(QLatin1String(kHighlightsKey));
    else
        settings.setValue(QLatin1String(kHighlightsKey), list);
}

} // namespace exitlens
