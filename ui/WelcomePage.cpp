#include "WelcomePage.h"

#include "Icons.h"
#include "RecentList.h"
#include "Theme.h"

#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace exitlens {

namespace {
QPushButton* bigButton(const QIcon& icon, const QString& text, const QString& toolTip, QWidget* parent)
{
    auto* button = new QPushButton(icon, text, parent);
    button->setIconSize(QSize(22, 22));
    button->setMinimumHeight(44);
    button->setMinimumWidth(button->sizeHint().width() + 24);
    button->setToolTip(toolTip);
    button->setCursor(Qt::PointingHandCursor);
    return button;
}

QLabel* heading(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}
} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    setAutoFillBackground(true);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto* column = new QWidget(this);
    column->setMaximumWidth(880);
    column->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    outer->addWidget(column, 8);
    outer->addStretch(1);

    auto* layout = new QVBoxLayout(column);
    layout->setSpacing(14);
    layout->addStretch(2);

    m_title = new QLabel(tr("ExitLens"), column);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);
    auto* tagline = new QLabel(tr("Launch a program, watch what it does, and find out why it exited."), column);
    QFont taglineFont = tagline->font();
    taglineFont.setPointSizeF(taglineFont.pointSizeF() * 1.2);
    tagline->setFont(taglineFont);
    tagline->setWordWrap(true);
    layout->addWidget(tagline);
    layout->addSpacing(10);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(10);
    m_launch = bigButton(Icons::icon(IconId::Launch), tr("&Launch a program…"),
        tr("Choose a program, its arguments and working directory (Ctrl+N)"), column);
    m_demo = bigButton(Icons::icon(IconId::Demo), tr("Try the &demo"),
        tr("Launch the bundled demo, a Go service that fails at start-up"), column);
    m_open = bigButton(Icons::icon(IconId::Open), tr("&Open session…"), QString(), column);
    m_launch->setDefault(true);
    buttons->addWidget(m_launch);
    buttons->addWidget(m_demo);
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_demoNote = new QLabel(tr("New here? The demo is a small Go service that exits at start-up. One click runs it in "
                               "a fresh, empty folder and shows the whole flow: live events, the process tree, its "
                               "output, and the verdict with the evidence behind it."),
        column);
    m_demoNote->setWordWrap(true);
    layout->addWidget(m_demoNote);
    layout->addSpacing(12);

    auto* lists = new QGridLayout;
    lists->setHorizontalSpacing(24);
    lists->addWidget(heading(tr("Recent programs"), column), 0, 0);
    lists->addWidget(heading(tr("Recent sessions"), column), 0, 1);
    m_recentPrograms = new QListWidget(column);
    m_recentPrograms->setToolTip(tr("Double-click or press Enter to open the launch dialog with this program"));
    m_recentSessions = new QListWidget(column);
    for (QListWidget* list : { m_recentPrograms, m_recentSessions }) {
        list->setFrameShape(QFrame::NoFrame);
        list->setMinimumHeight(120);
        list->setMaximumHeight(200);
        list->setUniformItemSizes(true);
    }
    m_noPrograms = new QLabel(tr("Programs you launch appear here."), column);
    m_noSessions = new QLabel(column);
    m_noSessions->setWordWrap(true);
    lists->addWidget(m_recentPrograms, 1, 0);
    lists->addWidget(m_noPrograms, 2, 0, Qt::AlignTop);
    lists->addWidget(m_recentSessions, 1, 1);
    lists->addWidget(m_noSessions, 2, 1, Qt::AlignTop);
    lists->setColumnStretch(0, 1);
    lists->setColumnStretch(1, 1);
    layout->addLayout(lists);

    auto* tip = new QLabel(
        tr("Tip: drop an executable onto this window to launch it, or a session file (.exitlens) to open it."), column);
    layout->addWidget(tip);
    layout->addStretch(3);

    connect(m_launch, &QPushButton::clicked, this, &WelcomePage::launchRequested);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(m_open, &QPushButton::clicked, this, &WelcomePage::openSessionRequested);
    connect(m_recentPrograms, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT recentProgramActivated(item->data(Qt::UserRole).toString()); });
    connect(m_recentSessions, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT recentSessionActivated(item->data(Qt::UserRole).toString()); });
    applyStyle();
    refresh();
}

void WelcomePage::refresh()
{
    m_recentPrograms->clear();
    for (const QString& program : RecentList(QStringLiteral("launch/recentPrograms")).items()) {
        const QFileInfo info(program);
        auto* item =
            new QListWidgetItem(Icons::icon(IconId::Launch), info.fileName().isEmpty() ? program : info.fileName());
        item->setData(Qt::UserRole, program);
        item->setToolTip(program);
        m_recentPrograms->addItem(item);
    }
    m_recentSessions->clear();
    for (const QString& path : RecentList(QStringLiteral("sessions/recent")).items()) {
        auto* item = new QListWidgetItem(Icons::icon(IconId::Open), QFileInfo(path).fileName());
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        m_recentSessions->addItem(item);
    }
    m_recentPrograms->setVisible(m_recentPrograms->count() > 0);
    m_noPrograms->setVisible(m_recentPrograms->count() == 0);
    m_recentSessions->setVisible(m_recentSessions->count() > 0);
    m_noSessions->setVisible(m_recentSessions->count() == 0);
    m_noSessions->setText(m_sessionsReason.isEmpty() ? tr("Sessions you save or open appear here.") : m_sessionsReason);
}

void WelcomePage::setSessionsAvailable(bool available, const QString& reason)
{
    m_open->setEnabled(available);
    m_open->setToolTip(available ? tr("Open a saved session (Ctrl+O)") : reason);
    m_sessionsReason = available ? QString() : reason;
    refresh();
}

void WelcomePage::setDemoAvailable(bool available, const QString& reason)
{
    m_demo->setEnabled(available);
    if (!available)
        m_demo->setToolTip(reason);
}

void WelcomePage::applyStyle()
{
    QPalette muted = palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText(palette()));
    for (QLabel* label : { m_demoNote, m_noPrograms, m_noSessions })
        label->setPalette(muted);
    QPalette title = palette();
    title.setColor(QPalette::WindowText, Theme::accent(palette()));
    m_title->setPalette(title);
    for (QListWidget* list : { m_recentPrograms, m_recentSessions }) {
        QPalette listPalette = list->palette();
        listPalette.setColor(QPalette::Base, palette().color(QPalette::Window));
        list->setPalette(listPalette);
    }
}

void WelcomePage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyStyle();
}

} // namespace exitlens
