#include "FilterBar.h"

#include "Icons.h"
#include "Theme.h"

#include <QCheckBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace exitlens {

namespace {
constexpr int kDebounceMs = 400;
}

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent)
    , m_filter(new QLineEdit(this))
    , m_failuresOnly(new QCheckBox(tr("Fail&ures only"), this))
    , m_hideNoise(new QCheckBox(tr("Hide Go &runtime noise"), this))
    , m_filterState(new QLabel(this))
    , m_find(new QLineEdit(this))
    , m_findState(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(8);
    m_filter->setPlaceholderText(tr("Filter events (Ctrl+L)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(Icons::icon(IconId::Filter), QLineEdit::LeadingPosition);
    m_filter->setToolTip(tr("Shows only events whose process, operation, path, result or detail contains this "
                            "text (case-insensitive). Applied as you pause typing, or on Enter."));
    m_failuresOnly->setToolTip(tr("Show only failed calls and processes that ended badly"));
    m_hideNoise->setToolTip(tr("Hide the Go scheduler's own signals (SIGURG preemption), which say nothing about "
                               "why a program exits"));
    m_hideNoise->setChecked(true);
    m_find->setPlaceholderText(tr("Find (Ctrl+F, F3)"));
    m_find->setClearButtonEnabled(true);
    m_find->addAction(Icons::icon(IconId::Find), QLineEdit::LeadingPosition);
    m_find->setToolTip(tr("Selects the next event containing this text: Enter or F3 for the next, Shift+F3 for the "
                          "previous"));
    m_find->setMaximumWidth(260);
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Find previous (Shift+F3)"));
    previous->setAutoRaise(true);
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Find next (F3)"));
    next->setAutoRaise(true);

    layout->addWidget(m_filter, 3);
    layout->addWidget(m_failuresOnly);
    layout->addWidget(m_hideNoise);
    layout->addWidget(m_filterState);
    layout->addSpacing(12);
    layout->addWidget(m_find, 2);
    layout->addWidget(previous);
    layout->addWidget(next);
    layout->addWidget(m_findState);

    QPalette muted = m_filterState->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText(palette()));
    m_filterState->setPalette(muted);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::emitFilter);
    connect(m_filter, &QLineEdit::textEdited, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, &FilterBar::emitFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty())
            emitFilter(); // the clear button
    });
    connect(m_failuresOnly, &QCheckBox::toggled, this, &FilterBar::emitFilter);
    connect(m_hideNoise, &QCheckBox::toggled, this, &FilterBar::emitFilter);
    connect(m_find, &QLineEdit::returnPressed, this,
        [this] { Q_EMIT findRequested(m_find->text(), QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(previous, &QToolButton::clicked, this, [this] { Q_EMIT findRequested(m_find->text(), true); });
    connect(next, &QToolButton::clicked, this, [this] { Q_EMIT findRequested(m_find->text(), false); });
    connect(m_find, &QLineEdit::textChanged, this, [this] { setFindState(QString(), false); });
    m_applied = settings();
}

QuickFilterSettings FilterBar::settings() const
{
    QuickFilterSettings result;
    result.text = m_filter->text().trimmed();
    result.failuresOnly = m_failuresOnly->isChecked();
    result.hideRuntimeNoise = m_hideNoise->isChecked();
    return result;
}

void FilterBar::setSettings(const QuickFilterSettings& settings)
{
    const QSignalBlocker a(m_filter);
    const QSignalBlocker b(m_failuresOnly);
    const QSignalBlocker c(m_hideNoise);
    m_filter->setText(settings.text);
    m_failuresOnly->setChecked(settings.failuresOnly);
    m_hideNoise->setChecked(settings.hideRuntimeNoise);
    emitFilter();
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

void FilterBar::setFilterState(const QString& text)
{
    m_filterState->setText(text);
}

void FilterBar::setFindState(const QString& text, bool failed)
{
    QPalette pal = m_findState->palette();
    pal.setColor(QPalette::WindowText, failed ? Theme::failureText(palette()) : Theme::mutedText(palette()));
    m_findState->setPalette(pal);
    m_findState->setText(text);
}

void FilterBar::emitFilter()
{
    m_debounce.stop();
    const QuickFilterSettings current = settings();
    if (current == m_applied)
        return;
    m_applied = current;
    Q_EMIT filterChanged(current);
}

} // namespace exitlens
