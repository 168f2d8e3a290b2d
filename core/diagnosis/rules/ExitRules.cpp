// os_exit, premature_exit, clean_exit: the program chose to end.
#include "Rules.h"

#include <regex>

namespace exitlens::rules {

std::optional<Verdict> osExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind != ExitStatus::Kind::Exited || status.code == 0)
        return std::nullopt;
    const std::string words = context.lastWordsText(1);
    Verdict verdict = makeVerdict("os_exit",
        context.programName() + " exited with code " + std::to_string(status.code)
            + (words.empty() ? std::string(" without a word.") : ": \"" + words + "\""),
        words.empty() ? 0.4 : 0.7);
    verdict.fact("exit_code", static_cast<std::int64_t>(status.code));
    if (!words.empty())
        verdict.fact("message", words);
    if (auto seq = context.lastEvent([&](const Event& e) { return context.op(e) == "exit_group"; }))
        addEvidence(verdict, context, *seq);
    if (words.empty()) {
        // Silent: where might it have said why? Files it still had open.
        std::string files;
        for (const auto& file : context.subject().exitContext.openFiles) {
            if (file.fd > 2 && !file.target.empty() && file.target.front() == '/' && file.target.rfind("/dev/", 0) != 0)
                files += (files.empty() ? "" : ", ") + file.target;
        }
        verdict.explanation = "It called exit(" + std::to_string(status.code)
            + ") deliberately (os.Exit in Go) and "
              "printed nothing to stdout or stderr.";
        if (!files.empty()) {
            verdict.fact("open_files", files);
            verdict.explanation += " Files it had open at exit, where it may have logged: " + files + ".";
        }
        verdict.suggestions.push_back("Search the program for os.Exit(" + std::to_string(status.code)
            + ") and make it print why before exiting.");
    } else {
        verdict.explanation = "It printed its reason and called exit(" + std::to_string(status.code) + ").";
        verdict.suggestions.push_back("Act on the message it printed.");
    }
    verdict.evidence.push_back({ status.describe(), context.subject().endSeq });
    return verdict;
}

std::optional<Verdict> prematureExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (status.kind != ExitStatus::Kind::Exited || status.code != 0 || !context.isGo())
        return std::nullopt;
    // The tracer notes at exit_group(0) what the other threads were doing.
    static const std::regex busy("other threads: (\\d+) running, (\\d+) in a system call");
    const auto seq = context.lastEvent([&](const Event& e) { return context.op(e) == "exit_group"; });
    if (!seq)
        return std::nullopt;
    std::smatch match;
    const std::string detail = context.text(context.event(*seq).detail);
    if (!std::regex_search(detail, match, busy))
        return std::nullopt;
    const int running = std::stoi(match[1]);
    const int inCall = std::stoi(match[2]);
    if (running + inCall == 0)
        return std::nullopt;
    Verdict verdict = makeVerdict("premature_exit",
        context.programName() + " exited with code 0 while other goroutines were still working: main did not wait.",
        0.6);
    verdict.fact("running_threads", static_cast<std::int64_t>(running));
    verdict.fact("threads_in_syscall", static_cast<std::int64_t>(inCall));
    verdict.explanation = "When main returned, " + std::to_string(running) + " thread(s) were running and "
        + std::to_string(inCall)
        + " were inside a system call. A Go program ends when main returns, killing "
          "every other goroutine mid-work.";
    addEvidence(verdict, context, *seq);
    verdict.suggestions.push_back("Wait for the goroutines before returning from main (sync.WaitGroup, errgroup, "
                                  "or a done channel).");
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
