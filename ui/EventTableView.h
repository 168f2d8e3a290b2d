#pragma once

#include <QAbstractScrollArea>
#include <QItemSelectionModel>
#include <QVector>

class QHeaderView;

namespace exitlens {

class EventTableModel;
class EventTableDelegate;

// The event table. A scroll area that paints only the rows on screen, instead of a QTableView:
// QTableView's vertical QHeaderView does work proportional to the row count on every insert
// (~1.4 ms per million rows) and its scrollToBottom grows with the row count, which a live
// capture of tens of millions of events cannot afford. Here an insert costs the same at 10 rows
// or 100 million. Columns use a real QHeaderView (resize, reorder, hide); selection uses a
// QItemSelectionModel over the model, so the rest of the window speaks standard Qt.
class EventTableView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit EventTableView(QWidget* parent = nullptr);
    ~EventTableView() override;

    void setModel(EventTableModel* model);
    EventTableModel* model() const { return m_model; }
    QItemSelectionModel* selectionModel() const { return m_selection; }
    QHeaderView* header() const { return m_header; }
    EventTableDelegate* delegate() const { return m_delegate; }

    int rowHeight() const;
    int rowAt(int y) const; // viewport y; -1 below the last row
    int firstVisibleRow() const;
    int visibleRowCount() const; // rows that fit fully
    QRect rowRect(int row) const; // in viewport coordinates

    int currentRow() const;
    // Makes row current and selects it; scrolls it into view (centred when it was far away).
    void selectRow(int row);
    void scrollToRow(int row, bool center = false);
    QVector<int> selectedRows(int limit = INT_MAX) const;
    int selectedRowCount() const;
    // Visible columns in on-screen order.
    QVector<int> visibleColumns() const;

    // Autoscroll: keep the newest row in view while the view is at the bottom. Scrolling up
    // stops following; scrolling back to the bottom follows again.
    void setAutoscroll(bool on);
    bool autoscroll() const { return m_autoscroll; }
    bool isAtBottom() const;
    void scrollToBottom();
    // Restores column widths, order and visibility saved with header()->saveState(); false when
    // there was nothing valid to restore (the columns are then fitted to the first width shown).
    bool restoreColumns(const QByteArray& state);
    // Default widths, with Path taking what is left so that Result stays in view.
    void fitColumns();
    // Wide enough for a seven-digit sequence number beside the bookmark icon.
    int seqColumnWidth() const;

Q_SIGNALS:
    void rowActivated(int row); // double click or Enter
    void currentRowChanged(int row);
    void contextMenuRequested(const QPoint& globalPos, int row);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void updateScrollBars();
    void updateHeaderGeometry();
    void onRowsAboutToBeInserted();
    void onRowsInserted(const QModelIndex& parent, int first, int last);
    void onModelAboutToBeReset();
    void onModelReset();
    void onCurrentChanged(const QModelIndex& current, const QModelIndex& previous);
    void moveCurrent(int row, Qt::KeyboardModifiers modifiers);
    void selectRange(int from, int to, QItemSelectionModel::SelectionFlags flags);
    void showHeaderMenu(const QPoint& pos);

    EventTableModel* m_model = nullptr;
    QHeaderView* m_header = nullptr;
    EventTableDelegate* m_delegate = nullptr;
    QItemSelectionModel* m_selection = nullptr;
    bool m_autoscroll = true;
    bool m_columnsSet = false; // restored, or fitted at least once
    bool m_autoFit = false; // the widths are ours: refit on resize until the user resizes a column
    bool m_fitting = false;
    bool m_followBeforeInsert = false;
    int m_anchorRow = -1;
    std::uint64_t m_currentSeqBeforeReset = ~std::uint64_t(0);
    const void* m_captureBeforeReset = nullptr; // a new capture's rows are unrelated to the old one's
    QVector<std::uint64_t> m_selectedSeqsBeforeReset;
};

} // namespace exitlens
