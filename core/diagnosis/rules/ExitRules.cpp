// os_exit, premature_exit, clean_exit: the program chose to end.
#include "ExitDetail.h"
#include "Rules.h"

namespace exitlens::rules {

std::optional<Verdict> osExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind != ExitStatus::Kind::Exited || status.code == 0)
        return std::nullopt;
    const std::string& words = context.reason();
    const auto& stack = context.exitStack();
    Verdict verdict = makeVerdict("os_exit", {}, words.empty() ? 0.4 : 0.7);
    verdict.fact("exit_code", static_cast<std::int64_t>(status.code));
    if (!words.empty())
        verdict.fact("message", words);
    // Where in the program's own code the exit was called, from the Go stack at exit_group.
    const std::string where = stack ? locateExit(verdict, *stack, status.code) : std::string();
    std::string headline = context.programName() + " exited with code " + std::to_string(status.code);
    if (!words.empty()) {
        headline += ": \"" + words + "\"";
        if (!where.empty())
            headline += " (" + where + ")";
    }
    const auto exitSeq = context.lastEvent([&](const Event& e) { return context.op(e) == "exit_group"; });
    if (exitSeq)
        addEvidence(verdict, context, *exitSeq,
            stack && stack->ownFrame()
                ? "exit_group(" + std::to_string(status.code) + "), Go stack: " + exitStackText(*stack)
                : std::string());
    if (words.empty()) {
        // Silent: where might it have said why? The file it wrote last, and every file it had open.
        const auto logFile = lastWordsFile(context);
        headline += " without a word on stdout or stderr";
        if (!where.empty())
            headline += ": " + where;
        if (logFile) {
            headline += std::string(where.empty() ? ": " : "; ") + "its last words went to " + logFile->target + ": \""
                + logFile->tail.back() + "\"";
            verdict.fact("last_words_file", logFile->target);
            verdict.fact("last_words", logFile->tail.back());
        }
        headline += ".";
        std::string files;
        for (const auto& file : context.subject().exitContext.openFiles) {
            if (file.fd > 2 && !file.target.empty() && file.target.front() == '/' && file.target.rfind("/dev/", 0) != 0)
                files += (files.empty() ? "" : ", ") + file.target;
        }
        verdict.explanation = "It called exit(" + std::to_string(status.code)
            + ") deliberately (os.Exit in Go) and "
              "printed nothing to stdout or stderr.";
        if (stack && stack->ownFrame())
            verdict.explanation += " The Go stack of that call: " + exitStackText(*stack) + ".";
        if (logFile) {
            std::string tail;
            for (const auto& line : logFile->tail)
                tail += "\n    " + line;
            verdict.explanation += " The last lines of " + logFile->target + ", which it had open for writing:" + tail;
        } else if (!files.empty()) {
            verdict.explanation += " Files it had open at exit, where it may have logged: " + files + ".";
        }
        if (!files.empty())
            verdict.fact("open_files", files);
        // Knowing the call site (or the log line) makes this much more than a guess.
        verdict.confidence = logFile ? 0.75 : (where.empty() ? 0.4 : 0.7);
        if (logFile)
            verdict.suggestions.push_back("Read " + logFile->target + ": the program logged its reason there.");
        if (stack && stack->ownFrame())
            verdict.suggestions.push_back("Make " + stack->ownFrame()->function + " (" + stack->shortLocation()
                + ") print why to stderr before it exits with code " + std::to_string(status.code) + ".");
        else
            verdict.suggestions.push_back("Search the program for os.Exit(" + std::to_string(status.code)
                + ") and make it print why before exiting.");
    } else {
        headline += ".";
        verdict.explanation = "It printed its reason and called exit(" + std::to_string(status.code) + ")"
            + (stack && stack->ownFrame() ? " from " + stack->ownFrame()->function + " at " + stack->location()
                                          : std::string())
            + ".";
        if (const std::string all = context.lastWordsText(6); all != words)
            verdict.explanation += " Its last lines:\n" + all;
        if (auto write = context.writeCarrying(words))
            addEvidence(verdict, context, *write, "It said: \"" + words + "\"");
        if (stack && stack->ownFrame())
            verdict.suggestions.push_back("Fix what \"" + words + "\" names; " + stack->ownFrame()->function + " at "
                + stack->shortLocation() + " exits with code " + std::to_string(status.code) + " for it.");
        else
            verdict.suggestions.push_back("Fix what \"" + words + "\" names: search " + context.programName()
                + "'s source or documentation for that message (it exits with code " + std::to_string(status.code)
                + ").");
    }
    verdict.headline = headline;
    verdict.evidence.push_back({ status.describe(), context.subject().endSeq });
    return verdict;
}

