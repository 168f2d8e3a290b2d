#include "MainWindow.h"

#include "AnnotationsController.h"
#include "BackgroundJob.h"
#include "CaptureController.h"
#include "DemoLocator.h"
#include "EventContextMenu.h"
#include "EventDetailsPane.h"
#include "EventTableModel.h"
#include "EventTableView.h"
#include "FilterBar.h"
#include "FilterController.h"
#include "FilterPresetMenu.h"
#include "FilterRulesController.h"
#include "Icons.h"
#include "LaunchDialog.h"
#include "OutputPane.h"
#include "ProcessTreeModel.h"
#include "ProcessTreeView.h"
#include "RecentList.h"
#include "SessionController.h"
#include "SessionShareDialog.h"
#include "ShellWords.h"
#include "Theme.h"
#include "VerdictPanel.h"
#include "WelcomePage.h"
#include "WindowAction.h"
#include "WindowLayout.h"
#include "diagnosis/Verdict.h"
#include "logging/Logging.h"
#include "model/CaptureData.h"
#include "report/OutputFile.h"
#include "session/Redactor.h"
#include "session/SessionExport.h"
#include "session/SessionFile.h"
#include "session/SessionPaths.h"
#include "session/SessionWriter.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kStatusIntervalMs = 250;
constexpr int kOutputIntervalMs = 200;
constexpr int kMaxCopiedRows = 100000;

QString number(std::uint64_t value)
{
    return QLocale().toString(qulonglong(value));
}

QString programName(const LaunchSpec& spec)
{
    const QString name = QFileInfo(QString::fromStdString(spec.program)).fileName();
    return name.isEmpty() ? QString::fromStdString(spec.program) : name;
}

QString elapsedText(qint64 ms)
{
    const qint64 minutes = ms / 60000;
    const double seconds = double(ms % 60000) / 1000.0;
    return QStringLiteral("%1:%2").arg(minutes).arg(seconds, 4, 'f', 1, QLatin1Char('0'));
}

bool looksLikeSession(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("exitlens") || suffix == QLatin1String("elsession"))
        return true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return file.read(16) == QByteArray("SQLite format 3\0", 16);
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ExitLens"));
    setAcceptDrops(true);
    m_capture = new CaptureController(this);
    connect(m_capture, &CaptureController::launching, this, &MainWindow::onLaunching);
    connect(m_capture, &CaptureController::started, this, &MainWindow::onStarted);
    connect(m_capture, &CaptureController::batchAppended, this, &MainWindow::onBatch);
    connect(m_capture, &CaptureController::processesChanged, this, &MainWindow::onProcessesChanged);
    connect(m_capture, &CaptureController::finished, this, &MainWindow::onFinished);

    m_eventModel = new EventTableModel(this);
    m_processModel = new ProcessTreeModel(this);
    m_sessions = new SessionController(this);
    m_fileJob = new BackgroundJob(this);

    m_stack = new QStackedWidget(this);
    m_welcome = new WelcomePage(m_stack);
    m_welcome->setSessionsAvailable(true, QString());
    const QString demo = DemoLocator::findDemo();
    m_welcome->setDemoAvailable(!demo.isEmpty(),
        tr("The demo program was not found. Looked in:\n%1").arg(DemoLocator::candidates().join(QLatin1Char('\n'))));
    m_stack->addWidget(m_welcome);

    m_tablePage = new QWidget(m_stack);
    auto* tableLayout = new QVBoxLayout(m_tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(0);
    m_banner = new QLabel(m_tablePage);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setContentsMargins(10, 6, 10, 6);
    m_banner->setAutoFillBackground(true);
    m_banner->hide();
    tableLayout->addWidget(m_banner);
    m_filterBar = new FilterBar(m_tablePage);
    tableLayout->addWidget(m_filterBar);
    m_filterController = new FilterController(m_eventModel, m_filterBar, this);
    m_filterRules = new FilterRulesController(m_filterBar, m_eventModel, this);
    m_eventView = new EventTableView(m_tablePage);
    m_eventView->setModel(m_eventModel);
    tableLayout->addWidget(m_eventView, 1);
    m_stack->addWidget(m_tablePage);
    setCentralWidget(m_stack);

    m_verdict = new VerdictPanel(this);
    m_processView = new ProcessTreeView(this);
    m_processView->setProcessModel(m_processModel);
    m_details = new EventDetailsPane(this);
    m_output = new OutputPane(this);
    m_layout = new WindowLayout(this, m_eventView);
    m_annotations = new AnnotationsController(
        m_sessions, m_eventView, m_details, m_verdict, [this](std::uint64_t seq) { return goToEvent(seq); }, this);
    connect(m_annotations, &AnnotationsController::errorReported, this, &MainWindow::reportError);
    connect(m_annotations, &AnnotationsController::statusMessage, statusBar(), &QStatusBar::showMessage);

    createActions();
    createSessionActions();
    m_eventMenu = new EventContextMenu(m_eventView, m_filterController, m_copyAction, this);
    connect(m_eventMenu, &EventContextMenu::detailsRequested, this, [this](int row) {
        onCurrentEventChanged(row);
        WindowLayout::bringForward(m_layout->detailsDock());
    });
    connect(m_eventMenu, &EventContextMenu::processTreeRequested, this, &MainWindow::showInProcessTree);
    connect(m_eventMenu, &EventContextMenu::highlightProcessRequested, m_processView, &ProcessTreeView::selectPid);
    connect(m_eventMenu, &EventContextMenu::goToEventRequested, this, [this](quint64 seq) { goToEvent(seq); });
    createMenus();
    createToolBar();
    createDocks();
    createStatusBar();

    connect(m_welcome, &WelcomePage::launchRequested, this, &MainWindow::showLaunchDialog);
    connect(m_welcome, &WelcomePage::demoRequested, this, &MainWindow::launchDemo);
    connect(m_welcome, &WelcomePage::recentProgramActivated, this, [this](const QString& program) {
        LaunchSpec spec;
        spec.program = program.toStdString();
        LaunchDialog* dialog = createLaunchDialog();
        dialog->setProgram(program);
        dialog->open();
    });
    connect(m_welcome, &WelcomePage::recentSessionActivated, this, &MainWindow::openSession);
    connect(m_welcome, &WelcomePage::openSessionRequested, this, &MainWindow::showOpenDialog);
    connect(m_sessions, &SessionController::loadOpened, this, &MainWindow::onSessionOpened);
    connect(m_sessions, &SessionController::loadProgress, this, &MainWindow::onSessionProgress);
    connect(m_sessions, &SessionController::loadFinished, this, &MainWindow::onSessionFinished);
    connect(m_sessions, &SessionController::loadFailed, this, &MainWindow::onSessionFailed);
    connect(m_sessions, &SessionController::notesChanged, this, &MainWindow::updateActions);
    connect(m_sessions, &SessionController::writerLagChanged, this,
        [this](bool behind, quint64 lagEvents, double lagSeconds) {
            m_writerLabel->setVisible(behind);
            m_writerLabel->setText(
                tr("Saving %1 s behind (%2 events)").arg(lagSeconds, 0, 'f', 1).arg(number(lagEvents)));
            m_writerLabel->setToolTip(tr("The session file is being written more slowly than the program produces "
                                         "events; nothing is lost, it catches up when the capture slows down."));
        });
    connect(m_sessions, &SessionController::writerFailed, this, [this](const QString& error) {
        m_writerLabel->setText(tr("Not saved"));
        m_writerLabel->setToolTip(tr("The capture could not be saved automatically: %1").arg(error));
        m_writerLabel->show();
        m_lastError = error;
        Q_EMIT errorReported(error);
        updateTitle();
    });
    connect(m_sessions, &SessionController::autosaved, this, [this](const QString&) {
        m_writerLabel->hide();
        m_welcome->refresh();
        updateActions();
        updateTitle();
    });
    connect(m_fileJob, &BackgroundJob::done, this, [this](const QString& path, const QString& error) {
        updateActions();
        if (!error.isEmpty()) {
            reportError(tr("Could not write the file"), error);
        } else {
            statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 8000);
            if (path.endsWith(QStringLiteral(".exitlens"))) {
                RecentList(QStringLiteral("sessions/recent")).add(path);
                m_welcome->refresh();
            }
        }
        Q_EMIT fileWritten(path, error);
    });
    connect(m_filterController, &FilterController::rowsReplaced, this, &MainWindow::updateStatus);
    connect(m_filterController, &FilterController::countsChanged, this, &MainWindow::updateEventCount);
    connect(
        m_processView, &ProcessTreeView::processSelected, m_filterController, &FilterController::followTreeSelection);
    connect(m_filterBar, &FilterBar::findRequested, this, &MainWindow::find);
    connect(m_eventView, &EventTableView::currentRowChanged, this, &MainWindow::onCurrentEventChanged);
    connect(m_eventView, &EventTableView::rowActivated, this, [this](int row) {
        onCurrentEventChanged(row);
        WindowLayout::bringForward(m_layout->detailsDock());
    });
    connect(m_eventView, &EventTableView::contextMenuRequested, m_eventMenu, &EventContextMenu::exec);
    connect(m_processView, &ProcessTreeView::processSelected, m_eventModel, &EventTableModel::setHighlightedPid);
    connect(m_processView, &ProcessTreeView::goToEvent, this, [this](quint64 seq) { goToEvent(seq); });
    connect(m_verdict, &VerdictPanel::evidenceActivated, this, [this](quint64 seq) { goToEvent(seq); });
    connect(m_verdict, &VerdictPanel::openSourceRequested, this, &MainWindow::openSourceFile);
    connect(m_output, &OutputPane::eventActivated, this, [this](quint64 seq) { goToEvent(seq); });

    m_statusTimer.setInterval(kStatusIntervalMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateLiveVerdict);
    m_outputTimer.setInterval(kOutputIntervalMs);
    m_outputTimer.setSingleShot(true);
    connect(&m_outputTimer, &QTimer::timeout, m_output, &OutputPane::refresh);

    // A first start fits the screen (a small one gets the small-screen layout, not a window
    // larger than it); a remembered geometry replaces this.
    const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1400, 900);
    // (90% of it: the window manager's frame comes on top).
    resize(qMin(1400, available.width() * 9 / 10), qMin(900, available.height() * 9 / 10));
    m_layout->restore();
    // The welcome page is the whole window; the panes come with the first capture.
    m_layout->showPanes(false);
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    delete m_capture; // kills the traced tree and joins the engine before the views go
    for (const QString& folder : std::as_const(m_createdFolders))
        QDir().rmdir(folder); // only when still empty: never delete what someone put there
}

