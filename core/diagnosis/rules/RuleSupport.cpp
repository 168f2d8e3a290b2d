#include "Rules.h"
#include "report/EventFormatter.h"

namespace exitlens::rules {

Verdict makeVerdict(const std::string& category, const std::string& headline, double confidence)
{
    Verdict verdict;
    verdict.category = category;
    verdict.headline = headline;
    verdict.confidence = confidence;
    return verdict;
}

void addEvidence(Verdict& verdict, const DiagnosisContext& context, std::uint64_t seq, const std::string& text)
{
    if (!text.empty()) {
        verdict.evidence.push_back({ text, seq });
        return;
    }
    // Default text: the event as the --print-events line shows it, without time and pid.
    std::string line = EventFormatter(context.data()).line(seq);
    if (const std::size_t bracket = line.find("] "); bracket != std::string::npos)
        line = line.substr(bracket + 2);
    verdict.evidence.push_back({ line, seq });
}

std::string quoteLastWords(const DiagnosisContext& context)
{
    const std::string words = context.lastWordsText(1);
    return words.empty() ? std::string() : "\"" + words + "\"";
}

std::int64_t launchLimit(const DiagnosisContext& context, const std::string& name)
{
    for (const auto& limit : context.launch().limits) {
        if (limit.name == name)
            return limit.soft;
    }
    return -1;
}

std::string mib(std::int64_t bytes)
{
    if (bytes < 0)
        return "unlimited";
    if (bytes >= 1 << 20)
        return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

namespace {
std::string baseName(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}
} // namespace

std::string locateExit(Verdict& verdict, const ExitStack& stack, int exitCode)
{
    const SymbolizedFrame* own = stack.ownFrame();
    if (!own)
        return {};
    const std::string call = stack.exitCall();
    verdict.fact("function", own->function);
    if (!own->file.empty()) {
        verdict.fact("file", own->file);
        verdict.fact("line", static_cast<std::int64_t>(own->line));
        verdict.fact("location", stack.location());
    }
    if (!call.empty())
        verdict.fact("exit_call", call);
    const std::string where = stack.shortLocation().empty() ? std::string() : " at " + stack.shortLocation();
    if (call == "os.Exit" || call == "syscall.Exit")
        return call + "(" + std::to_string(exitCode) + ") was called from " + own->function + where;
    if (call.empty())
        return "it exited from " + own->function + where;
    return call + " (which ended the process) was called from " + own->function + where;
}

std::string exitStackText(const ExitStack& stack, std::size_t maxFrames)
{
    // From the call the program made (skipping the runtime's exit stubs) outward.
    const auto& frames = stack.frames();
    const std::string call = stack.exitCall();
    std::size_t first = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (frames[i].function == call) {
            first = i;
            break;
        }
    }
    std::string text;
    for (std::size_t i = first, shown = 0; i < frames.size() && shown < maxFrames; ++i, ++shown) {
        const SymbolizedFrame& frame = frames[i];
        if (!text.empty())
            text += " ← ";
        text += frame.function.empty() ? "?" : frame.function;
        if (!frame.file.empty())
            text += " (" + baseName(frame.file) + ":" + std::to_string(frame.line) + ")";
    }
    return text;
}

std::optional<ExitContext::OpenFile> lastWordsFile(const DiagnosisContext& context)
{
    const auto files = context.writtenFiles();
    for (auto it = files.rbegin(); it != files.rend(); ++it)
        if (!it->tail.empty())
            return *it;
    return std::nullopt;
}

} // namespace exitlens::rules
