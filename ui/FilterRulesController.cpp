#include "FilterRulesController.h"

#include "EventTableModel.h"
#include "FilterBar.h"
#include "FilterRulesDialog.h"
#include "HighlightRules.h"

#include <QAction>
#include <QWidget>

namespace exitlens {

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
}

FilterRulesController::~FilterRulesController() = default;

FilterRulesDialog* FilterRulesController::showDialog()
{
    if (!m_dialog) {
        m_dialog = new FilterRulesDialog(m_window);
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
    m_highlights->setRules(m_dialog->highlightExpressions());
    if (m_highlights->empty()) {
        m_model->setHighlighter({});
        return;
    }
    m_model->setHighlighter([highlights = m_highlights, model = m_model](
                                std::uint64_t seq) { return highlights->colorFor(model->capture(), seq); });
}

} // namespace exitlens