void MainWindow::createDocks()
{
    m_layout->createDocks(m_verdict, m_details, m_processView, m_output);
    m_verdictDock = m_layout->verdictDock();
    m_detailsDock = m_layout->detailsDock();
    m_processDock = m_layout->processDock();
    m_outputDock = m_layout->outputDock();

    QMenu* view = menuBar()->findChild<QMenu*>(QStringLiteral("viewMenu"));
    QAction* firstViewAction = view ? view->actions().value(0) : nullptr;
    for (QDockWidget* dock : { m_verdictDock, m_detailsDock, m_processDock, m_outputDock }) {
        QAction* toggle = dock->toggleViewAction();
        toggle->setObjectName(dock->objectName() + QStringLiteral("Toggle"));
        if (view)
            view->insertAction(firstViewAction, toggle); // in their order, Ctrl+1 to Ctrl+4
    }
    m_verdictDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_detailsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_processDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    m_outputDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
}

void MainWindow::createActions()
{
    const auto make = [this](const QString& name, const QString& text, const QIcon& icon, const QKeySequence& key,
                          const QString& tip) { return newWindowAction(this, name, text, icon, key, tip); };
    m_launchAction = make(QStringLiteral("launch"), tr("&Launch…"), Icons::icon(IconId::Launch),
        QKeySequence(Qt::CTRL | Qt::Key_N), tr("Launch a program under ExitLens"));
    m_demoAction = make(QStringLiteral("demo"), tr("Try the &Demo"), Icons::icon(IconId::Demo), QKeySequence(),
        tr("Launch the bundled demo in a fresh, empty folder"));
    m_relaunchAction = make(QStringLiteral("relaunch"), tr("&Relaunch"), Icons::icon(IconId::Relaunch),
        QKeySequence(Qt::CTRL | Qt::Key_R), tr("Launch the last program again with the same settings"));
    m_stopAction = make(QStringLiteral("stop"), tr("&Stop"), Icons::icon(IconId::Stop),
        QKeySequence(Qt::CTRL | Qt::Key_K), tr("Kill the traced program and every process it started"));
    m_captureAction = make(QStringLiteral("capture"), tr("&Capture Events"), Icons::icon(IconId::Capture),
        QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Show new events as they arrive; off freezes the table while the tracer keeps recording"));
    m_captureAction->setCheckable(true);
    m_captureAction->setChecked(true);
    m_autoscrollAction = make(QStringLiteral("autoscroll"), tr("&Autoscroll"), Icons::icon(IconId::Autoscroll),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), tr("Keep the newest event in view while at the bottom"));
    m_autoscrollAction->setCheckable(true);
    m_autoscrollAction->setChecked(true);
    m_clearAction = make(QStringLiteral("clear"), tr("C&lear Display"), Icons::icon(IconId::Clear),
        QKeySequence(Qt::CTRL | Qt::Key_X), tr("Hide the events shown so far (the verdict still sees them)"));
    m_filterAction = make(QStringLiteral("filter"), tr("&Filter…"), Icons::icon(IconId::Filter),
        QKeySequence(Qt::CTRL | Qt::Key_L), tr("Filter the event table"));
    m_findAction = make(QStringLiteral("find"), tr("&Find…"), Icons::icon(IconId::Find), QKeySequence::Find,
        tr("Find an event by text"));
    m_findNextAction = make(QStringLiteral("findNext"), tr("Find &Next"), QIcon(), QKeySequence::FindNext,
        tr("Select the next event that matches"));
    m_findPreviousAction = make(QStringLiteral("findPrevious"), tr("Find &Previous"), QIcon(),
        QKeySequence::FindPrevious, tr("Select the previous event that matches"));
    m_processTreeAction = make(QStringLiteral("processTree"), tr("Process &Tree"), Icons::icon(IconId::ProcessTree),
        QKeySequence(Qt::CTRL | Qt::Key_T), tr("Show the process tree"));
    m_openAction = make(QStringLiteral("open"), tr("&Open Session…"), Icons::icon(IconId::Open), QKeySequence::Open,
        tr("Open a saved session"));
    // Every capture is saved automatically, so Save is Save As: a copy where the user wants it.
    m_saveAction = make(QStringLiteral("save"), tr("&Save Session As…"), Icons::icon(IconId::Save), QKeySequence::Save,
        tr("Save a copy of this session where you choose"));
    m_saveAction->setShortcuts({ QKeySequence(QKeySequence::Save), QKeySequence(QKeySequence::SaveAs) });
    m_copyAction = make(QStringLiteral("copy"), tr("&Copy Rows"), Icons::icon(IconId::Copy), QKeySequence::Copy,
        tr("Copy the selected events as tab-separated text"));
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_eventView->addAction(m_copyAction);
    removeAction(m_copyAction);
    m_detailsAction = make(QStringLiteral("details"), tr("Event &Details"), QIcon(), QKeySequence(Qt::CTRL | Qt::Key_P),
        tr("Show every field of the selected event"));
    m_quitAction = make(QStringLiteral("quit"), tr("&Quit"), QIcon(), QKeySequence::Quit, tr("Quit ExitLens"));
    m_closeAction = make(QStringLiteral("closeSession"), tr("&Close"), QIcon(), QKeySequence::Close,
        tr("Close the capture shown and go back to the start page (recent programs and sessions)"));

    connect(m_launchAction, &QAction::triggered, this, &MainWindow::showLaunchDialog);
    connect(m_demoAction, &QAction::triggered, this, &MainWindow::launchDemo);
    connect(m_relaunchAction, &QAction::triggered, m_capture, &CaptureController::relaunch);
    connect(m_stopAction, &QAction::triggered, this, [this] { stopCapture(m_confirm); });
    connect(m_captureAction, &QAction::toggled, this, [this](bool on) {
        m_liveUpdates = on;
        if (on)
            syncTable();
        updateStatus();
    });
    connect(m_autoscrollAction, &QAction::toggled, m_eventView, &EventTableView::setAutoscroll);
    connect(m_clearAction, &QAction::triggered, this, [this] {
        m_eventModel->hideBefore(m_eventModel->knownEvents());
        m_details->setEvent(std::nullopt);
        updateStatus();
    });
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_stack->setCurrentWidget(m_tablePage);
        m_filterBar->show();
        m_filterBar->focusFilter();
    });
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_stack->setCurrentWidget(m_tablePage);
        m_filterBar->show();
        m_filterBar->focusFind();
    });
    connect(m_findNextAction, &QAction::triggered, this, [this] { find(m_filterBar->findText(), false); });
    connect(m_findPreviousAction, &QAction::triggered, this, [this] { find(m_filterBar->findText(), true); });
    connect(m_processTreeAction, &QAction::triggered, this, [this] {
        m_processDock->show();
        m_processDock->raise();
        m_processView->setFocus(Qt::ShortcutFocusReason);
    });
    connect(m_copyAction, &QAction::triggered, this, &MainWindow::copySelectedRows);
    connect(m_detailsAction, &QAction::triggered, this, [this] {
        m_detailsDock->show();
        m_detailsDock->raise();
    });
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeCapture);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_launchAction);
    file->addAction(m_demoAction);
    file->addAction(m_relaunchAction);
    file->addSeparator();
    file->addAction(m_openAction);
    // The recent sessions of the welcome page, also once a capture is shown.
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    recent->setObjectName(QStringLiteral("recentMenu"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QStringList paths = RecentList(QStringLiteral("sessions/recent")).items();
        for (const QString& path : paths) {
            QAction* item = recent->addAction(QFileInfo(path).fileName(), this, [this, path] { openSession(path); });
            item->setToolTip(QDir::toNativeSeparators(path));
            item->setData(path);
        }
        if (paths.isEmpty())
            recent->addAction(tr("No recent sessions"))->setEnabled(false);
    });
    file->addAction(m_saveAction);
    file->addAction(m_closeAction);
    QMenu* exports = file->addMenu(tr("&Export"));
    exports->setObjectName(QStringLiteral("exportMenu"));
    exports->addAction(m_shareAction);
    exports->addSeparator();
    exports->addAction(m_htmlAction);
    exports->addAction(m_jsonAction);
    exports->addAction(m_csvAction);
    file->addSeparator();
    file->addAction(m_autosaveAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* capture = menuBar()->addMenu(tr("&Capture"));
    capture->addAction(m_captureAction);
    capture->addAction(m_stopAction);
    capture->addSeparator();
    capture->addAction(m_autoscrollAction);
    capture->addAction(m_clearAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copyAction);
    edit->addSeparator();
    edit->addAction(m_filterAction);
    edit->addAction(m_filterRules->rulesAction());
    // Presets go into the session file too, once the capture's own writer has let go of it.
    edit->addMenu(new FilterPresetMenu(
        m_filterBar, [this] { return m_sessions->isWriting() ? QString() : sessionPath(); }, edit));
    edit->addAction(m_findAction);
    edit->addAction(m_findNextAction);
    edit->addAction(m_findPreviousAction);
    edit->addSeparator();
    edit->addAction(m_annotations->bookmarkAction());
    edit->addAction(m_annotations->nextBookmarkAction());
    edit->addAction(m_annotations->previousBookmarkAction());
    edit->addAction(m_annotations->noteAction());
    edit->addAction(m_annotations->verdictNoteAction());

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addSeparator();
    view->addAction(m_processTreeAction);
    view->addAction(m_detailsAction);
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Appearance"));
    auto* themes = new QActionGroup(this);
    const QString current = QSettings().value(QStringLiteral("ui/theme"), QStringLiteral("system")).toString();
    for (const auto& [name, label] : { std::pair { QStringLiteral("system"), tr("&System") },
             std::pair { QStringLiteral("light"), tr("&Light") }, std::pair { QStringLiteral("dark"), tr("&Dark") } }) {
        QAction* action = theme->addAction(label);
        action->setObjectName(QStringLiteral("theme-") + name);
        action->setCheckable(true);
        action->setChecked(name == current);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [this, name = name] { setTheme(name); });
    }
    QAction* reset = view->addAction(tr("&Reset Layout"));
    reset->setObjectName(QStringLiteral("resetLayout"));
    connect(reset, &QAction::triggered, m_layout, &WindowLayout::reset);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts = help->addAction(tr("&Keyboard Shortcuts"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction* about = help->addAction(tr("&About ExitLens"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setIconSize(QSize(20, 20));
    bar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_toolBarActions = { m_launchAction, m_relaunchAction, m_stopAction, m_captureAction, m_autoscrollAction,
        m_clearAction, m_filterAction, m_findAction, m_processTreeAction, m_openAction, m_saveAction };
    for (QAction* action : std::as_const(m_toolBarActions)) {
        bar->addAction(action);
        if (action == m_stopAction || action == m_clearAction || action == m_processTreeAction)
            bar->addSeparator();
    }
}

void MainWindow::createStatusBar()
{
    m_stateIcon = new QLabel(this);
    m_stateLabel = new QLabel(this);
    m_eventsLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    m_elapsedLabel = new QLabel(this);
    m_eventsLabel->setToolTip(tr("Events shown in the table / events captured"));
    m_rateLabel->setToolTip(tr("Events captured per second over the last moments"));
    m_elapsedLabel->setToolTip(tr("Time since launch"));
    statusBar()->addWidget(m_stateIcon);
    statusBar()->addWidget(m_stateLabel, 1);
    // "2,001 runtime-noise events hidden · Show": what the default filter hides, one click away.
    statusBar()->addPermanentWidget(m_filterBar->noiseStatusLabel());
    // Opening a session: how far it got, and a way out.
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setObjectName(QStringLiteral("sessionLoadProgress"));
    m_loadProgress->setMaximumWidth(220);
    m_loadProgress->setTextVisible(true);
    m_loadProgress->hide();
    m_loadCancel = new QToolButton(this);
    m_loadCancel->setObjectName(QStringLiteral("sessionLoadCancel"));
    m_loadCancel->setText(tr("Cancel"));
    m_loadCancel->setToolTip(tr("Stop opening the session (the events loaded so far stay)"));
    m_loadCancel->hide();
    connect(m_loadCancel, &QToolButton::clicked, this, &MainWindow::cancelSessionLoad);
    statusBar()->addPermanentWidget(m_loadProgress);
    statusBar()->addPermanentWidget(m_loadCancel);
    // The autosave writer, only when it needs attention (behind, or failed).
    m_writerLabel = new QLabel(this);
    m_writerLabel->setObjectName(QStringLiteral("sessionWriterStatus"));
    m_writerLabel->setContentsMargins(10, 0, 10, 0);
    m_writerLabel->hide();
    statusBar()->addPermanentWidget(m_writerLabel);
    for (QLabel* label : { m_eventsLabel, m_rateLabel, m_elapsedLabel }) {
        label->setContentsMargins(10, 0, 10, 0);
        auto* separator = new QFrame(this);
        separator->setFrameShape(QFrame::VLine);
        separator->setFrameShadow(QFrame::Sunken);
        statusBar()->addPermanentWidget(separator);
        statusBar()->addPermanentWidget(label);
        m_statusSeparators << separator;
    }
}

QAction* MainWindow::action(const QString& name) const
{
    return findChild<QAction*>(name);
}

QList<QAction*> MainWindow::toolBarActions() const
{
    return m_toolBarActions;
}

QString MainWindow::statusText() const
{
    return QStringList { m_stateLabel->text(), m_eventsLabel->text(), m_rateLabel->text(), m_elapsedLabel->text() }
        .join(QStringLiteral(" | "));
}

void MainWindow::setTheme(const QString& name)
{
    QSettings().setValue(QStringLiteral("ui/theme"), name);
    Theme::apply(Theme::modeFromName(name));
    Icons::clearCache();
    // Icons are painted in the palette's colours: repaint them.
    for (QAction* action : findChildren<QAction*>()) {
        const QString id = action->objectName();
        static const QHash<QString, IconId> icons {
            { QStringLiteral("launch"), IconId::Launch },
            { QStringLiteral("demo"), IconId::Demo },
            { QStringLiteral("relaunch"), IconId::Relaunch },
            { QStringLiteral("stop"), IconId::Stop },
            { QStringLiteral("capture"), IconId::Capture },
            { QStringLiteral("autoscroll"), IconId::Autoscroll },
            { QStringLiteral("clear"), IconId::Clear },
            { QStringLiteral("filter"), IconId::Filter },
            { QStringLiteral("find"), IconId::Find },
            { QStringLiteral("processTree"), IconId::ProcessTree },
            { QStringLiteral("open"), IconId::Open },
            { QStringLiteral("save"), IconId::Save },
            { QStringLiteral("copy"), IconId::Copy },
        };
        if (icons.contains(id))
            action->setIcon(Icons::icon(icons.value(id)));
    }
    updateStatus();
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_banner) {
        QPalette banner = m_banner->palette();
        banner.setColor(QPalette::Window, Theme::lifecycleBackground(palette()));
        m_banner->setPalette(banner);
    }
}

void MainWindow::updateActions()
{
    m_relaunchAction->setEnabled(m_capture->lastSpec().has_value());
    // Files are written from a finished capture (a running one has no verdict yet), one at a time.
    const bool finished = m_data && !m_capture->isRunning() && !m_sessions->isLoading();
    const bool idle = !m_fileJob->isRunning();
    m_saveAction->setEnabled(finished && idle);
    m_htmlAction->setEnabled(finished && idle);
    m_jsonAction->setEnabled(finished && idle);
    m_csvAction->setEnabled(finished && idle);
    m_shareAction->setEnabled(finished && idle && !m_sessions->sessionPath().isEmpty() && !m_sessions->isWriting());
    m_annotations->setState(m_data != nullptr, finished);
    m_stopAction->setEnabled(m_capture->isRunning());
    m_closeAction->setEnabled(finished);
    const bool haveCapture = m_data != nullptr;
    m_clearAction->setEnabled(haveCapture);
    m_copyAction->setEnabled(haveCapture);
    m_findNextAction->setEnabled(haveCapture);
    m_findPreviousAction->setEnabled(haveCapture);
    m_demoAction->setEnabled(!DemoLocator::findDemo().isEmpty());
}

void MainWindow::updateTitle()
{
    if (!m_sessionInfo.path.isEmpty()) {
        setWindowTitle(tr("%1 — ExitLens").arg(QFileInfo(m_sessionInfo.path).fileName()));
        return;
    }
    const std::optional<LaunchSpec>& spec = m_capture->lastSpec();
    if (!spec) {
        setWindowTitle(tr("ExitLens"));
        return;
    }
    QString state;
    if (m_capture->isRunning())
        state = tr("running");
    else if (m_summary)
        state = QString::fromStdString(m_summary->rootStatus.describe());
    setWindowTitle(tr("%1 (%2) — ExitLens").arg(programName(*spec), state));
}

void MainWindow::updateStatus()
{
    for (QWidget* separator : std::as_const(m_statusSeparators))
        separator->setVisible(m_data != nullptr);
    m_filterBar->noiseStatusLabel()->setVisible(m_data != nullptr); // nothing to hide before a capture
    if (!m_data) {
        m_stateIcon->setPixmap(QPixmap());
        m_stateLabel->setText(tr("Ready. Launch a program (Ctrl+N), try the demo, or open a session (Ctrl+O)."));
        m_eventsLabel->clear();
        m_rateLabel->clear();
        m_elapsedLabel->clear();
        return;
    }
    updateEventCount();
    const std::uint64_t total = m_data->events().size();
    const qint64 now = qMax<qint64>(m_capture->elapsedMs(), 0);
    const qint64 finishedAfterMs = m_capture->finishedAfterMs();
    if (m_capture->isRunning()) {
        if (now - m_rateAtMs >= 1000 || m_rateAtMs == 0) {
            const double seconds = double(now - m_rateAtMs) / 1000.0;
            if (seconds > 0 && m_rateAtMs > 0)
                m_rate = double(total - m_rateEvents) / seconds;
            m_rateEvents = total;
            m_rateAtMs = now;
        }
        m_rateLabel->setText(tr("%1 events/s").arg(number(std::uint64_t(m_rate))));
        m_elapsedLabel->setText(elapsedText(now));
        std::vector<ProcessRecord> processes = m_data->processes().snapshot();
        const QString pid = processes.empty() ? QString() : tr(" (pid %1)").arg(processes.front().pid);
        m_stateIcon->setPixmap(Icons::pixmap(IconId::Running, 16, devicePixelRatioF()));
        m_stateLabel->setText(tr("Running: %1%2").arg(programName(m_data->spec()), pid));
    } else {
        const double seconds = finishedAfterMs > 0 ? double(finishedAfterMs) / 1000.0 : 0;
        m_rateLabel->setText(
            seconds > 0 ? tr("%1 events/s average").arg(number(std::uint64_t(double(total) / seconds))) : QString());
        m_elapsedLabel->setText(finishedAfterMs >= 0 ? elapsedText(finishedAfterMs) : QString());
        if (m_summary) {
            const ExitStatus& status = m_summary->rootStatus;
            IconId icon = IconId::ExitOk;
            if (status.kind == ExitStatus::Kind::Signaled)
                icon = IconId::ExitSignal;
            else if (status.kind == ExitStatus::Kind::LaunchFailed || !m_summary->error.empty())
                icon = IconId::Failure;
            else if (status.kind == ExitStatus::Kind::Exited && status.code != 0)
                icon = IconId::ExitFailed;
            m_stateIcon->setPixmap(Icons::pixmap(icon, 16, devicePixelRatioF()));
            QString text = tr("%1 %2").arg(programName(m_data->spec()), QString::fromStdString(status.describe()));
            if (m_summary->stoppedByUser)
                text += tr(" (stopped from ExitLens)");
            if (!m_summary->error.empty())
                text = tr("Capture failed: %1").arg(QString::fromStdString(m_summary->error));
            if (m_summary->dropped > 0)
                text += tr(" — %1 events were not recorded").arg(number(m_summary->dropped));
            m_stateLabel->setText(text);
        }
    }
}

void MainWindow::updateEventCount()
{
    if (!m_data)
        return;
    // The filter bar's numbers, so that the two never disagree in one frame; what the table has
    // not taken in yet (Capture Events off) is said apart.
    m_eventsLabel->setText(m_filterBar->countText());
    const std::uint64_t captured = m_data->events().size();
    if (!m_liveUpdates && captured > m_eventModel->knownEvents())
        m_eventsLabel->setText(
            m_eventsLabel->text() + tr(" (paused: %1 new)").arg(number(captured - m_eventModel->knownEvents())));
}

void MainWindow::updateLiveVerdict()
{
    if (!m_data || !m_capture->isRunning())
        return;
    // Only the events since the last look: the count costs nothing per tick.
    const std::uint64_t size = m_data->events().size();
    for (; m_scannedEvents < size; ++m_scannedEvents) {
        const Event& event = m_data->events().at(m_scannedEvents);
        if (event.kind == EventKind::Syscall && event.failed()) {
            ++m_failures;
            m_lastFailure = m_scannedEvents;
        }
    }
    VerdictPanel::LiveState state;
    state.program = programName(m_data->spec());
    state.elapsedMs = qMax<qint64>(m_capture->elapsedMs(), 0);
    const std::vector<ProcessRecord> processes = m_data->processes().snapshot();
    state.processes = int(processes.size());
    state.runningProcesses = int(std::count_if(
        processes.begin(), processes.end(), [](const ProcessRecord& process) { return !process.status.ended(); }));
    state.events = size;
    state.failures = m_failures;
    if (m_lastFailure < size) {
        const Event& event = m_data->events().at(m_lastFailure);
        state.lastFailure = QStringLiteral("%1 %2 → %3")
                                .arg(m_eventModel->cellText(m_lastFailure, event, EventTableModel::OperationColumn),
                                    m_eventModel->cellText(m_lastFailure, event, EventTableModel::PathColumn),
                                    m_eventModel->resultText(event))
                                .simplified();
        state.lastFailureSeq = m_lastFailure;
    }
    const OutputLog::StreamView err = m_data->outputLog().stream(2);
    const std::string& tail = err.tail.empty() ? err.head : err.tail;
    QString last = QString::fromUtf8(tail.data(), qsizetype(tail.size())).trimmed();
    last = last.mid(last.lastIndexOf(QLatin1Char('\n')) + 1);
    state.lastStderr = last.left(300);
    m_verdict->updateRunning(state);
}

void MainWindow::showLaunchDialog()
{
    LaunchDialog* dialog = createLaunchDialog(m_capture->lastSpec());
    dialog->open();
}

LaunchDialog* MainWindow::createLaunchDialog(const std::optional<LaunchSpec>& prefill)
{
    auto* dialog = new LaunchDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (prefill)
        dialog->setSpec(*prefill);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_welcome->refresh();
        launch(dialog->spec());
    });
    return dialog;
}

