#include "ReportCommand.h"

#include "CommandLine.h"
#include "report/VerdictText.h"
#include "session/SessionExport.h"
#include "session/SessionLoader.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <cstdio>

namespace exitlens {

namespace {
constexpr int kUnreadable = 1;

void printReport(const CaptureData& data, const SessionInfo& info)
{
    const Verdict verdict = SessionExport::verdictOf(data);
    const TraceSummary summary = SessionExport::summaryOf(data);
    std::printf("── ExitLens session ──────────────────────────────────\n%s", VerdictText::plain(verdict).c_str());
    std::string args;
    for (const auto& arg : data.spec().args)
        args += " " + arg;
    std::printf("\nprogram:   %s%s\n", data.spec().program.c_str(), args.c_str());
    std::printf("exit:      %s\n", summary.rootStatus.describe().c_str());
    std::printf("captured:  %s on %s (%s, kernel %s), ExitLens %s\n", qPrintable(info.created),
        qPrintable(info.hostname), qPrintable(info.hostOs), qPrintable(info.kernel), qPrintable(info.exitlensVersion));
    std::printf("recorded:  %llu events, %zu processes, %llu bytes of output%s\n",
        static_cast<unsigned long long>(data.events().size()), data.processes().size(),
        static_cast<unsigned long long>(data.outputLog().totalBytes()),
        summary.dropped ? (", " + std::to_string(summary.dropped) + " dropped").c_str() : "");
    // The capture filter: what was never recorded, so a reader does not look for it.
    if (data.spec().fullTrace || !(data.spec().classes == CaptureClasses::all()))
        std::printf("capture:   %s mode, classes %s%s\n", data.spec().fullTrace ? "full" : "focused",
            data.spec().classes.toString().c_str(),
            data.spec().classes == CaptureClasses::all() ? "" : " (events of other classes were never recorded)");
    if (!data.spec().captureFilter.empty())
        std::printf("capture filter: %s (%llu events did not match and were never recorded)\n",
            data.spec().captureFilter.c_str(), static_cast<unsigned long long>(summary.filteredOut));
    if (info.redacted)
        std::printf("redacted:  yes (a copy made for sharing)\n");
    // A damaged file was read as far as it goes: say first what it lost.
    if (info.damaged)
        std::printf("damaged:   %s\n", qPrintable(info.damage));
    for (const auto& warning : info.warnings) {
        if (!info.damaged || !info.damage.contains(warning))
            std::printf("warning:   %s\n", qPrintable(warning));
    }
}
} // namespace

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Print the verdict and summary of a saved ExitLens session.");
    parser.addHelpOption();
    const QCommandLineOption json("json", "Print the result document (as `exitlens run --json` writes it) instead.");
    parser.addOption(json);
    parser.addPositionalArgument("file", "The session file (.exitlens).");
    if (const int status = cli::parse(parser, arguments, "report"); status >= 0)
        return status;
    if (parser.positionalArguments().size() != 1) {
        cli::printError("give exactly one session file. Usage: exitlens report FILE [--json]");
        return 2;
    }
    const QString path = parser.positionalArguments().front();
    SessionLoader loader(path);
    SessionInfo info;
    QString error;
    const auto data = loader.load(info, error);
    if (!data) {
        cli::printError(error);
        return kUnreadable;
    }
    if (parser.isSet(json)) {
        const QJsonObject document = SessionExport::document(*data, info);
        std::fputs(QJsonDocument(document).toJson(QJsonDocument::Indented).constData(), stdout);
        if (info.damaged)
            cli::printError("damaged: " + info.damage);
        for (const auto& warning : info.warnings) {
            if (!info.damaged || !info.damage.contains(warning))
                cli::printError("warning: " + warning);
        }
        return 0;
    }
    printReport(*data, info);
    return 0;
}

} // namespace exitlens
