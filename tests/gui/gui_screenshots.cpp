// Renders the workbench window's main states into PNG files with QWidget::grab(), at the sizes
// docs/gui-checklist.md is verified against. Runs real programs (the demo and test fixtures), so
// the screenshots show real captures. Usage (docs/gui.md):
//   QT_QPA_PLATFORM=offscreen build/<preset>/tests/gui_screenshots docs/screenshots
#include "TestPaths.h"
#include "model/CaptureData.h"
#include "ui/EnvironmentEditor.h"
#include "ui/EventTableModel.h"
#include "ui/EventTableView.h"
#include "ui/FilterBar.h"
#include "ui/FilterController.h"
#include "ui/LaunchDialog.h"
#include "ui/MainWindow.h"
#include "ui/ProcessTreeModel.h"
#include "ui/ProcessTreeView.h"
#include "ui/SessionController.h"
#include "ui/Theme.h"
#include "ui/VerdictPanel.h"

#include <QDockWidget>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <cstdio>
#include <functional>

using namespace exitlens;

namespace {

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void settle(int ms = 300)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(const QPixmap& pixmap, const QString& folder, const QString& name)
{
    const QString path = QDir(folder).filePath(name + QStringLiteral(".png"));
    if (!pixmap.save(path)) {
        std::fprintf(stderr, "gui_screenshots: cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

std::unique_ptr<MainWindow> newWindow(QSize size)
{
    QSettings().clear(); // every shot starts from the default layout
    auto window = std::make_unique<MainWindow>();
    window->setConfirmations(false);
    window->resize(size);
    window->show();
    settle(200);
    return window;
}

LaunchSpec workerPool(const QString& folder, const char* seconds)
{
    LaunchSpec spec;
    spec.program = EXITLENS_FIXTURE_DIR "/worker_pool";
    spec.args = { seconds };
    spec.workingDirectory = folder.toStdString();
    return spec;
}

// Selects the verdict's first evidence item that points at a failed call, as a user would.
void clickFailedEvidence(MainWindow& window)
{
    QListWidget* evidence = window.verdictPanel()->evidenceList();
    const auto data = window.capture();
    for (int i = 0; i < evidence->count(); ++i) {
        const QVariant seq = evidence->item(i)->data(Qt::UserRole + 1);
        if (seq.isValid() && seq.toULongLong() < data->events().size()
            && data->events().at(seq.toULongLong()).kind == EventKind::Syscall) {
            window.goToEvent(seq.toULongLong());
            evidence->setCurrentRow(i);
            return;
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("ExitLensScreenshots"));
    QCoreApplication::setApplicationName(QStringLiteral("ExitLens"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: gui_screenshots OUTPUT_FOLDER\n");
        return 2;
    }
    const QString folder = QString::fromLocal8Bit(argv[1]);
    if (!QDir().mkpath(folder)) {
        std::fprintf(stderr, "gui_screenshots: cannot create %s\n", argv[1]);
        return 1;
    }
    Theme::apply(ThemeMode::Light);
    bool ok = true;
    const QList<QSize> sizes { QSize(1280, 800), QSize(1920, 1080) };
    for (const QSize& size : sizes) {
        const QString suffix = QStringLiteral("-%1x%2").arg(size.width()).arg(size.height());

        // 1. Welcome.
        {
            auto window = newWindow(size);
            ok &= save(window->grab(), folder, QStringLiteral("welcome") + suffix);
        }
        // 2. The launch dialog, prefilled with the demo (exitlens --demo), over the window.
        {
            auto window = newWindow(size);
            window->openDemoLaunchDialog();
            settle(300);
            LaunchDialog* dialog = window->findChild<LaunchDialog*>();
            if (!dialog) {
                std::fprintf(stderr, "gui_screenshots: no launch dialog\n");
                return 1;
            }
            QPixmap shot = window->grab();
            const QPixmap dialogShot = dialog->grab();
            QPainter painter(&shot);
            painter.fillRect(shot.rect(), QColor(0, 0, 0, 90));
            const QPoint at((shot.width() / shot.devicePixelRatio() - dialogShot.width()) / 2,
                (shot.height() / shot.devicePixelRatio() - dialogShot.height()) / 2);
            painter.setPen(QColor(0, 0, 0, 120));
            painter.drawRect(QRect(at, dialogShot.size()).adjusted(-1, -1, 0, 0));
            painter.drawPixmap(at, dialogShot);
            painter.end();
            ok &= save(shot, folder, QStringLiteral("launch-dialog") + suffix);
            // The other tabs, once (they are the same at both sizes).
            if (size == sizes.front()) {
                auto* tabs = dialog->findChild<QTabWidget*>();
                auto* environment = dialog->findChild<EnvironmentEditor*>();
                if (tabs && environment) {
                    environment->addChange({ QStringLiteral("APP_ENV"), QStringLiteral("staging"), false });
                    environment->addChange({ QStringLiteral("HTTP_PROXY"), QString(), true });
                    tabs->setCurrentIndex(1);
                    settle(100);
                    ok &= save(dialog->grab(), folder, QStringLiteral("launch-dialog-environment"));
                    tabs->setCurrentIndex(2);
                    settle(100);
                    ok &= save(dialog->grab(), folder, QStringLiteral("launch-dialog-capture"));
                }
            }
            dialog->reject();
        }
        // 3. Running: a service whose workers poll, write, print, and one of which will panic.
        QTemporaryDir work;
        {
            auto window = newWindow(size);
            window->launch(workerPool(work.path(), "6"));
            waitUntil([&] { return window->capture() && window->eventModel()->rowCount() > 200; }, 20000);
            settle(2200);
            ok &= save(window->grab(), folder, QStringLiteral("running") + suffix);
            // 4. The same program finished: a failed child, a Go panic.
            waitUntil([&] { return !window->isCapturing(); }, 30000);
            settle(300);
            window->processView()->expandAll();
            ok &= save(window->grab(), folder, QStringLiteral("finished-workers") + suffix);
        }
        // 5. The demo finished, with the evidence clicked: the README's first impression.
        {
            auto window = newWindow(size);
            window->launchDemo();
            waitUntil([&] { return window->capture() && !window->isCapturing(); }, 30000);
            settle(300);
            clickFailedEvidence(*window);
            settle(200);
            ok &= save(window->grab(), folder, QStringLiteral("finished-demo") + suffix);
            // The same event in the Event details tab: its fields and the Go stack of the open.
            if (auto* details = window->findChild<QDockWidget*>(QStringLiteral("detailsDock"))) {
                details->raise();
                settle(200);
                ok &= save(window->grab(), folder, QStringLiteral("event-details") + suffix);
            }
        }
    }
    // A filter applied in the bar: the worker pool's failed file calls and process exits, output
    // toggled off; and an invalid expression with its message.
    {
        QTemporaryDir work;
        auto window = newWindow(QSize(1280, 800));
        window->launch(workerPool(work.path(), "2"));
        waitUntil([&] { return window->capture() && !window->isCapturing(); }, 30000);
        settle(300);
        FilterBar* bar = window->filterBar();
        bar->setExpression(QStringLiteral("class == file and failed or kind == process_exit"));
        bar->classAction(FilterBar::ClassToggle::Output)->setChecked(false);
        waitUntil([&] { return !window->filterController()->busy(); }, 10000);
        settle(200);
        ok &= save(window->grab(), folder, QStringLiteral("filtered-1280x800"));
        bar->setExpression(QStringLiteral("pathh contains conf"), false);
        settle(200);
        ok &= save(window->grab(QRect(0, 0, 1280, 200)), folder, QStringLiteral("filter-invalid"));
    }
    // An opened session: the worker pool's capture, saved automatically, opened from its file in a
    // new window (the title is the file's name), with a bookmark and notes (docs/gui.md, Sessions).
    {
        QTemporaryDir work;
        QString path;
        {
            auto first = newWindow(QSize(1280, 800));
            first->launch(workerPool(work.path(), "2"));
            waitUntil([&] { return first->capture() && !first->isCapturing(); }, 30000);
            first->sessions()->waitForAutosave(30000);
            path = first->sessionPath();
        }
        auto window = newWindow(QSize(1280, 800));
        window->openSession(path);
        waitUntil([&] { return !window->isLoadingSession() && window->capture(); }, 30000);
        settle(300);
        // Bookmark the verdict's first piece of evidence (the failed worker's exit) and note it.
        for (const auto& evidence : window->verdictPanel()->verdict().evidence) {
            if (evidence.event) {
                window->goToEvent(*evidence.event);
                break;
            }
        }
        const int row = window->eventView()->currentRow();
        if (row >= 0) {
            window->toggleBookmark();
            window->setNote(window->eventModel()->seqAt(row),
                QStringLiteral("The queue folder is created by the deploy script; it was missing here."));
        }
        window->setNote(std::nullopt, QStringLiteral("Seen on staging after the 1.4.2 deploy (ticket 42)."));
        if (row >= 0)
            window->eventView()->selectRow(row + 1); // the bookmark's marker on an unselected row
        window->processView()->expandAll();
        settle(300);
        ok &= save(window->grab(), folder, QStringLiteral("session-opened-1280x800"));
    }
    // The dark palette, once.
    {
        Theme::apply(ThemeMode::Dark);
        auto window = newWindow(QSize(1280, 800));
        window->launchDemo();
        waitUntil([&] { return window->capture() && !window->isCapturing(); }, 30000);
        settle(300);
        clickFailedEvidence(*window);
        settle(200);
        ok &= save(window->grab(), folder, QStringLiteral("finished-demo-dark-1280x800"));
    }
    QSettings().clear();
    return ok ? 0 : 1;
}
