// Verdicts on Windows processes (an imported Process Monitor log): exit statuses that are
// NTSTATUS codes, named and explained with the events that show the cause. Runs first: it only
// answers for a Windows exit status, which no Linux rule understands.
#include "NtStatus.h"
#include "diagnosis/rules/Rules.h"

#include <algorithm>
#include <cctype>

namespace exitlens::rules {

namespace {

constexpr std::uint32_t kDllNotFound = 0xC0000135;
constexpr std::uint32_t kEntryPointNotFound = 0xC0000139;
constexpr std::uint32_t kElevationRequired = 0xC000042C;
constexpr std::uint32_t kNameNotFound = 0xC0000034;
constexpr std::uint32_t kPathNotFound = 0xC000003A;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string baseName(const std::string& path)
{
    const auto slash = path.find_last_of("\\/");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The subject's own events, from its first to its exit.
std::vector<std::uint64_t> subjectEvents(const DiagnosisContext& context, const std::function<bool(const Event&)>& test)
{
    const ProcessRecord& subject = context.subject();
    std::vector<std::uint64_t> found;
    const std::uint64_t end = std::min<std::uint64_t>(subject.endSeq + 1, context.data().events().size());
    for (std::uint64_t seq = subject.startSeq; seq < end; ++seq) {
        const Event& event = context.event(seq);
        if (event.pid == subject.pid && test(event))
            found.push_back(seq);
    }
    return found;
}

Verdict missingDll(const DiagnosisContext& context, const std::string& name, const std::string& status)
{
    // Where the loader looked: the DLL opens that found nothing.
    const auto searches = subjectEvents(context, [&](const Event& event) {
        const std::uint32_t result = static_cast<std::uint32_t>(event.result);
        return event.cls == EventClass::File && (result == kNameNotFound || result == kPathNotFound)
            && endsWith(lower(context.text(event.path)), ".dll");
    });
    std::string dll;
    if (!searches.empty())
        dll = baseName(context.text(context.event(searches.back()).path));
    Verdict verdict = makeVerdict("missing_library",
        dll.empty() ? name + " could not start: a DLL it needs was not found (" + status + ")."
                    : name + " could not start: " + dll + " was not found (" + status + ").",
        dll.empty() ? 0.8 : 0.9);
    verdict.explanation = "Windows ended the process before its own code ran, because the loader could not find a "
                          "DLL the program imports.";
    if (!dll.empty()) {
        verdict.fact("dll", dll);
        verdict.explanation += " It searched for " + dll + " in " + std::to_string(searches.size())
            + (searches.size() == 1 ? " place" : " places") + " and found it in none.";
    }
    const std::size_t from = searches.size() > 6 ? searches.size() - 6 : 0;
    for (std::size_t i = from; i < searches.size(); ++i)
        addEvidence(verdict, context, searches[i]);
    verdict.suggestions.push_back("Install the package that provides " + (dll.empty() ? std::string("the DLL") : dll)
        + " (often a Visual C++ redistributable), or put it beside the program.");
    return verdict;
}

Verdict elevation(const DiagnosisContext& context, const std::string& name, const std::string& status)
{
    const ProcessRecord& subject = context.subject();
    Verdict verdict =
        makeVerdict("elevation_required", name + " needs to run as administrator: it exited with " + status + ".", 0.9);
    verdict.explanation = "The program asked for elevation (its manifest or a call that needs it) while running with "
        + (subject.windows.integrity.empty() ? std::string("normal") : subject.windows.integrity)
        + " integrity, and Windows refused to run it that way.";
    // The relaunch: the same image started again after this one ended, with High or System integrity.
    for (const ProcessRecord& other : context.processes()) {
        if (&other == &subject || other.startNs < subject.endNs || lower(other.exe) != lower(subject.exe))
            continue;
        if (other.windows.integrity != "High" && other.windows.integrity != "System")
            continue;
        verdict.headline = name + " needs to run as administrator: it exited with " + status
            + ", then ran again elevated (PID " + std::to_string(other.pid) + ", " + other.windows.integrity
            + " integrity), which " + other.status.describe() + ".";
        verdict.fact("elevated_pid", static_cast<std::int64_t>(other.pid));
        verdict.evidence.push_back({ "the elevated run: PID " + std::to_string(other.pid) + " ("
                + other.windows.integrity + " integrity) " + other.status.describe(),
            other.startSeq });
        break;
    }
    verdict.suggestions.push_back("Run it as administrator (right-click → Run as administrator), or from an elevated "
                                  "prompt.");
    return verdict;
}

} // namespace

std::optional<Verdict> windowsExit(const DiagnosisContext& context)
{
    const ExitStatus& status = context.status();
    if (!status.windows || status.kind != ExitStatus::Kind::Exited || status.code == 0)
        return std::nullopt;
    const ProcessRecord& subject = context.subject();
    const std::uint32_t code = status.windowsCode();
    const std::string name = baseName(subject.exe).empty() ? "the program" : baseName(subject.exe);
    const std::string statusText = formatWindowsExitStatus(code);
    std::optional<Verdict> verdict;
    if (code == kDllNotFound) {
        verdict = missingDll(context, name, statusText);
    } else if (code == kElevationRequired) {
        verdict = elevation(context, name, statusText);
    } else if (code == kEntryPointNotFound) {
        verdict = makeVerdict("missing_library",
            name + " could not start: a DLL lacks a function it imports (" + statusText + ").", 0.85);
        verdict->explanation = "A DLL was found but is a different version from the one the program was built "
                               "against: it does not export a function the program needs.";
        verdict->suggestions.push_back(
            "Look at the Load Image events before the exit: the last DLL loaded is often the wrong version.");
    } else if (code == 2 && context.isGo()) {
        verdict = makeVerdict("go_panic",
            name + " exited with status 2: most likely a panic or fatal error — its message went to its console.", 0.6);
        verdict->explanation = "A Go program exits with status 2 when it panics or the runtime stops it; Process "
                               "Monitor does not record a program's output, so the message itself is not in the log.";
        verdict->suggestions.push_back("Run it under ExitLens, or with `2> panic.txt`, to keep the message.");
    } else if (isNtStatusFailure(code)) {
        const NtStatusInfo* info = findNtStatus(code);
        const std::string what = info != nullptr ? std::string(info->description) : "an abnormal end";
        verdict = makeVerdict("crash", name + " ended abnormally with " + statusText + ": " + what + ".", 0.85);
        verdict->explanation = "The exit status is an NTSTATUS code of error severity: Windows or the program's "
                               "runtime ended the process, it did not choose this number.";
        if (code == 0xC000013A)
            verdict->category = "interrupted";
    } else {
        return std::nullopt; // a number the program chose: the generic rules describe it
    }
    verdict->fact("exit_status", statusText);
    verdict->evidence.insert(verdict->evidence.begin(), { name + " " + status.describe(), subject.endSeq });
    return verdict;
}

} // namespace exitlens::rules
