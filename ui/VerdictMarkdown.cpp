#include "VerdictMarkdown.h"

#include "report/VerdictText.h"

namespace exitlens {

namespace {
QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace

QString VerdictMarkdown::categoryLabel(const std::string& category)
{
    QString label = q(category.empty() ? std::string("unknown") : category);
    label.replace(QLatin1Char('_'), QLatin1Char(' '));
    return label;
}

QString VerdictMarkdown::build(const Verdict& verdict, const Context& context)
{
    QString out;
    out += QStringLiteral("## ExitLens verdict: %1\n\n").arg(q(verdict.headline));
    out += QStringLiteral("- **Category:** `%1`").arg(q(verdict.category.empty() ? "unknown" : verdict.category));
    if (verdict.confidence > 0)
        out += QStringLiteral(" (confidence %1%)").arg(qRound(verdict.confidence * 100));
    out += QLatin1Char('\n');
    if (!context.program.isEmpty())
        out += QStringLiteral("- **Program:** `%1`\n").arg(context.program);
    if (!context.workingDirectory.isEmpty())
        out += QStringLiteral("- **Working directory:** `%1`\n").arg(context.workingDirectory);
    if (!context.exitStatus.isEmpty())
        out += QStringLiteral("- **Exit:** %1\n").arg(context.exitStatus);
    if (!context.goSummary.isEmpty())
        out += QStringLiteral("- **Go:** %1\n").arg(context.goSummary);
    out += QLatin1Char('\n');
    // The verdict itself is written the same way everywhere (the CLI's Markdown uses it too).
    out += q(VerdictText::markdownBody(verdict));
    if (!context.crashText.isEmpty()) {
        out += QStringLiteral("### Go crash output\n\n```\n");
        out += context.crashText.trimmed();
        out += QStringLiteral("\n```\n");
    }
    return out;
}

} // namespace exitlens
