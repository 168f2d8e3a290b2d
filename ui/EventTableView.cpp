#include "EventTableView.h"

#include "EventTableDelegate.h"
#include "EventTableModel.h"
#include "Theme.h"
#include "model/CaptureData.h"

#include <QContextMenuEvent>
#include <QHeaderView>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>

namespace exitlens {

namespace {
// Rows selected in the current selection, as [top, bottom] intervals, computed once per paint.
QVector<QPair<int, int>> selectedIntervals(const QItemSelectionModel* selection)
{
    QVector<QPair<int, int>> intervals;
    if (!selection)
        return intervals;
    for (const QItemSelectionRange& range : selection->selection())
        intervals.append({ range.top(), range.bottom() });
    return intervals;
}

bool inIntervals(const QVector<QPair<int, int>>& intervals, int row)
{
    for (const auto& interval : intervals) {
        if (row >= interval.first && row <= interval.second)
            return true;
    }
    return false;
}

constexpr int kDefaultWidths[EventTableModel::ColumnCount] = { 56, 80, 116, 60, 60, 126, 300, 84, 400, 76 };
} // namespace

EventTableView::EventTableView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_header(new QHeaderView(Qt::Horizontal, this))
    , m_delegate(new EventTableDelegate(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    viewport()->setAutoFillBackground(true);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_delegate->setFont(font());

    m_header->setSectionsMovable(true);
    m_header->setSectionsClickable(false);
    m_header->setHighlightSections(false);
    m_header->setStretchLastSection(false);
    m_header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_header->setMinimumSectionSize(36);
    m_header->setContextMenuPolicy(Qt::CustomContextMenu);
    m_header->setToolTip(tr("Drag to reorder, drag an edge to resize, right-click to choose columns"));
    connect(m_header, &QHeaderView::customContextMenuRequested, this, &EventTableView::showHeaderMenu);
    connect(m_header, &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting)
            m_autoFit = false; // the user chose a width: keep it
        updateScrollBars();
        viewport()->update();
    });
    connect(m_header, &QHeaderView::sectionMoved, this, [this] { viewport()->update(); });
    connect(m_header, &QHeaderView::geometriesChanged, this, &EventTableView::updateHeaderGeometry);

    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { viewport()->update(); });
}

EventTableView::~EventTableView() = default;

void EventTableView::setModel(EventTableModel* model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    delete m_selection;
    m_selection = new QItemSelectionModel(model, this);
    m_header->setModel(model);
    for (int column = 0; column < EventTableModel::ColumnCount; ++column)
        m_header->resizeSection(column, kDefaultWidths[column]);
    m_header->resizeSection(EventTableModel::SeqColumn, seqColumnWidth());
    m_header->setSectionHidden(EventTableModel::TidColumn, true);

    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &EventTableView::onRowsAboutToBeInserted);
    connect(model, &QAbstractItemModel::rowsInserted, this, &EventTableView::onRowsInserted);
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &EventTableView::onModelAboutToBeReset);
    connect(model, &QAbstractItemModel::modelReset, this, &EventTableView::onModelReset);
    connect(model, &QAbstractItemModel::dataChanged, viewport(), qOverload<>(&QWidget::update));
    connect(model, &EventTableModel::highlightChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_selection, &QItemSelectionModel::selectionChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_selection, &QItemSelectionModel::currentChanged, this, &EventTableView::onCurrentChanged);
    updateHeaderGeometry();
    updateScrollBars();
    viewport()->update();
}

int EventTableView::rowHeight() const
{
    return m_delegate->rowHeight();
}

int EventTableView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

int EventTableView::visibleRowCount() const
{
    return qMax(1, viewport()->height() / rowHeight());
}

int EventTableView::rowAt(int y) const
{
    if (!m_model || y < 0)
        return -1;
    const int row = firstVisibleRow() + y / rowHeight();
    return row < m_model->rowCount() ? row : -1;
}

QRect EventTableView::rowRect(int row) const
{
    return QRect(0, (row - firstVisibleRow()) * rowHeight(), viewport()->width(), rowHeight());
}

int EventTableView::currentRow() const
{
    return m_selection && m_selection->currentIndex().isValid() ? m_selection->currentIndex().row() : -1;
}

int EventTableView::selectedRowCount() const
{
    int count = 0;
    if (m_selection) {
        for (const QItemSelectionRange& range : m_selection->selection())
            count += range.height();
    }
    return count;
}

