#pragma once

#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QStaticText>
#include <QString>

namespace exitlens {

// Pre-shaped text for table cells. Shaping (QTextLayout, eliding) is what makes the stock
// delegate slow (~50 us per cell); a QStaticText keeps its glyph positions, so drawing it again
// costs a few microseconds. Values repeat a lot in a trace (operations, paths, results), so most
// cells of a freshly scrolled page hit the cache.
//
// Bounded: two generations of at most `capacity` entries. A lookup that misses the current
// generation promotes from the previous one; when the current one fills up, the previous one is
// dropped. Memory stays bounded and recently used text survives.
class ShapedTextCache {
public:
    struct Entry {
        QStaticText text;
        qreal width = 0;
    };

    explicit ShapedTextCache(int capacity = 8192);

    // Sets the font every entry is shaped with; clears the cache when it changes.
    void setFont(const QFont& font);
    const QFont& font() const { return m_font; }

    // The text as it fits into maxWidth pixels: whole, or elided with "…" at the end.
    const Entry& fitted(const QString& text, qreal maxWidth);

    void clear();
    int size() const { return int(m_current.size() + m_previous.size()); }

private:
    const Entry* find(const QString& key);
    const Entry& insert(const QString& key, const QString& text);

    QFont m_font;
    QFontMetricsF m_metrics;
    int m_capacity;
    QHash<QString, Entry> m_current;
    QHash<QString, Entry> m_previous;
};

} // namespace exitlens
