#pragma once

#include "FilterRuleTable.h"

#include <QObject>
#include <memory>
#include <vector>

class QAction;
class QWidget;

namespace exitlens {

class EventTableModel;
class FilterBar;
class FilterRulesDialog;
class HighlightRules;

// Wires the rules dialog to the window: Filter Rules… (Ctrl+Shift+L) opens it on the bar's
// expression; OK/Apply put its expression in the bar (applied) and its highlight rules on the
// table; an expression applied in the bar while the dialog is open is read back into its rules.
// The highlight rules are remembered in the settings: the next window colours its rows with them
// before the dialog is ever opened.
class FilterRulesController : public QObject {
    Q_OBJECT
public:
    FilterRulesController(FilterBar* bar, EventTableModel* model, QWidget* window);
    ~FilterRulesController() override;

    QAction* rulesAction() const { return m_action; }
    // Shows the dialog (created on first use) loaded with the bar's expression.
    FilterRulesDialog* showDialog();
    FilterRulesDialog* dialog() const { return m_dialog; }
    const HighlightRules& highlights() const { return *m_highlights; }

private:
    void apply();
    void useHighlights(const std::vector<FilterRuleTable::Row>& rows);
    static std::vector<FilterRuleTable::Row> loadHighlights();
    static void saveHighlights(const std::vector<FilterRuleTable::Row>& rows);

    FilterBar* m_bar;
    EventTableModel* m_model;
    QWidget* m_window;
    QAction* m_action = nullptr;
    FilterRulesDialog* m_dialog = nullptr;
    std::shared_ptr<HighlightRules> m_highlights;
    std::vector<FilterRuleTable::Row> m_highlightRows; // as last applied (or loaded), for a new dialog
};

} // namespace exitlens