QVector<int> EventTableView::selectedRows(int limit) const
{
    QVector<int> rows;
    if (!m_selection)
        return rows;
    for (const QItemSelectionRange& range : m_selection->selection()) {
        for (int row = range.top(); row <= range.bottom() && rows.size() < limit; ++row)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

QVector<int> EventTableView::visibleColumns() const
{
    QVector<int> columns;
    for (int visual = 0; visual < m_header->count(); ++visual) {
        const int logical = m_header->logicalIndex(visual);
        if (!m_header->isSectionHidden(logical))
            columns.append(logical);
    }
    return columns;
}

void EventTableView::selectRow(int row)
{
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    m_anchorRow = row;
    const QModelIndex index = m_model->index(row, 0);
    m_selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollToRow(row, true);
}

void EventTableView::scrollToRow(int row, bool center)
{
    if (!m_model || row < 0)
        return;
    const int first = firstVisibleRow();
    const int visible = visibleRowCount();
    if (row >= first && row < first + visible)
        return;
    if (center)
        verticalScrollBar()->setValue(row - visible / 2);
    else if (row < first)
        verticalScrollBar()->setValue(row);
    else
        verticalScrollBar()->setValue(row - visible + 1);
}

void EventTableView::setAutoscroll(bool on)
{
    m_autoscroll = on;
    if (on)
        scrollToBottom();
}

bool EventTableView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum();
}

void EventTableView::scrollToBottom()
{
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void EventTableView::updateScrollBars()
{
    const int rows = m_model ? m_model->rowCount() : 0;
    const int visible = visibleRowCount();
    QScrollBar* vertical = verticalScrollBar();
    vertical->setPageStep(visible);
    vertical->setSingleStep(1);
    vertical->setRange(0, qMax(0, rows - visible));
    QScrollBar* horizontal = horizontalScrollBar();
    horizontal->setPageStep(viewport()->width());
    horizontal->setSingleStep(20);
    horizontal->setRange(0, qMax(0, m_header->length() - viewport()->width()));
}

void EventTableView::updateHeaderGeometry()
{
    const int height = m_header->sizeHint().height();
    setViewportMargins(0, height, 0, 0);
    const QRect area = viewport()->geometry();
    m_header->setGeometry(area.left(), area.top() - height, area.width(), height);
}

bool EventTableView::restoreColumns(const QByteArray& state)
{
    if (state.isEmpty() || !m_header->restoreState(state) || m_header->count() != EventTableModel::ColumnCount)
        return false;
    m_columnsSet = true;
    m_autoFit = false;
    return true;
}

int EventTableView::seqColumnWidth() const
{
    // Seven digits and the bookmark icon, without eliding (a capture of millions of events).
    return 2 * EventTableDelegate::kPadding + EventTableDelegate::kIconSize + 4
        + fontMetrics().horizontalAdvance(QStringLiteral("0000000")) + 2;
}

void EventTableView::fitColumns()
{
    const QScopedValueRollback<bool> fitting(m_fitting, true);
    for (int column = 0; column < EventTableModel::ColumnCount; ++column)
        m_header->resizeSection(column, kDefaultWidths[column]);
    m_header->resizeSection(EventTableModel::SeqColumn, seqColumnWidth());
    const auto fixedWidth = [this] {
        int fixed = 0;
        for (int column : { EventTableModel::SeqColumn, EventTableModel::TimeColumn, EventTableModel::ProcessColumn,
                 EventTableModel::PidColumn, EventTableModel::OperationColumn, EventTableModel::ResultColumn }) {
            if (!m_header->isSectionHidden(column))
                fixed += m_header->sectionSize(column);
        }
        return fixed;
    };
    int fixed = fixedWidth();
    if (viewport()->width() - fixed - 4 < 160) {
        // A small screen: Time, Process and Operation give some of their room too.
        m_header->resizeSection(EventTableModel::TimeColumn, 70);
        m_header->resizeSection(EventTableModel::ProcessColumn, 84);
        m_header->resizeSection(EventTableModel::PidColumn, 52);
        m_header->resizeSection(EventTableModel::OperationColumn, 100);
        fixed = fixedWidth();
    }
    // Path gives way first, down to a short one, so that Result stays in view on a small screen.
    const int path = qBound(96, viewport()->width() - fixed - 4, 520);
    m_header->resizeSection(EventTableModel::PathColumn, path);
    m_columnsSet = true;
    m_autoFit = true;
    updateScrollBars();
}

void EventTableView::resizeEvent(QResizeEvent* event)
{
    const bool follow = m_autoscroll && isAtBottom();
    QAbstractScrollArea::resizeEvent(event);
    if ((!m_columnsSet || m_autoFit) && isVisible() && viewport()->width() > 300)
        fitColumns();
    updateHeaderGeometry();
    updateScrollBars();
    if (follow)
        scrollToBottom();
}

void EventTableView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dy)
    if (dx != 0)
        m_header->setOffset(horizontalScrollBar()->value());
    viewport()->update();
}

