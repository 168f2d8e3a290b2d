#include "WindowLayout.h"

#include "EventTableView.h"

#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>
#include <QTimer>

namespace exitlens {

namespace {
constexpr int kLayoutVersion = 1;
// Below this width the window is a small screen's: the verdict gets a narrower share, so that
// the table keeps its Result column in view beside it.
constexpr int kSmallWidth = 1280;
} // namespace

WindowLayout::WindowLayout(QMainWindow* window, EventTableView* table)
    : QObject(window)
    , m_window(window)
    , m_table(table)
{
    m_window->setDockOptions(
        QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    m_window->installEventFilter(this);
}

QDockWidget* WindowLayout::addDock(const QString& title, const QString& name, QWidget* widget, int area)
{
    auto* dock = new QDockWidget(title, m_window);
    dock->setObjectName(name);
    dock->setWidget(widget);
    dock->setFeatures(
        QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_window->addDockWidget(Qt::DockWidgetArea(area), dock);
    return dock;
}

void WindowLayout::createDocks(QWidget* verdict, QWidget* details, QWidget* processes, QWidget* output)
{
    m_verdictDock = addDock(tr("Verdict"), QStringLiteral("verdictDock"), verdict, Qt::RightDockWidgetArea);
    m_detailsDock = addDock(tr("Event details"), QStringLiteral("detailsDock"), details, Qt::RightDockWidgetArea);
    m_processDock = addDock(tr("Process tree"), QStringLiteral("processDock"), processes, Qt::BottomDockWidgetArea);
    m_outputDock = addDock(tr("Output"), QStringLiteral("outputDock"), output, Qt::BottomDockWidgetArea);
    // The verdict takes the whole right side, so it reads without scrolling; process tree and
    // output share the bottom under the table.
    m_window->setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_window->setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    m_window->tabifyDockWidget(m_verdictDock, m_detailsDock);
    m_verdictDock->raise();
    m_window->splitDockWidget(m_processDock, m_outputDock, Qt::Horizontal);
}

void WindowLayout::restore()
{
    m_defaultState = m_window->saveState(kLayoutVersion);
    QSettings settings;
    m_window->restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    // Not restored into the docks yet: the welcome page hides them, and a state restored into
    // hidden docks comes back at their size hints (the verdict ~250 px wide on every start).
    m_pendingState = settings.value(QStringLiteral("window/state")).toByteArray();
    m_table->restoreColumns(settings.value(QStringLiteral("window/eventColumns")).toByteArray());
}

void WindowLayout::save()
{
    // What is remembered is the layout the user works in: the panes as they were last shown, not
    // the welcome page's hidden ones.
    const QByteArray state = m_panesShown ? m_window->saveState(kLayoutVersion) : m_pendingState;
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), m_window->saveGeometry());
    if (!state.isEmpty())
        settings.setValue(QStringLiteral("window/state"), state);
    settings.setValue(QStringLiteral("window/eventColumns"), m_table->header()->saveState());
}

void WindowLayout::sizePanes()
{
    // Proportions of the window, once, when the panes first appear in a layout that was not
    // restored from the settings (sizes set before the window is shown do not stick).
    const int width = qMax(m_window->width(), 800);
    const int height = qMax(m_window->height(), 600);
    if (m_window->width() < kSmallWidth) {
        // Side by side, process tree and output need more width than a small screen leaves beside
        // the verdict: they share the bottom as tabs.
        m_window->tabifyDockWidget(m_processDock, m_outputDock);
        m_processDock->raise();
    }
    const int verdict = width < kSmallWidth ? qBound(360, width * 35 / 100, 420) : qBound(380, width * 36 / 100, 600);
    m_window->resizeDocks({ m_verdictDock }, { verdict }, Qt::Horizontal);
    // Docks just shown are laid out on a later, posted request that can undo the size given here;
    // a minimum width holds it through that pass and is let go of after.
    m_verdictDock->setMinimumWidth(verdict);
    QTimer::singleShot(0, this, [this] { m_verdictDock->setMinimumWidth(0); });
    m_window->resizeDocks({ m_processDock }, { qBound(150, height * 28 / 100, 360) }, Qt::Vertical);
    if (m_window->width() >= kSmallWidth)
        m_window->resizeDocks({ m_processDock, m_outputDock }, { 50, 50 }, Qt::Horizontal);
    m_panesSized = true;
}

void WindowLayout::showPanes(bool show)
{
    if (show == m_panesShown)
        return;
    m_panesShown = show;
    const QList<QDockWidget*> all = docks();
    if (!show) {
        // Kept whole (sizes too) while the panes are away, and put back when they return.
        if (m_window->isVisible() && m_pendingState.isEmpty())
            m_pendingState = m_window->saveState(kLayoutVersion);
        m_paneVisibility.clear();
        for (QDockWidget* dock : all) {
            m_paneVisibility << !dock->isHidden(); // isVisible() is false before the window is shown
            dock->hide();
        }
        return;
    }
    for (int i = 0; i < all.size(); ++i) {
        if (m_paneVisibility.value(i, true))
            all[i]->show();
    }
    m_verdictDock->raise();
    if (m_window->isVisible())
        arrangePanes();
}

void WindowLayout::arrangePanes()
{
    if (!m_pendingState.isEmpty()) {
        const QByteArray state = std::exchange(m_pendingState, QByteArray());
        if (m_window->restoreState(state, kLayoutVersion)) {
            m_panesSized = true;
            return;
        }
    }
    if (!m_panesSized) {
        // A first start: the layout Reset Layout gives (the docks' sizes only take after a state
        // has been restored into the shown window).
        m_window->restoreState(m_defaultState, kLayoutVersion);
        sizePanes();
    }
}

void WindowLayout::reset()
{
    m_panesShown = true;
    m_pendingState.clear();
    m_window->restoreState(m_defaultState, kLayoutVersion);
    sizePanes();
    for (QDockWidget* dock : docks())
        dock->show();
    m_verdictDock->raise();
}

void WindowLayout::bringForward(QDockWidget* dock)
{
    dock->show();
    dock->raise();
}

bool WindowLayout::eventFilter(QObject* watched, QEvent* event)
{
    // Panes shown before the window was: their layout is applied when it appears.
    if (watched == m_window && event->type() == QEvent::Show && m_panesShown)
        arrangePanes();
    return QObject::eventFilter(watched, event);
}

} // namespace exitlens