void MainWindow::openDemoLaunchDialog()
{
    const QString demo = DemoLocator::findDemo();
    if (demo.isEmpty()) {
        QMessageBox::warning(this, tr("Demo not found"),
            tr("The bundled demo program was not found. ExitLens looked in:\n\n%1")
                .arg(DemoLocator::candidates().join(QLatin1Char('\n'))));
        showLaunchDialog();
        return;
    }
    QString error;
    const QString folder = DemoLocator::createWorkingDirectory(&error);
    m_createdFolders << folder;
    LaunchDialog* dialog = createLaunchDialog();
    dialog->setProgram(demo);
    dialog->setArguments(QString());
    if (!folder.isEmpty())
        dialog->setWorkingDirectory(folder);
    dialog->open();
    dialog->launchButton()->setFocus();
}

bool MainWindow::launchDemo()
{
    const QString demo = DemoLocator::findDemo();
    if (demo.isEmpty()) {
        QMessageBox::warning(this, tr("Demo not found"),
            tr("The bundled demo program was not found. ExitLens looked in:\n\n%1\n\nSet EXITLENS_DEMO to its path.")
                .arg(DemoLocator::candidates().join(QLatin1Char('\n'))));
        return false;
    }
    QString error;
    const QString folder = DemoLocator::createWorkingDirectory(&error);
    if (folder.isEmpty()) {
        QMessageBox::warning(this, tr("Demo"), tr("Could not create a folder for the demo: %1").arg(error));
        return false;
    }
    m_createdFolders << folder;
    LaunchSpec spec;
    spec.program = demo.toStdString();
    spec.workingDirectory = folder.toStdString();
    launch(spec);
    return true;
}

