#pragma once

#include <QString>
#include <QStringList>

namespace exitlens {

// A most-recent-first list of paths kept in QSettings (recent programs, recent sessions).
class RecentList {
public:
    explicit RecentList(QString settingsKey, int maximum = 10);

    QStringList items() const;
    void add(const QString& item);
    void remove(const QString& item);
    void clear();

private:
    QString m_key;
    int m_maximum;
};

} // namespace exitlens
