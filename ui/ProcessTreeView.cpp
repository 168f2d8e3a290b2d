#include "ProcessTreeView.h"

#include "ProcessLifetimeDelegate.h"
#include "ProcessTreeModel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>

namespace exitlens {

ProcessTreeView::ProcessTreeView(QWidget* parent)
    : QTreeView(parent)
{
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setItemDelegateForColumn(ProcessTreeModel::LifetimeColumn, new ProcessLifetimeDelegate(this));
    setExpandsOnDoubleClick(false);
    setAlternatingRowColors(true);
    setToolTip(QString());
    connect(this, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.isValid())
            Q_EMIT goToEvent(index.data(ProcessTreeModel::StartSeqRole).toULongLong());
    });
}

void ProcessTreeView::setProcessModel(ProcessTreeModel* model)
{
    m_model = model;
    setModel(model);
    header()->setStretchLastSection(true);
    header()->resizeSection(ProcessTreeModel::NameColumn, 170);
    header()->resizeSection(ProcessTreeModel::PidColumn, 60);
    header()->resizeSection(ProcessTreeModel::EndedColumn, 120);
    header()->resizeSection(ProcessTreeModel::LifetimeColumn, 170);
    header()->resizeSection(ProcessTreeModel::StartColumn, 86);
    header()->resizeSection(ProcessTreeModel::EndColumn, 86);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent) {
        // New children show at once: a process tree is for seeing who started whom.
        if (parent.isValid())
            expand(parent);
    });
    connect(model, &QAbstractItemModel::modelReset, this, &QTreeView::expandAll);
    // The selection, not the current item: Tab into the tree makes its first row current without
    // selecting it, and that alone must not filter the table to one process.
    connect(selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = selectionModel()->selectedRows();
        Q_EMIT processSelected(rows.isEmpty() ? 0 : rows.front().data(ProcessTreeModel::PidRole).toInt());
    });
}

void ProcessTreeView::selectPid(int pid)
{
    if (!m_model)
        return;
    const QModelIndex index = m_model->indexForPid(pid);
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    scrollTo(index);
}

int ProcessTreeView::selectedPid() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(ProcessTreeModel::PidRole).toInt() : 0;
}

void ProcessTreeView::contextMenuEvent(QContextMenuEvent* event)
{
    const QModelIndex index = indexAt(viewport()->mapFrom(this, event->pos()));
    const QModelIndex target = index.isValid() ? index : currentIndex();
    if (!target.isValid())
        return;
    const QModelIndex row = target.siblingAtColumn(0);
    QMenu menu(this);
    const quint64 startSeq = row.data(ProcessTreeModel::StartSeqRole).toULongLong();
    const quint64 endSeq = row.data(ProcessTreeModel::EndSeqRole).toULongLong();
    const bool running = row.data(ProcessTreeModel::RunningRole).toBool();
    menu.addAction(tr("Go to &first event"), this, [this, startSeq] { Q_EMIT goToEvent(startSeq); });
    QAction* exit = menu.addAction(tr("Go to &exit"), this, [this, endSeq] { Q_EMIT goToEvent(endSeq); });
    exit->setEnabled(!running);
    menu.addSeparator();
    menu.addAction(tr("Copy &command line"), this, [row] {
        QApplication::clipboard()->setText(row.siblingAtColumn(ProcessTreeModel::CommandColumn).data().toString());
    });
    menu.exec(event->globalPos());
}

} // namespace exitlens
