#pragma once

#include "QuickFilter.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace exitlens {

// The bar above the event table: a quick filter (Ctrl+L: text, failures only, hide the Go
// runtime's housekeeping) and find (Ctrl+F, F3 / Shift+F3). The filter language of its own
// issue will replace the text field; the model's row index takes any predicate.
class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    QuickFilterSettings settings() const;
    void setSettings(const QuickFilterSettings& settings);
    QString findText() const;
    void focusFilter();
    void focusFind();
    // "12,345 of 1,000,000 events" after a filter; empty to hide.
    void setFilterState(const QString& text);
    void setFindState(const QString& text, bool failed);

    QLineEdit* filterField() const { return m_filter; }
    QLineEdit* findField() const { return m_find; }
    QCheckBox* failuresOnlyBox() const { return m_failuresOnly; }
    QCheckBox* hideNoiseBox() const { return m_hideNoise; }

Q_SIGNALS:
    void filterChanged(const exitlens::QuickFilterSettings& settings);
    void findRequested(const QString& text, bool backward);

private:
    void emitFilter();

    QLineEdit* m_filter = nullptr;
    QCheckBox* m_failuresOnly = nullptr;
    QCheckBox* m_hideNoise = nullptr;
    QLabel* m_filterState = nullptr;
    QLineEdit* m_find = nullptr;
    QLabel* m_findState = nullptr;
    QTimer m_debounce;
    QuickFilterSettings m_applied;
};

} // namespace exitlens
