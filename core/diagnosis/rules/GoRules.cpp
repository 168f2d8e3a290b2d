// The Go runtime's own deaths: deadlock, stack overflow, fatal errors, panics, and log.Fatal.
#include "Rules.h"

#include <regex>

namespace exitlens::rules {

namespace {
void locate(Verdict& verdict, const GoCrash& crash, std::string& sentence)
{
    if (crash.location().empty())
        return;
    verdict.fact("function", crash.function);
    verdict.fact("location", crash.location());
    sentence += " In the program's own code: " + crash.function + " at " + crash.location() + ".";
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
    locate(verdict, *crash, verdict.explanation);
    if (auto seq = context.lastEvent([](const Event& e) { return e.kind == EventKind::Output; }))
        addEvidence(verdict, context, *seq, "the runtime's message on stderr");
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
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
    // calls os.Exit(1).
    if (context.status().kind != ExitStatus::Kind::Exited || context.status().code != 1 || context.lastWords().empty())
        return std::nullopt;
    static const std::regex logLine("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)? (.*)$");
    std::smatch match;
    const std::string last = context.lastWords().back();
    if (!context.isGo() || !std::regex_match(last, match, logLine))
        return std::nullopt;
    Verdict verdict =
        makeVerdict("log_fatal", context.programName() + " stopped with log.Fatal: " + std::string(match[1]), 0.85);
    verdict.fact("message", std::string(match[1]));
    verdict.explanation = "Its last log line was followed by exit code 1, which is what log.Fatal does.";
    if (auto seq = context.lastEvent([](const Event& e) { return e.kind == EventKind::Output; }))
        addEvidence(verdict, context, *seq);
    verdict.evidence.push_back({ context.status().describe(), context.subject().endSeq });
    verdict.suggestions.push_back("Fix the condition in the message; log.Fatal skips deferred cleanup, so prefer "
                                  "returning the error to main.");
    return verdict;
}

} // namespace exitlens::rules
