#pragma once

#include <QStyledItemDelegate>

namespace exitlens {

// Draws a process's lifetime as a bar on the session's time axis (Process Monitor's process
// tree): where it started, how long it lived, and how it ended (green: exit 0, red: failed,
// blue: still running; a failed end also gets a cap so it reads without colour).
class ProcessLifetimeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace exitlens
