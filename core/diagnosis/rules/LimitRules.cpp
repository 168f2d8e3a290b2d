// resource_limit: a limit other than memory: open files, processes/threads, disk space.
#include "Names.h"
#include "Rules.h"

#include <cerrno>

namespace exitlens::rules {

std::optional<Verdict> resourceLimit(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const ExitContext& exit = context.subject().exitContext;

    const auto tooManyFiles =
        context.lastEvent([](const Event& e) { return e.failed() && (e.errnum == EMFILE || e.errnum == ENFILE); });
    if (tooManyFiles && context.stderrMentions("too many open files")) {
        const bool system = context.event(*tooManyFiles).errnum == ENFILE;
        const std::int64_t limit =
            exit.openFilesLimit >= 0 ? exit.openFilesLimit : launchLimit(context, "RLIMIT_NOFILE");
        Verdict verdict = makeVerdict("resource_limit",
            context.programName() + " ran out of file descriptors"
                + (system ? std::string(" (the whole system's table is full).")
                          : " at its limit of " + std::to_string(limit) + " open files (RLIMIT_NOFILE)."),
            0.95);
        verdict.fact("limit", system ? "fs.file-max" : "RLIMIT_NOFILE");
        if (limit >= 0)
            verdict.fact("limit_value", limit);
        verdict.fact("errno", errnoName(context.event(*tooManyFiles).errnum));
        verdict.explanation = "Opening a file failed with " + errnoName(context.event(*tooManyFiles).errnum) + ".";
        if (exit.captured && exit.complete) {
            verdict.fact("open_files", static_cast<std::int64_t>(exit.openFiles.size()));
            verdict.explanation += " It held " + std::to_string(exit.openFiles.size()) + " descriptors when it exited.";
        }
        addEvidence(verdict, context, *tooManyFiles);
        verdict.suggestions.push_back(
            "Look for files or connections that are never closed (a missing defer f.Close()).");
        verdict.suggestions.push_back(system
                ? std::string("If it needs that many, raise the system's fs.file-max (sysctl fs.file-max).")
                : "If it needs that many, raise RLIMIT_NOFILE above " + std::to_string(limit)
                    + ": ulimit -n, or LimitNOFILE= for a service.");
        return verdict;
    }

    const auto cloneFailed = context.lastEvent([&](const Event& e) {
        const std::string op = context.op(e);
        return e.failed() && e.errnum == EAGAIN && (op == "clone" || op == "clone3" || op == "fork" || op == "vfork");
    });
    if (cloneFailed
        && (context.stderrMentions("failed to create new os thread")
            || context.stderrMentions("resource temporarily unavailable")
            || context.stderrMentions("pthread_create failed"))) {
        const std::int64_t limit = launchLimit(context, "RLIMIT_NPROC");
        Verdict verdict = makeVerdict("resource_limit",
            context.programName() + " could not create another thread or process (limit "
                + (limit >= 0 ? std::to_string(limit) : std::string("of the system")) + ").",
            0.9);
        verdict.fact("limit", "RLIMIT_NPROC");
        if (limit >= 0)
            verdict.fact("limit_value", limit);
        verdict.explanation = "clone failed with EAGAIN: the user's process/thread limit (RLIMIT_NPROC, counted "
                              "across all of the user's processes), the cgroup's pids.max or the system's "
                              "threads-max was reached.";
        addEvidence(verdict, context, *cloneFailed);
        verdict.suggestions.push_back("Raise the limit (ulimit -u, TasksMax= for a service) or find what creates "
                                      "so many threads (goroutines blocked in system calls each hold one).");
        return verdict;
    }

    if (context.stderrMentions("no space left on device") || context.stderrMentions("disk quota exceeded")) {
        const bool quota = context.stderrMentions("disk quota exceeded");
        Verdict verdict = makeVerdict("resource_limit",
            context.programName() + (quota ? " exceeded its disk quota." : " stopped because a disk is full."), 0.9);
        verdict.fact("errno", quota ? "EDQUOT" : "ENOSPC");
        verdict.explanation = "It reported: " + quoteLastWords(context);
        if (auto seq = context.reportedFailure({ ENOSPC, EDQUOT })) {
            const std::string path = context.text(context.event(*seq).path);
            verdict.fact("path", path);
            verdict.explanation += " The failing call was on " + path + ".";
            addEvidence(verdict, context, *seq);
        }
        verdict.suggestions.push_back("Free space on that file system (df -h shows which) or move the data elsewhere.");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