void MainWindow::launch(LaunchSpec spec)
{
    m_capture->launch(std::move(spec));
}

void MainWindow::onLaunching(const LaunchSpec& spec)
{
    // The demo in a folder this window made for it (Try the demo, or exitlens --demo): say where.
    m_demoFolder.clear();
    m_banner->hide();
    const QString folder = QString::fromStdString(spec.workingDirectory);
    if (m_createdFolders.contains(folder) && QString::fromStdString(spec.program) == DemoLocator::findDemo()) {
        m_demoFolder = folder;
        m_banner->setText(
            tr("<b>Demo:</b> running <code>%1</code> in <code>%2</code>, a fresh folder with no "
               "config.json in it. Watch the verdict on the right.")
                .arg(QFileInfo(folder).fileName().isEmpty() ? folder : programName(spec), folder.toHtmlEscaped()));
        QPalette banner = m_banner->palette();
        banner.setColor(QPalette::Window, Theme::lifecycleBackground(palette()));
        m_banner->setPalette(banner);
        m_banner->show();
    }
    if (m_sessions->isLoading()) {
        m_sessions->cancelLoad();
        showSessionProgress(false);
    }
    m_sessionInfo = SessionInfo();
    m_writerLabel->hide();
    m_summary.reset();
    m_startWall = m_capture->startWall();
    m_rateEvents = 0;
    m_rateAtMs = 0;
    m_rate = 0;
    m_scannedEvents = 0;
    m_failures = 0;
    m_lastFailure = ~std::uint64_t(0);
    m_verdict->showRunning(programName(spec));
    m_layout->showPanes(true);
    m_stack->setCurrentWidget(m_tablePage);
    m_verdictDock->raise();
    m_statusTimer.start();
    updateActions();
    updateTitle();
}

