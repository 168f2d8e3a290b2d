#include "EventContextMenu.h"

#include "EventTableModel.h"
#include "EventTableView.h"
#include "FilterController.h"
#include "Icons.h"
#include "model/CaptureData.h"

#include <QHeaderView>
#include <QMenu>

namespace exitlens {

EventContextMenu::EventContextMenu(
    EventTableView* view, FilterController* filters, QAction* copyAction, QObject* parent)
    : QObject(parent)
    , m_view(view)
    , m_model(view->model())
    , m_filters(filters)
    , m_copyAction(copyAction)
{
}

QMenu* EventContextMenu::build(const QPoint& globalPos, int row, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("eventContextMenu"));
    if (!m_data)
        return menu;
    menu->addAction(m_copyAction);
    QAction* details = menu->addAction(tr("Show &Details"), this, [this, row] { Q_EMIT detailsRequested(row); });
    QAction* tree = menu->addAction(Icons::icon(IconId::ProcessTree), tr("Show in &Process Tree"), this,
        [this, row] { Q_EMIT processTreeRequested(row); });
    menu->addSeparator();
    QAction* highlight = menu->addAction(tr("&Highlight This Process's Events"), this,
        [this, row] { Q_EMIT highlightProcessRequested(m_model->eventAt(row).pid); });
    const std::shared_ptr<const CaptureData> data = m_data;
    QAction* start = menu->addAction(tr("Go to Process &Start"), this, [this, data, row] {
        ProcessRecord record;
        if (data->processes().find(m_model->eventAt(row).pid, record))
            Q_EMIT goToEventRequested(record.startSeq);
    });
    QAction* exit = menu->addAction(tr("Go to Process &Exit"), this, [this, data, row] {
        ProcessRecord record;
        if (data->processes().find(m_model->eventAt(row).pid, record) && record.status.ended())
            Q_EMIT goToEventRequested(record.endSeq);
    });
    for (QAction* action : { details, tree, highlight, start, exit })
        action->setEnabled(row >= 0);
    if (row >= 0) {
        const QPoint at = m_view->viewport()->mapFromGlobal(globalPos);
        menu->addSeparator();
        m_filters->addQuickFilterActions(menu, m_model->seqAt(row), m_view->header()->logicalIndexAt(at.x()));
    }
    return menu;
}

void EventContextMenu::exec(const QPoint& globalPos, int row)
{
    if (!m_data)
        return;
    const std::unique_ptr<QMenu> menu(build(globalPos, row, m_view));
    menu->exec(globalPos);
}

} // namespace exitlens