std::optional<Verdict> prematureExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind != ExitStatus::Kind::Exited || status.code != 0 || !context.isGo())
        return std::nullopt;
    // The tracer notes at exit_group(0) what the other threads were doing.
    const auto seq = context.lastEvent([&](const Event& e) { return context.op(e) == "exit_group"; });
    if (!seq)
        return std::nullopt;
    const std::string detail = context.text(context.event(*seq).detail);
    // "other threads: R running, S in a system call"
    constexpr std::string_view busy = "other threads: ";
    const std::size_t at = detail.find(busy);
    if (at == std::string::npos)
        return std::nullopt;
    int runningCount = 0;
    int inCall = 0;
    std::size_t pos = at + busy.size();
    auto number = [&](int& value) {
        const std::size_t start = pos;
        while (pos < detail.size() && detail[pos] >= '0' && detail[pos] <= '9' && pos - start < 9)
            value = value * 10 + (detail[pos++] - '0');
        return pos > start;
    };
    constexpr std::string_view runningWord = " running, ";
    constexpr std::string_view inCallWords = " in a system call";
    if (!number(runningCount) || detail.compare(pos, runningWord.size(), runningWord) != 0)
        return std::nullopt;
    pos += runningWord.size();
    if (!number(inCall) || detail.compare(pos, inCallWords.size(), inCallWords) != 0)
        return std::nullopt;
    // Go's sysmon is the first thread a Go program starts; it wakes by itself every few
    // milliseconds (more often on a loaded machine) and runs no goroutine: not a worker.
    const bool sysmonCounted = detail.find(exit_detail::kFirstThreadRunning) != std::string::npos;
    const int running = runningCount - (sysmonCounted ? 1 : 0);
    if (running + inCall == 0)
        return std::nullopt;
    const auto& stack = context.exitStack();
    const bool mainReturned = stack && stack->mainReturned();
    const bool explicitExit = stack && stack->ownFrame();
    // The stack of the exit_group call tells main returning (runtime.main called exit) from an
    // explicit os.Exit(0): only the first is proven "main did not wait".
    Verdict verdict = makeVerdict("premature_exit",
        context.programName() + " exited with code 0 while other goroutines were still working: main did not wait.",
        mainReturned ? 0.85 : 0.6);
    verdict.fact("running_threads", static_cast<std::int64_t>(running));
    verdict.fact("threads_in_syscall", static_cast<std::int64_t>(inCall));
    if (mainReturned) {
        verdict.fact("exit_call", "runtime.main");
        verdict.fact("main_returned", static_cast<std::int64_t>(1));
    } else if (explicitExit) {
        // Not main returning: say what the stack shows instead of claiming it.
        verdict.headline = context.programName()
            + " exited with code 0 while other goroutines were still working: " + locateExit(verdict, *stack, 0) + ".";
        verdict.fact("main_returned", static_cast<std::int64_t>(0));
    }
    verdict.explanation = "When it exited, " + std::to_string(running) + " thread(s) were running and "
        + std::to_string(inCall) + " were inside a system call. ";
    if (mainReturned)
        verdict.explanation += "The Go stack of the exit_group call proves main returned (" + exitStackText(*stack)
            + "): a Go program ends when main returns, killing every other goroutine mid-work.";
    else if (explicitExit)
        verdict.explanation += "os.Exit ends the program at once (Go stack: " + exitStackText(*stack)
            + "), killing every other goroutine mid-work and skipping deferred calls.";
    else
        verdict.explanation += "A Go program ends when main returns, killing every other goroutine mid-work. (No Go "
                               "stack of the exit was available to prove main returned.)";
    addEvidence(verdict, context, *seq);
    verdict.suggestions.push_back(std::string("Wait for the goroutines (") + std::to_string(running)
        + " thread(s) were still running, " + std::to_string(inCall)
        + " in a system call) before main returns: sync.WaitGroup, errgroup, or a done channel.");
    return verdict;
}

std::optional<Verdict> cleanExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind != ExitStatus::Kind::Exited || status.code != 0)
        return std::nullopt;
    Verdict verdict = makeVerdict("clean_exit", context.programName() + " finished normally (exit code 0).", 0.9);
    verdict.fact("exit_code", static_cast<std::int64_t>(0));
    verdict.explanation = "Nothing went wrong that ExitLens could see.";
    verdict.evidence.push_back({ status.describe(), context.subject().endSeq });
    return verdict;
}

} // namespace exitlens::rules
