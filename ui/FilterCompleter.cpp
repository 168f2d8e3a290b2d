#include "FilterCompleter.h"

#include "FilterClauses.h"
#include "filter/FilterExpression.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QLineEdit>
#include <QStringListModel>
#include <QTimer>

namespace exitlens {

namespace {
// The tokenizer's notion of a word character (core/filter/FilterParser.cpp).
bool isWordChar(QChar c)
{
    return !c.isSpace() && c != QLatin1Char('(') && c != QLatin1Char(')') && c != QLatin1Char(',')
        && c != QLatin1Char('"') && c != QLatin1Char('\'') && c != QLatin1Char('=') && c != QLatin1Char('!')
        && c != QLatin1Char('<') && c != QLatin1Char('>') && c != QLatin1Char('&') && c != QLatin1Char('|');
}

bool isOperatorChar(QChar c)
{
    return c == QLatin1Char('=') || c == QLatin1Char('!') || c == QLatin1Char('<') || c == QLatin1Char('>')
        || c == QLatin1Char('&') || c == QLatin1Char('|');
}

QStringList tokens(const QString& text)
{
    QStringList result;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c.isSpace()) {
            ++i;
        } else if (c == QLatin1Char('(') || c == QLatin1Char(')') || c == QLatin1Char(',')) {
            result << QString(c);
            ++i;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            qsizetype j = i + 1;
            while (j < text.size() && text[j] != c)
                j += text[j] == QLatin1Char('\\') ? 2 : 1;
            result << QStringLiteral("\"value\""); // a quoted value: its text does not matter here
            i = j + 1;
        } else if (isOperatorChar(c)) {
            qsizetype j = i;
            while (j < text.size() && isOperatorChar(text[j]))
                ++j;
            result << text.mid(i, j - i);
            i = j;
        } else {
            qsizetype j = i;
            while (j < text.size() && isWordChar(text[j]))
                ++j;
            result << text.mid(i, j - i);
            i = j;
        }
    }
    return result;
}

const FilterFieldInfo* fieldInfo(const QString& name)
{
    for (const FilterFieldInfo& info : filterFields()) {
        if (name.compare(QLatin1String(info.name), Qt::CaseInsensitive) == 0)
            return &info;
    }
    return nullptr;
}

bool isComparisonOperator(const QString& token)
{
    static const QStringList operators { QStringLiteral("=="), QStringLiteral("="), QStringLiteral("!="),
        QStringLiteral("<"), QStringLiteral("<="), QStringLiteral(">"), QStringLiteral(">="),
        QStringLiteral("contains"), QStringLiteral("startswith"), QStringLiteral("endswith"),
        QStringLiteral("matches") };
    return operators.contains(token, Qt::CaseInsensitive);
}

bool isBooleanField(const FilterFieldInfo* info)
{
    return info
        && (info->field == FilterField::Ok || info->field == FilterField::Failed || info->field == FilterField::Noise);
}
} // namespace

FilterCompleter::FilterCompleter(QLineEdit* edit, ValueSource values)
    : QObject(edit)
    , m_edit(edit)
    , m_completer(new QCompleter(this))
    , m_model(new QStringListModel(this))
    , m_values(std::move(values))
{
    m_completer->setModel(m_model);
    m_completer->setWidget(m_edit);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(12);
    m_completer->popup()->installEventFilter(this);
    m_edit->installEventFilter(this);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this, &FilterCompleter::insert);
    connect(m_edit, &QLineEdit::textEdited, this, [this] { refresh(); });
}