void MainWindow::stopCapture(bool ask)
{
    if (!m_capture->isRunning())
        return;
    const std::optional<LaunchSpec>& spec = m_capture->lastSpec();
    if (ask
        && QMessageBox::question(this, tr("Stop the program?"),
               tr("This kills %1 and every process it started (SIGKILL). The verdict will say it was stopped from "
                  "ExitLens.")
                   .arg(spec ? programName(*spec) : tr("the program")),
               QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Yes)
        return;
    m_capture->stop();
}

void MainWindow::showCapture(std::shared_ptr<const CaptureData> capture)
{
    m_data = std::move(capture);
    m_eventModel->setCapture(m_data, m_startWall);
    m_filterController->setCapture(m_data); // the display filter, in its worker
    m_processModel->setCapture(m_data);
    m_details->setCapture(m_data, m_startWall);
    m_output->setCapture(m_data);
    m_eventMenu->setCapture(m_data);
}

void MainWindow::onStarted(std::shared_ptr<const CaptureData> capture)
{
    showCapture(std::move(capture));
    // Saved as it runs, so a crash of the workbench still leaves the capture on disk.
    m_sessions->resetSession();
    if (SessionController::autosaveEnabled()) {
        QString error;
        if (!m_sessions->startAutosave(m_data, m_startWall, error)) {
            m_writerLabel->setText(tr("Not saved"));
            m_writerLabel->setToolTip(tr("The capture could not be saved automatically: %1").arg(error));
            m_writerLabel->show();
            m_lastError = error;
        }
    }
    if (m_autoscrollAction->isChecked())
        m_eventView->setAutoscroll(true);
    updateActions();
    updateStatus();
    Q_EMIT captureStarted();
}

void MainWindow::syncTable()
{
    if (!m_data)
        return;
    m_filterController->sync(m_data->events().size());
    updateStatus();
}

void MainWindow::showAllEvents()
{
    syncTable();
    m_processModel->refresh();
    m_eventModel->refreshProcesses();
    const std::uint64_t size = m_data->events().size();
    if (size > 0)
        m_processModel->setTimeSpan(m_data->events().at(size - 1).timeNs);
    m_output->refresh();
}

void MainWindow::onBatch(quint64 first, quint64 count)
{
    if (!m_data)
        return;
    if (m_liveUpdates)
        m_filterController->sync(first + count);
    const std::uint64_t last = first + count;
    if (last > 0)
        m_processModel->setTimeSpan(m_data->events().at(last - 1).timeNs);
    if (!m_outputTimer.isActive())
        m_outputTimer.start();
}

void MainWindow::onProcessesChanged()
{
    m_processModel->refresh();
    m_eventModel->refreshProcesses();
}

void MainWindow::onFinished(const TraceSummary& summary)
{
    m_summary = summary;
    m_statusTimer.stop();
    if (m_data) {
        showAllEvents();
        const Verdict verdict = describeExit(*m_data, summary);
        m_verdict->setVerdict(verdict, *m_data, summary);
        m_verdictDock->show();
        m_verdictDock->raise();
        m_sessions->finishAutosave(verdict, summary.rootStatus);
    }
    updateActions();
    updateStatus();
    updateTitle();
    Q_EMIT captureFinished();
    // A launch that waited for this capture starts when this returns (the controller's business).
    if (m_capture->hasPendingLaunch())
        return;
    if (!m_pendingSession.isEmpty() && !m_closing) {
        const QString path = m_pendingSession;
        m_pendingSession.clear();
        openSession(path);
    } else if (m_closing) {
        close();
    }
}

void MainWindow::find(const QString& text, bool backward)
{
    if (!m_data || text.trimmed().isEmpty() || m_eventModel->rowCount() == 0)
        return;
    QuickFilterSettings settings;
    settings.text = text;
    settings.hideRuntimeNoise = false;
    const QuickFilter matcher(m_data, settings);
    const int rows = m_eventModel->rowCount();
    const int start = m_eventView->currentRow();
    for (int step = 1; step <= rows; ++step) {
        int row = backward ? start - step : start + step;
        row = ((row % rows) + rows) % rows;
        if (matcher.textMatches(m_eventModel->eventAt(row))) {
            m_eventView->selectRow(row);
            const bool wrapped = backward ? row > start : row < start;
            m_filterBar->setFindState(wrapped ? tr("wrapped around") : QString(), false);
            return;
        }
    }
    m_filterBar->setFindState(tr("not found"), true);
}

bool MainWindow::goToEvent(std::uint64_t seq)
{
    if (!m_data || seq >= m_data->events().size())
        return false;
    m_stack->setCurrentWidget(m_tablePage);
    if (m_eventModel->knownEvents() <= seq)
        syncTable();
    int row = m_eventModel->rowOfSeq(seq);
    if (row < 0) {
        // Hidden by the filter or by Clear: show everything again rather than fail to go there,
        // and say so: the user's filter is gone from the bar (its history keeps it).
        QStringList undone;
        if (m_eventModel->firstShownSeq() > seq) {
            m_eventModel->hideBefore(0);
            undone << tr("the events hidden by Clear are shown again");
        }
        if (m_eventModel->rowOfSeq(seq) < 0) {
            const QString expression = m_filterBar->appliedExpression();
            m_filterController->showEverything();
            undone << (expression.isEmpty()
                    ? tr("every class and the runtime noise are shown")
                    : tr("the filter “%1” is cleared (it stays in the filter history)").arg(expression));
        }
        row = m_eventModel->rowOfSeq(seq);
        if (row >= 0)
            statusBar()->showMessage(tr("Event %1 was hidden: %2.").arg(seq).arg(undone.join(tr("; "))), 15000);
    }
    if (row < 0)
        return false;
    m_eventView->selectRow(row);
    m_eventView->setFocus(Qt::OtherFocusReason);
    return true;
}

void MainWindow::onCurrentEventChanged(int row)
{
    if (row < 0 || !m_data) {
        m_details->setEvent(std::nullopt);
        return;
    }
    m_details->setEvent(m_eventModel->seqAt(row));
    m_annotations->updateDetails();
}

void MainWindow::copySelectedRows()
{
    QVector<int> rows = m_eventView->selectedRows(kMaxCopiedRows + 1);
    if (rows.isEmpty())
        return;
    const bool truncated = rows.size() > kMaxCopiedRows;
    if (truncated)
        rows.resize(kMaxCopiedRows);
    QApplication::clipboard()->setText(m_eventModel->rowsAsText(rows, m_eventView->visibleColumns()));
    statusBar()->showMessage(truncated ? tr("Copied the first %1 selected rows").arg(number(kMaxCopiedRows))
                                       : tr("Copied %n row(s)", nullptr, int(rows.size())),
        4000);
}

void MainWindow::showInProcessTree(int row)
{
    if (row < 0)
        return;
    m_processDock->show();
    m_processDock->raise();
    m_processView->selectPid(m_eventModel->eventAt(row).pid);
}

void MainWindow::openSourceFile(const QString& file, int line)
{
    Q_UNUSED(line)
    // Opening a file starts a helper process (xdg-open); while a capture runs the tracer waits
    // for any child of ExitLens, so nothing is started then.
    if (m_capture->isRunning()) {
        statusBar()->showMessage(tr("Source files open once the capture has ended"), 4000);
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(file));
}

void MainWindow::closeCapture()
{
    if (!m_data || m_capture->isRunning())
        return;
    if (m_sessions->isLoading())
        cancelSessionLoad();
    m_sessions->resetSession();
    m_sessionInfo = SessionInfo();
    m_summary.reset();
    m_capture->setLastSpec(std::nullopt);
    m_capture->forgetClock();
    m_demoFolder.clear();
    m_banner->hide();
    m_verdict->clear();
    showCapture(nullptr);
    m_details->setEvent(std::nullopt);
    m_welcome->refresh();
    m_stack->setCurrentWidget(m_welcome);
    m_layout->showPanes(false);
    updateActions();
    updateStatus();
    updateTitle();
}

void MainWindow::showShortcuts()
{
    // In key order (F keys, then Ctrl+1, Ctrl+2, ...), not in the order the actions were made.
    QList<QAction*> actions;
    for (QAction* action : findChildren<QAction*>()) {
        if (!action->shortcut().isEmpty() && !action->text().isEmpty())
            actions << action;
    }
    std::stable_sort(actions.begin(), actions.end(), [](const QAction* a, const QAction* b) {
        return a->shortcut()[0].toCombined() < b->shortcut()[0].toCombined();
    });
    QString html = tr("<h3>Keyboard shortcuts</h3><table cellpadding='3'>");
    for (QAction* action : std::as_const(actions)) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                        action->text().remove(QLatin1Char('&')).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    auto* box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("shortcutsDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("Keyboard Shortcuts"));
    box->setTextFormat(Qt::RichText);
    box->setText(html);
    box->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ExitLens"),
        tr("<h3>ExitLens %1</h3><p>Launches a program, follows every process it starts, records what it does "
           "and tells you how it died.</p><p>Log file: %2</p>")
            .arg(QCoreApplication::applicationVersion(),
                QString::fromStdString(logging::logFilePath()).toHtmlEscaped()));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_capture->isRunning()) {
        if (m_confirm && !m_closing
            && QMessageBox::question(this, tr("Quit ExitLens?"),
                   tr("A program is being traced. Quitting kills it and every process it started."),
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
                != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_closing = true;
        m_capture->stopForGood();
    }
    m_layout->save();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty()
        && event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = event->mimeData()->urls().front().toLocalFile();
    event->acceptProposedAction();
    openFile(path);
}

void MainWindow::openFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        reportError(tr("No such file"), tr("%1 does not exist.").arg(QDir::toNativeSeparators(path)));
    } else if (info.isFile() && looksLikeSession(path)) {
        openSession(info.absoluteFilePath());
    } else if (info.isFile() && info.isExecutable()) {
        LaunchDialog* dialog = createLaunchDialog();
        dialog->setProgram(info.absoluteFilePath());
        dialog->open();
    } else {
        reportError(tr("Cannot open this"),
            tr("%1 is neither an executable program nor a session file.").arg(QDir::toNativeSeparators(path)));
    }
}

