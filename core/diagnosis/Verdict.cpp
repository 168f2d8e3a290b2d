#include "Verdict.h"

#include "diagnosis/DiagnosisContext.h"
#include "diagnosis/rules/Rules.h"

#include <array>

namespace exitlens {

namespace {
// The priority order of docs/verdicts.md: the most specific root cause before the mechanism.
constexpr std::array<rules::Rule, 22> kRules = {
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
    verdict.suggestions.push_back("Look at the last failing events before the exit in the event list.");
    return verdict;
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
    if (depth < kMaxDepth) {
        for (const auto& child : processes) {
            if (child.ppid == subject.pid && &child != &subject && failed(child)
                && !rules::killedByExitLensStop(data, summary, child) && verdict.children.size() < kMaxChildVerdicts)
                verdict.children.push_back(diagnose(data, summary, child, processes, depth + 1));
        }
    }
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

} // namespace exitlens