FilterCompleter::Context FilterCompleter::contextAt(const QString& text, int cursor)
{
    Context context;
    cursor = std::clamp(cursor, 0, int(text.size()));
    // Inside an unterminated quote the whole quoted text is the word being typed, spaces and all.
    int quote = -1;
    for (int i = 0; i < cursor; ++i) {
        const QChar c = text[i];
        if (quote >= 0 && c == QLatin1Char('\\'))
            ++i;
        else if (quote >= 0 && c == text[quote])
            quote = -1;
        else if (quote < 0 && (c == QLatin1Char('"') || c == QLatin1Char('\'')))
            quote = i;
    }
    int start = cursor;
    if (quote >= 0) {
        start = quote;
    } else {
        while (start > 0 && isWordChar(text[start - 1]))
            --start;
    }
    context.start = start;
    context.prefix = text.mid(start, cursor - start);
    if (context.prefix.startsWith(QLatin1Char('"')) || context.prefix.startsWith(QLatin1Char('\'')))
        context.prefix.remove(0, 1);

    const QStringList before = tokens(text.left(start));
    const QString last = before.value(before.size() - 1);
    const QString lower = last.toLower();
    // Inside `field in (a, b, |`: walk back to the list's '(' and the field before `in`.
    if (last == QLatin1String("(") || last == QLatin1String(",")) {
        for (qsizetype i = before.size() - 1; i >= 2; --i) {
            if (before[i] == QLatin1String(")"))
                break;
            if (before[i] == QLatin1String("(") && before[i - 1].compare(QLatin1String("in"), Qt::CaseInsensitive) == 0
                && fieldInfo(before[i - 2])) {
                context.slot = Slot::Value;
                context.field = QString::fromLatin1(fieldInfo(before[i - 2])->name);
                return context;
            }
        }
    }
    if (before.isEmpty() || last == QLatin1String("(") || lower == QLatin1String("and") || lower == QLatin1String("or")
        || lower == QLatin1String("not") || last == QLatin1String("&&") || last == QLatin1String("||")
        || last == QLatin1String("!")) {
        context.slot = Slot::Field;
        return context;
    }
    if (isComparisonOperator(last) && before.size() >= 2 && fieldInfo(before[before.size() - 2])) {
        context.slot = Slot::Value;
        context.field = QString::fromLatin1(fieldInfo(before[before.size() - 2])->name);
        return context;
    }
    const FilterFieldInfo* info = fieldInfo(last);
    const QString beforeLast = before.value(before.size() - 2);
    if (info && !isBooleanField(info) && !isComparisonOperator(beforeLast)) {
        context.slot = Slot::Operator;
        context.field = QString::fromLatin1(info->name);
        return context;
    }
    context.slot = Slot::Keyword;
    return context;
}

QStringList FilterCompleter::candidates() const
{
    QStringList result;
    QAbstractItemModel* model = m_completer->completionModel();
    for (int row = 0; row < model->rowCount(); ++row)
        result << model->index(row, 0).data().toString();
    return result;
}

bool FilterCompleter::takeCompletedWithEnter()
{
    const bool taken = m_completedWithEnter;
    m_completedWithEnter = false;
    return taken;
}

void FilterCompleter::refresh(bool force)
{
    m_context = contextAt(m_edit->text(), m_edit->cursorPosition());
    QStringList list;
    switch (m_context.slot) {
    case Slot::Field:
        for (const FilterFieldInfo& info : filterFields())
            list << QString::fromLatin1(info.name);
        list << QStringLiteral("not");
        break;
    case Slot::Operator: {
        const FilterFieldInfo* info = fieldInfo(m_context.field);
        list << QStringLiteral("==") << QStringLiteral("!=") << QStringLiteral("in");
        if (info && info->numeric)
            list << QStringLiteral("<") << QStringLiteral("<=") << QStringLiteral(">") << QStringLiteral(">=");
        else
            list << QStringLiteral("contains") << QStringLiteral("startswith") << QStringLiteral("endswith")
                 << QStringLiteral("matches");
        break;
    }
    case Slot::Value:
        if (m_values)
            list = m_values(m_context.field);
        break;
    case Slot::Keyword:
        list << QStringLiteral("and") << QStringLiteral("or");
        break;
    }
    m_model->setStringList(list);
    m_completer->setCompletionPrefix(m_context.prefix);
    const int cursor = m_edit->cursorPosition();
    const bool afterSpace = cursor > 0 && m_edit->text()[cursor - 1].isSpace();
    // Offer values as soon as the operator is typed; fields, operators and keywords once a letter is.
    const bool wanted = force || !m_context.prefix.isEmpty() || (m_context.slot == Slot::Value && afterSpace);
    const int count = m_completer->completionCount();
    const bool onlyItself = count == 1 && m_completer->currentCompletion() == m_context.prefix;
    if (!wanted || count == 0 || onlyItself || !m_edit->hasFocus()) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = m_edit->rect();
    rect.setWidth(std::max(260, rect.width() / 2));
    m_completer->complete(rect);
}

void FilterCompleter::insert(const QString& completion)
{
    const QString text = m_edit->text();
    const int cursor = m_edit->cursorPosition();
    QString replacement = m_context.slot == Slot::Value ? FilterClauses::quoted(completion) : completion;
    if (m_context.slot != Slot::Value)
        replacement += QLatin1Char(' ');
    const QString result = text.left(m_context.start) + replacement + text.mid(cursor);
    m_edit->setText(result);
    m_edit->setCursorPosition(int(m_context.start + replacement.size()));
    // setText is not an edit: tell the bar so it validates the new text.
    Q_EMIT m_edit->textEdited(result);
}

bool FilterCompleter::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (watched == m_edit && key->key() == Qt::Key_Space && (key->modifiers() & Qt::ControlModifier)) {
            refresh(true);
            return true;
        }
        if (watched == m_completer->popup() && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && m_completer->popup()->currentIndex().isValid()) {
            // The same key may reach the field after the completion: it must not also apply.
            m_completedWithEnter = true;
            QTimer::singleShot(0, this, [this] { m_completedWithEnter = false; });
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace exitlens
