#include "ExportCommand.h"

#include "CommandLine.h"
#include "session/Redactor.h"
#include "session/SessionExport.h"
#include "session/SessionFile.h"
#include "session/SessionLoader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>

namespace exitlens {

namespace {
constexpr int kFailed = 1;

void printPlan(const RedactionPlan& plan)
{
    if (plan.items.empty())
        std::fprintf(stderr, "Nothing matched the redaction rules.\n");
    else
        std::fprintf(stderr, "Redacted:\n");
    for (const auto& item : plan.items)
        std::fprintf(stderr, "  %s  (%llu occurrence%s)\n", qPrintable(item.sources.join("; ")),
            static_cast<unsigned long long>(item.occurrences), item.occurrences == 1 ? "" : "s");
    for (const auto& note : plan.notes)
        std::fprintf(stderr, "  note: %s\n", qPrintable(note));
}
} // namespace

int exportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Write a saved ExitLens session in another form, optionally redacted for sharing.");
    parser.addHelpOption();
    const QCommandLineOption session(
        "session", "Write a copy of the session (with --redact: the redacted copy).", "OUT");
    const QCommandLineOption html("html", "Write the self-contained HTML report.", "OUT");
    const QCommandLineOption json("json", "Write the result document (as `exitlens run --json`).", "OUT");
    const QCommandLineOption csv("csv", "Write the events as CSV.", "OUT");
    const QCommandLineOption redact("redact",
        "Redact secrets first: secret-looking environment values, --password=... arguments, passwords in URLs, "
        "and every other occurrence of those values.");
    const QCommandLineOption redactUser("redact-user", "With --redact: also replace the user's name and home folder.");
    const QCommandLineOption preview("preview", "With --redact: list what would be redacted and write nothing.");
    const QCommandLineOption filter("filter", "Export only the events matching EXPR (CSV).", "EXPR");
    parser.addOptions({ session, html, json, csv, redact, redactUser, preview, filter });
    parser.addPositionalArgument("file", "The session file (.exitlens).");
    if (const int status = cli::parse(parser, arguments, "export"); status >= 0)
        return status;
    if (parser.positionalArguments().size() != 1) {
        cli::printError(
            "give exactly one session file. Usage: exitlens export FILE (--session OUT | --html OUT | --json "
            "OUT | --csv OUT) [--redact]");
        return 2;
    }
    if (parser.isSet(filter)) {
        cli::printError("--filter needs the filter language, which is not part of this build yet");
        return 2;
    }
    const bool redacting = parser.isSet(redact) || parser.isSet(redactUser) || parser.isSet(preview);
    if (!parser.isSet(preview) && !parser.isSet(session) && !parser.isSet(html) && !parser.isSet(json)
        && !parser.isSet(csv)) {
        cli::printError("nothing to write: give --session, --html, --json or --csv");
        return 2;
    }
    QString source = parser.positionalArguments().front();
    QString error;

    QTemporaryDir temporary; // the redacted copy other formats are made from
    if (redacting) {
        RedactionOptions options;
        options.userAndHome = parser.isSet(redactUser);
        RedactionPlan plan;
        if (!Redactor::preview(source, options, plan, error)) {
            cli::printError(error);
            return kFailed;
        }
        printPlan(plan);
        if (parser.isSet(preview))
            return 0;
        const QString redacted =
            parser.isSet(session) ? parser.value(session) : temporary.filePath("redacted.exitlens");
        if (!temporary.isValid() && !parser.isSet(session)) {
            cli::printError("cannot create a temporary folder for the redacted copy");
            return kFailed;
        }
        if (!Redactor::write(source, redacted, plan, error)) {
            cli::printError(error);
            return kFailed;
        }
        source = redacted;
    } else if (parser.isSet(session)) {
        if (!SessionFile::saveAs(source, parser.value(session), error)) {
            cli::printError(error);
            return kFailed;
        }
    }

    if (parser.isSet(html) || parser.isSet(json) || parser.isSet(csv)) {
        SessionLoader loader(source);
        SessionInfo info;
        const auto data = loader.load(info, error);
        if (!data) {
            cli::printError(error);
            return kFailed;
        }
        for (const auto& warning : info.warnings)
            cli::printError("warning: " + warning);
        if (parser.isSet(html) && !SessionExport::writeHtml(*data, info, parser.value(html), error)) {
            cli::printError(error);
            return kFailed;
        }
        if (parser.isSet(json) && !SessionExport::writeJson(*data, info, parser.value(json), error)) {
            cli::printError(error);
            return kFailed;
        }
        if (parser.isSet(csv) && !SessionExport::writeCsv(*data, parser.value(csv), {}, error)) {
            cli::printError(error);
            return kFailed;
        }
    }
    return 0;
}

} // namespace exitlens