void EventTableView::onRowsAboutToBeInserted()
{
    m_followBeforeInsert = m_autoscroll && isAtBottom();
}

void EventTableView::onRowsInserted(const QModelIndex& parent, int first, int last)
{
    Q_UNUSED(parent)
    const int top = firstVisibleRow();
    updateScrollBars();
    if (m_followBeforeInsert)
        scrollToBottom(); // repaints through valueChanged when it moved
    else if (first <= top + visibleRowCount() && last >= top)
        viewport()->update();
}

void EventTableView::onModelAboutToBeReset()
{
    // Keep the user's place across a filter change: remember events, not rows.
    m_currentSeqBeforeReset = ~std::uint64_t(0);
    m_selectedSeqsBeforeReset.clear();
    m_captureBeforeReset = m_model ? m_model->capture().get() : nullptr;
    if (!m_model || !m_model->capture())
        return;
    const int current = currentRow();
    if (current >= 0)
        m_currentSeqBeforeReset = m_model->seqAt(current);
    for (int row : selectedRows(10000))
        m_selectedSeqsBeforeReset.append(m_model->seqAt(row));
}

void EventTableView::onModelReset()
{
    m_anchorRow = -1;
    updateScrollBars();
    const bool sameCapture = m_model && m_model->capture().get() == m_captureBeforeReset;
    if (sameCapture && m_currentSeqBeforeReset != ~std::uint64_t(0)) {
        QItemSelection selection;
        for (std::uint64_t seq : std::as_const(m_selectedSeqsBeforeReset)) {
            const int row = m_model->rowOfSeq(seq);
            if (row >= 0)
                selection.select(m_model->index(row, 0), m_model->index(row, EventTableModel::ColumnCount - 1));
        }
        m_selection->select(selection, QItemSelectionModel::ClearAndSelect);
        const int row = m_model->nearestRowOfSeq(m_currentSeqBeforeReset);
        if (row >= 0) {
            m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
            m_anchorRow = row;
            scrollToRow(row, true);
        }
    } else if (m_autoscroll) {
        scrollToBottom();
    }
    viewport()->update();
}

void EventTableView::onCurrentChanged(const QModelIndex& current, const QModelIndex& previous)
{
    Q_UNUSED(previous)
    viewport()->update();
    Q_EMIT currentRowChanged(current.isValid() ? current.row() : -1);
}

