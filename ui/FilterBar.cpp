#include "FilterBar.h"

#include "Icons.h"
#include "Theme.h"
#include "filter/FilterParser.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace exitlens {

namespace {
constexpr int kDebounceMs = 250; // a pause in typing, not a wait after Enter
constexpr int kHistorySize = 20;
const char* const kHistoryKey = "filter/history";

QString number(quint64 value)
{
    return QLocale().toString(qulonglong(value));
}

QColor mixed(const QColor& base, const QColor& tint, double amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
        float(base.greenF() * (1 - amount) + tint.greenF() * amount),
        float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

// `path conta`: the parser sees a wrong operator, but the user is typing `contains`. A word at the
// very end that begins an operator, a keyword or a field name is unfinished, not wrong.
bool unfinishedWord(const QString& text, const QByteArray& utf8, const FilterParseResult& parsed)
{
    if (parsed.errorPosition + parsed.errorLength != std::size_t(utf8.size()) || parsed.errorLength == 0
        || text.endsWith(QLatin1Char(' ')))
        return false;
    const QString word =
        QString::fromUtf8(utf8.mid(qsizetype(parsed.errorPosition), qsizetype(parsed.errorLength))).toLower();
    static const QStringList words { QStringLiteral("contains"), QStringLiteral("startswith"),
        QStringLiteral("endswith"), QStringLiteral("matches"), QStringLiteral("in"), QStringLiteral("and"),
        QStringLiteral("or"), QStringLiteral("not") };
    const auto begins = [&](const QString& candidate) { return candidate.startsWith(word); };
    if (std::any_of(words.begin(), words.end(), begins))
        return true;
    for (const FilterFieldInfo& info : filterFields()) {
        if (begins(QString::fromLatin1(info.name)))
            return true;
    }
    return false;
}

struct ToggleInfo {
    const char* label;
    const char* classes; // what the clause names
    const char* tip;
};
const ToggleInfo kToggles[] = {
    { QT_TRANSLATE_NOOP("FilterBar", "File"), "file", QT_TRANSLATE_NOOP("FilterBar", "Show file activity") },
    { QT_TRANSLATE_NOOP("FilterBar", "Network"), "network", QT_TRANSLATE_NOOP("FilterBar", "Show network activity") },
    { QT_TRANSLATE_NOOP("FilterBar", "Process"), "process, thread",
        QT_TRANSLATE_NOOP("FilterBar", "Show process and thread activity") },
    { QT_TRANSLATE_NOOP("FilterBar", "Signal"), "signal", QT_TRANSLATE_NOOP("FilterBar", "Show signals") },
    { QT_TRANSLATE_NOOP("FilterBar", "Output"), "output",
        QT_TRANSLATE_NOOP("FilterBar", "Show what the program wrote to stdout and stderr") },
};
static_assert(std::size(kToggles) == std::size_t(FilterBar::ClassToggle::Count_));
} // namespace

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent)
    , m_filter(new QLineEdit(this))
    , m_historyButton(new QToolButton(this))
    , m_applyButton(new QToolButton(this))
    , m_message(new QLabel(this))
    , m_count(new QLabel(this))
    , m_noiseStatus(new QLabel(this))
    , m_find(new QLineEdit(this))
    , m_findState(new QLabel(this))
{
    setObjectName(QStringLiteral("filterBar"));
    auto* rows = new QVBoxLayout(this);
    rows->setContentsMargins(6, 4, 6, 4);
    rows->setSpacing(3);
    auto* first = new QHBoxLayout;
    first->setSpacing(4);
    // The toggles: the classes on one row, then noise, tree selection and the count, which wrap
    // onto a row of their own when the window is too narrow for both (a small screen).
    m_classRow = new QWidget(this);
    auto* second = new QHBoxLayout(m_classRow);
    second->setContentsMargins(0, 0, 0, 0);
    second->setSpacing(2);
    m_extras = new QWidget(this);
    auto* extras = new QHBoxLayout(m_extras);
    extras->setContentsMargins(0, 0, 0, 0);
    extras->setSpacing(2);
    m_toggleRow = new QHBoxLayout;
    m_toggleRow->setSpacing(2);
    m_toggleRow->addWidget(m_classRow);
    m_toggleRow->addWidget(m_extras, 1);
    m_toggleRow->addStretch(0);
    m_wrapRow = new QHBoxLayout;
    m_wrapRow->setSpacing(2);
    rows->addLayout(first);
    rows->addLayout(m_toggleRow);
    rows->addLayout(m_wrapRow);

    m_filter->setObjectName(QStringLiteral("filterExpression"));
    m_filter->setPlaceholderText(tr("Filter: process == app and failed, path contains conf … (Ctrl+L)"));
    m_filter->setClearButtonEnabled(true);
    m_stateAction = m_filter->addAction(Icons::icon(IconId::Filter), QLineEdit::LeadingPosition);
    m_filter->setToolTip(tr("A filter expression (see docs/filters.md). Checked as you type; Enter applies it."));
    m_historyButton->setArrowType(Qt::DownArrow);
    m_historyButton->setAutoRaise(true);
    m_historyButton->setToolTip(tr("Recent filters"));
    m_applyButton->setText(tr("Apply"));
    m_applyButton->setAutoRaise(true);
    m_applyButton->setToolTip(tr("Apply the filter (Enter)"));
    m_message->setObjectName(QStringLiteral("filterMessage"));
    // As wide as its text and no wider: the expression field gets the room.
    m_message->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Preferred);
    m_message->setMaximumWidth(280);
    m_message->setTextFormat(Qt::PlainText);
    m_count->setObjectName(QStringLiteral("filterCount"));
    m_count->setToolTip(tr("Events the table shows / events captured"));
    first->addWidget(m_filter, 1);
    first->addWidget(m_historyButton);
    first->addWidget(m_applyButton);
    first->addWidget(m_message);

    // Check boxes, not flat tool buttons: the platform's checked look says what is on (a flat
    // button's pressed shade did not, and "Hide noise" read as off while it was on).
    auto addToggle = [this](QAction* action, QHBoxLayout* row) {
        auto* box = new QCheckBox(action->text(), this);
        box->setObjectName(action->objectName() + QStringLiteral("Box"));
        box->setChecked(action->isChecked());
        box->setToolTip(action->toolTip());
        connect(box, &QCheckBox::toggled, action, &QAction::setChecked);
        connect(action, &QAction::toggled, box, &QCheckBox::setChecked);
        connect(action, &QAction::changed, box, [box, action] { box->setEnabled(action->isEnabled()); });
        row->addWidget(box);
        row->addSpacing(6);
        return box;
    };
    auto* showLabel = new QLabel(tr("Show:"), this);
    second->addWidget(showLabel);
    for (std::size_t i = 0; i < m_classActions.size(); ++i) {
        QAction* action = new QAction(tr(kToggles[i].label), this);
        action->setObjectName(
            QStringLiteral("show-") + QString::fromLatin1(kToggles[i].classes).section(QLatin1Char(','), 0, 0));
        action->setCheckable(true);
        action->setChecked(true);
        action->setToolTip(tr(kToggles[i].tip));
        connect(action, &QAction::toggled, this, &FilterBar::togglesChanged);
        m_classActions[i] = action;
        m_toggleBoxes << addToggle(action, second);
    }
    extras->addSpacing(8);
    m_noiseAction = new QAction(tr("Hide Go &runtime noise"), this);
    m_noiseAction->setObjectName(QStringLiteral("hideRuntimeNoise"));
    m_noiseAction->setCheckable(true);
    m_noiseAction->setChecked(true);
    m_noiseAction->setToolTip(tr("Hide the Go runtime's own housekeeping: SIGURG preemption signals, futex and "
                                 "scheduler calls, signal-mask changes. They say nothing about why a program exits."));
    connect(m_noiseAction, &QAction::toggled, this, &FilterBar::togglesChanged);
    m_noiseBox = addToggle(m_noiseAction, extras);
    m_treeAction = new QAction(tr("Tree selection"), this);
    m_treeAction->setObjectName(QStringLiteral("filterByTreeSelection"));
    m_treeAction->setCheckable(true);
    m_treeAction->setChecked(true);
    m_treeAction->setToolTip(tr("Selecting a process in the Process Tree shows only its events (adds pid == N to "
                                "the filter)"));
    addToggle(m_treeAction, extras);
    extras->addSpacing(8);
    extras->addWidget(m_count);
    extras->addStretch(1);
    // Its width never holds the bar (and the window) wide: on a narrow bar it wraps instead.
    m_extras->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_find->setPlaceholderText(tr("Find (Ctrl+F, F3)"));
    m_find->setClearButtonEnabled(true);
    m_find->addAction(Icons::icon(IconId::Find), QLineEdit::LeadingPosition);
    m_find->setToolTip(tr("Selects the next event containing this text: Enter or F3 for the next, Shift+F3 for the "
                          "previous"));
    m_find->setMinimumWidth(140);
    m_find->setMaximumWidth(180);
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Find previous (Shift+F3)"));
    previous->setAutoRaise(true);
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Find next (F3)"));
    next->setAutoRaise(true);
    first->addSpacing(8);
    first->addWidget(m_find);
    first->addWidget(previous);
    first->addWidget(next);
    first->addWidget(m_findState);

    QPalette muted = m_count->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText(palette()));
    m_count->setPalette(muted);
    showLabel->setPalette(muted);
    m_noiseStatus->setTextFormat(Qt::RichText);
    m_noiseStatus->setObjectName(QStringLiteral("noiseStatus"));
    m_noiseStatus->setToolTip(m_noiseAction->toolTip());
    connect(m_noiseStatus, &QLabel::linkActivated, this,
        [this](const QString& link) { setHideNoise(link == QLatin1String("hide")); });

    m_completer = new FilterCompleter(
        m_filter, [this](const QString& field) { return m_values ? m_values(field) : QStringList(); });

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::validateNow);
    connect(m_filter, &QLineEdit::textEdited, this, [this] {
        // Neutral while typing; the verdict comes when the typing pauses.
        if (!m_busy)
            setState(m_filter->text().trimmed().isEmpty() ? State::Empty : State::Typing);
        m_debounce.start();
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        if (!m_completer->takeCompletedWithEnter())
            apply();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty() && !m_applied.isEmpty())
            apply(); // the clear button
    });
    connect(m_applyButton, &QToolButton::clicked, this, &FilterBar::apply);
    connect(m_historyButton, &QToolButton::clicked, this, &FilterBar::showHistoryMenu);
    connect(m_find, &QLineEdit::returnPressed, this,
        [this] { Q_EMIT findRequested(m_find->text(), QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(previous, &QToolButton::clicked, this, [this] { Q_EMIT findRequested(m_find->text(), true); });
    connect(next, &QToolButton::clicked, this, [this] { Q_EMIT findRequested(m_find->text(), false); });
    connect(m_find, &QLineEdit::textChanged, this, [this] { setFindState(QString(), false); });
    setState(State::Empty);
    setHiddenNoise(0);
}

QString FilterBar::expression() const
{
    return m_filter->text();
}

void FilterBar::setExpression(const QString& expression, bool apply)
{
    m_filter->setText(expression);
    validateNow();
    if (apply)
        this->apply();
}

QString FilterBar::stateMessage() const
{
    return m_message->text();
}

QIcon FilterBar::stateIcon() const
{
    return m_stateAction->icon();
}

void FilterBar::validateNow()
{
    m_debounce.stop();
    if (m_busy)
        return;
    const QString text = m_filter->text();
    const QByteArray utf8 = text.toUtf8();
    const FilterParseResult parsed = FilterParser::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    switch (parsed.state) {
    case FilterParseResult::State::Empty:
        setState(State::Empty);
        return;
    case FilterParseResult::State::Incomplete:
        // Never red for an unfinished expression: say what comes next, quietly.
        setState(State::Typing, QString::fromStdString(parsed.error));
        return;
    case FilterParseResult::State::Valid:
        setState(State::Valid, text.trimmed() == m_applied.trimmed() ? QString() : tr("Enter to apply"));
        return;
    case FilterParseResult::State::Invalid:
        if (unfinishedWord(text, utf8, parsed)) {
            setState(State::Typing, QString::fromStdString(parsed.error));
            return;
        }
        break;
    }
    // The parser counts bytes; the field counts characters.
    const int position = int(QString::fromUtf8(utf8.left(qsizetype(parsed.errorPosition))).size());
    const int length = std::max<int>(
        1, int(QString::fromUtf8(utf8.mid(qsizetype(parsed.errorPosition), qsizetype(parsed.errorLength))).size()));
    const QString message = QString::fromStdString(parsed.error);
    const QString caret = QString(position, QLatin1Char(' ')) + QString(length, QLatin1Char('^'));
    const QString tip = QStringLiteral("<pre>%1\n%2</pre>%3").arg(text.toHtmlEscaped(), caret, message.toHtmlEscaped());
    m_errorPosition = position;
    setState(State::Invalid, message, tip);
}

void FilterBar::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    if (busy)
        setState(State::Busy, tr("Filtering…"));
    else
        validateNow();
}

void FilterBar::setState(State state, const QString& message, const QString& toolTip)
{
    if (state != State::Invalid)
        m_errorPosition = -1;
    m_state = state;
    IconId icon = IconId::Filter;
    QPalette pal = QGuiApplication::palette();
    const QColor base = pal.color(QPalette::Base);
    switch (state) {
    case State::Empty:
        break;
    case State::Typing:
        icon = IconId::Note;
        break;
    case State::Invalid:
        icon = IconId::Error;
        pal.setColor(QPalette::Base, Theme::failureBackground(pal));
        break;
    case State::Valid:
        icon = IconId::Ok;
        pal.setColor(QPalette::Base, mixed(base, Theme::successText(pal), Theme::isDark(pal) ? 0.25 : 0.16));
        break;
    case State::Busy:
        icon = IconId::Running;
        pal.setColor(QPalette::Base, mixed(base, Theme::warningText(pal), Theme::isDark(pal) ? 0.25 : 0.16));
        break;
    }
    m_filter->setPalette(pal);
    m_stateAction->setIcon(Icons::icon(icon));
    static const char* const names[] = { "empty", "typing", "invalid", "valid", "busy" };
    m_stateAction->setText(QString::fromLatin1(names[int(state)]));
    m_filter->setToolTip(toolTip.isEmpty()
            ? tr("A filter expression (see docs/filters.md). Checked as you type; Enter applies it. Ctrl+Space "
                 "completes.")
            : toolTip);
    QPalette messagePalette = m_message->palette();
    messagePalette.setColor(
        QPalette::WindowText, state == State::Invalid ? Theme::failureText(palette()) : Theme::mutedText(palette()));
    m_message->setPalette(messagePalette);
    m_message->setToolTip(toolTip);
    m_message->setText(QFontMetrics(m_message->font()).elidedText(message, Qt::ElideRight, m_message->maximumWidth()));
}

void FilterBar::apply()
{
    validateNow();
    if (m_state == State::Typing && !m_filter->text().trimmed().isEmpty()) {
        // Enter on an unfinished expression: now it is a mistake worth showing.
        const QByteArray utf8 = m_filter->text().toUtf8();
        const FilterParseResult parsed =
            FilterParser::parse(std::string_view(utf8.constData(), std::size_t(utf8.size())));
        const int position = int(QString::fromUtf8(utf8.left(qsizetype(parsed.errorPosition))).size());
        const QString caret = QString(position, QLatin1Char(' ')) + QLatin1Char('^');
        const QString message = QString::fromStdString(parsed.error);
        m_errorPosition = position;
        setState(State::Invalid, message,
            QStringLiteral("<pre>%1\n%2</pre>%3")
                .arg(m_filter->text().toHtmlEscaped(), caret, message.toHtmlEscaped()));
        m_errorPosition = position;
        return;
    }
    if (m_state != State::Valid && m_state != State::Empty)
        return;
    m_applied = m_filter->text().trimmed();
    if (m_state == State::Valid) {
        remember(m_applied);
        setState(State::Valid);
    }
    Q_EMIT expressionApplied(m_applied);
}

void FilterBar::remember(const QString& expression)
{
    QSettings settings;
    QStringList list = settings.value(QLatin1String(kHistoryKey)).toStringList();
    list.removeAll(expression);
    list.prepend(expression);
    while (list.size() > kHistorySize)
        list.removeLast();
    settings.setValue(QLatin1String(kHistoryKey), list);
}

QStringList FilterBar::history() const
{
    return QSettings().value(QLatin1String(kHistoryKey)).toStringList();
}

void FilterBar::showHistoryMenu()
{
    QMenu menu(this);
    const QStringList list = history();
    for (const QString& expression : list)
        menu.addAction(expression, this, [this, expression] { setExpression(expression); });
    if (list.isEmpty())
        menu.addAction(tr("No recent filters"))->setEnabled(false);
    else {
        menu.addSeparator();
        menu.addAction(tr("Clear Recent Filters"), this, [] { QSettings().remove(QLatin1String(kHistoryKey)); });
    }
    menu.exec(m_historyButton->mapToGlobal(QPoint(0, m_historyButton->height())));
}

bool FilterBar::hidesNoise() const
{
    return m_noiseAction->isChecked();
}

void FilterBar::setHideNoise(bool hide)
{
    m_noiseAction->setChecked(hide);
}

void FilterBar::showAllClasses()
{
    bool changed = false;
    for (QAction* action : m_classActions) {
        const QSignalBlocker block(action);
        changed = changed || !action->isChecked();
        action->setChecked(true);
    }
    // The actions' signals were held back: their check boxes follow here.
    for (QCheckBox* box : std::as_const(m_toggleBoxes)) {
        const QSignalBlocker block(box);
        box->setChecked(true);
    }
    if (changed)
        Q_EMIT togglesChanged();
}

QStringList FilterBar::toggleClauses() const
{
    QStringList hidden;
    for (std::size_t i = 0; i < m_classActions.size(); ++i) {
        if (!m_classActions[i]->isChecked())
            hidden << QString::fromLatin1(kToggles[i].classes);
    }
    QStringList clauses;
    if (!hidden.isEmpty())
        clauses << QStringLiteral("not class in (%1)").arg(hidden.join(QStringLiteral(", ")));
    if (hidesNoise())
        clauses << QStringLiteral("not noise");
    return clauses;
}

void FilterBar::setCounts(quint64 shown, quint64 total, bool filtered)
{
    m_count->setText(
        filtered ? tr("%1 of %2 events").arg(number(shown), number(total)) : tr("%1 events").arg(number(total)));
}

QString FilterBar::countText() const
{
    return m_count->text();
}

void FilterBar::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const bool wrap = width() - 12 < m_classRow->sizeHint().width() + m_extras->sizeHint().width() + 16;
    if (wrap == m_wrapped)
        return;
    m_wrapped = wrap;
    m_toggleRow->removeWidget(m_extras);
    m_wrapRow->removeWidget(m_extras);
    if (wrap) {
        m_wrapRow->addWidget(m_extras, 1);
        m_toggleRow->setStretch(m_toggleRow->count() - 1, 1);
    } else {
        m_toggleRow->insertWidget(1, m_extras, 1);
        m_toggleRow->setStretch(m_toggleRow->count() - 1, 0);
    }
}

