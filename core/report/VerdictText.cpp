#include "VerdictText.h"

namespace exitlens {

namespace {
void appendPlain(std::string& text, const Verdict& verdict, const std::string& indent)
{
    text += indent + verdict.headline + "  [" + verdict.category + "]\n";
    if (!verdict.explanation.empty())
        text += indent + verdict.explanation + "\n";
    for (const auto& item : verdict.evidence) {
        text += indent + "  • " + item.text;
        if (item.event)
            text += "  [event #" + std::to_string(*item.event) + "]";
        text += "\n";
    }
    for (const auto& suggestion : verdict.suggestions)
        text += indent + "  → " + suggestion + "\n";
    for (const auto& child : verdict.children) {
        text += indent + "  Child process " + std::to_string(child.pid) + ":\n";
        appendPlain(text, child, indent + "    ");
    }
}

void appendMarkdown(std::string& text, const Verdict& verdict, int level);

void appendMarkdownBody(std::string& text, const Verdict& verdict, int level)
{
    if (!verdict.explanation.empty())
        text += verdict.explanation + "\n\n";
    if (!verdict.evidence.empty()) {
        text += "**Evidence**\n\n";
        for (const auto& item : verdict.evidence)
            text +=
                "- `" + item.text + "`" + (item.event ? " (event #" + std::to_string(*item.event) + ")" : "") + "\n";
        text += "\n";
    }
    if (!verdict.suggestions.empty()) {
        text += "**What to do**\n\n";
        for (const auto& suggestion : verdict.suggestions)
            text += "- " + suggestion + "\n";
        text += "\n";
    }
    for (const auto& child : verdict.children)
        appendMarkdown(text, child, level + 1);
}

void appendMarkdown(std::string& text, const Verdict& verdict, int level)
{
    text += std::string(static_cast<std::size_t>(level), '#') + " " + verdict.headline + "\n\n";
    text += "**Category:** `" + verdict.category + "`";
    if (verdict.pid != 0)
        text += " · **pid:** " + std::to_string(verdict.pid);
    text += "\n\n";
    appendMarkdownBody(text, verdict, level);
}
} // namespace

std::string VerdictText::plain(const Verdict& verdict)
{
    std::string text;
    appendPlain(text, verdict, "");
    return text;
}

std::string VerdictText::markdown(const Verdict& verdict)
{
    std::string text;
    appendMarkdown(text, verdict, 2);
    return text;
}

std::string VerdictText::markdownBody(const Verdict& verdict)
{
    std::string text;
    appendMarkdownBody(text, verdict, 2);
    return text;
}

} // namespace exitlens
