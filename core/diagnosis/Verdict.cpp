#include "Verdict.h"

#include "diagnosis/DiagnosisContext.h"
#include "diagnosis/rules/Rules.h"

#include <array>

namespace exitlens {

namespace {
// The priority order of docs/verdicts.md: the most specific root cause before the mechanism.
constexpr std::array<rules::Rule, 23> kRules = {
    rules::windowsExit,
    rules::stoppedByExitLens,
    rules::privilegesLostToTracing,
    rules::execFailure,
    rules::missingSharedLibrary,
    rules::outOfMemory,
    rules::resourceLimit,
    rules::seccompKill,
    rules::signalKilled,
    rules::outputLost,
    rules::missingFile,
    rules::permissionDenied,
    rules::configError,
    rules::networkError,
    rules::childFailure,
    rules::deadlock,
    rules::stackOverflow,
    rules::goFatalError,
    rules::goPanic,
    rules::logFatal,
    rules::osExit,
    rules::prematureExit,
    rules::cleanExit,
};
constexpr int kMaxDepth = 4;
constexpr std::size_t kMaxChildVerdicts = 8;

bool failed(const ProcessRecord& process)
{
    return process.status.kind == ExitStatus::Kind::Signaled
        || (process.status.kind == ExitStatus::Kind::Exited && process.status.code != 0);
}

// When no rule can say why, say honestly what was observed, with low confidence.
Verdict unknown(const DiagnosisContext& context)
{
    Verdict verdict;
    verdict.category = "unknown";
    verdict.confidence = 0.2;
    verdict.headline = context.programName() + " " + context.status().describe() + "; the cause is not clear.";
    verdict.explanation = "No rule matched. What was observed: " + context.status().describe() + ".";
    if (const std::string words = context.lastWordsText(2); !words.empty())
        verdict.explanation += " Its last words: \"" + words + "\".";
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    if (const auto failure = context.lastEvent([](const Event& e) { return e.failed(); })) {
        const Event& e = context.event(*failure);
        verdict.suggestions.push_back("Look at event #" + std::to_string(*failure) + " (" + context.op(e)
            + (e.path == kNoString ? std::string() : " " + context.text(e.path))
            + "), the last failed call before the exit, and the events after it.");
    } else {
        verdict.suggestions.push_back("Look at the last events of pid " + std::to_string(context.subject().pid)
            + " before its exit in the event list.");
    }
    return verdict;
}

// A parent that failed because of its child: the child's root cause is the news, so the headline
// leads with it ("helper exited with code 3: \"schema version 7 ...\" (child pid 12); diag failed
// because of it") and child_category says what kind of failure it was.
void leadWithTheChild(Verdict& verdict)
{
    if (verdict.category != "child_failure")
        return;
    const Verdict::Fact* pid = verdict.findFact("child_pid");
    if (!pid)
        return;
    for (const auto& child : verdict.children) {
        if (child.pid != std::get<std::int64_t>(pid->value) || child.headline.empty())
            continue;
        verdict.fact("child_category", child.category);
        std::string cause = child.headline;
        if (cause.back() == '.')
            cause.pop_back();
        // The parent's own sentence ("diag failed because its child ... exited with code 3.") follows.
        std::string parent = verdict.headline;
        if (const std::size_t because = parent.find(" failed because"); because != std::string::npos)
            parent = parent.substr(0, because);
        verdict.headline =
            "In child pid " + std::to_string(child.pid) + ": " + cause + "; " + parent + " failed because of it.";
        for (const auto& suggestion : child.suggestions)
            verdict.suggestions.insert(verdict.suggestions.begin(), suggestion);
        return;
    }
}

Verdict diagnose(const CaptureData& data, const TraceSummary& summary, const ProcessRecord& subject,
    const std::vector<ProcessRecord>& processes, int depth)
{
    const DiagnosisContext context(data, summary, subject);
    Verdict verdict;
    bool matched = false;
    for (const rules::Rule rule : kRules) {
        if (auto found = rule(context)) {
            verdict = std::move(*found);
            matched = true;
            break;
        }
    }
    if (!matched)
        verdict = context.status().ended() ? unknown(context) : Verdict {};
    if (!matched && !context.status().ended()) {
        verdict.category = "unknown";
        verdict.headline = summary.error.empty() ? "The capture ended before the program did." : summary.error;
    }
    verdict.pid = subject.pid;
    // What it read before it gave up (the verdict panel lists it): for a failure only.
    if (matched && context.failed() && !verdict.findFact("files_read")) {
        std::string files;
        for (const auto& file : rules::filesRead(context))
            files += (files.empty() ? "" : ", ") + file;
        if (!files.empty())
            verdict.fact("files_read", files);
    }
    if (const std::string script = context.script(); !script.empty() && !verdict.findFact("script"))
        verdict.fact("script", script);
    if (depth < kMaxDepth) {
        for (const auto& child : processes) {
            if (child.ppid == subject.pid && &child != &subject && failed(child)
                && !rules::killedByExitLensStop(data, summary, child) && verdict.children.size() < kMaxChildVerdicts)
                verdict.children.push_back(diagnose(data, summary, child, processes, depth + 1));
        }
    }
    leadWithTheChild(verdict);
    return verdict;
}
} // namespace

const Verdict::Fact* Verdict::findFact(const std::string& key) const
{
    for (const auto& fact : facts) {
        if (fact.key == key)
            return &fact;
    }
    return nullptr;
}

Verdict describeExit(const CaptureData& data, const TraceSummary& summary)
{
    const auto processes = data.processes().snapshot();
    if (processes.empty()) {
        // Nothing was traced: the launch failed before the program existed (bad working directory,
        // unknown user). The root is known only from the summary.
        ProcessRecord root;
        root.exe = data.spec().program;
        root.status = summary.rootStatus;
        return diagnose(data, summary, root, processes, 0);
    }
    return diagnose(data, summary, processes.front(), processes, 0);
}

Verdict describeProcessExit(const CaptureData& data, const TraceSummary& summary, int pid)
{
    const auto processes = data.processes().snapshot();
    for (const auto& process : processes) {
        if (process.pid == pid && process.status.ended())
            return diagnose(data, summary, process, processes, 0);
    }
    for (const auto& process : processes) {
        if (process.pid == pid)
            return diagnose(data, summary, process, processes, 0);
    }
    return describeExit(data, summary);
}

} // namespace exitlens
