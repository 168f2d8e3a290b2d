// child_failure: a child process failed, and the parent exited because of it.
#include "Names.h"
#include "Rules.h"

#include <algorithm>
#include <csignal>

namespace exitlens::rules {

std::optional<Verdict> childFailure(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const ProcessRecord& subject = context.subject();
    // The last child of the subject that failed before the subject itself ended.
    const ProcessRecord* failedChild = nullptr;
    for (const auto& child : context.processes()) {
        if (child.ppid != subject.pid || !child.status.ended() || child.endSeq > subject.endSeq)
            continue;
        const bool failed = child.status.kind == ExitStatus::Kind::Signaled
            || (child.status.kind == ExitStatus::Kind::Exited && child.status.code != 0);
        if (failed && (!failedChild || child.endSeq > failedChild->endSeq))
            failedChild = &child;
    }
    if (!failedChild)
        return std::nullopt;
    // The parent must say so: Go's os/exec reports "exit status N" or "signal: ...", others name the child.
    // A shell running a script is named by the script ("job.sh"), as the person knows it.
    std::string childName = failedChild->exe.substr(failedChild->exe.rfind('/') + 1);
    static const std::vector<std::string> shells = { "sh", "dash", "bash", "ash", "zsh", "ksh", "mksh" };
    if (std::find(shells.begin(), shells.end(), childName) != shells.end() && failedChild->argv.size() >= 2
        && !failedChild->argv[1].empty() && failedChild->argv[1].front() != '-')
        childName = failedChild->argv[1].substr(failedChild->argv[1].rfind('/') + 1);
    const ExitStatus& childStatus = failedChild->status;
    const bool mentioned = context.stderrMentions(childName)
        || (childStatus.kind == ExitStatus::Kind::Exited
            && context.stderrMentions("exit status " + std::to_string(childStatus.code)))
        || (childStatus.kind == ExitStatus::Kind::Signaled && context.stderrMentions("signal: "));
    if (!mentioned)
        return std::nullopt;
    Verdict verdict = makeVerdict("child_failure",
        context.programName() + " failed because its child " + childName + " (pid " + std::to_string(failedChild->pid)
            + ") " + (childStatus.kind == ExitStatus::Kind::Signaled ? "was " : "") + childStatus.describe() + ".",
        0.85);
    verdict.fact("child_pid", static_cast<std::int64_t>(failedChild->pid));
    verdict.fact("child", failedChild->exe);
    if (childStatus.kind == ExitStatus::Kind::Exited)
        verdict.fact("child_exit_code", static_cast<std::int64_t>(childStatus.code));
    else
        verdict.fact("child_signal", signalName(childStatus.signal));
    verdict.explanation = "The child ended first and the parent reported it: " + quoteLastWords(context);
    verdict.evidence.push_back({ "child " + childName + " " + childStatus.describe(), failedChild->endSeq });
    verdict.evidence.push_back({ context.status().describe(), subject.endSeq });
    verdict.suggestions.push_back("See the verdict of " + childName + " (pid " + std::to_string(failedChild->pid)
        + ") below: fix what made it fail.");
    return verdict;
}

} // namespace exitlens::rules
