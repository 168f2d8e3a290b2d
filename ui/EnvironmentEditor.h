#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QTableWidget;
class QPushButton;

namespace exitlens {

// The launch dialog's environment section: the program inherits ExitLens's environment, and
// this table adds, changes or removes variables on top of it.
class EnvironmentEditor : public QWidget {
    Q_OBJECT
public:
    struct Change {
        QString name;
        QString value;
        bool unset = false;
    };

    explicit EnvironmentEditor(QWidget* parent = nullptr);

    void setInherited(const QStringList& environment); // "NAME=value" entries
    QList<Change> changes() const;
    void setChanges(const QList<Change>& changes);
    void addChange(const Change& change);
    // Empty when every row is valid; otherwise what is wrong with the first bad row.
    QString validationError() const;
    // The inherited environment with the changes applied, as "NAME=value" entries.
    QStringList apply(const QStringList& inherited) const;

    QTableWidget* table() const { return m_table; }

Q_SIGNALS:
    void changed();

private:
    void addRow(const Change& change);
    void updateInheritedLabel();

    QStringList m_inherited;
    QLabel* m_inheritedLabel = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_remove = nullptr;
};

} // namespace exitlens
