// ExitLens entry point: headless subcommands on QCoreApplication; the window (no command, a file,
// --demo) is exitlens-gui, started from here (WindowLauncher.h).
#include "ExportCommand.h"
#include "InspectCommand.h"
#include "ReportCommand.h"
#include "RunCommand.h"
#include "TracebackCommand.h"
#include "Version.h"
#include "WindowLauncher.h"
#include "logging/Logging.h"

#include <QCoreApplication>
#include <cstdio>
#include <cstring>
#include <iterator>

namespace {

// Headless subcommands: each gets the arguments after its name and returns the exit status.
struct Subcommand {
    const char* name;
    int (*run)(const QStringList& arguments);
    const char* usage;
};

const Subcommand kSubcommands[] = {
    { "run", exitlens::runCommand, "run [options] [--] PROGRAM [ARGS...]   trace PROGRAM and report how it ended" },
    { "report", exitlens::reportCommand, "report FILE [--json]                  print the verdict of a saved session" },
    { "export", exitlens::exportCommand,
        "export FILE (--session|--html|--json|--csv OUT)... [--redact]   convert or share a session" },
    { "traceback", exitlens::tracebackCommand,
        "traceback [FILE|-] [--json]           parse a Go traceback: reason, your frame, goroutine buckets" },
    { "inspect", exitlens::inspectCommand,
        "inspect PROGRAM [--json]              ELF facts and Go build info of PROGRAM" },
};

void printUsage()
{
    std::fputs("Usage:\n  exitlens [FILE]                              open the workbench window\n"
               "  exitlens --demo                              open the window with the bundled demo ready to launch\n",
        stdout);
    for (const auto& command : kSubcommands)
        std::printf("  exitlens %s\n", command.usage);
    std::fputs("  exitlens --version | --help\n"
               "Run 'exitlens COMMAND --help' for the options of a command.\n",
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
    for (const auto& subcommand : kSubcommands) {
        if (std::strcmp(command, subcommand.name) != 0)
            continue;
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName("exitlens");
        QCoreApplication::setApplicationVersion(exitlens::kVersion);
        exitlens::logging::initialize("info", false);
        return subcommand.run(argumentsAfter(argc, argv, 2));
    }
    const bool demo = std::strcmp(command, "--demo") == 0;
    if (command[0] == '-' && !demo) {
        std::fprintf(stderr, "exitlens: unknown option '%s'\n", command);
        printUsage();
        return 2;
    }
    return exitlens::execWindow(argc, argv);
}
