// The Go runtime's own deaths: deadlock, stack overflow, fatal errors, panics, and log.Fatal.
#include "Rules.h"
#include "diagnosis/MessageText.h"

namespace exitlens::rules {

namespace {
void locate(Verdict& verdict, const DiagnosisContext& context, const GoCrash& crash, std::string& sentence)
{
    if (crash.location().empty())
        return;
    verdict.fact("function", crash.function);
    verdict.fact("location", crash.location());
    sentence += " In the program's own code: " + crash.function + " at " + crash.location() + ".";
    // The line that crashed, when its source is on this machine: a failed type assertion or an
    // index shows the expression without anyone opening an editor.
    if (addSourceFacts(verdict, crash.file, crash.line, sourceFolders(context))) {
        if (const auto* line = verdict.findFact("source_line"))
            sentence += " That line reads: " + std::get<std::string>(line->value);
    }
}

std::optional<Verdict> fromCrash(const DiagnosisContext& context, GoCrash::Kind kind, const std::string& category,
    const std::string& headline, const std::string& advice)
{
    const auto& crash = context.goCrash();
    if (!crash || crash->kind != kind || !context.failed())
        return std::nullopt;
    Verdict verdict = makeVerdict(category, headline, 0.95);
    verdict.fact("message", crash->message);
    if (!crash->signal.empty())
        verdict.fact("signal", crash->signal);
    verdict.fact("goroutines", static_cast<std::int64_t>(crash->goroutines));
    verdict.explanation = "The Go runtime stopped the program: " + crash->message
        + (crash->signal.empty() ? std::string(".") : " [" + crash->signal + "].");
    locate(verdict, context, *crash, verdict.explanation);
    // The write that carried the runtime's message (not a trailing newline after it).
    if (auto seq = context.writeCarrying(crash->message))
        addEvidence(verdict, context, *seq, "the runtime's message on stderr: " + crash->message);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    if (!crash->location().empty())
        verdict.suggestions.push_back(
            "Start at " + crash->function + " (" + crash->location() + "), the first frame in the program's own code.");
    else
        verdict.suggestions.push_back("Find where \"" + crash->message + "\" is raised in " + context.programName()
            + "'s code (the traceback on stderr lists the frames).");
    verdict.suggestions.push_back(advice);
    return verdict;
}

std::string at(const std::optional<GoCrash>& crash)
{
    return crash && !crash->location().empty() ? " at " + crash->location() : std::string();
}
} // namespace

std::optional<Verdict> deadlock(const DiagnosisContext& context)
{
    return fromCrash(context, GoCrash::Kind::Deadlock, "deadlock",
        context.programName() + " deadlocked: every goroutine was blocked" + at(context.goCrash()) + ".",
        "Look at what each goroutine waits for (the traceback lists them): a channel nobody sends on, a "
        "WaitGroup never done, a lock taken twice.");
}

std::optional<Verdict> stackOverflow(const DiagnosisContext& context)
{
    return fromCrash(context, GoCrash::Kind::StackOverflow, "stack_overflow",
        context.programName() + " overflowed its stack: unbounded recursion" + at(context.goCrash()) + ".",
        "Find the recursion that never stops (the same frames repeat in the traceback) and give it a base case.");
}

std::optional<Verdict> goFatalError(const DiagnosisContext& context)
{
    const auto& crash = context.goCrash();
    if (crash && crash->kind == GoCrash::Kind::Signal)
        return fromCrash(context, GoCrash::Kind::Signal, "go_fatal_error",
            context.programName() + " crashed: " + crash->message + at(crash) + ".",
            "A nil pointer or invalid memory access: check the value used at that line (or the C code, with cgo).");
    return fromCrash(context, GoCrash::Kind::FatalError, "go_fatal_error",
        context.programName() + " hit a fatal runtime error: " + (crash ? crash->message : std::string()) + at(crash)
            + ".",
        crash && crash->message.find("concurrent map") != std::string::npos
            ? "Protect the map with a sync.Mutex (or use sync.Map); run the tests with -race to find the writers."
            : "Fatal runtime errors cannot be recovered: fix the condition the message names.");
}

std::optional<Verdict> goPanic(const DiagnosisContext& context)
{
    const auto& crash = context.goCrash();
    return fromCrash(context, GoCrash::Kind::Panic, "go_panic",
        context.programName() + " panicked: " + (crash ? crash->message : std::string()) + at(crash) + ".",
        "Handle the error where it is raised instead of panicking, or fix the condition the message names.");
}

std::optional<Verdict> logFatal(const DiagnosisContext& context)
{
    // log.Fatal prints one line with the log package's default "2006/01/02 15:04:05 " prefix and
    // calls os.Exit(1). The Go stack at exit_group proves it even when the line went elsewhere
    // (log.SetOutput to a file) or had another prefix.
    if (context.status().kind != ExitStatus::Kind::Exited || context.status().code != 1)
        return std::nullopt;
    const auto& stack = context.exitStack();
    const bool proven = stack && (stack->calledThrough("log.Fatal") || stack->calledThrough("log.(*Logger).Fatal"));
    auto withoutPrefix = [](const std::string& line) { return MessageText::withoutLogPrefix(line).value_or(line); };
    std::string message;
    std::string logFile;
    if (!context.lastWords().empty() && context.isGo()) {
        const std::string last = context.lastWords().back();
        if (const auto stripped = MessageText::withoutLogPrefix(last))
            message = *stripped;
        else if (proven)
            message = last;
    }
    if (message.empty() && proven) {
        if (const auto file = lastWordsFile(context)) {
            logFile = file->target;
            message = withoutPrefix(file->tail.back());
        }
    }
    if (message.empty() && !proven)
        return std::nullopt;
    std::string headline = context.programName() + " stopped with log.Fatal";
    headline +=
        message.empty() ? std::string(" (its message reached neither stderr nor a file ExitLens saw)") : ": " + message;
    Verdict verdict = makeVerdict("log_fatal", headline, proven ? 0.9 : 0.85);
    if (!message.empty())
        verdict.fact("message", message);
    const std::string where = proven ? locateExit(verdict, *stack, 1) : std::string();
    if (!logFile.empty()) {
        verdict.fact("log_file", logFile);
        verdict.headline += " (written to " + logFile + ", not to stderr)";
    }
    verdict.headline += ".";
    if (proven)
        verdict.explanation = "The Go stack of its exit proves it: " + exitStackText(*stack) + ". log.Fatal logs "
            + (logFile.empty() ? std::string("its message") : "its message to " + logFile) + " and calls os.Exit(1).";
    else
        verdict.explanation = "Its last log line was followed by exit code 1, which is what log.Fatal does.";
    if (!where.empty())
        verdict.explanation += " Called from " + stack->ownFrame()->function + " at " + stack->location() + ".";
    if (auto seq = context.writeCarrying(message); seq && logFile.empty())
        addEvidence(verdict, context, *seq);
    if (proven) {
        if (auto seq = context.lastEvent([&](const Event& e) { return context.op(e) == "exit_group"; }))
            addEvidence(verdict, context, *seq, "exit_group(1), Go stack: " + exitStackText(*stack));
    }
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    verdict.suggestions.push_back((where.empty() ? std::string("Fix the condition in the message")
                                                 : "Fix the condition " + stack->ownFrame()->function + " ("
                                              + stack->shortLocation() + ") reports")
        + (message.empty() ? std::string() : ": \"" + message + "\"")
        + "; log.Fatal skips deferred cleanup, so prefer returning the error to main.");
    if (!logFile.empty())
        verdict.suggestions.push_back(
            "The program logs to " + logFile + ": write fatal errors to stderr too, so whoever starts it sees them.");
    return verdict;
}

} // namespace exitlens::rules
