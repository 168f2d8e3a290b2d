#include "CommandLine.h"

#include <cstdio>

namespace exitlens::cli {

void printError(const QString& message)
{
    std::fprintf(stderr, "exitlens: %s\n", qPrintable(message));
}

int parse(QCommandLineParser& parser, const QStringList& arguments, const QString& name)
{
    QStringList argv = arguments;
    argv.prepend("exitlens " + name);
    if (!parser.parse(argv)) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet("help")) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    return -1;
}

} // namespace exitlens::cli
