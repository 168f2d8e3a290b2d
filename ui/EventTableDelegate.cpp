#include "EventTableDelegate.h"

#include "Icons.h"
#include "Theme.h"

#include <QApplication>
#include <QPainter>
#include <cmath>

namespace exitlens {

EventTableDelegate::EventTableDelegate(QObject* parent)
    : QAbstractItemDelegate(parent)
{
    setFont(QApplication::font());
}

void EventTableDelegate::setFont(const QFont& font)
{
    m_text.setFont(font);
    const QFontMetricsF metrics(font);
    m_textHeight = metrics.height();
    // Uniform rows: the font's height plus a little air, and never smaller than the icons.
    m_rowHeight = qMax(int(std::ceil(metrics.height())) + 6, kIconSize + 6);
}

void EventTableDelegate::invalidateIcons()
{
    m_iconRatio = 0;
}

Qt::Alignment EventTableDelegate::columnAlignment(int column)
{
    switch (column) {
    case EventTableModel::SeqColumn:
    case EventTableModel::TimeColumn:
    case EventTableModel::PidColumn:
    case EventTableModel::TidColumn:
    case EventTableModel::DurationColumn:
        return Qt::AlignRight;
    default:
        return Qt::AlignLeft;
    }
}

QColor EventTableDelegate::styleColor(EventTableModel::RowStyle style, const QPalette& palette)
{
    using Style = EventTableModel::RowStyle;
    switch (style) {
    case Style::Failure:
    case Style::ProcessExitFailed:
        return Theme::failureText(palette);
    case Style::ProcessStart:
    case Style::ProcessExec:
    case Style::ProcessExit:
        return Theme::lifecycleText(palette);
    case Style::Signal:
        return Theme::signalText(palette);
    case Style::Thread:
    case Style::Note:
        return Theme::mutedText(palette);
    case Style::Output:
    case Style::Plain:
        break;
    }
    return palette.color(QPalette::Text);
}

const QPixmap* EventTableDelegate::styleIcon(EventTableModel::RowStyle style, bool signaled, qreal devicePixelRatio)
{
    if (devicePixelRatio != m_iconRatio) {
        m_iconRatio = devicePixelRatio;
        using Style = EventTableModel::RowStyle;
        const auto make = [&](Style s, IconId id) {
            m_icons[std::size_t(s)] = Icons::pixmap(id, kIconSize, devicePixelRatio);
        };
        m_icons.fill(QPixmap());
        make(Style::Failure, IconId::Failure);
        make(Style::ProcessStart, IconId::ProcessStart);
        make(Style::ProcessExec, IconId::ProcessExec);
        make(Style::ProcessExit, IconId::ProcessExit);
        make(Style::ProcessExitFailed, IconId::ExitFailed);
        make(Style::Signal, IconId::Signal);
        make(Style::Thread, IconId::Thread);
        make(Style::Output, IconId::Output);
        make(Style::Note, IconId::Note);
        // The last slot: a process killed by a signal (bolt instead of cross).
        m_icons.back() = Icons::pixmap(IconId::ExitSignal, kIconSize, devicePixelRatio);
    }
    if (style == EventTableModel::RowStyle::ProcessExitFailed && signaled)
        return &m_icons.back();
    const QPixmap& pixmap = m_icons[std::size_t(style)];
    return pixmap.isNull() ? nullptr : &pixmap;
}

void EventTableDelegate::paintCell(QPainter* painter, const QRect& cell, const QString& text, Qt::Alignment alignment,
    const QColor& color, const QPixmap* icon)
{
    qreal left = cell.left() + kPadding;
    const qreal right = cell.right() + 1 - kPadding;
    if (icon) {
        const int y = cell.top() + (cell.height() - kIconSize) / 2;
        painter->drawPixmap(QPoint(int(left), y), *icon);
        left += kIconSize + 4;
    }
    const qreal available = right - left;
    if (available <= 4 || text.isEmpty())
        return;
    const ShapedTextCache::Entry& shaped = m_text.fitted(text, available);
    const qreal x = (alignment & Qt::AlignRight) ? right - shaped.width : left;
    const qreal y = cell.top() + (cell.height() - m_textHeight) / 2;
    painter->setPen(color);
    painter->drawStaticText(QPointF(x, y), shaped.text);
}

void EventTableDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    auto* self = const_cast<EventTableDelegate*>(this);
    const auto* model = qobject_cast<const EventTableModel*>(index.model());
    if (!model)
        return;
    const Event& event = model->eventAt(index.row());
    const auto style = EventTableModel::rowStyle(event);
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.highlight());
    const QColor color = (option.state & QStyle::State_Selected) ? option.palette.color(QPalette::HighlightedText)
                                                                 : styleColor(style, option.palette);
    const QPixmap* icon = index.column() == EventTableModel::OperationColumn
        ? self->styleIcon(style, event.flags & EventFlag::Signaled, painter->device()->devicePixelRatioF())
        : nullptr;
    self->paintCell(painter, option.rect, model->cellText(index.row(), index.column()), columnAlignment(index.column()),
        color, icon);
}

QSize EventTableDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    Q_UNUSED(option)
    Q_UNUSED(index)
    return QSize(80, m_rowHeight);
}

} // namespace exitlens
