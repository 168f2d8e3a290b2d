#pragma once

#include "FilterCompleter.h"

#include <QIcon>
#include <QTimer>
#include <QWidget>
#include <array>

class QAction;
class QCheckBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace exitlens {

// The bar above the event table. First row: the display filter in the filter language
// (docs/filters.md), Wireshark's way — validated as you type after a short pause, applied on
// Enter, with a state you can read without colour (an icon per state) and the parser's error with
// a caret in the tooltip; completion of fields and of values seen in the session; recent
// expressions; and Find (Ctrl+F, F3 / Shift+F3). Second row: Process Monitor-style class toggles,
// "Hide Go runtime noise", "Tree selection" and the count of shown events. The toggles contribute clauses to the
// effective expression (FilterController joins them with the typed one).
class FilterBar : public QWidget {
    Q_OBJECT
public:
    enum class State { Empty, Typing, Invalid, Valid, Busy };
    enum class ClassToggle { File, Network, Process, Signal, Output, Count_ };

    explicit FilterBar(QWidget* parent = nullptr);

    // The text in the field (what expressionApplied() reports once it is applied).
    QString expression() const;
    // Puts an expression in the field; with apply it is validated and, when valid, applied at once.
    void setExpression(const QString& expression, bool apply = true);
    QString appliedExpression() const { return m_applied; }

    State state() const { return m_state; }
    QString stateMessage() const; // the short text beside the field
    QIcon stateIcon() const; // a shape per state, so it reads without colour
    int errorPosition() const { return m_errorPosition; } // in characters; -1 unless Invalid
    void validateNow(); // what the debounce does, at once
    void setBusy(bool busy); // a large filter runs in the worker

    // Toggles. Turning one off hides that class (`process` also hides threads).
    QAction* classAction(ClassToggle toggle) const { return m_classActions[std::size_t(toggle)]; }
    QAction* noiseAction() const { return m_noiseAction; }
    // On: selecting a process in the Process Tree filters the table to it.
    QAction* treeSelectionAction() const { return m_treeAction; }
    bool hidesNoise() const;
    void setHideNoise(bool hide);
    void showAllClasses();
    // The clauses the toggles add to the typed expression: `not class in (file, network)`, `not noise`.
    QStringList toggleClauses() const;

    // "12,345 of 1,000,000 events"; the status bar's "2,001 runtime-noise events hidden — Show".
    void setCounts(quint64 shown, quint64 total, bool filtered);
    QString countText() const;
    void setHiddenNoise(quint64 hidden);
    QLabel* noiseStatusLabel() const { return m_noiseStatus; }

    void setValueSource(FilterCompleter::ValueSource source);
    FilterCompleter* completer() const { return m_completer; }
    QStringList history() const;

    QString findText() const;
    void focusFilter();
    void focusFind();
    void setFindState(const QString& text, bool failed);

    QLineEdit* filterField() const { return m_filter; }
    QLineEdit* findField() const { return m_find; }

Q_SIGNALS:
    void expressionApplied(const QString& expression);
    void togglesChanged();
    void findRequested(const QString& text, bool backward);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void apply();
    void setState(State state, const QString& message = QString(), const QString& toolTip = QString());
    void remember(const QString& expression);
    void showHistoryMenu();

    QLineEdit* m_filter = nullptr;
    QAction* m_stateAction = nullptr;
    QToolButton* m_historyButton = nullptr;
    QToolButton* m_applyButton = nullptr;
    QLabel* m_message = nullptr;
    std::array<QAction*, std::size_t(ClassToggle::Count_)> m_classActions {};
    QAction* m_noiseAction = nullptr;
    QCheckBox* m_noiseBox = nullptr; // its toggle, with the count of events it hides
    QList<QCheckBox*> m_toggleBoxes; // of the class actions, in their order
    QWidget* m_classRow = nullptr;
    QWidget* m_extras = nullptr; // noise, tree selection and the count: wrap on a narrow bar
    QHBoxLayout* m_toggleRow = nullptr;
    QHBoxLayout* m_wrapRow = nullptr;
    bool m_wrapped = false;
    QAction* m_treeAction = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_noiseStatus = nullptr;
    QLineEdit* m_find = nullptr;
    QLabel* m_findState = nullptr;
    FilterCompleter* m_completer = nullptr;
    FilterCompleter::ValueSource m_values;
    QTimer m_debounce;
    QString m_applied;
    State m_state = State::Empty;
    bool m_busy = false;
    int m_errorPosition = -1;
};

} // namespace exitlens
