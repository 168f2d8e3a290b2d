#pragma once

#include "filter/FilterRules.h"

#include <QColor>
#include <QWidget>
#include <vector>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace exitlens {

// One list of rules in Process Monitor's style: an editor row (column, relation, value, then
// Include/Exclude or a colour) with Add and Remove, above the table of rules, each with an enabled
// checkbox. Selecting a rule loads it into the editor; Add with a selected rule replaces it.
// The rules dialog has two: the filter and the highlights.
class FilterRuleTable : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Filter, Highlight };
    // A rule and, in Highlight mode, the background colour of the rows it matches.
    struct Row {
        FilterRule rule;
        QColor color;
        bool operator==(const Row&) const = default;
    };

    explicit FilterRuleTable(Mode mode, QWidget* parent = nullptr);

    std::vector<Row> rows() const { return m_rows; }
    void setRows(const std::vector<Row>& rows);
    void addRow(const Row& row);
    void removeRow(int index);
    void setEnabledAt(int index, bool enabled);

    // The editor row, for tests and for the dialog's first focus.
    QComboBox* fieldBox() const { return m_field; }
    QComboBox* relationBox() const { return m_relation; }
    QLineEdit* valueEdit() const { return m_value; }
    QComboBox* actionBox() const { return m_action; }
    QPushButton* addButton() const { return m_add; }
    QTableWidget* table() const { return m_table; }

    // The colours a highlight rule can take: light enough under dark text, translucent so the
    // dark theme's text stays readable too.
    static const std::vector<std::pair<QString, QColor>>& colors();
    // The editor's current content as a rule (what Add would add).
    Row editorRow() const;

Q_SIGNALS:
    void rowsChanged();

private:
    void fillRelations();
    void loadIntoEditor(int index);
    void refreshTable();
    void addFromEditor();

    Mode m_mode;
    std::vector<Row> m_rows;
    QComboBox* m_field = nullptr;
    QComboBox* m_relation = nullptr;
    QLineEdit* m_value = nullptr;
    QComboBox* m_action = nullptr; // Include/Exclude, or the colour
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QTableWidget* m_table = nullptr;
    bool m_refreshing = false;
};

} // namespace exitlens