// --- Sessions: open, save, export, notes (the logic lives in SessionController)

void MainWindow::createSessionActions()
{
    const auto make = [this](const QString& name, const QString& text, const QKeySequence& key, const QString& tip) {
        return newWindowAction(this, name, text, QIcon(), key, tip);
    };
    m_shareAction = make(QStringLiteral("exportShare"), tr("Export for &Sharing…"), QKeySequence(),
        tr("Write a copy with secrets replaced, to send to someone (the session itself is not changed)"));
    m_htmlAction = make(QStringLiteral("exportHtml"), tr("&HTML Report…"), QKeySequence(),
        tr("Write the verdict, evidence, processes, key events and output as one self-contained web page"));
    m_jsonAction = make(QStringLiteral("exportJson"), tr("&JSON…"), QKeySequence(),
        tr("Write the result document (the same as exitlens run --json)"));
    m_csvAction = make(QStringLiteral("exportCsv"), tr("&CSV (Shown Events)…"), QKeySequence(),
        tr("Write the events the table shows, with the filter applied, as CSV"));
    m_autosaveAction = make(QStringLiteral("autosave"), tr("Save Every Capture &Automatically"), QKeySequence(),
        tr("Save each capture while it runs into your data folder (~/.local/share/exitlens/sessions)"));
    m_autosaveAction->setCheckable(true);
    m_autosaveAction->setChecked(SessionController::autosaveEnabled());

    connect(m_openAction, &QAction::triggered, this, &MainWindow::showOpenDialog);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::showSaveDialog);
    connect(m_shareAction, &QAction::triggered, this, &MainWindow::showShareDialog);
    connect(m_htmlAction, &QAction::triggered, this, [this] { showExportDialog(ExportFormat::Html); });
    connect(m_jsonAction, &QAction::triggered, this, [this] { showExportDialog(ExportFormat::Json); });
    connect(m_csvAction, &QAction::triggered, this, [this] { showExportDialog(ExportFormat::Csv); });
    connect(m_autosaveAction, &QAction::toggled, this, &SessionController::setAutosaveEnabled);
}

