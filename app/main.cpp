// ExitLens entry point: the GUI by default, headless subcommands on QCoreApplication.
#include "RunCommand.h"
#include "Version.h"
#include "logging/Logging.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <cstdio>
#include <cstring>

namespace {

void printUsage()
{
    std::fputs("Usage:\n"
               "  exitlens [FILE]                      open the workbench window\n"
               "  exitlens run [options] [--] PROGRAM [ARGS...]\n"
               "                                       trace PROGRAM and report how it ended\n"
               "  exitlens --version | --help\n"
               "Run 'exitlens run --help' for the options of run.\n",
        stdout);
}

QStringList argumentsAfter(int argc, char** argv, int first)
{
    QStringList arguments;
    for (int i = first; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

} // namespace

int main(int argc, char** argv)
{
    const char* command = argc > 1 ? argv[1] : "";
    if (std::strcmp(command, "--version") == 0) {
        std::printf("exitlens %s\n", exitlens::kVersion);
        return 0;
    }
    if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "-h") == 0) {
        printUsage();
        return 0;
    }
    if (std::strcmp(command, "run") == 0) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName("exitlens");
        QCoreApplication::setApplicationVersion(exitlens::kVersion);
        exitlens::logging::initialize("info", false);
        return exitlens::runCommand(argumentsAfter(argc, argv, 2));
    }
    if (command[0] == '-') {
        std::fprintf(stderr, "exitlens: unknown option '%s'\n", command);
        printUsage();
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName("ExitLens");
    QApplication::setOrganizationName("ExitLens");
    QApplication::setApplicationVersion(exitlens::kVersion);
    exitlens::logging::initialize("info", false);
    exitlens::MainWindow window;
    window.show();
    return QApplication::exec();
}
