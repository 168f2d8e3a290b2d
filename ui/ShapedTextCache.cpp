#include "ShapedTextCache.h"

namespace exitlens {

ShapedTextCache::ShapedTextCache(int capacity)
    : m_metrics(m_font)
    , m_capacity(capacity)
{
}

void ShapedTextCache::setFont(const QFont& font)
{
    if (font == m_font)
        return;
    m_font = font;
    m_metrics = QFontMetricsF(font);
    clear();
}

void ShapedTextCache::clear()
{
    m_current.clear();
    m_previous.clear();
}

const ShapedTextCache::Entry* ShapedTextCache::find(const QString& key)
{
    auto current = m_current.constFind(key);
    if (current != m_current.constEnd())
        return &*current;
    auto previous = m_previous.find(key);
    if (previous == m_previous.end())
        return nullptr;
    if (m_current.size() >= m_capacity) {
        m_previous = std::move(m_current);
        m_current = QHash<QString, Entry>();
        m_current.reserve(m_capacity);
        previous = m_previous.find(key);
        if (previous == m_previous.end())
            return nullptr;
    }
    auto inserted = m_current.insert(key, *previous);
    return &*inserted;
}

const ShapedTextCache::Entry& ShapedTextCache::insert(const QString& key, const QString& text)
{
    if (m_current.size() >= m_capacity) {
        m_previous = std::move(m_current);
        m_current = QHash<QString, Entry>();
        m_current.reserve(m_capacity);
    }
    Entry entry;
    entry.text.setTextFormat(Qt::PlainText);
    entry.text.setPerformanceHint(QStaticText::AggressiveCaching);
    entry.text.setText(text);
    entry.text.prepare(QTransform(), m_font);
    entry.width = entry.text.size().width();
    return *m_current.insert(key, std::move(entry));
}

const ShapedTextCache::Entry& ShapedTextCache::fitted(const QString& text, qreal maxWidth)
{
    const Entry* whole = find(text);
    if (!whole)
        whole = &insert(text, text);
    if (whole->width <= maxWidth)
        return *whole;
    // Elided variants are keyed by text and width; widths change only when a column is resized.
    const int width = int(maxWidth);
    QString key = text;
    key += QChar(0);
    key += QString::number(width);
    if (const Entry* elided = find(key))
        return *elided;
    // Cut very long text before eliding: elidedText shapes the whole string, and a 4 KiB write()
    // payload would cost far more than the few dozen characters that can ever be visible.
    const int averageChar = qMax(1, int(m_metrics.averageCharWidth()));
    const int keep = width / averageChar * 3 + 16;
    const QString source = text.size() > keep ? text.left(keep) + QChar(0x2026) : text;
    return insert(key, m_metrics.elidedText(source, Qt::ElideRight, width));
}

} // namespace exitlens