void MainWindow::reportError(const QString& title, const QString& message)
{
    m_lastError = message;
    logging::logger(logging::Subsystem::Ui)->warn("{}: {}", title.toStdString(), message.toStdString());
    statusBar()->showMessage(message, 10000);
    Q_EMIT errorReported(message);
    if (!m_confirm)
        return; // tests and screenshot runs: no box to wait for
    // Window-modal but not blocking: the caller (a drop, a signal) returns at once.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::isCapturing() const
{
    return m_capture->isRunning();
}

QString MainWindow::sessionPath() const
{
    return m_sessions->sessionPath();
}

bool MainWindow::isLoadingSession() const
{
    return m_sessions->isLoading();
}

QString MainWindow::currentSessionName() const
{
    if (!m_sessions->sessionPath().isEmpty())
        return QFileInfo(m_sessions->sessionPath()).completeBaseName();
    if (m_data)
        return programName(m_data->spec());
    return tr("session");
}

void MainWindow::showSessionProgress(bool loading)
{
    m_loadProgress->setVisible(loading);
    m_loadCancel->setVisible(loading);
    if (loading) {
        m_loadProgress->setRange(0, 0);
        m_loadProgress->setFormat(tr("Opening…"));
    }
}

void MainWindow::openSession(const QString& path)
{
    if (path.isEmpty())
        return;
    if (m_capture->isRunning()) {
        if (m_confirm
            && QMessageBox::question(this, tr("Stop the program?"),
                   tr("A program is being traced. Opening %1 kills it and every process it started first; its "
                      "capture is saved.")
                       .arg(QFileInfo(path).fileName()),
                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
                != QMessageBox::Yes)
            return;
        m_pendingSession = path;
        m_capture->stopForGood();
        return;
    }
    m_pendingSession.clear();
    m_loadOpened = false;
    m_sessions->open(QFileInfo(path).absoluteFilePath());
    showSessionProgress(true);
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    updateActions();
}

void MainWindow::onSessionOpened(std::shared_ptr<const CaptureData> capture, const SessionInfo& info)
{
    // The file is readable: only now does the view change.
    m_loadOpened = true;
    m_banner->hide();
    m_demoFolder.clear();
    m_writerLabel->hide();
    m_sessionInfo = info;
    if (m_sessionInfo.path.isEmpty())
        m_sessionInfo.path = m_sessions->loadingPath();
    m_summary = capture->summary();
    if (!m_summary)
        m_summary = SessionExport::summaryOf(*capture); // an interrupted capture: what the file has
    const QDateTime created = QDateTime::fromString(info.created, Qt::ISODate);
    m_startWall = created.isValid() ? created.toLocalTime() : QDateTime();
    m_capture->forgetClock();
    // Relaunch runs the same program again, when it exists on this machine.
    const QFileInfo program(QString::fromStdString(capture->spec().program));
    if (program.isFile() && program.isExecutable())
        m_capture->setLastSpec(capture->spec());
    else
        m_capture->setLastSpec(std::nullopt);
    m_sessions->resetSession();
    showCapture(std::move(capture));
    m_filterController->sync(m_data->events().size());
    m_output->refresh();
    if (const auto verdict = m_data->verdict())
        m_verdict->setVerdict(*verdict, *m_data, *m_summary);
    else
        m_verdict->showRunning(programName(m_data->spec())); // diagnosed when every event is in
    m_layout->showPanes(true);
    m_stack->setCurrentWidget(m_tablePage);
    m_verdictDock->show();
    m_verdictDock->raise();
    updateActions();
    updateStatus();
    updateTitle();
}

void MainWindow::onSessionProgress(quint64 loaded, quint64 expected)
{
    if (expected > 0) {
        m_loadProgress->setRange(0, 1000);
        m_loadProgress->setValue(int(std::min<quint64>(1000, loaded * 1000 / expected)));
        m_loadProgress->setFormat(tr("%1 of %2 events").arg(number(loaded), number(expected)));
    }
    if (m_data && m_loadOpened)
        syncTable();
}

void MainWindow::onSessionFinished(std::shared_ptr<const CaptureData> capture, const SessionInfo& info)
{
    showSessionProgress(false);
    statusBar()->clearMessage();
    if (!m_loadOpened || m_data != capture)
        onSessionOpened(capture, info);
    m_sessionInfo = info;
    showAllEvents();
    if (!m_data->verdict())
        m_verdict->setVerdict(SessionExport::verdictOf(*m_data), *m_data, *m_summary);
    QStringList notes;
    if (info.redacted)
        notes
            << tr("This is a copy made for sharing: secrets were replaced with %1.").arg(QStringLiteral("[REDACTED]"));
    if (!info.complete)
        notes << tr("The capture did not finish cleanly (ExitLens was stopped while it ran): it shows everything up to "
                    "its last save.");
    for (const QString& warning : info.warnings)
        notes << warning.toHtmlEscaped();
    if (!notes.isEmpty()) {
        m_banner->setText(
            tr("<b>%1:</b> %2").arg(QFileInfo(info.path).fileName().toHtmlEscaped(), notes.join(QStringLiteral(" "))));
        QPalette banner = m_banner->palette();
        banner.setColor(QPalette::Window, Theme::lifecycleBackground(palette()));
        m_banner->setPalette(banner);
        m_banner->show();
    }
    m_sessions->adoptOpenedSession(info.path);
    m_welcome->refresh();
    updateActions();
    updateStatus();
    updateTitle();
    Q_EMIT sessionOpened(info.path);
}

void MainWindow::onSessionFailed(const QString& path, const QString& error)
{
    showSessionProgress(false);
    statusBar()->clearMessage();
    const QString name = QDir::toNativeSeparators(path);
    if (m_loadOpened) {
        // Part of it is shown already: keep it, and say what is missing.
        syncTable();
        m_banner->setText(tr("<b>Loading stopped:</b> %1 Showing the first %2 events.")
                              .arg(error.toHtmlEscaped(), number(m_data ? m_data->events().size() : 0)));
        m_banner->show();
        m_lastError = error;
        Q_EMIT errorReported(error);
    } else {
        reportError(tr("Cannot open the session"), tr("%1 cannot be opened: %2").arg(name, error));
    }
    if (!QFileInfo::exists(path)) {
        // A recent session that was moved or deleted: no point offering it again.
        RecentList(QStringLiteral("sessions/recent")).remove(path);
        m_welcome->refresh();
    }
    updateActions();
}

void MainWindow::cancelSessionLoad()
{
    if (!m_sessions->isLoading())
        return;
    const QString path = m_sessions->loadingPath();
    m_sessions->cancelLoad();
    showSessionProgress(false);
    statusBar()->showMessage(tr("Opening %1 was cancelled").arg(QFileInfo(path).fileName()), 6000);
    if (m_loadOpened && m_data) {
        syncTable();
        m_processModel->refresh();
        m_output->refresh();
        m_banner->setText(tr("<b>Opening was cancelled:</b> showing the first %1 events of %2.")
                              .arg(number(m_data->events().size()), QFileInfo(path).fileName().toHtmlEscaped()));
        m_banner->show();
        m_sessions->adoptOpenedSession(path);
    }
    updateActions();
}

void MainWindow::showOpenDialog()
{
    QString folder = QFileInfo(m_sessions->sessionPath()).absolutePath();
    if (m_sessions->sessionPath().isEmpty())
        folder = SessionPaths::autosaveFolder();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Session"), folder, tr("ExitLens sessions (*.exitlens);;All files (*)"));
    if (!path.isEmpty())
        openSession(path);
}

void MainWindow::showSaveDialog()
{
    if (!m_data || m_capture->isRunning())
        return;
    const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                  .filePath(currentSessionName() + QStringLiteral(".exitlens"));
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Session As"), suggested, tr("ExitLens sessions (*.exitlens);;All files (*)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".exitlens");
    saveSessionAs(path);
}

bool MainWindow::saveSessionAs(const QString& path)
{
    if (!m_data || m_capture->isRunning() || m_fileJob->isRunning()) {
        reportError(tr("Cannot save now"),
            tr("A session can be saved once the capture has ended and no other file is being written."));
        return false;
    }
    const QString source = m_sessions->sessionPath();
    bool started = false;
    if (!source.isEmpty() && !m_sessions->isWriting()) {
        started = m_fileJob->start(path, [source, path] {
            QString error;
            SessionFile::saveAs(source, path, error);
            return error;
        });
    } else {
        // No file behind this capture (automatic saving was off, or it failed): write one now.
        const std::shared_ptr<const CaptureData> capture = m_data;
        std::optional<Verdict> verdict;
        if (m_verdict->hasVerdict())
            verdict = m_verdict->verdict();
        started = m_fileJob->start(path, [capture, verdict, path] {
            const QString temporary = OutputFile::temporaryFor(path);
            QString error;
            SessionWriter writer;
            if (!writer.start(temporary, capture, error))
                return error;
            writer.finish(verdict);
            writer.waitForFinished();
            if (!writer.errorString().isEmpty()) {
                QFile::remove(temporary);
                return writer.errorString();
            }
            moveSessionIntoPlace(temporary, path, error);
            return error;
        });
    }
    updateActions();
    return started;
}

void MainWindow::showExportDialog(ExportFormat format)
{
    if (!m_data || m_capture->isRunning())
        return;
    QString suffix = QStringLiteral("html");
    QString filter = tr("HTML reports (*.html)");
    if (format == ExportFormat::Json) {
        suffix = QStringLiteral("json");
        filter = tr("JSON documents (*.json)");
    } else if (format == ExportFormat::Csv) {
        suffix = QStringLiteral("csv");
        filter = tr("CSV files (*.csv)");
    }
    const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                  .filePath(currentSessionName() + QLatin1Char('.') + suffix);
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), suggested, filter + QStringLiteral(";;") + tr("All files (*)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + suffix;
    exportTo(format, path);
}

bool MainWindow::exportTo(ExportFormat format, const QString& path)
{
    if (!m_data || m_capture->isRunning() || m_fileJob->isRunning()) {
        reportError(tr("Cannot export now"),
            tr("A capture can be exported once it has ended and no other file is being written."));
        return false;
    }
    const std::shared_ptr<const CaptureData> capture = m_data;
    const SessionInfo info = m_sessionInfo;
    bool started = false;
    switch (format) {
    case ExportFormat::Html:
    case ExportFormat::Json: {
        const auto writeDocument = format == ExportFormat::Html ? &SessionExport::writeHtml : &SessionExport::writeJson;
        started = m_fileJob->start(path, [capture, info, path, writeDocument] {
            QString error;
            writeDocument(*capture, info, path, error);
            return error;
        });
        break;
    }
    case ExportFormat::Csv: {
        // Exactly the rows the table shows (filter, Clear and all), in their order.
        auto seqs = std::make_shared<std::vector<std::uint64_t>>();
        const int rows = m_eventModel->rowCount();
        seqs->reserve(std::size_t(rows));
        for (int row = 0; row < rows; ++row)
            seqs->push_back(m_eventModel->seqAt(row));
        started = m_fileJob->start(path, [capture, seqs, path] {
            QString error;
            SessionExport::writeCsvRows(*capture, path, *seqs, error);
            return error;
        });
        break;
    }
    }
    updateActions();
    return started;
}

void MainWindow::showShareDialog()
{
    const QString source = m_sessions->sessionPath();
    if (source.isEmpty() || m_sessions->isWriting() || m_fileJob->isRunning())
        return;
    auto* dialog = new SessionShareDialog(source, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The preview reads the whole session off the GUI thread; the dialog says so meanwhile, and
    // shows a file it cannot read as an error with Write disabled.
    dialog->startPreview();
    connect(dialog, &QDialog::accepted, this, [this, dialog, source] {
        const QString suggested = QFileInfo(source).absoluteDir().filePath(
            QFileInfo(source).completeBaseName() + tr(" (for sharing)") + QStringLiteral(".exitlens"));
        QString path = QFileDialog::getSaveFileName(
            this, tr("Export for Sharing"), suggested, tr("ExitLens sessions (*.exitlens);;All files (*)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".exitlens");
        exportForSharing(path, dialog->plan());
    });
    dialog->open();
}

bool MainWindow::exportForSharing(const QString& path, const RedactionPlan& plan)
{
    const QString source = m_sessions->sessionPath();
    if (source.isEmpty() || m_sessions->isWriting() || m_fileJob->isRunning()) {
        reportError(
            tr("Cannot export now"), tr("Only a saved session can be exported for sharing, once it has ended."));
        return false;
    }
    const bool started = m_fileJob->start(path, [source, path, plan] {
        QString error;
        Redactor::write(source, path, plan, error);
        return error;
    });
    updateActions();
    return started;
}

void MainWindow::toggleBookmark()
{
    m_annotations->toggleBookmark();
}

bool MainWindow::goToBookmark(bool backward)
{
    return m_annotations->goToBookmark(backward);
}

bool MainWindow::setNote(std::optional<std::uint64_t> seq, const QString& text)
{
    return m_annotations->setNote(seq, text);
}

} // namespace exitlens
