#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace exitlens {

class EventTableView;

// The window's layout, kept out of MainWindow: the four panes as docks, the layout remembered
// across starts (geometry, docks with their sizes, the table's columns), Reset Layout, the welcome
// page that hides the panes, and proportions that keep the verdict and the table readable on a
// small screen.
class WindowLayout : public QObject {
    Q_OBJECT
public:
    WindowLayout(QMainWindow* window, EventTableView* table);

    // The docks, verdict and details tabbed on the right, process tree and output under the table.
    void createDocks(QWidget* verdict, QWidget* details, QWidget* processes, QWidget* output);
    QDockWidget* verdictDock() const { return m_verdictDock; }
    QDockWidget* detailsDock() const { return m_detailsDock; }
    QDockWidget* processDock() const { return m_processDock; }
    QDockWidget* outputDock() const { return m_outputDock; }
    QList<QDockWidget*> docks() const { return { m_verdictDock, m_processDock, m_detailsDock, m_outputDock }; }

    // Reads the remembered layout: the geometry now, the docks when the panes first appear in
    // the shown window (a state restored into hidden docks loses their sizes).
    void restore();
    // Remembers the layout the user works in (the welcome page's hidden panes are not it).
    void save();
    // The layout of a first start, sized for the window as it is now.
    void reset();
    // The welcome page is the whole window: the panes hide, and come back as they were.
    void showPanes(bool show);
    // Shows dock in front of the panes it is tabbed with.
    static void bringForward(QDockWidget* dock);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* widget, int area);
    void sizePanes();
    // The remembered (or last shown) layout into the shown panes, or first-start proportions.
    void arrangePanes();

    QMainWindow* m_window;
    EventTableView* m_table;
    QDockWidget* m_verdictDock = nullptr;
    QDockWidget* m_detailsDock = nullptr;
    QDockWidget* m_processDock = nullptr;
    QDockWidget* m_outputDock = nullptr;
    QByteArray m_defaultState;
    QByteArray m_pendingState; // the layout to put back when the panes next appear
    bool m_panesShown = true;
    bool m_panesSized = false; // restored or sized in this window
    QList<bool> m_paneVisibility;
};

} // namespace exitlens
