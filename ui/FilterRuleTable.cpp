#include "FilterRuleTable.h"

#include "filter/FilterExpression.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace exitlens {

namespace {
enum TableColumn { EnabledColumn, FieldColumn, RelationColumn, ValueColumn, ActionColumn, ColumnCount };

// The field box's entry for a raw-expression rule: its value is a whole expression.
const QString kRawField = QStringLiteral("expression");

QIcon swatch(const QColor& color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.fillRect(QRect(1, 1, 14, 14), QColor(color.red(), color.green(), color.blue()));
    painter.setPen(Qt::gray);
    painter.drawRect(QRect(1, 1, 13, 13));
    return QIcon(pixmap);
}
} // namespace

const std::vector<std::pair<QString, QColor>>& FilterRuleTable::colors()
{
    static const std::vector<std::pair<QString, QColor>> all = {
        { QObject::tr("Yellow"), QColor(255, 214, 0, 110) },
        { QObject::tr("Green"), QColor(60, 200, 90, 100) },
        { QObject::tr("Blue"), QColor(70, 150, 255, 100) },
        { QObject::tr("Red"), QColor(240, 70, 70, 100) },
        { QObject::tr("Purple"), QColor(170, 100, 230, 100) },
        { QObject::tr("Orange"), QColor(255, 150, 40, 110) },
    };
    return all;
}

FilterRuleTable::FilterRuleTable(Mode mode, QWidget* parent)
    : QWidget(parent)
    , m_mode(mode)
{
    m_field = new QComboBox(this);
    m_field->setObjectName(QStringLiteral("ruleField"));
    for (const auto& info : filterFields())
        m_field->addItem(QString::fromLatin1(info.name));
    m_field->addItem(kRawField);
    m_field->setToolTip(tr("The column the rule tests; \"expression\" takes a whole filter expression"));
    m_relation = new QComboBox(this);
    m_relation->setObjectName(QStringLiteral("ruleRelation"));
    m_value = new QLineEdit(this);
    m_value->setObjectName(QStringLiteral("ruleValue"));
    m_value->setPlaceholderText(tr("value"));
    m_action = new QComboBox(this);
    m_action->setObjectName(QStringLiteral("ruleAction"));
    if (mode == Mode::Filter) {
        m_action->addItem(tr("Include"));
        m_action->addItem(tr("Exclude"));
    } else {
        for (const auto& [name, color] : colors())
            m_action->addItem(swatch(color), name);
    }
    m_add = new QPushButton(tr("&Add"), this);
    m_add->setObjectName(QStringLiteral("ruleAdd"));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("ruleRemove"));

    auto* editor = new QHBoxLayout;
    editor->addWidget(m_field);
    editor->addWidget(m_relation);
    editor->addWidget(m_value, 1);
    editor->addWidget(new QLabel(mode == Mode::Filter ? tr("then") : tr("colour"), this));
    editor->addWidget(m_action);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("ruleTable"));
    m_table->setHorizontalHeaderLabels(
        { tr("On"), tr("Column"), tr("Relation"), tr("Value"), mode == Mode::Filter ? tr("Action") : tr("Colour") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(EnabledColumn, QHeaderView::ResizeToContents);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(editor);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);

    connect(m_field, &QComboBox::currentTextChanged, this, &FilterRuleTable::fillRelations);
    connect(m_add, &QPushButton::clicked, this, &FilterRuleTable::addFromEditor);
    connect(m_value, &QLineEdit::returnPressed, this, &FilterRuleTable::addFromEditor);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0)
            removeRow(row);
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { loadIntoEditor(row); });
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (m_refreshing || item->column() != EnabledColumn || item->row() >= static_cast<int>(m_rows.size()))
            return;
        // Not refreshTable(): that would delete the item whose signal this is.
        m_rows[static_cast<std::size_t>(item->row())].rule.enabled = item->checkState() == Qt::Checked;
        Q_EMIT rowsChanged();
    });
    m_field->setCurrentText(QStringLiteral("path"));
    fillRelations();
}

void FilterRuleTable::fillRelations()
{
    const QString field = m_field->currentText();
    const QString previous = m_relation->currentText();
    m_relation->clear();
    if (field == kRawField) {
        m_relation->setEnabled(false);
        m_value->setEnabled(true);
        m_value->setPlaceholderText(tr("filter expression, e.g. failed or op == kill"));
        return;
    }
    m_relation->setEnabled(true);
    for (const auto& relation : FilterRules::relationsFor(field.toStdString()))
        m_relation->addItem(QString::fromStdString(relation));
    // A boolean field (failed, ok, noise) takes no value.
    const bool boolean = m_relation->count() == 1 && m_relation->itemText(0) == QLatin1String("is");
    m_value->setEnabled(!boolean);
    m_value->setPlaceholderText(boolean ? tr("(no value)") : tr("value"));
    if (const int index = m_relation->findText(previous); index >= 0)
        m_relation->setCurrentIndex(index);
    else if (const int contains = m_relation->findText(QStringLiteral("contains")); contains >= 0)
        m_relation->setCurrentIndex(contains);
}

