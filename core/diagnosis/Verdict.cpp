#include "Verdict.h"

#include "Names.h"
#include "model/CaptureData.h"

namespace exitlens {

namespace {
// The last event of the launched program's root process that failed to exec, if any.
std::optional<std::uint64_t> failedRootExec(const CaptureData& data, int rootPid)
{
    const std::uint64_t count = data.events().size();
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const Event& event = data.events().at(seq);
        if (event.pid == rootPid && event.kind == EventKind::Syscall && event.failed()
            && (data.text(event.op) == "execve" || data.text(event.op) == "execveat"))
            return seq;
    }
    return std::nullopt;
}
} // namespace

Verdict describeExit(const CaptureData& data, const TraceSummary& summary)
{
    Verdict verdict;
    const auto processes = data.processes().snapshot();
    const ProcessRecord* root = processes.empty() ? nullptr : &processes.front();
    const ExitStatus& status = summary.rootStatus;
    const std::string program = data.spec().program;

    switch (status.kind) {
    case ExitStatus::Kind::LaunchFailed: {
        verdict.category = "exec_failure";
        verdict.headline = program + " could not be executed: " + errnoMessage(status.launchErrno) + " ("
            + errnoName(status.launchErrno) + ").";
        verdict.explanation =
            summary.error.empty() ? "execve failed before the program ran a single instruction." : summary.error;
        if (root) {
            if (auto seq = failedRootExec(data, root->pid))
                verdict.evidence.push_back({ "execve of " + std::string(data.text(data.events().at(*seq).path))
                        + " failed with " + errnoName(status.launchErrno),
                    seq });
        }
        verdict.confidence = 1.0;
        break;
    }
    case ExitStatus::Kind::Signaled:
        verdict.category = "signal_killed";
        verdict.headline = program + " was " + status.describe() + ".";
        verdict.confidence = 0.5;
        break;
    case ExitStatus::Kind::Exited:
        verdict.category = status.code == 0 ? "clean_exit" : "exit_code";
        verdict.headline = program + " " + status.describe() + ".";
        verdict.confidence = status.code == 0 ? 0.9 : 0.3;
        break;
    case ExitStatus::Kind::Running:
        verdict.category = "unknown";
        verdict.headline = summary.error.empty() ? "The capture ended before the program did." : summary.error;
        break;
    }
    if (root && status.kind != ExitStatus::Kind::LaunchFailed && status.ended()) {
        const Event& exit = data.events().at(root->endSeq);
        verdict.evidence.push_back({ std::string(data.text(exit.detail)), root->endSeq });
        if (verdict.explanation.empty())
            verdict.explanation = "The root process (pid " + std::to_string(root->pid) + ") "
                + std::string(data.text(exit.detail)) + ". The rule-based diagnosis is not part of this build yet.";
    }
    return verdict;
}

} // namespace exitlens
