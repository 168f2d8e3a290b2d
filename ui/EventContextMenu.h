#pragma once

#include <QObject>
#include <QPoint>
#include <cstdint>
#include <memory>

class QAction;
class QMenu;
class QWidget;

namespace exitlens {

class CaptureData;
class EventTableModel;
class EventTableView;
class FilterController;

// The event table's context menu, kept out of MainWindow: copy, details, the process of the row,
// and Include/Exclude of the value under the cursor. It acts on the row the view hit-tested; what
// each entry does beyond filtering is the window's business, asked for through the signals.
class EventContextMenu : public QObject {
    Q_OBJECT
public:
    EventContextMenu(EventTableView* view, FilterController* filters, QAction* copyAction, QObject* parent = nullptr);

    void setCapture(std::shared_ptr<const CaptureData> data) { m_data = std::move(data); }
    // The menu for row (-1: no row under the cursor) at globalPos; the caller owns and runs it.
    QMenu* build(const QPoint& globalPos, int row, QWidget* parent);
    // Builds and runs the menu (the view's contextMenuRequested).
    void exec(const QPoint& globalPos, int row);

Q_SIGNALS:
    void detailsRequested(int row);
    void processTreeRequested(int row);
    void highlightProcessRequested(int pid);
    void goToEventRequested(quint64 seq);

private:
    EventTableView* m_view;
    EventTableModel* m_model;
    FilterController* m_filters;
    QAction* m_copyAction;
    std::shared_ptr<const CaptureData> m_data;
};

} // namespace exitlens
