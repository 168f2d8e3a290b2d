// exitlens-gui: the workbench window. Started by `exitlens`, `exitlens FILE` and `exitlens --demo`
// (see WindowLauncher.h).
#include "AppIdentity.h"
#include "ProcessStart.h"
#include "Version.h"
#include "logging/Logging.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"

#include <QApplication>
#include <QSettings>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
constexpr int kOwnFailure = 125; // as `exitlens` uses when the window cannot open
constexpr const char* kWithoutDisplay =
    "exitlens: without a display, use the command line: exitlens run [options] -- PROGRAM [ARGS...] "
    "(exitlens --help lists the commands)\n";

bool isSet(const char* name)
{
    // Before any thread exists: nothing races with this read of the environment.
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe)
    return value && value[0] != '\0';
}

// Whether the window has somewhere to appear: a display server, or a platform the caller chose
// (QT_QPA_PLATFORM=offscreen, -platform vnc...). Without one, Qt would abort (status 134).
bool hasDisplay(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-platform") == 0 || std::strcmp(argv[i], "--platform") == 0)
            return true;
    }
    return isSet("QT_QPA_PLATFORM") || isSet("DISPLAY") || isSet("WAYLAND_DISPLAY");
}

// Until the window exists: a display that is named but cannot be reached (a stale DISPLAY, ssh
// without X forwarding) ends in Qt's qFatal, which aborts. Say what happened and exit instead.
QtMessageHandler g_defaultHandler = nullptr;

void startupMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtFatalMsg) {
        if (g_defaultHandler)
            g_defaultHandler(type, context, message);
        else
            std::fprintf(stderr, "%s\n", qPrintable(message));
        return;
    }
    std::fprintf(stderr, "exitlens: cannot open the window: %s\n%s", qPrintable(message), kWithoutDisplay);
    std::fflush(stderr);
    std::_Exit(kOwnFailure);
}
} // namespace

int main(int argc, char** argv)
{
    exitlens::occupyClosedStdio();
    exitlens::restoreLoaderVariables(); // for the programs the window launches (ProcessStart.h)
    const char* first = argc > 1 ? argv[1] : "";
    const bool demo = std::strcmp(first, "--demo") == 0;
    if (first[0] == '-' && !demo) {
        std::fprintf(stderr, "exitlens: unknown option '%s' (see exitlens --help)\n", first);
        return 2;
    }
    if (!hasDisplay(argc, argv)) {
        std::fprintf(stderr,
            "exitlens: cannot open the window: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)\n%s",
            kWithoutDisplay);
        return kOwnFailure;
    }

    g_defaultHandler = qInstallMessageHandler(startupMessageHandler);
    QApplication app(argc, argv);
    QApplication::setApplicationName("ExitLens");
    QApplication::setOrganizationName("ExitLens");
    QApplication::setApplicationVersion(exitlens::kVersion);
    // The desktop entry's id lets the window system match the window with its launcher and icon.
    QApplication::setDesktopFileName(exitlens::desktopFileName());
    QApplication::setWindowIcon(exitlens::appIcon());
    exitlens::logging::initialize("info", false);
    exitlens::Theme::apply(exitlens::Theme::modeFromName(QSettings().value("ui/theme").toString()));
    exitlens::MainWindow window;
    window.show();
    // After show(): the dialogs are modal to a visible window.
    const QString file = demo || argc < 2 ? QString() : QString::fromLocal8Bit(argv[1]);
    QTimer::singleShot(0, &window, [&window, demo, file] {
        if (demo)
            window.openDemoLaunchDialog();
        else if (!file.isEmpty())
            window.openFile(file);
    });
    return QApplication::exec();
}
