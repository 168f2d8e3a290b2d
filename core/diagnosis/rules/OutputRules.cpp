// output_lost: the program explained itself on stderr, but it had closed or redirected its own
// stderr first, so the explanation never reached a person. ExitLens recovers it from the write calls.
#include "Names.h"
#include "Rules.h"

#include <cerrno>

namespace exitlens::rules {

std::optional<Verdict> outputLost(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    // The program itself moved fd 2 (close(2), dup2(x, 2)); a redirection its caller chose is not a loss.
    const auto moved = context.lastEvent([&](const Event& e) {
        const std::string op = context.op(e);
        const std::string detail = context.text(e.detail);
        if (op == "close")
            return !e.failed() && detail == "fd 2";
        if (op == "dup2" || op == "dup3")
            return !e.failed() && detail.ends_with("onto fd 2");
        return false;
    });
    const auto writes = context.events([](const Event& e) { return e.kind == EventKind::Output && e.result != 0; });
    std::vector<std::uint64_t> lostWrites;
    for (auto seq : writes) {
        const Event& e = context.event(seq);
        if (context.text(e.path) != "stderr")
            continue;
        const bool failedWrite = e.failed() && e.errnum == EBADF;
        if (failedWrite || (moved && seq > *moved))
            lostWrites.push_back(seq);
    }
    if (lostWrites.empty() || context.stderrText().empty())
        return std::nullopt;

    const Event& last = context.event(lostWrites.back());
    std::string where = "closed";
    const std::string detail = context.text(last.detail);
    if (const std::size_t at = detail.rfind("(fd 2 is "); at != std::string::npos)
        where = detail.substr(at + 9, detail.size() - at - 10);
    const bool closed = last.failed() && last.errnum == EBADF;
    std::string message = context.lastWordsText(2);
    Verdict verdict = makeVerdict("output_lost",
        context.programName() + " died with a message nobody saw: \"" + context.lastWordsText(1) + "\"", 0.9);
    verdict.explanation = closed ? "It had closed its own stderr (fd 2), so its last words failed with EBADF. "
                                   "ExitLens recovered them from the write calls."
                                 : "It had redirected its own stderr (fd 2) to " + where
            + ", so its last words went there instead of to the terminal or log that launched it.";
    verdict.fact("message", message);
    verdict.fact("fd2", closed ? std::string("closed") : where);
    if (moved)
        addEvidence(verdict, context, *moved);
    addEvidence(verdict, context, lostWrites.back());
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    verdict.suggestions.push_back(closed
            ? "Keep stderr open until the program exits, or log fatal errors elsewhere too."
            : "Read " + where + ", or keep fatal errors on the original stderr as well.");
    return verdict;
}

} // namespace exitlens::rules