void EventTableView::paintEvent(QPaintEvent* paint)
{
    QPainter painter(viewport());
    const QRect exposed = paint->rect();
    const QPalette& pal = palette();
    painter.fillRect(exposed, pal.base());
    if (!m_model || !m_model->capture() || m_model->rowCount() == 0)
        return;

    const CaptureData& capture = *m_model->capture();
    const int height = rowHeight();
    const int top = firstVisibleRow();
    const int rows = m_model->rowCount();
    const int firstRow = top + exposed.top() / height;
    const int lastRow = qMin(rows - 1, top + exposed.bottom() / height);
    const qreal dpr = viewport()->devicePixelRatioF();

    struct Column {
        int logical;
        int x;
        int width;
        Qt::Alignment alignment;
    };
    QVector<Column> columns;
    for (int visual = 0; visual < m_header->count(); ++visual) {
        const int logical = m_header->logicalIndex(visual);
        if (m_header->isSectionHidden(logical))
            continue;
        const int x = m_header->sectionViewportPosition(logical);
        const int width = m_header->sectionSize(logical);
        if (x + width < exposed.left() || x > exposed.right())
            continue;
        columns.append({ logical, x, width, EventTableDelegate::columnAlignment(logical) });
    }

    const auto selected = selectedIntervals(m_selection);
    const int current = currentRow();
    const int highlightPid = m_model->highlightedPid();
    const bool active = hasFocus();
    const QColor selectionBackground = pal.color(active ? QPalette::Active : QPalette::Inactive, QPalette::Highlight);
    const QColor selectionText = pal.color(active ? QPalette::Active : QPalette::Inactive, QPalette::HighlightedText);
    const QColor alternate = pal.color(QPalette::AlternateBase);
    const QColor failureBackground = Theme::failureBackground(pal);
    const QColor highlightBackground = Theme::highlightBackground(pal);
    const QColor gridColor = pal.color(QPalette::Midlight);
    const int width = viewport()->width();

    for (int row = firstRow; row <= lastRow; ++row) {
        const int y = (row - top) * height;
        const QRect rowRect(0, y, width, height);
        const std::uint64_t seq = m_model->seqAt(row);
        const Event& event = capture.events().at(seq);
        const auto style = EventTableModel::rowStyle(event);
        const bool isSelected = inIntervals(selected, row);
        QColor textColor;
        if (isSelected) {
            painter.fillRect(rowRect, selectionBackground);
            textColor = selectionText;
        } else {
            // A highlight rule's colour (translucent, over the base) comes first: the user asked for it.
            if (const QColor rule = m_model->highlightColor(seq); rule.isValid())
                painter.fillRect(rowRect, rule);
            else if (highlightPid != 0 && event.pid == highlightPid)
                painter.fillRect(rowRect, highlightBackground);
            else if (style == EventTableModel::RowStyle::Failure
                || style == EventTableModel::RowStyle::ProcessExitFailed)
                painter.fillRect(rowRect, failureBackground);
            else if (row & 1)
                painter.fillRect(rowRect, alternate);
            textColor = EventTableDelegate::styleColor(style, pal);
        }
        for (const Column& column : std::as_const(columns)) {
            const QRect cell(column.x, y, column.width, height);
            const QPixmap* icon = column.logical == EventTableModel::OperationColumn
                ? m_delegate->styleIcon(style, event.flags & EventFlag::Signaled, dpr)
                : nullptr;
            // A bookmark (Ctrl+B) marks the Seq cell with the note icon: a shape, not only a colour.
            if (column.logical == EventTableModel::SeqColumn && m_model->isBookmarked(seq))
                icon = m_delegate->styleIcon(EventTableModel::RowStyle::Note, false, dpr);
            m_delegate->paintCell(
                &painter, cell, m_model->cellText(seq, event, column.logical), column.alignment, textColor, icon);
        }
        if (row == current && hasFocus()) {
            painter.setPen(QPen(isSelected ? selectionText : Theme::accent(pal), 1, Qt::DotLine));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(rowRect.adjusted(0, 0, -1, -1));
        }
    }
    // Faint column separators help the eye follow a row across wide columns.
    painter.setPen(gridColor);
    const int bottom = qMin(exposed.bottom(), (lastRow - top + 1) * height);
    for (const Column& column : std::as_const(columns))
        painter.drawLine(column.x + column.width - 1, exposed.top(), column.x + column.width - 1, bottom);
}

void EventTableView::selectRange(int from, int to, QItemSelectionModel::SelectionFlags flags)
{
    if (!m_model)
        return;
    const int top = qMin(from, to);
    const int bottom = qMax(from, to);
    const QItemSelection selection(m_model->index(top, 0), m_model->index(bottom, EventTableModel::ColumnCount - 1));
    m_selection->select(selection, flags);
}

void EventTableView::moveCurrent(int row, Qt::KeyboardModifiers modifiers)
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    row = qBound(0, row, m_model->rowCount() - 1);
    if ((modifiers & Qt::ShiftModifier) && m_anchorRow >= 0) {
        selectRange(m_anchorRow, row, QItemSelectionModel::ClearAndSelect);
        m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
    } else if (modifiers & Qt::ControlModifier) {
        m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
    } else {
        m_anchorRow = row;
        m_selection->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    scrollToRow(row);
}

