#pragma once

#include "LaunchSpec.h"
#include "QuickFilter.h"
#include "Tracer.h"
#include "session/Redactor.h"
#include "session/SessionInfo.h"

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QToolButton;
class QStackedWidget;

namespace exitlens {

class AnnotationsController;
class BackgroundJob;
class CaptureController;
class CaptureData;
class EventContextMenu;
class EventDetailsPane;
class EventTableModel;
class EventTableView;
class FilterBar;
class FilterController;
class FilterRulesController;
class LaunchDialog;
class OutputPane;
class ProcessTreeModel;
class ProcessTreeView;
class SessionController;
class VerdictPanel;
class WelcomePage;
class WindowLayout;

// The workbench window: launch a program, watch its events live, read why it exited. It owns the
// widgets and wires the rooms that do the work: CaptureController (the capture's lifecycle, its
// engine in its own thread), SessionController (files), FilterController (the display filter),
// AnnotationsController (bookmarks and notes), WindowLayout (docks) and EventContextMenu. The
// window reads the capture's store directly (lock-free below its published size) and takes new
// events in one insert per engine tick.
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
    // Loads a session file in the background (progress and Cancel in the status bar); the view
    // changes when the file's verdict, processes and output are in, the events follow. While a
    // capture runs it is stopped first (asking when confirmations are on). A file that cannot be
    // read leaves the current view as it is and reports the error (lastError, errorReported).
    void openSession(const QString& path);
    // Writes the session shown to path in the background (fileWritten follows): a copy of its file,
    // or, for a capture that was not saved automatically, a new file.
    bool saveSessionAs(const QString& path);
    enum class ExportFormat { Html, Json, Csv };
    // Csv: the events the table shows, filter applied. fileWritten follows.
    bool exportTo(ExportFormat format, const QString& path);
    // The redacted copy of the session file (plan from Redactor::preview, as the share dialog shows it).
    bool exportForSharing(const QString& path, const RedactionPlan& plan);
    // Toggles the bookmark of the current event (Ctrl+B).
    void toggleBookmark();
    // Selects the next (or previous) bookmarked event, wrapping around (F2 / Shift+F2).
    bool goToBookmark(bool backward);
    // A note on an event, or on the verdict when seq is empty; empty text removes it.
    bool setNote(std::optional<std::uint64_t> seq, const QString& text);
    // A file from the command line or a drop: an executable opens the launch dialog prefilled,
    // a session file opens the session.
    void openFile(const QString& path);
    // Whether close/stop/quit ask for confirmation (off in tests and screenshot runs).
    void setConfirmations(bool on) { m_confirm = on; }

    bool isCapturing() const;
    std::shared_ptr<const CaptureData> capture() const { return m_data; }
    std::optional<TraceSummary> lastSummary() const { return m_summary; }
    QString demoFolder() const { return m_demoFolder; }
    CaptureController* captureController() const { return m_capture; }
    AnnotationsController* annotations() const { return m_annotations; }
    WindowLayout* windowLayout() const { return m_layout; }
    EventContextMenu* eventContextMenu() const { return m_eventMenu; }

    EventTableModel* eventModel() const { return m_eventModel; }
    EventTableView* eventView() const { return m_eventView; }
    ProcessTreeModel* processModel() const { return m_processModel; }
    ProcessTreeView* processView() const { return m_processView; }
    VerdictPanel* verdictPanel() const { return m_verdict; }
    EventDetailsPane* detailsPane() const { return m_details; }
    OutputPane* outputPane() const { return m_output; }
    WelcomePage* welcomePage() const { return m_welcome; }
    FilterBar* filterBar() const { return m_filterBar; }
    FilterController* filterController() const { return m_filterController; }
    FilterRulesController* filterRules() const { return m_filterRules; }
    // Actions by object name ("launch", "stop", "capture", ...), for tests and checklists.
    QAction* action(const QString& name) const;
    QList<QAction*> toolBarActions() const;
    QString statusText() const; // the status bar's fields, joined
    SessionController* sessions() const { return m_sessions; }
    BackgroundJob* fileJob() const { return m_fileJob; }
    // The session file shown (autosaved or opened); empty when there is none.
    QString sessionPath() const;
    bool isLoadingSession() const;
    // The last error reported to the user (also when confirmations are off and no box is shown).
    QString lastError() const { return m_lastError; }

