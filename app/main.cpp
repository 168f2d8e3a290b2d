// exitlens-cli, the command line: headless subcommands on QCoreApplication; the window (no
// command, a file, --demo) is exitlens-gui, started from here (WindowLauncher.h). Users start it
// through the front program `exitlens` (LoaderFront.c), which sets the loader's variables aside.
#include "ExportCommand.h"
#include "InspectCommand.h"
#include "ProcessStart.h"
#include "ReportCommand.h"
#include "RunCommand.h"
#include "TracebackCommand.h"
#include "Version.h"
#include "WindowLauncher.h"
#include "logging/Logging.h"

#include <QCoreApplication>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

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

// Edit distance counting a swap of neighbours as one edit ("rnu" is one edit from "run"), case-blind.
std::size_t editDistance(std::string_view a, std::string_view b)
{
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// The subcommands WORD may be a slip of: one or two edits away, or the start of one ("rep").
std::vector<std::string> likelyMeant(std::string_view word)
{
    std::vector<std::string> names;
    for (const auto& command : kSubcommands) {
        const std::string_view name = command.name;
        const std::size_t allowed = word.size() <= 3 ? 1 : 2;
        const bool prefix =
            word.size() >= 2 && name.size() > word.size() && editDistance(word, name.substr(0, word.size())) == 0;
        if (prefix || editDistance(word, name) <= allowed)
            names.emplace_back(name);
    }
    return names;
}

// `exitlens WORD`: a session to open in the window, or a mistyped subcommand. A path that exists,
// has a slash or a session's extension is a file; any other bare word cannot be opened anyway,
// and starting the window for it (which needs a display) would only hide the typo.
bool namesAFile(const char* argument)
{
    struct stat info { };
    const std::string_view text = argument;
    return stat(argument, &info) == 0 || text.find('/') != std::string_view::npos || text.ends_with(".exitlens");
}

int unknownCommand(const char* word)
{
    std::fprintf(stderr, "exitlens: '%s' is not a command, nor a file to open", word);
    const std::vector<std::string> names = likelyMeant(word);
    for (std::size_t i = 0; i < names.size(); ++i)
        std::fprintf(stderr, "%s%s", i == 0 ? "; did you mean " : " or ", names[i].c_str());
    std::fputs(names.empty() ? "\n" : "?\n", stderr);
    std::fputs("exitlens: the commands are", stderr);
    for (const auto& command : kSubcommands)
        std::fprintf(stderr, " %s", command.name);
    std::fputs(" (exitlens --help tells more)\n", stderr);
    return 2;
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
    exitlens::occupyClosedStdio();
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
        // The window keeps them aside: exitlens-gui is loaded with the system's libraries too.
        exitlens::restoreLoaderVariables();
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
    if (!demo && command[0] != '\0' && !namesAFile(command))
        return unknownCommand(command);
    return exitlens::execWindow(argc, argv);
}
