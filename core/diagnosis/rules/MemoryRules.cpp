// oom: the Go runtime's own "out of memory", ENOMEM under an address-space limit, or the kernel's
// or a cgroup's OOM killer (a SIGKILL nobody traced, with the cgroup's oom_kill counter risen).
#include "Names.h"
#include "Rules.h"

#include <cerrno>
#include <csignal>

namespace exitlens::rules {

namespace {

void memoryFacts(Verdict& verdict, const DiagnosisContext& context, std::string& sentence)
{
    const ExitContext& exit = context.subject().exitContext;
    const std::int64_t addressLimit =
        exit.addressSpaceLimit >= 0 ? exit.addressSpaceLimit : launchLimit(context, "RLIMIT_AS");
    if (addressLimit >= 0) {
        verdict.fact("limit", "RLIMIT_AS");
        verdict.fact("limit_bytes", addressLimit);
        sentence += " Its address space was limited to " + mib(addressLimit) + " (RLIMIT_AS).";
    }
    if (exit.peakRssKiB > 0) {
        verdict.fact("peak_rss_kib", exit.peakRssKiB);
        sentence += " Peak resident memory seen: " + mib(exit.peakRssKiB * 1024) + ".";
    }
    if (exit.cgroupMemoryLimit >= 0) {
        verdict.fact("cgroup_memory_limit", exit.cgroupMemoryLimit);
        sentence += " Its cgroup " + exit.cgroup + " allows " + mib(exit.cgroupMemoryLimit) + ".";
    }
}
} // namespace

std::optional<Verdict> outOfMemory(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const ExitStatus& status = context.status();
    const ExitContext& exit = context.subject().exitContext;

    if (context.goCrash() && context.goCrash()->kind == GoCrash::Kind::OutOfMemory) {
        Verdict verdict =
            makeVerdict("oom", context.programName() + " ran out of memory: the Go runtime could not allocate.", 0.95);
        verdict.explanation = "The Go runtime stopped with \"fatal error: runtime: out of memory\".";
        memoryFacts(verdict, context, verdict.explanation);
        if (!context.goCrash()->location().empty()) {
            verdict.fact("location", context.goCrash()->location());
            verdict.explanation += " The allocation came from " + context.goCrash()->function + " at "
                + context.goCrash()->location() + ".";
        }
        if (auto seq = context.lastEvent([](const Event& e) { return e.failed() && e.errnum == ENOMEM; }))
            addEvidence(verdict, context, *seq);
        verdict.suggestions.push_back("Raise the limit (ulimit -v, the service's MemoryMax) or reduce what the "
                                      "program holds in memory at once.");
        return verdict;
    }

    if (status.kind == ExitStatus::Kind::Signaled && status.signal == SIGKILL) {
        // The launch baseline counts only when the program is still in ExitLens's own cgroup.
        const std::int64_t before =
            exit.cgroup == context.launch().cgroup ? context.launch().cgroupOomKillsAtLaunch : -1;
        const std::int64_t after = exit.cgroupOomKills;
        if (after > 0 && after > before) {
            Verdict verdict = makeVerdict("oom",
                "The OOM killer killed " + context.programName()
                    + (exit.cgroupMemoryLimit >= 0
                            ? " at its cgroup's " + mib(exit.cgroupMemoryLimit) + " memory limit."
                            : "."),
                0.9);
            verdict.explanation = "It died of SIGKILL that no traced process sent, and the oom_kill counter of its "
                                  "cgroup "
                + exit.cgroup + " rose from " + std::to_string(std::max<std::int64_t>(before, 0)) + " to "
                + std::to_string(after) + " during the capture.";
            memoryFacts(verdict, context, verdict.explanation);
            verdict.fact("signal", "SIGKILL");
            verdict.fact("sender", "kernel OOM killer");
            verdict.fact("oom_kills", after);
            verdict.evidence.push_back({ "killed by SIGKILL", context.subject().endSeq });
            verdict.suggestions.push_back("Give the cgroup more memory (memory.max, the service's MemoryMax) or "
                                          "find what grows: run with GODEBUG=gctrace=1 to watch the heap.");
            return verdict;
        }
    }

    // Allocation failures the program reported before dying.
    const auto enomem = context.lastEvent([](const Event& e) { return e.failed() && e.errnum == ENOMEM; });
    if (enomem && (context.stderrMentions("cannot allocate memory") || context.stderrMentions("out of memory"))) {
        Verdict verdict = makeVerdict("oom", context.programName() + " could not allocate memory.", 0.85);
        verdict.explanation = "A memory request failed with ENOMEM and the program stopped.";
        memoryFacts(verdict, context, verdict.explanation);
        addEvidence(verdict, context, *enomem);
        verdict.suggestions.push_back("Raise the address-space or memory limit, or reduce the program's memory use.");
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