void EventTableView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    const int row = rowAt(event->position().toPoint().y());
    if (row < 0 || !m_model)
        return;
    if (event->button() == Qt::RightButton && inIntervals(selectedIntervals(m_selection), row)) {
        m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
        return; // keep a multi-row selection for the context menu
    }
    const auto modifiers = event->modifiers();
    if ((modifiers & Qt::ShiftModifier) && m_anchorRow >= 0) {
        selectRange(m_anchorRow, row,
            (modifiers & Qt::ControlModifier) ? QItemSelectionModel::Select : QItemSelectionModel::ClearAndSelect);
        m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
    } else if (modifiers & Qt::ControlModifier) {
        m_anchorRow = row;
        m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::Toggle | QItemSelectionModel::Rows);
    } else {
        m_anchorRow = row;
        m_selection->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

void EventTableView::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton) || !m_model || m_anchorRow < 0)
        return;
    const int y = event->position().toPoint().y();
    if (y < 0)
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    else if (y > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    int row = rowAt(qBound(0, y, viewport()->height() - 1));
    if (row < 0)
        row = m_model->rowCount() - 1;
    selectRange(m_anchorRow, row, QItemSelectionModel::ClearAndSelect);
    m_selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
}

void EventTableView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        Q_EMIT rowActivated(row);
}

void EventTableView::keyPressEvent(QKeyEvent* event)
{
    if (!m_model) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const int current = currentRow();
    const int page = visibleRowCount();
    const auto modifiers = event->modifiers();
    switch (event->key()) {
    case Qt::Key_Down:
        moveCurrent(current < 0 ? firstVisibleRow() : current + 1, modifiers);
        return;
    case Qt::Key_Up:
        moveCurrent(current < 0 ? firstVisibleRow() : current - 1, modifiers);
        return;
    case Qt::Key_PageDown:
        moveCurrent(current < 0 ? firstVisibleRow() : current + page, modifiers);
        return;
    case Qt::Key_PageUp:
        moveCurrent(current < 0 ? firstVisibleRow() : current - page, modifiers);
        return;
    case Qt::Key_Home:
        moveCurrent(0, modifiers & ~Qt::ControlModifier);
        return;
    case Qt::Key_End:
        moveCurrent(m_model->rowCount() - 1, modifiers & ~Qt::ControlModifier);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (current >= 0)
            Q_EMIT rowActivated(current);
        return;
    case Qt::Key_Menu:
        if (current >= 0)
            Q_EMIT contextMenuRequested(viewport()->mapToGlobal(rowRect(current).center()), current);
        return;
    default:
        break;
    }
    if (event->matches(QKeySequence::SelectAll) && m_model->rowCount() > 0) {
        selectRange(0, m_model->rowCount() - 1, QItemSelectionModel::ClearAndSelect);
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void EventTableView::contextMenuEvent(QContextMenuEvent* event)
{
    // The event reaches here from the viewport (viewport coordinates) or from the scroll area
    // itself (its own coordinates, below the header): the global position means one thing in both.
    const QPoint pos = viewport()->mapFromGlobal(event->globalPos());
    int row = event->reason() == QContextMenuEvent::Mouse ? rowAt(pos.y()) : currentRow();
    Q_EMIT contextMenuRequested(event->globalPos(), row);
}

bool EventTableView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_model) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int row = rowAt(help->pos().y());
        const int column = m_header->logicalIndexAt(help->pos().x());
        const QString tip = row >= 0 && column >= 0 ? m_model->toolTip(row, column) : QString();
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, viewport(), rowRect(row));
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void EventTableView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        m_delegate->setFont(font());
        updateScrollBars();
    } else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_delegate->invalidateIcons();
    }
    QAbstractScrollArea::changeEvent(event);
}

void EventTableView::showEvent(QShowEvent* event)
{
    QAbstractScrollArea::showEvent(event);
    if (!m_columnsSet && viewport()->width() > 300)
        fitColumns();
}

void EventTableView::focusInEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusInEvent(event);
    viewport()->update();
}

void EventTableView::focusOutEvent(QFocusEvent* event)
{
    QAbstractScrollArea::focusOutEvent(event);
    viewport()->update();
}

void EventTableView::showHeaderMenu(const QPoint& pos)
{
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    QAction* title = menu.addAction(tr("Columns"));
    title->setEnabled(false);
    for (int column = 0; column < EventTableModel::ColumnCount; ++column) {
        QAction* action = menu.addAction(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        action->setCheckable(true);
        action->setChecked(!m_header->isSectionHidden(column));
        connect(action, &QAction::toggled, this, [this, column](bool on) {
            m_header->setSectionHidden(column, !on);
            updateScrollBars();
            viewport()->update();
        });
    }
    menu.addSeparator();
    menu.addAction(tr("Reset column widths"), this, &EventTableView::fitColumns);
    menu.exec(m_header->mapToGlobal(pos));
}

} // namespace exitlens