    // Selects the event in the table (clearing a filter that hides it) and shows its details.
    bool goToEvent(std::uint64_t seq);

Q_SIGNALS:
    void captureStarted();
    void captureFinished();
    // A session file finished loading into the window.
    void sessionOpened(const QString& path);
    void errorReported(const QString& message);
    // Save As or an export ended; error is empty on success.
    void fileWritten(const QString& path, const QString& error);

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
    void updateActions();
    void updateStatus();
    void updateTitle();
    void updateLiveVerdict();
    void updateEventCount(); // the status bar's count: the filter bar's

    void onLaunching(const LaunchSpec& spec);
    void onStarted(std::shared_ptr<const CaptureData> capture);
    void onBatch(quint64 first, quint64 count);
    void onProcessesChanged();
    void onFinished(const TraceSummary& summary);
    void syncTable();
    // Every event of m_data is in (a capture finished, a session loaded): the table, the process
    // tree with its time span, and the output all catch up at once.
    void showAllEvents();

    void showLaunchDialog();
    void find(const QString& text, bool backward);
    void copySelectedRows();
    void onCurrentEventChanged(int row);
    void showInProcessTree(int row);
    void openSourceFile(const QString& file, int line);
    void showShortcuts();
    // File > Close: back to the welcome page (a finished capture or an opened session).
    void closeCapture();
    void showAbout();
    void setTheme(const QString& name);

    void createSessionActions();
    void reportError(const QString& title, const QString& message);
    void showCapture(std::shared_ptr<const CaptureData> data);
    void onSessionOpened(std::shared_ptr<const CaptureData> data, const SessionInfo& info);
    void onSessionProgress(quint64 loaded, quint64 expected);
    void onSessionFinished(std::shared_ptr<const CaptureData> data, const SessionInfo& info);
    void onSessionFailed(const QString& path, const QString& error);
    void cancelSessionLoad();
    void showSessionProgress(bool loading);
    void showOpenDialog();
    void showSaveDialog();
    void showExportDialog(ExportFormat format);
    void showShareDialog();
    QString currentSessionName() const;

    CaptureController* m_capture = nullptr;
    AnnotationsController* m_annotations = nullptr;
    WindowLayout* m_layout = nullptr;
    EventContextMenu* m_eventMenu = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    std::optional<TraceSummary> m_summary;
    bool m_liveUpdates = true;
    bool m_confirm = true;
    bool m_closing = false; // the window closes once the running capture has ended
    QDateTime m_startWall;
    std::uint64_t m_rateEvents = 0;
    std::uint64_t m_scannedEvents = 0; // events looked at for the live failure count
    std::uint64_t m_failures = 0;
    std::uint64_t m_lastFailure = ~std::uint64_t(0);
    qint64 m_rateAtMs = 0;
    double m_rate = 0;
    QString m_demoFolder;
    QStringList m_createdFolders;
    SessionController* m_sessions = nullptr;
    BackgroundJob* m_fileJob = nullptr;
    SessionInfo m_sessionInfo; // of the opened session (path empty for a live capture)
    QString m_pendingSession; // opened once the running capture has stopped
    QString m_lastError;
    bool m_loadOpened = false; // the session being loaded is shown (its opened() arrived)

    QStackedWidget* m_stack = nullptr;
    WelcomePage* m_welcome = nullptr;
    QWidget* m_tablePage = nullptr;
    QLabel* m_banner = nullptr;
    FilterBar* m_filterBar = nullptr;
    FilterController* m_filterController = nullptr;
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

    QLabel* m_stateLabel = nullptr;
    QLabel* m_stateIcon = nullptr;
    QLabel* m_eventsLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_elapsedLabel = nullptr;
    QList<QWidget*> m_statusSeparators;
    QLabel* m_writerLabel = nullptr;
    QProgressBar* m_loadProgress = nullptr;
    QToolButton* m_loadCancel = nullptr;
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
    FilterRulesController* m_filterRules = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    QAction* m_processTreeAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_shareAction = nullptr;
    QAction* m_htmlAction = nullptr;
    QAction* m_jsonAction = nullptr;
    QAction* m_csvAction = nullptr;
    QAction* m_autosaveAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_detailsAction = nullptr;
    QAction* m_verdictAction = nullptr;
    QAction* m_outputAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_closeAction = nullptr;
    QList<QAction*> m_toolBarActions;
};

} // namespace exitlens
