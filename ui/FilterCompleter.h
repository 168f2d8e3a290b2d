#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QCompleter;
class QLineEdit;
class QStringListModel;

namespace exitlens {

// Completion for the filter bar: what can come at the cursor in the filter language — a field
// name, an operator after a field, a value of that field (process names, operations, errno
// names, path prefixes seen in the session), `and`/`or` after a comparison. Only the word at the
// cursor is replaced, so completing never disturbs the rest of the expression.
class FilterCompleter : public QObject {
    Q_OBJECT
public:
    enum class Slot { Field, Operator, Value, Keyword };
    struct Context {
        Slot slot = Slot::Field;
        QString field; // Value: the field being compared
        int start = 0; // where the word being completed begins
        QString prefix; // what is typed of it (without an opening quote)
    };
    using ValueSource = std::function<QStringList(const QString& field)>;

    FilterCompleter(QLineEdit* edit, ValueSource values);

    static Context contextAt(const QString& text, int cursor);
    // The candidates for the cursor's position, as the popup lists them (filtered by the prefix).
    QStringList candidates() const;
    QCompleter* completer() const { return m_completer; }
    // True right after a completion was chosen with Enter, so the bar does not also apply.
    bool takeCompletedWithEnter();
    // Recomputes the candidates and shows the popup when there is something to offer.
    void refresh(bool force = false);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void insert(const QString& completion);

    QLineEdit* m_edit;
    QCompleter* m_completer;
    QStringListModel* m_model;
    ValueSource m_values;
    Context m_context;
    bool m_completedWithEnter = false;
};

} // namespace exitlens
