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

    // Where fd 2 pointed: closed (close(2), or writes failing with EBADF), or what the program
    // moved onto it (the dup2's source, resolved when the call was made: /dev/null, a file).
    const Event& last = context.event(lostWrites.back());
    const bool closed =
        (last.failed() && last.errnum == EBADF) || (moved && context.op(context.event(*moved)) == "close");
    std::string where;
    if (moved && !closed)
        where = context.text(context.event(*moved).path);
    const std::string detail = context.text(last.detail);
    if (const std::size_t at = detail.rfind("(fd 2 is "); where.empty() && at != std::string::npos)
        where = detail.substr(at + 9, detail.size() - at - 10);
    if (where.empty())
        where = "an unknown target";
    const std::string words = closed ? std::string("was closed")
        : where == "/dev/null"       ? std::string("pointed at /dev/null, which discards everything")
                                     : "pointed at " + where;
    // The reason, not the last line: a panic's header, not its last traceback frame.
    const std::string message = context.reason();
    Verdict verdict = makeVerdict("output_lost",
        context.programName() + " died with a message nobody saw (its fd 2 "
            + (closed ? "was closed" : "pointed at " + where) + "): \"" + message + "\"",
        0.9);
    verdict.explanation = closed ? "It had closed its own stderr (fd 2), so its last words failed with EBADF. "
                                   "ExitLens recovered them from the write calls."
                                 : "It had redirected its own stderr (fd 2), which then " + words
            + ", so its last words never reached the terminal or log that launched it. ExitLens recovered them from "
              "the write calls.";
    verdict.fact("message", message);
    verdict.fact("fd2", closed ? std::string("closed") : where);
    verdict.fact("fd2_words", "fd 2 " + words);
    // For the output pane: these writes never reached anyone.
    verdict.fact("undelivered_writes", static_cast<std::int64_t>(lostWrites.size()));
    verdict.fact("first_undelivered_event", static_cast<std::int64_t>(lostWrites.front()));
    if (moved)
        addEvidence(verdict, context, *moved);
    addEvidence(verdict, context, lostWrites.back());
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    const std::string site = moved
        ? " (the " + context.op(context.event(*moved)) + " of event #" + std::to_string(*moved) + ")"
        : std::string();
    verdict.suggestions.push_back(closed
            ? "Keep fd 2 open until " + context.programName() + " exits" + site + ", or log fatal errors to a file too."
            : where == "/dev/null" ? "Stop " + context.programName() + " from sending fd 2 to /dev/null" + site
                + ", or log fatal errors to a file too."
                                   : "Read " + where + ", or keep fatal errors on the original stderr as well.");
    return verdict;
}

} // namespace exitlens::rules
