#pragma once

#include "EventTableModel.h"
#include "ShapedTextCache.h"

#include <QAbstractItemDelegate>
#include <QPixmap>
#include <array>

namespace exitlens {

// Draws event table cells from pre-shaped text (ShapedTextCache) instead of laying text out on
// every paint, which is what keeps a 1600x1000 table of millions of rows under a frame's budget.
// EventTableView calls paintCell() directly; paint() serves any other QAbstractItemView.
class EventTableDelegate : public QAbstractItemDelegate {
    Q_OBJECT
public:
    static constexpr int kPadding = 6;
    static constexpr int kIconSize = 14;

    explicit EventTableDelegate(QObject* parent = nullptr);

    void setFont(const QFont& font);
    int rowHeight() const { return m_rowHeight; }

    // Paints a cell's icon (optional) and text; the caller paints the background.
    void paintCell(QPainter* painter, const QRect& cell, const QString& text, Qt::Alignment alignment,
        const QColor& color, const QPixmap* icon = nullptr);
    // The state icon of a row style at a device pixel ratio (nullptr for plain rows).
    const QPixmap* styleIcon(EventTableModel::RowStyle style, bool signaled, qreal devicePixelRatio);
    // Text colour for a row style in a palette.
    static QColor styleColor(EventTableModel::RowStyle style, const QPalette& palette);
    static Qt::Alignment columnAlignment(int column);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    ShapedTextCache& textCache() { return m_text; }
    // Drops cached icons (palette or screen change).
    void invalidateIcons();

private:
    ShapedTextCache m_text;
    int m_rowHeight = 20;
    qreal m_textHeight = 14;
    qreal m_iconRatio = 0;
    std::array<QPixmap, 12> m_icons;
};

} // namespace exitlens
