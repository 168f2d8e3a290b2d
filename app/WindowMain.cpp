// exitlens-gui: the workbench window. Started by `exitlens`, `exitlens FILE` and `exitlens --demo`
// (see WindowLauncher.h), or directly by the desktop entry.
#include "AppIdentity.h"
#include "Version.h"
#include "logging/Logging.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"

#include <QApplication>
#include <QSettings>
#include <QTimer>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    const char* first = argc > 1 ? argv[1] : "";
    const bool demo = std::strcmp(first, "--demo") == 0;
    if (first[0] == '-' && !demo) {
        std::fprintf(stderr, "exitlens: unknown option '%s' (see exitlens --help)\n", first);
        return 2;
    }

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