void FilterBar::setHiddenNoise(quint64 hidden)
{
    // The count beside the toggle: what hiding the noise hides right now.
    m_noiseBox->setText(
        hidesNoise() && hidden > 0 ? tr("Hide Go &runtime noise (%1)").arg(number(hidden)) : m_noiseAction->text());
    if (!hidesNoise())
        m_noiseStatus->setText(tr("Go runtime noise shown · <a href=\"hide\">Hide</a>"));
    else if (hidden == 0)
        m_noiseStatus->setText(tr("No runtime noise hidden"));
    else
        m_noiseStatus->setText(tr("%1 runtime-noise events hidden · <a href=\"show\">Show</a>").arg(number(hidden)));
}

void FilterBar::setValueSource(FilterCompleter::ValueSource source)
{
    m_values = std::move(source);
}

QString FilterBar::findText() const
{
    return m_find->text();
}

void FilterBar::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void FilterBar::focusFind()
{
    m_find->setFocus(Qt::ShortcutFocusReason);
    m_find->selectAll();
}

void FilterBar::setFindState(const QString& text, bool failed)
{
    QPalette pal = m_findState->palette();
    pal.setColor(QPalette::WindowText, failed ? Theme::failureText(palette()) : Theme::mutedText(palette()));
    m_findState->setPalette(pal);
    m_findState->setText(text);
}

void FilterBar::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_busy) {
        const QSignalBlocker block(this);
        validateNow(); // colours follow a theme switch
    }
}

} // namespace exitlens
