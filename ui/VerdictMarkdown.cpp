#include "VerdictMarkdown.h"

namespace exitlens {

namespace {
QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

void appendVerdict(QString& out, const Verdict& verdict, int depth)
{
    const QString indent(depth * 2, QLatin1Char(' '));
    if (depth > 0) {
        out += QStringLiteral("%1- **%2** (%3%4)\n")
                   .arg(indent, q(verdict.headline), VerdictMarkdown::categoryLabel(verdict.category),
                       verdict.pid ? QStringLiteral(", pid %1").arg(verdict.pid) : QString());
        for (const Verdict& child : verdict.children)
            appendVerdict(out, child, depth + 1);
        return;
    }
    if (!verdict.explanation.empty())
        out += q(verdict.explanation) + QStringLiteral("\n\n");
    if (!verdict.evidence.empty()) {
        out += QStringLiteral("### Evidence\n\n");
        for (const auto& evidence : verdict.evidence) {
            out += QStringLiteral("- ") + q(evidence.text);
            if (evidence.event)
                out += QStringLiteral(" (event #%1)").arg(*evidence.event);
            out += QLatin1Char('\n');
        }
        out += QLatin1Char('\n');
    }
    if (!verdict.suggestions.empty()) {
        out += QStringLiteral("### What to do\n\n");
        for (const auto& suggestion : verdict.suggestions)
            out += QStringLiteral("- ") + q(suggestion) + QLatin1Char('\n');
        out += QLatin1Char('\n');
    }
    if (!verdict.children.empty()) {
        out += QStringLiteral("### Child processes\n\n");
        for (const Verdict& child : verdict.children)
            appendVerdict(out, child, 1);
        out += QLatin1Char('\n');
    }
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
    appendVerdict(out, verdict, 0);
    if (!context.crashText.isEmpty()) {
        out += QStringLiteral("### Go crash output\n\n```\n");
        out += context.crashText.trimmed();
        out += QStringLiteral("\n```\n");
    }
    return out;
}

} // namespace exitlens
