#include "EnvironmentEditor.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kNameColumn = 0;
constexpr int kValueColumn = 1;
constexpr int kUnsetColumn = 2;
} // namespace

EnvironmentEditor::EnvironmentEditor(QWidget* parent)
    : QWidget(parent)
    , m_inheritedLabel(new QLabel(this))
    , m_table(new QTableWidget(0, 3, this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_inheritedLabel->setWordWrap(true);
    layout->addWidget(m_inheritedLabel);

    m_table->setHorizontalHeaderLabels({ tr("Variable"), tr("Value"), tr("Unset") });
    m_table->horizontalHeader()->setSectionResizeMode(kNameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(kValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(kUnsetColumn, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(kNameColumn, 180);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setToolTip(tr("Variables set here override the inherited ones; tick Unset to remove one"));
    layout->addWidget(m_table, 1);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("&Add variable"), this);
    add->setToolTip(tr("Add a variable, or change an inherited one by using its name"));
    m_remove->setToolTip(tr("Remove the selected rows from the table (they go back to the inherited value)"));
    m_remove->setEnabled(false);
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        addRow({});
        m_table->setCurrentCell(m_table->rowCount() - 1, kNameColumn);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, kNameColumn));
        Q_EMIT changed();
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
            rows << index.row();
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (int row : rows)
            m_table->removeRow(row);
        Q_EMIT changed();
    });
    connect(m_table, &QTableWidget::itemChanged, this, &EnvironmentEditor::changed);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
        [this] { m_remove->setEnabled(!m_table->selectionModel()->selectedRows().isEmpty()); });
    updateInheritedLabel();
}

void EnvironmentEditor::setInherited(const QStringList& environment)
{
    m_inherited = environment;
    updateInheritedLabel();
}

void EnvironmentEditor::updateInheritedLabel()
{
    QStringList names;
    for (const QString& entry : std::as_const(m_inherited))
        names << entry.section(QLatin1Char('='), 0, 0);
    names.sort();
    m_inheritedLabel->setText(
        tr("The program inherits ExitLens's environment (%1 variables, listed in this tooltip); changes below "
           "apply on top.")
            .arg(names.size()));
    m_inheritedLabel->setToolTip(names.join(QLatin1Char('\n')));
}

void EnvironmentEditor::addRow(const Change& change)
{
    const QSignalBlocker blocker(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, kNameColumn, new QTableWidgetItem(change.name));
    m_table->setItem(row, kValueColumn, new QTableWidgetItem(change.value));
    auto* unset = new QTableWidgetItem;
    unset->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    unset->setCheckState(change.unset ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, kUnsetColumn, unset);
}

void EnvironmentEditor::addChange(const Change& change)
{
    addRow(change);
    Q_EMIT changed();
}

QList<EnvironmentEditor::Change> EnvironmentEditor::changes() const
{
    QList<Change> result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        Change change;
        change.name = m_table->item(row, kNameColumn) ? m_table->item(row, kNameColumn)->text().trimmed() : QString();
        change.value = m_table->item(row, kValueColumn) ? m_table->item(row, kValueColumn)->text() : QString();
        change.unset =
            m_table->item(row, kUnsetColumn) && m_table->item(row, kUnsetColumn)->checkState() == Qt::Checked;
        result << change;
    }
    return result;
}

void EnvironmentEditor::setChanges(const QList<Change>& changes)
{
    m_table->setRowCount(0);
    for (const Change& change : changes)
        addRow(change);
    Q_EMIT changed();
}

QString EnvironmentEditor::validationError() const
{
    const QList<Change> list = changes();
    for (int row = 0; row < list.size(); ++row) {
        const QString& name = list[row].name;
        if (name.isEmpty())
            return tr("Row %1: the variable needs a name.").arg(row + 1);
        if (name.contains(QLatin1Char('=')) || name.contains(QChar(0)))
            return tr("Row %1: a variable name cannot contain '='.").arg(row + 1);
    }
    return QString();
}

QStringList EnvironmentEditor::apply(const QStringList& inherited) const
{
    QStringList result = inherited;
    for (const Change& change : changes()) {
        if (change.name.isEmpty())
            continue;
        const QString prefix = change.name + QLatin1Char('=');
        result.erase(std::remove_if(
                         result.begin(), result.end(), [&](const QString& entry) { return entry.startsWith(prefix); }),
            result.end());
        if (!change.unset)
            result << prefix + change.value;
    }
    return result;
}

} // namespace exitlens
