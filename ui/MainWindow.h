#pragma once

#include "LaunchSpec.h"
#include "QuickFilter.h"
#include "Tracer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QStackedWidget;
class QThread;

namespace exitlens {

class CaptureData;
class CaptureEngine;
class EventDetailsPane;
class EventTableModel;
class EventTableView;
class FilterBar;
class LaunchDialog;
class OutputPane;
class ProcessTreeModel;
class ProcessTreeView;
class VerdictPanel;
class WelcomePage;

// The workbench window: launch a program, watch its events live, read why it exited.
// The capture engine runs in its own thread; the window reads the capture's store directly
// (lock-free below its published size) and takes new events in one insert per engine tick.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts capturing spec (stdio is forced to pipes). While a capture runs, it is stopped first
    // and this one starts when it has finished.
    void launch(LaunchSpec spec);
    // One click: the bundled demo in a fresh, empty folder. False (with a message) when the demo
    // cannot be found.
    bool launchDemo();
    // A launch dialog, prefilled from spec when given; the caller shows it. Accepting it launches.
    LaunchDialog* createLaunchDialog(const std::optional<LaunchSpec>& prefill = std::nullopt);
    // The launch dialog with the demo and a fresh folder filled in (exitlens --demo).
    void openDemoLaunchDialog();
    // Kills the traced tree; asks first when ask is set and a capture is running.
    void stopCapture(bool ask);
    void openSession(const QString& path);
    // A file from the command line or a drop: an executable opens the launch dialog prefilled,
    // a session file opens the session.
    void openFile(const QString& path);
    // Whether close/stop/quit ask for confirmation (off in tests and screenshot runs).
    void setConfirmations(bool on) { m_confirm = on; }

    bool isCapturing() const { return m_running; }
    std::shared_ptr<const CaptureData> capture() const { return m_data; }
    std::optional<TraceSummary> lastSummary() const { return m_summary; }
    QString demoFolder() const { return m_demoFolder; }

    EventTableModel* eventModel() const { return m_eventModel; }
    EventTableView* eventView() const { return m_eventView; }
    ProcessTreeModel* processModel() const { return m_processModel; }
    ProcessTreeView* processView() const { return m_processView; }
    VerdictPanel* verdictPanel() const { return m_verdict; }
    EventDetailsPane* detailsPane() const { return m_details; }
    OutputPane* outputPane() const { return m_output; }
    WelcomePage* welcomePage() const { return m_welcome; }
    FilterBar* filterBar() const { return m_filterBar; }
    // Actions by object name ("launch", "stop", "capture", ...), for tests and checklists.
    QAction* action(const QString& name) const;
    QList<QAction*> toolBarActions() const;
    QString statusText() const; // the status bar's fields, joined

    // Selects the event in the table (clearing a filter that hides it) and shows its details.
    bool goToEvent(std::uint64_t seq);

Q_SIGNALS:
    void captureStarted();
    void captureFinished();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void createStatusBar();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area);
    void restoreLayout();
    void saveLayout();
    void resetLayout();
    void showPanes(bool show);
    void sizePanes();
    void updateActions();
    void updateStatus();
    void updateTitle();
    void updateLiveVerdict();

    void onStarted(std::shared_ptr<const CaptureData> capture);
    void onBatch(quint64 first, quint64 count);
    void onProcessesChanged();
    void onFinished(const TraceSummary& summary);
    void syncTable();

    void showLaunchDialog();
    void relaunch();
    void applyFilter(const QuickFilterSettings& settings);
    void find(const QString& text, bool backward);
    void copySelectedRows();
    void showEventContextMenu(const QPoint& globalPos, int row);
    void onCurrentEventChanged(int row);
    void showInProcessTree(int row);
    void openSourceFile(const QString& file, int line);
    void showShortcuts();
    void showAbout();
    void setTheme(const QString& name);

    QThread* m_engineThread = nullptr;
    CaptureEngine* m_engine = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    std::optional<TraceSummary> m_summary;
    std::optional<LaunchSpec> m_lastSpec;
    std::optional<LaunchSpec> m_pendingSpec;
    bool m_running = false;
    bool m_stopRequested = false; // Stop was asked for this capture: repeated until it ends
    bool m_liveUpdates = true;
    bool m_confirm = true;
    bool m_closing = false;
    QDateTime m_startWall;
    QElapsedTimer m_elapsed;
    qint64 m_finishedAfterMs = -1;
    std::uint64_t m_rateEvents = 0;
    std::uint64_t m_scannedEvents = 0; // events looked at for the live failure count
    std::uint64_t m_failures = 0;
    std::uint64_t m_lastFailure = ~std::uint64_t(0);
    qint64 m_rateAtMs = 0;
    double m_rate = 0;
    QString m_demoFolder;
    QStringList m_createdFolders;
    QuickFilterSettings m_filter;

    QStackedWidget* m_stack = nullptr;
    WelcomePage* m_welcome = nullptr;
    QWidget* m_tablePage = nullptr;
    QLabel* m_banner = nullptr;
    FilterBar* m_filterBar = nullptr;
    EventTableModel* m_eventModel = nullptr;
    EventTableView* m_eventView = nullptr;
    ProcessTreeModel* m_processModel = nullptr;
    ProcessTreeView* m_processView = nullptr;
    VerdictPanel* m_verdict = nullptr;
    EventDetailsPane* m_details = nullptr;
    OutputPane* m_output = nullptr;
    QDockWidget* m_verdictDock = nullptr;
    QDockWidget* m_processDock = nullptr;
    QDockWidget* m_detailsDock = nullptr;
    QDockWidget* m_outputDock = nullptr;
    QByteArray m_defaultState;
    bool m_panesShown = true;
    bool m_panesSized = false;
    QList<bool> m_paneVisibility;

    QLabel* m_stateLabel = nullptr;
    QLabel* m_stateIcon = nullptr;
    QLabel* m_eventsLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_elapsedLabel = nullptr;
    QList<QWidget*> m_statusSeparators;
    QTimer m_statusTimer;
    QTimer m_outputTimer;

    QAction* m_launchAction = nullptr;
    QAction* m_demoAction = nullptr;
    QAction* m_relaunchAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_captureAction = nullptr;
    QAction* m_autoscrollAction = nullptr;
    QAction* m_clearAction = nullptr;
    QAction* m_filterAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    QAction* m_processTreeAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_detailsAction = nullptr;
    QAction* m_verdictAction = nullptr;
    QAction* m_outputAction = nullptr;
    QAction* m_quitAction = nullptr;
    QList<QAction*> m_toolBarActions;
};

} // namespace exitlens