FilterRuleTable::Row FilterRuleTable::editorRow() const
{
    Row row;
    const QString field = m_field->currentText();
    if (field != kRawField) {
        row.rule.field = field.toStdString();
        row.rule.relation = m_relation->currentText().toStdString();
        if (row.rule.relation != "is")
            row.rule.value = m_value->text().toStdString();
    } else {
        row.rule.value = m_value->text().trimmed().toStdString();
    }
    if (m_mode == Mode::Filter)
        row.rule.include = m_action->currentIndex() == 0;
    else
        row.color = colors()[static_cast<std::size_t>(std::max(0, m_action->currentIndex()))].second;
    return row;
}

void FilterRuleTable::addFromEditor()
{
    const Row row = editorRow();
    if (row.rule.raw() && row.rule.value.empty())
        return;
    // Process Monitor's editor: a selected rule is replaced, otherwise the rule is added.
    const int selected = m_table->currentRow();
    if (selected >= 0 && selected < static_cast<int>(m_rows.size()) && m_table->selectionModel()->hasSelection()) {
        Row replacement = row;
        replacement.rule.enabled = m_rows[static_cast<std::size_t>(selected)].rule.enabled;
        m_rows[static_cast<std::size_t>(selected)] = replacement;
        refreshTable();
        Q_EMIT rowsChanged();
        return;
    }
    addRow(row);
    m_value->clear();
}

void FilterRuleTable::loadIntoEditor(int index)
{
    if (m_refreshing || index < 0 || index >= static_cast<int>(m_rows.size()))
        return;
    const Row& row = m_rows[static_cast<std::size_t>(index)];
    m_field->setCurrentText(row.rule.raw() ? kRawField : QString::fromStdString(row.rule.field));
    fillRelations();
    m_relation->setCurrentText(QString::fromStdString(row.rule.relation));
    m_value->setText(QString::fromStdString(row.rule.value));
    if (m_mode == Mode::Filter) {
        m_action->setCurrentIndex(row.rule.include ? 0 : 1);
    } else {
        for (std::size_t i = 0; i < colors().size(); ++i) {
            if (colors()[i].second == row.color)
                m_action->setCurrentIndex(static_cast<int>(i));
        }
    }
}

void FilterRuleTable::setRows(const std::vector<Row>& rows)
{
    m_rows = rows;
    refreshTable();
    Q_EMIT rowsChanged();
}

void FilterRuleTable::addRow(const Row& row)
{
    m_rows.push_back(row);
    refreshTable();
    Q_EMIT rowsChanged();
}

void FilterRuleTable::removeRow(int index)
{
    if (index < 0 || index >= static_cast<int>(m_rows.size()))
        return;
    m_rows.erase(m_rows.begin() + index);
    refreshTable();
    Q_EMIT rowsChanged();
}

void FilterRuleTable::setEnabledAt(int index, bool enabled)
{
    if (index < 0 || index >= static_cast<int>(m_rows.size())
        || m_rows[static_cast<std::size_t>(index)].rule.enabled == enabled)
        return;
    m_rows[static_cast<std::size_t>(index)].rule.enabled = enabled;
    refreshTable();
    Q_EMIT rowsChanged();
}

void FilterRuleTable::refreshTable()
{
    m_refreshing = true;
    m_table->clearSelection();
    m_table->setRowCount(static_cast<int>(m_rows.size()));
    for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
        const Row& row = m_rows[static_cast<std::size_t>(i)];
        auto* enabled = new QTableWidgetItem;
        enabled->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        enabled->setCheckState(row.rule.enabled ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(i, EnabledColumn, enabled);
        m_table->setItem(
            i, FieldColumn, new QTableWidgetItem(row.rule.raw() ? kRawField : QString::fromStdString(row.rule.field)));
        m_table->setItem(i, RelationColumn, new QTableWidgetItem(QString::fromStdString(row.rule.relation)));
        m_table->setItem(i, ValueColumn, new QTableWidgetItem(QString::fromStdString(row.rule.value)));
        QString action;
        QIcon icon;
        if (m_mode == Mode::Filter) {
            action = row.rule.include ? tr("Include") : tr("Exclude");
        } else {
            for (const auto& [name, color] : colors()) {
                if (color == row.color)
                    action = name;
            }
            icon = swatch(row.color);
        }
        m_table->setItem(i, ActionColumn, new QTableWidgetItem(icon, action));
    }
    m_refreshing = false;
}

} // namespace exitlens
