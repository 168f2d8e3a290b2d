// stopped_by_exitlens and privileges_lost_to_tracing: endings ExitLens itself caused, which must
// be said as such rather than blamed on the program (docs/verdicts.md).
#include "ExitDetail.h"
#include "Names.h"
#include "Rules.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

namespace exitlens::rules {

bool killedByExitLensStop(const CaptureData& data, const TraceSummary& summary, const ProcessRecord& process)
{
    if ((!summary.stoppedByUser && summary.error.empty()) || process.status.kind != ExitStatus::Kind::Signaled
        || process.status.signal != SIGKILL || process.endSeq >= data.events().size())
        return false;
    // The tracer names itself as the sender only when no traced kill() sent the SIGKILL first.
    const Event& exit = data.events().at(process.endSeq);
    return exit.kind == EventKind::ProcessExit && exit.pid == process.pid
        && data.text(exit.detail).find(exit_detail::kSentByExitLens) != std::string_view::npos;
}

std::optional<Verdict> stoppedByExitLens(const DiagnosisContext& context)
{
    // ExitLens's own stop is no unknown killer: say that it was ExitLens, and what the program was
    // doing, never OOM advice for the SIGKILL the stop is made of.
    const ProcessRecord& subject = context.subject();
    if (!killedByExitLensStop(context.data(), context.summary(), subject))
        return std::nullopt;
    const auto seconds = [](std::uint64_t ns) {
        char text[32];
        std::snprintf(text, sizeof(text), "%.1f s", static_cast<double>(ns) / 1e9);
        return std::string(text);
    };
    const std::uint64_t ran = subject.endNs > subject.startNs ? subject.endNs - subject.startNs : 0;
    Verdict verdict = makeVerdict("stopped_by_exitlens", "", 1.0);
    verdict.fact("seconds", static_cast<std::int64_t>(ran / 1'000'000'000));
    std::string state = "still running";
    // The first Ctrl+C (or a forwarded SIGTERM) it outlived: it did not shut down when asked.
    if (auto asked = context.lastEvent([](const Event& e) {
            return e.kind == EventKind::Signal && (e.result == SIGINT || e.result == SIGTERM || e.result == SIGHUP);
        })) {
        const Event& e = context.event(*asked);
        const std::string name = signalName(static_cast<int>(e.result));
        state += ", " + seconds(subject.endNs > e.timeNs ? subject.endNs - e.timeNs : 0) + " after " + name
            + " had asked it to stop";
        verdict.fact("ignored_signal", name);
        addEvidence(verdict, context, *asked);
    }
    verdict.headline =
        context.programName() + " was stopped from ExitLens after " + seconds(ran) + "; it was " + state + ".";
    verdict.explanation = "The capture was stopped (Stop in the window, a second Ctrl+C, or the end of the grace "
                          "period after the first) and ExitLens ended the program with SIGKILL: it did not fail "
                          "by itself.";
    if (auto last = context.lastEvent([](const Event& e) { return e.kind == EventKind::Syscall; })) {
        const Event& e = context.event(*last);
        const std::string path = context.text(e.path);
        verdict.explanation += " Its last recorded call was " + context.op(e) + (path.empty() ? "" : " " + path) + ", "
            + seconds(subject.endNs > e.timeNs ? subject.endNs - e.timeNs : 0) + " before the stop.";
        addEvidence(verdict, context, *last);
    }
    verdict.evidence.push_back({ context.status().describe(), subject.endSeq });
    verdict.suggestions.push_back("If it should have ended by itself, look at what it was waiting for in its last "
                                  "events and threads.");
    return verdict;
}

std::optional<Verdict> privilegesLostToTracing(const DiagnosisContext& context)
{
    // A setuid/setgid/file-capability program traced by an unprivileged ExitLens runs without
    // those privileges (the kernel's rule for a tracer that may not follow them): when the program
    // then fails, tracing is the cause, not the program.
    if (!context.failed())
        return std::nullopt;
    const std::string marker = exit_detail::kPrivilegesNotGranted;
    const auto& events = context.data().events();
    for (std::uint64_t seq = 0; seq < events.size(); ++seq) {
        const Event& e = events.at(seq);
        if (e.kind != EventKind::ProcessExec)
            continue;
        const std::string detail = context.text(e.detail);
        const std::size_t at = detail.rfind("[" + marker + " ");
        if (at == std::string::npos)
            continue;
        // Only when the program that lost them failed too: that failure is what it lost them for.
        const auto& processes = context.processes();
        const auto owner =
            std::find_if(processes.begin(), processes.end(), [&](const ProcessRecord& p) { return p.pid == e.pid; });
        const ExitStatus& status = owner == processes.end() ? context.status() : owner->status;
        const bool ownerFailed =
            status.kind == ExitStatus::Kind::Signaled || (status.kind == ExitStatus::Kind::Exited && status.code != 0);
        if (!ownerFailed)
            continue;
        const std::size_t end = detail.find(']', at);
        const std::string what = detail.substr(
            at + marker.size() + 2, end == std::string::npos ? std::string::npos : end - at - marker.size() - 2);
        const std::string exe = context.text(e.path);
        Verdict verdict = makeVerdict("privileges_lost_to_tracing",
            context.programName() + " " + context.status().describe() + ": " + exe + " ran without its " + what
                + " privileges because ExitLens traced it without the right to follow them; tracing is the cause.",
            0.85);
        verdict.fact("path", exe);
        verdict.fact("privileges", what);
        verdict.explanation = "The kernel does not grant a setuid, setgid or file-capability program its privileges "
                              "while a tracer that lacks CAP_SYS_PTRACE follows it (nor under no_new_privs). Run "
                              "untraced, the program would have had them.";
        addEvidence(verdict, context, seq);
        verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
        verdict.suggestions.push_back(
            "Run ExitLens as root, with --user NAME to run the program as that user: the privileges then apply.");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
