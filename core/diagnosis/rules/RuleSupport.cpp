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

std::string mib(std::int64_t bytes)
{
    if (bytes < 0)
        return "unlimited";
    if (bytes >= 1 << 20)
        return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace exitlens::rules
