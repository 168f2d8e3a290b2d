#include "RecentList.h"

#include <QSettings>

namespace exitlens {

RecentList::RecentList(QString settingsKey, int maximum)
    : m_key(std::move(settingsKey))
    , m_maximum(maximum)
{
}

QStringList RecentList::items() const
{
    return QSettings().value(m_key).toStringList();
}

void RecentList::add(const QString& item)
{
    if (item.isEmpty())
        return;
    QStringList list = items();
    list.removeAll(item);
    list.prepend(item);
    while (list.size() > m_maximum)
        list.removeLast();
    QSettings().setValue(m_key, list);
}

void RecentList::remove(const QString& item)
{
    QStringList list = items();
    list.removeAll(item);
    QSettings().setValue(m_key, list);
}

void RecentList::clear()
{
    QSettings().remove(m_key);
}

} // namespace exitlens
