#include "ProcessLifetimeDelegate.h"

#include "ProcessTreeModel.h"
#include "Theme.h"

#include <QApplication>
#include <QPainter>

namespace exitlens {

void ProcessLifetimeDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const std::uint64_t start = index.data(ProcessTreeModel::StartNsRole).toULongLong();
    const std::uint64_t end = index.data(ProcessTreeModel::EndNsRole).toULongLong();
    const bool running = index.data(ProcessTreeModel::RunningRole).toBool();
    const bool failed = index.data(ProcessTreeModel::FailedRole).toBool();
    std::uint64_t span = index.data(ProcessTreeModel::SpanNsRole).toULongLong();
    const std::uint64_t last = running ? span : end;
    span = std::max<std::uint64_t>({ span, last, start + 1 });

    const QRectF area = QRectF(option.rect).adjusted(4, 4, -4, -4);
    if (area.width() < 8)
        return;
    const qreal x0 = area.left() + area.width() * double(start) / double(span);
    qreal x1 = area.left() + area.width() * double(std::max<std::uint64_t>(last, start)) / double(span);
    x1 = std::max(x1, x0 + 3);
    const QPalette& palette = option.palette;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // The axis, so a short bar still shows where in the session it sits.
    painter->setPen(QPen(palette.color(QPalette::Midlight), 1));
    painter->drawLine(QPointF(area.left(), area.center().y()), QPointF(area.right(), area.center().y()));
    QColor color = running ? Theme::lifecycleText(palette)
        : failed           ? Theme::failureText(palette)
                           : Theme::successText(palette);
    if (option.state & QStyle::State_Selected)
        color = color.lighter(130);
    const QRectF bar(x0, area.top() + 1, x1 - x0, area.height() - 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(bar, 2, 2);
    if (running) {
        // An open end: the process is still alive.
        painter->setBrush(palette.color(QPalette::Base));
        painter->drawEllipse(QPointF(bar.right() - 3, bar.center().y()), 1.5, 1.5);
    } else if (failed) {
        // A dark cap marks the failed end.
        painter->setBrush(color.darker(170));
        painter->drawRect(QRectF(bar.right() - 3, bar.top(), 3, bar.height()));
    }
    painter->restore();
}

QSize ProcessLifetimeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(160);
    return size;
}

} // namespace exitlens
