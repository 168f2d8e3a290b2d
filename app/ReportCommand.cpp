#include "ReportCommand.h"

#include "CommandLine.h"
#include "NtStatus.h"
#include "import/PmlSession.h"
#include "report/VerdictText.h"
#include "session/SessionExport.h"
#include "session/SessionLoader.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <algorithm>
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
// The processes of an imported Process Monitor log that ended badly, most relevant first: a crash
// or other NTSTATUS failure, then any other non-zero exit; in order of their exit within each.
std::vector<ProcessRecord> failedWindowsProcesses(const CaptureData& data)
{
    std::vector<ProcessRecord> failed;
    for (const ProcessRecord& p : data.processes().snapshot()) {
        if (p.status.windows && p.status.kind == ExitStatus::Kind::Exited && p.status.code != 0)
            failed.push_back(p);
    }
    std::stable_sort(failed.begin(), failed.end(), [](const ProcessRecord& a, const ProcessRecord& b) {
        const bool crashA = isNtStatusFailure(a.status.windowsCode());
        const bool crashB = isNtStatusFailure(b.status.windowsCode());
        if (crashA != crashB)
            return crashA;
        return a.endSeq < b.endSeq;
    });
    return failed;
}

std::string processName(const ProcessRecord& p)
{
    const auto slash = p.exe.find_last_of("\\/");
    return slash == std::string::npos ? p.exe : p.exe.substr(slash + 1);
}

void printWindowsProcess(const CaptureData& data, const ProcessRecord& p)
{
    std::uint64_t events = 0;
    for (std::uint64_t seq = 0; seq < data.events().size(); ++seq)
        events += data.events().at(seq).pid == p.pid && seq >= p.startSeq ? 1 : 0;
    std::printf("process:   %s (PID %d, parent %d)\n", processName(p).c_str(), p.pid, p.ppid);
    std::printf("image:     %s\n", p.exe.c_str());
    std::printf("command:   %s\n", p.windows.commandLine.c_str());
    std::printf("user:      %s, %s integrity, session %u, %s\n", p.windows.user.c_str(), p.windows.integrity.c_str(),
        p.windows.sessionId, p.windows.architecture.c_str());
    if (!p.windows.description.empty() || !p.windows.company.empty())
        std::printf("file:      %s (%s, %s)\n", p.windows.description.c_str(), p.windows.company.c_str(),
            p.windows.version.c_str());
    std::string exit = p.status.describe();
    if (p.status.windows) {
        if (const NtStatusInfo* info = findNtStatus(p.status.windowsCode()); info && isNtStatusFailure(info->code))
            exit += ": " + std::string(info->description);
    }
    std::printf("exit:      %s\n", exit.c_str());
    std::printf("events:    %llu\n", static_cast<unsigned long long>(events));
    if (p.status.ended()) {
        const Verdict verdict = describeProcessExit(data, SessionExport::summaryOf(data), p.pid);
        if (!verdict.headline.empty())
            std::printf("\n%s", VerdictText::plain(verdict).c_str());
    }
}

int reportPml(const QString& path, const QString& process)
{
    SessionInfo info;
    QString error;
    const auto data = loadPmlSession(path, info, error);
    if (!data) {
        cli::printError(error);
        return kUnreadable;
    }
    std::printf("── Process Monitor log ───────────────────────────────\n");
    std::printf("captured:  %s on %s (%s, %s)\n", qPrintable(info.created), qPrintable(info.hostname),
        qPrintable(info.hostOs), qPrintable(info.arch));
    std::printf("recorded:  %llu events, %zu processes\n", static_cast<unsigned long long>(data->events().size()),
        data->processes().size());
    for (const auto& warning : info.warnings)
        std::printf("warning:   %s\n", qPrintable(warning));
    const auto failed = failedWindowsProcesses(*data);
    if (!process.isEmpty()) {
        bool isPid = false;
        const int pid = process.toInt(&isPid);
        std::vector<ProcessRecord> matches;
        for (const ProcessRecord& p : data->processes().snapshot()) {
            if (isPid ? p.pid == pid
                      : QString::fromStdString(processName(p)).compare(process, Qt::CaseInsensitive) == 0)
                matches.push_back(p);
        }
        if (matches.empty()) {
            cli::printError(QStringLiteral("no process %1 in %2").arg(process, path));
            return 2;
        }
        for (const ProcessRecord& p : matches) {
            std::printf("\n");
            printWindowsProcess(*data, p);
        }
        return 0;
    }
    if (failed.empty()) {
        std::printf("\nNo process in the log ended with a failure status.\n");
        return 0;
    }
    std::printf("\n%zu processes ended with a failure status, most relevant first:\n", failed.size());
    for (const ProcessRecord& p : failed)
        std::printf("  %-24s PID %-6d %s\n", processName(p).c_str(), p.pid, p.status.describe().c_str());
    std::printf("\n");
    printWindowsProcess(*data, failed.front());
    return 0;
}
} // namespace

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Print the verdict and summary of a saved ExitLens session.");
    parser.addHelpOption();
    const QCommandLineOption json("json", "Print the result document (as `exitlens run --json` writes it) instead.");
    parser.addOption(json);
    const QCommandLineOption process("process",
        "For a Process Monitor log (.pml): report on the process with this name or PID (default: the processes "
        "that failed, most relevant first).",
        "NAME|PID");
    parser.addOption(process);
    parser.addPositionalArgument("file", "The session file (.exitlens) or Process Monitor log (.pml).");
    if (const int status = cli::parse(parser, arguments, "report"); status >= 0)
        return status;
    if (parser.positionalArguments().size() != 1) {
        cli::printError("give exactly one session file. Usage: exitlens report FILE [--json]");
        return 2;
    }
    const QString path = parser.positionalArguments().front();
    if (isPmlFile(path) && !parser.isSet(json))
        return reportPml(path, parser.value(process));
    if (parser.isSet(process) && !isPmlFile(path)) {
        cli::printError("--process applies to a Process Monitor log (.pml)");
        return 2;
    }
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
