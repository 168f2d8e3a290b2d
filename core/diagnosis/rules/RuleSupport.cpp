#include "Rules.h"
#include "report/EventFormatter.h"

#include <fstream>

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
    const std::string& words = context.reason();
    return words.empty() ? std::string() : "\"" + words + "\"";
}

bool addSourceFacts(Verdict& verdict, const std::string& file, int line, const std::vector<std::string>& folders)
{
    if (file.empty() || line <= 0)
        return false;
    std::vector<std::string> candidates;
    if (file.front() == '/')
        candidates.push_back(file);
    // A -trimpath build names "module/dir/file.go": try its tail under each folder.
    for (const auto& folder : folders) {
        for (std::size_t at = 0; at != std::string::npos && !folder.empty(); at = file.find('/', at + 1)) {
            const std::string tail = file.substr(at == 0 && file.front() != '/' ? 0 : at + 1);
            if (!tail.empty())
                candidates.push_back(folder + "/" + tail);
        }
    }
    constexpr int kContext = 2;
    constexpr std::size_t kMaxLine = 300;
    for (const auto& candidate : candidates) {
        std::ifstream in(candidate);
        if (!in)
            continue;
        std::string text;
        std::string context;
        std::string found;
        for (int number = 1; number <= line + kContext && std::getline(in, text); ++number) {
            if (number < line - kContext)
                continue;
            if (text.size() > kMaxLine)
                text = text.substr(0, kMaxLine) + "…";
            if (number == line)
                found = text;
            context += (context.empty() ? "" : "\n") + std::to_string(number) + (number == line ? "> " : ": ") + text;
        }
        if (found.empty() && context.find(std::to_string(line) + "> ") == std::string::npos)
            continue;
        const std::size_t first = found.find_first_not_of(" \t");
        verdict.fact("source_line", first == std::string::npos ? std::string() : found.substr(first));
        verdict.fact("source_context", context);
        verdict.fact("source_file", candidate);
        return true;
    }
    return false;
}

std::vector<std::string> sourceFolders(const DiagnosisContext& context)
{
    std::vector<std::string> folders;
    const std::string& exe = context.subject().exe;
    if (const std::size_t slash = exe.rfind('/'); slash != std::string::npos && slash > 0)
        folders.push_back(exe.substr(0, slash));
    if (!context.subject().cwd.empty())
        folders.push_back(context.subject().cwd);
    return folders;
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
    addSourceFacts(verdict, own->file, static_cast<int>(own->line));
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
