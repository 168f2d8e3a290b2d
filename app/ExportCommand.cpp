#include "ExportCommand.h"

#include "CommandLine.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"
#include "import/PmlSession.h"
#include "report/ResultDocument.h"
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
    const QCommandLineOption filter("filter",
        "Keep only the events matching the filter expression EXPR (docs/filters.md): the CSV's rows, and the "
        "JSON document's \"filter\" member.",
        "EXPR");
    parser.addOptions({ session, html, json, csv, redact, redactUser, preview, filter });
    parser.addPositionalArgument("file", "The session file (.exitlens).");
    if (const int status = cli::parse(parser, arguments, "export"); status >= 0)
        return status;
    if (parser.positionalArguments().size() != 1) {
        cli::printError(
            "give exactly one session file. Usage: exitlens export FILE (--session OUT | --html OUT | --json "
            "OUT | --csv OUT) [--redact] [--filter EXPR]");
        return 2;
    }
    // The expression is checked before anything is written: a typo leaves no output file behind.
    std::unique_ptr<FilterNode> filterRoot;
    const QString filterText = parser.value(filter);
    if (parser.isSet(filter)) {
        if (parser.isSet(session) || parser.isSet(html)) {
            cli::printError("--filter applies to --csv and --json: a session copy and the HTML report keep every "
                            "event (the verdict's evidence refers to them)");
            return 2;
        }
        const std::string text = filterText.toStdString();
        FilterParseResult parsed = FilterParser::parse(text);
        if (parsed.state == FilterParseResult::State::Invalid || parsed.state == FilterParseResult::State::Incomplete) {
            cli::printError("invalid --filter: " + QString::fromStdString(FilterParser::describeError(text, parsed)));
            return 2;
        }
        filterRoot = std::move(parsed.root); // empty: every event
    }
    const bool redacting = parser.isSet(redact) || parser.isSet(redactUser) || parser.isSet(preview);
    if (!parser.isSet(preview) && !parser.isSet(session) && !parser.isSet(html) && !parser.isSet(json)
        && !parser.isSet(csv)) {
        cli::printError("nothing to write: give --session, --html, --json or --csv");
        return 2;
    }
    QString source = parser.positionalArguments().front();
    QString error;
    // A Process Monitor log is read straight into the model; the session-file operations (a copy,
    // redaction) need an .exitlens session, which the window's Save As makes from it.
    const bool pml = isPmlFile(source);
    if (pml && (redacting || parser.isSet(session))) {
        cli::printError("--session and --redact need an ExitLens session: open the .pml in the window and Save As "
                        "first");
        return 2;
    }

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
        const auto data = pml ? loadPmlSession(source, info, error) : loader.load(info, error);
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
        std::vector<std::uint64_t> rows;
        if (parser.isSet(filter)) {
            CompiledFilter compiled(std::move(filterRoot), data);
            const std::uint64_t count = data->events().size();
            compiled.scanParallel(0, count, rows, CompiledFilter::threadsFor(count));
        }
        if (parser.isSet(json)) {
            QJsonObject document = SessionExport::document(*data, info);
            if (parser.isSet(filter))
                document["filter"] = SessionExport::filteredEvents(*data, rows, filterText);
            if (!ResultDocument::write(document, parser.value(json), error)) {
                cli::printError(error);
                return kFailed;
            }
        }
        const bool csvWritten = !parser.isSet(csv)
            || (parser.isSet(filter) ? SessionExport::writeCsvRows(*data, parser.value(csv), rows, error)
                                     : SessionExport::writeCsv(*data, parser.value(csv), {}, error));
        if (!csvWritten) {
            cli::printError(error);
            return kFailed;
        }
        if (parser.isSet(filter))
            std::fprintf(stderr, "%llu of %llu events match the filter.\n",
                static_cast<unsigned long long>(rows.size()), static_cast<unsigned long long>(data->events().size()));
    }
    return 0;
}

} // namespace exitlens
