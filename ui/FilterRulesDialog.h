#pragma once

#include "FilterRuleTable.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QTabWidget;

namespace exitlens {

// Filter Rules… (Ctrl+Shift+L): Process Monitor's filter dialog over the filter language. The
// first tab builds the display filter from rules and shows the expression it makes as you edit;
// it opens on the filter bar's expression, read back into rules when it has their shape and
// otherwise kept whole as one raw-expression rule, so the bar and the dialog agree both ways.
// The second tab holds highlight rules: rows they match get a background colour, whatever the
// filter shows (docs/filters.md, "Rules and highlights").
class FilterRulesDialog : public QDialog {
    Q_OBJECT
public:
    explicit FilterRulesDialog(QWidget* parent = nullptr);

    void setExpression(const QString& expression);
    // The expression the enabled filter rules make ("" for none).
    QString expression() const;
    // Empty when valid, otherwise the parser's message.
    QString expressionError() const { return m_error; }

    void setHighlights(const std::vector<FilterRuleTable::Row>& rows);
    std::vector<FilterRuleTable::Row> highlights() const;
    // Each enabled highlight rule as an expression with its colour, in order (the first match wins).
    std::vector<std::pair<QString, QColor>> highlightExpressions() const;
    // The enabled, valid rows as (expression, colour), what HighlightRules takes.
    static std::vector<std::pair<QString, QColor>> highlightExpressions(const std::vector<FilterRuleTable::Row>& rows);

    FilterRuleTable* filterRules() const { return m_filter; }
    FilterRuleTable* highlightRules() const { return m_highlight; }
    QLineEdit* expressionView() const { return m_expression; }
    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    // OK or Apply: the window takes expression() into the bar and highlightExpressions() into the table.
    void applied();

private:
    void refreshExpression();

    QTabWidget* m_tabs = nullptr;
    FilterRuleTable* m_filter = nullptr;
    FilterRuleTable* m_highlight = nullptr;
    QLineEdit* m_expression = nullptr;
    QLabel* m_state = nullptr;
    QPushButton* m_ok = nullptr;
    QPushButton* m_apply = nullptr;
    QString m_error;
};

} // namespace exitlens
