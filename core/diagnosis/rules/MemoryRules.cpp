// oom: the Go runtime's own "out of memory", ENOMEM under an address-space limit, or the kernel's
// or a cgroup's OOM killer (a SIGKILL nobody traced, with the cgroup's oom_kill counter risen).
#include "Names.h"
#include "Rules.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>

namespace exitlens::rules {

namespace {

struct MemoryLimit {
    std::string name; // RLIMIT_AS or RLIMIT_DATA
    std::int64_t bytes = -1;
    std::string source; // "inherited at launch", "set by prlimit64 (event #N)"
    std::optional<std::uint64_t> seq;
};

// The finite memory limit the subject ran under: one a recorded setrlimit/prlimit64 call set for
// it (prlimit(1) sets it in the same process before it execs the program; a parent may set its
// child's), else the one in force at its exit or at launch.
std::optional<MemoryLimit> memoryLimit(const DiagnosisContext& context)
{
    const std::string self = ", pid " + std::to_string(context.subject().pid);
    std::optional<MemoryLimit> set;
    for (std::uint64_t seq = 0; seq < context.data().events().size() && seq <= context.subject().endSeq; ++seq) {
        const Event& e = context.event(seq);
        const std::string op = context.op(e);
        if (e.failed() || (op != "prlimit64" && op != "setrlimit"))
            continue;
        const std::string detail = context.text(e.detail);
        const bool own = e.pid == context.subject().pid && detail.find(", pid ") == std::string::npos;
        if (!own
            && !(detail.size() >= self.size() && detail.compare(detail.size() - self.size(), self.size(), self) == 0))
            continue;
        for (const char* name : { "RLIMIT_AS", "RLIMIT_DATA" }) {
            const std::string prefix = std::string(name) + ", soft ";
            if (detail.rfind(prefix, 0) != 0 || prefix.size() >= detail.size()
                || !std::isdigit(static_cast<unsigned char>(detail[prefix.size()])))
                continue;
            MemoryLimit limit;
            limit.name = name;
            limit.bytes = std::stoll(detail.substr(prefix.size(), 18));
            limit.seq = seq;
            limit.source =
                "set by " + op + " in pid " + std::to_string(e.pid) + " (event #" + std::to_string(seq) + ")";
            set = limit;
        }
    }
    if (set)
        return set;
    const ExitContext& exit = context.subject().exitContext;
    if (exit.addressSpaceLimit >= 0)
        return MemoryLimit { "RLIMIT_AS", exit.addressSpaceLimit, "in force when it exited", std::nullopt };
    for (const char* name : { "RLIMIT_AS", "RLIMIT_DATA" }) {
        if (const std::int64_t value = launchLimit(context, name); value >= 0)
            return MemoryLimit { name, value, "inherited at launch", std::nullopt };
    }
    return std::nullopt;
}

void memoryFacts(Verdict& verdict, const DiagnosisContext& context, std::string& sentence)
{
    const ExitContext& exit = context.subject().exitContext;
    if (const auto limit = memoryLimit(context)) {
        verdict.fact("limit", limit->name);
        verdict.fact("limit_bytes", limit->bytes);
        verdict.fact("limit_source", limit->source);
        sentence += std::string(limit->name == "RLIMIT_AS" ? " Its address space" : " Its data segment")
            + " was limited to " + mib(limit->bytes) + " (" + limit->name + ", " + limit->source + ").";
        if (limit->seq)
            addEvidence(verdict, context, *limit->seq);
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
// A suggestion that names the limit and its value, when the verdict has one.
void limitSuggestion(Verdict& verdict)
{
    const auto* name = verdict.findFact("limit");
    const auto* bytes = verdict.findFact("limit_bytes");
    if (!name || !bytes)
        return;
    const std::string limit = std::get<std::string>(name->value);
    const std::int64_t value = std::get<std::int64_t>(bytes->value);
    verdict.suggestions.insert(verdict.suggestions.begin(),
        "Raise " + limit + " (now " + mib(value) + ", " + std::to_string(value)
            + " bytes): " + (limit == "RLIMIT_AS" ? "ulimit -v / prlimit --as" : "ulimit -d / prlimit --data")
            + " where the program is started, or remove it.");
}
} // namespace

std::optional<Verdict> outOfMemory(const DiagnosisContext& context)
{
    if (!context.failed())
        return std::nullopt;
    const ExitStatus& status = context.status();
    const ExitContext& exit = context.subject().exitContext;

    if (context.goCrash() && context.goCrash()->kind == GoCrash::Kind::OutOfMemory) {
        const auto limit = memoryLimit(context);
        // No frame of its own: the runtime was still starting (reserving its heap) when it failed.
        const bool beforeMain = context.goCrash()->function.empty() && limit;
        Verdict verdict = makeVerdict("oom",
            context.programName() + " ran out of memory"
                + (limit ? " under its " + limit->name + " limit of " + mib(limit->bytes) : std::string())
                + (beforeMain ? ": the Go runtime failed before main." : ": the Go runtime could not allocate."),
            0.95);
        if (beforeMain)
            verdict.fact("before_main", static_cast<std::int64_t>(1));
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
        limitSuggestion(verdict);
        return verdict;
    }

    // The Go runtime cannot even start under a small RLIMIT_AS/RLIMIT_DATA: it reserves its arena
    // and page summaries before main ("failed to reserve page summary memory", "out of memory
    // allocating heap arena map").
    if (const auto& crash = context.goCrash(); crash && crash->kind == GoCrash::Kind::FatalError) {
        const auto limit = memoryLimit(context);
        static const std::vector<std::string> words = { "out of memory", "failed to reserve", "cannot allocate",
            "cannot reserve", "cannot map" };
        const bool memoryWords = std::any_of(words.begin(), words.end(),
            [&](const std::string& word) { return crash->message.find(word) != std::string::npos; });
        if (limit && memoryWords) {
            const bool beforeMain = crash->function.empty();
            Verdict verdict = makeVerdict("oom",
                context.programName() + " could not reserve memory under its " + limit->name + " limit of "
                    + mib(limit->bytes) + (beforeMain ? ": the Go runtime failed before main." : "."),
                0.9);
            verdict.fact("message", crash->message);
            if (beforeMain)
                verdict.fact("before_main", static_cast<std::int64_t>(1));
            verdict.explanation = "The Go runtime stopped with \"fatal error: " + crash->message + "\".";
            memoryFacts(verdict, context, verdict.explanation);
            verdict.explanation += " A Go program reserves hundreds of MiB of address space at start-up, far more "
                                   "than it uses.";
            if (auto write = context.writeCarrying(crash->message))
                addEvidence(verdict, context, *write, "the runtime's message on stderr: " + crash->message);
            limitSuggestion(verdict);
            return verdict;
        }
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
        // What it asked for: the mapping's size ("2147483648 bytes, PROT_READ, MAP_SHARED").
        const Event& failed = context.event(*enomem);
        const std::string detail = context.text(failed.detail);
        std::int64_t asked = -1;
        if (context.op(failed) == "mmap" && !detail.empty() && std::isdigit(static_cast<unsigned char>(detail[0])))
            asked = std::stoll(detail.substr(0, std::min<std::size_t>(detail.find(' '), 18)));
        const auto limit = memoryLimit(context);
        Verdict verdict = makeVerdict("oom",
            context.programName() + " could not " + (asked > 0 ? "map " + mib(asked) : std::string("allocate memory"))
                + (limit ? " under its " + limit->name + " limit of " + mib(limit->bytes) : std::string()) + ".",
            0.85);
        if (asked > 0)
            verdict.fact("requested_bytes", asked);
        verdict.explanation = "A memory request failed with ENOMEM and the program stopped.";
        memoryFacts(verdict, context, verdict.explanation);
        addEvidence(verdict, context, *enomem);
        verdict.suggestions.push_back("Raise the address-space or memory limit, or reduce the program's memory use.");
        limitSuggestion(verdict);
        return verdict;
    }
    return std::nullopt;
}

} // namespace exitlens::rules
