#include "HtmlReport.h"

#include "Names.h"
#include "Version.h"
#include "report/EventFormatter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <functional>
#include <map>
#include <set>

namespace exitlens {

namespace {
QString esc(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).toHtmlEscaped();
}

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString joinArgs(const std::vector<std::string>& args)
{
    QStringList parts;
    for (const auto& arg : args) {
        QString part = QString::fromStdString(arg);
        if (part.isEmpty() || part.contains(' ') || part.contains('"'))
            part = '"' + part.replace('"', "\\\"") + '"';
        parts << part;
    }
    return parts.join(' ');
}

QString seconds(std::uint64_t ns)
{
    return QString::number(static_cast<double>(ns) / 1e9, 'f', 3) + " s";
}

// Plain CSS, print-friendly: no colours needed to read it, evidence stands out in print too.
const char* const kStyle = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232a;"
                           "max-width:1100px;margin:2em auto;padding:0 1.2em}"
                           "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;border-bottom:2px solid #d8dee4;"
                           "padding-bottom:.2em;margin-top:1.8em}"
                           ".verdict{border-left:6px solid #c0392b;background:#fbeeee;padding:.8em 1.1em;"
                           "border-radius:4px}"
                           ".verdict.ok{border-color:#2e8b57;background:#eef8f1}"
                           ".category{display:inline-block;font:12px monospace;background:#1d232a;color:#fff;"
                           "padding:1px 7px;border-radius:9px;margin-right:.5em}"
                           ".muted{color:#5b6570}.small{font-size:.88em}"
                           "table{border-collapse:collapse;width:100%;font-size:.88em}"
                           "td,th{border-bottom:1px solid #e3e7eb;padding:3px 6px;text-align:left;vertical-align:top}"
                           "th{background:#f3f5f7}"
                           "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
                           "code,pre,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;font-size:.86em}"
                           "pre{background:#f6f8fa;border:1px solid #e3e7eb;padding:.7em;white-space:pre-wrap;"
                           "word-break:break-all;border-radius:4px}"
                           "tr.evidence td{background:#fff4d6;font-weight:600}"
                           "tr.failed td.line{color:#a61b1b}"
                           "ul.tree,ul.tree ul{list-style:none;padding-left:1.3em;margin:0}"
                           "ul.tree li{margin:.15em 0}ul.tree li::before{content:'└ ';color:#9aa4ae}"
                           ".banner{background:#fff4d6;border:1px solid #e8c964;padding:.4em .8em;border-radius:4px}"
                           "dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15em 1.2em;margin:0}"
                           "dl.facts dt{color:#5b6570}dl.facts dd{margin:0;word-break:break-all}"
                           "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
                           "tr,li,pre{break-inside:avoid}.verdict{-webkit-print-color-adjust:exact;"
                           "print-color-adjust:exact}}";

void fact(QString& html, const QString& name, const QString& valueHtml)
{
    if (valueHtml.isEmpty())
        return;
    html += "<dt>" + esc(name) + "</dt><dd>" + valueHtml + "</dd>";
}

QString processLine(const ProcessRecord& process)
{
    QString line = QString("<span class=\"mono\">%1</span> <b>%2</b>").arg(process.pid).arg(esc(process.exe));
    if (process.argv.size() > 1)
        line += " <span class=\"mono small\">"
            + esc(joinArgs(std::vector<std::string>(process.argv.begin() + 1, process.argv.end()))) + "</span>";
    line += " — " + esc(process.status.ended() ? process.status.describe() : std::string("still running"));
    if (process.threads > 1)
        line += QString(" <span class=\"muted small\">(%1 threads)</span>").arg(process.threads);
    if (process.exitContext.peakRssKiB >= 0)
        line += QString(" <span class=\"muted small\">peak RSS %1 MiB</span>")
                    .arg(static_cast<double>(process.exitContext.peakRssKiB) / 1024.0, 0, 'f', 1);
    return line;
}

void processTree(QString& html, const std::vector<ProcessRecord>& processes)
{
    // Children by parent pid; roots are processes whose parent was not traced.
    std::set<int> pids;
    for (const auto& process : processes)
        pids.insert(process.pid);
    std::multimap<int, std::size_t> children;
    std::vector<std::size_t> roots;
    for (std::size_t i = 0; i < processes.size() && i < static_cast<std::size_t>(HtmlReport::kMaxProcesses); ++i) {
        if (pids.count(processes[i].ppid) && processes[i].ppid != processes[i].pid)
            children.emplace(processes[i].ppid, i);
        else
            roots.push_back(i);
    }
    std::set<std::size_t> shown; // a hostile file may describe a cycle
    std::function<void(std::size_t, int)> node = [&](std::size_t index, int depth) {
        if (!shown.insert(index).second || depth > 64)
            return;
        html += "<li>" + processLine(processes[index]);
        auto range = children.equal_range(processes[index].pid);
        if (range.first != range.second) {
            html += "<ul>";
            for (auto it = range.first; it != range.second; ++it)
                node(it->second, depth + 1);
            html += "</ul>";
        }
        html += "</li>";
    };
    html += "<ul class=\"tree\">";
    for (std::size_t root : roots)
        node(root, 0);
    html += "</ul>";
    if (processes.size() > static_cast<std::size_t>(HtmlReport::kMaxProcesses))
        html += QString("<p class=\"muted\">… and %1 more processes.</p>")
                    .arg(processes.size() - static_cast<std::size_t>(HtmlReport::kMaxProcesses));
}

QString outputTail(const OutputLog::StreamView& view)
{
    std::string text = view.head + view.tail;
    bool cut = view.omittedBytes > 0;
    if (text.size() > static_cast<std::size_t>(HtmlReport::kOutputTailBytes)) {
        text = text.substr(text.size() - static_cast<std::size_t>(HtmlReport::kOutputTailBytes));
        cut = true;
    }
    QString html;
    if (cut)
        html += QString("<p class=\"muted small\">The last %1 of %2 bytes:</p>").arg(text.size()).arg(view.totalBytes);
    html += "<pre>" + esc(text) + "</pre>";
    return html;
}

QString scalarText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? "yes" : "no";
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

// A JSON document as readable facts: nested keys joined with dots, lists of values joined, lists of
// objects one line each; empty and null members left out. Bounded, whatever the document holds.
void flatten(const QString& prefix, const QJsonValue& value, QString& html, int& rows)
{
    constexpr int kMaxRows = 120;
    if (rows >= kMaxRows)
        return;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == "settings_in_order") // the same settings as "settings", in build order
                continue;
            flatten(prefix.isEmpty() ? it.key() : prefix + "." + it.key(), it.value(), html, rows);
        }
        return;
    }
    QString text;
    if (value.isArray()) {
        QStringList items;
        for (const auto& item : value.toArray()) {
            if (items.size() >= 40) {
                items << QString("… (%1 in all)").arg(value.toArray().size());
                break;
            }
            if (item.isObject()) {
                QStringList parts;
                const QJsonObject object = item.toObject();
                for (auto it = object.begin(); it != object.end(); ++it) {
                    if (!scalarText(it.value()).isEmpty())
                        parts << it.key() + "=" + scalarText(it.value());
                }
                items << parts.join(" ");
            } else if (!scalarText(item).isEmpty()) {
                items << scalarText(item);
            }
        }
        text = items.join(value.toArray().size() && value.toArray().first().isObject() ? "\n" : ", ");
    } else {
        text = scalarText(value);
    }
    if (text.isEmpty())
        return;
    ++rows;
    html += "<dt>" + esc(prefix) + "</dt><dd class=\"mono\" style=\"white-space:pre-wrap\">" + esc(text.left(4096))
        + "</dd>";
}

QString jsonFacts(const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (document.isNull())
        return "<pre>" + esc(QString::fromUtf8(json.left(16 * 1024))) + "</pre>";
    QString html = "<dl class=\"facts\">";
    int rows = 0;
    flatten({}, document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()), html, rows);
    return html + "</dl>";
}
} // namespace

QString HtmlReport::build(const CaptureData& data, const SessionInfo& info, const Verdict& verdict)
{
    const LaunchSpec& spec = data.spec();
    const LaunchContext context = data.context();
    const auto summary = data.summary();
    const auto processes = data.processes().snapshot();
    const std::uint64_t count = data.events().size();
    const EventFormatter formatter(data);
    const QString program = QString::fromStdString(spec.program);

    QString html;
    html.reserve(64 * 1024);
    html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"generator\" content=\"ExitLens "
        + QString::fromLatin1(kVersion) + "\"><title>ExitLens report: " + esc(program) + "</title><style>" + kStyle
        + "</style></head><body>";
    html += "<p class=\"muted small\">ExitLens report · " + esc(program) + "</p>";
    if (info.redacted)
        html += "<p class=\"banner\">This session was redacted for sharing: secret values are shown as "
                "[REDACTED].</p>";
    if (info.damaged)
        html += "<p class=\"banner\">The session file is damaged; this report covers what could be read: "
            + esc(info.damage) + ".</p>";
    else if (!info.complete && !info.path.isEmpty())
        html += "<p class=\"banner\">The capture did not finish cleanly: this report covers what was saved up to "
                "its last commit.</p>";

    // The verdict.
    const bool clean = verdict.category == "clean_exit";
    html += QString("<section class=\"verdict%1\">").arg(clean ? " ok" : "");
    html += "<span class=\"category\">" + esc(verdict.category) + "</span>";
    if (verdict.confidence > 0)
        html += QString("<span class=\"muted small\">confidence %1%</span>").arg(qRound(verdict.confidence * 100));
    html += "<h1>" + esc(verdict.headline) + "</h1>";
    if (!verdict.explanation.empty())
        html += "<p>" + esc(verdict.explanation) + "</p>";
    // The source at the crash or exit site, when it was on the machine that diagnosed it.
    if (const auto* source = verdict.findFact("source_context");
        source && std::holds_alternative<std::string>(source->value))
        html += "<pre class=\"source\">" + esc(std::get<std::string>(source->value)) + "</pre>";
    // Verdicts of failed child processes, nested (bounded: a saved verdict is untrusted input).
    std::function<void(const Verdict&, int)> children = [&](const Verdict& parent, int depth) {
        if (parent.children.empty() || depth > 8)
            return;
        html += "<ul>";
        for (std::size_t i = 0; i < parent.children.size() && i < 50; ++i) {
            const Verdict& child = parent.children[i];
            html += "<li><span class=\"category\">" + esc(child.category) + "</span>"
                + (child.pid ? QString("<span class=\"muted small\">pid %1</span> ").arg(child.pid) : QString()) + "<b>"
                + esc(child.headline) + "</b>";
            if (!child.explanation.empty())
                html += "<br><span class=\"small\">" + esc(child.explanation) + "</span>";
            children(child, depth + 1);
            html += "</li>";
        }
        html += "</ul>";
    };
    children(verdict, 0);
    html += "</section>";

    std::set<std::uint64_t> evidenceEvents;
    if (!verdict.evidence.empty()) {
        html += "<h2>Evidence</h2><ul>";
        for (const auto& item : verdict.evidence) {
            html += "<li>" + esc(item.text);
            if (item.event && *item.event < count) {
                evidenceEvents.insert(*item.event);
                html += QString(" <span class=\"muted small\">event #%1</span><br><code>%2</code>")
                            .arg(*item.event)
                            .arg(esc(formatter.line(*item.event)));
            }
            html += "</li>";
        }
        html += "</ul>";
    }
    if (!verdict.suggestions.empty()) {
        html += "<h2>What to do</h2><ul>";
        for (const auto& suggestion : verdict.suggestions)
            html += "<li>" + esc(suggestion) + "</li>";
        html += "</ul>";
    }

    // The target and the machine.
    html += "<h2>Target</h2><dl class=\"facts\">";
    fact(html, "Program", "<code>" + esc(spec.program) + "</code>");
    if (!context.resolvedProgram.empty() && context.resolvedProgram != spec.program)
        fact(html, "Resolved", "<code>" + esc(context.resolvedProgram) + "</code>");
    fact(html, "Arguments", spec.args.empty() ? QString("(none)") : "<code>" + esc(joinArgs(spec.args)) + "</code>");
    fact(html, "Working directory", esc(context.cwd.empty() ? spec.workingDirectory : context.cwd));
    if (!context.user.empty())
        fact(html, "User", esc(context.user) + QString(" (uid %1, gid %2)").arg(context.uid).arg(context.gid));
    if (summary)
        fact(html, "Exit", esc(summary->rootStatus.describe()));
    fact(html, "Capture",
        QString("%1 mode, classes %2; %3 events, %4 processes%5")
            .arg(spec.fullTrace ? "full" : "focused", esc(spec.classes.toString()))
            .arg(count)
            .arg(processes.size())
            .arg(summary && summary->dropped ? QString(", %1 dropped").arg(summary->dropped) : QString()));
    if (!spec.captureFilter.empty())
        fact(html, "Capture filter",
            "<code>" + esc(spec.captureFilter) + "</code>"
                + QString(" (%1 events did not match and were never recorded)")
                      .arg(summary ? summary->filteredOut : std::uint64_t(0)));
    const QString host = !info.hostname.isEmpty() ? info.hostname : QString::fromStdString(context.hostname);
    fact(html, "Host",
        esc(host) + (info.hostOs.isEmpty() ? QString() : " · " + esc(info.hostOs))
            + (info.kernel.isEmpty() ? QString() : " · kernel " + esc(info.kernel))
            + (info.arch.isEmpty() ? QString() : " · " + esc(info.arch)));
    fact(html, "Captured", esc(info.created));
    if (!info.exitlensVersion.isEmpty())
        fact(html, "Recorded by", "ExitLens " + esc(info.exitlensVersion));
    html += "</dl>";

    // Processes.
    html += QString("<h2>Process tree (%1)</h2>").arg(processes.size());
    if (processes.empty())
        html += "<p class=\"muted\">No process was recorded.</p>";
    else
        processTree(html, processes);

    // Key events: the evidence with a little context, failures, lifecycle and signals.
    std::set<std::uint64_t> key;
    for (std::uint64_t seq : evidenceEvents) {
        for (std::uint64_t around = seq > 3 ? seq - 3 : 0; around <= seq + 3 && around < count; ++around)
            key.insert(around);
    }
    std::size_t failures = 0;
    for (std::uint64_t seq = 0; seq < count && key.size() < static_cast<std::size_t>(kMaxKeyEvents); ++seq) {
        const Event& event = data.events().at(seq);
        const bool lifecycle = event.kind == EventKind::ProcessStart || event.kind == EventKind::ProcessExec
            || event.kind == EventKind::ProcessExit || event.kind == EventKind::Signal;
        const bool noise = (event.flags & EventFlag::RuntimeNoise) != 0;
        if ((lifecycle && !noise) || (event.failed() && failures++ < 150))
            key.insert(seq);
    }
    html += QString("<h2>Key events (%1 of %2)</h2>").arg(key.size()).arg(count);
    if (!key.empty()) {
        html += "<table><tr><th>#</th><th>time</th><th>pid</th><th>event</th></tr>";
        for (std::uint64_t seq : key) {
            const Event& event = data.events().at(seq);
            QString classes;
            if (evidenceEvents.count(seq))
                classes = "evidence";
            else if (event.failed())
                classes = "failed";
            const std::string line = formatter.line(seq);
            // The formatter starts with "+time [pid] ": the table shows those in their own columns.
            const auto start = line.find("] ");
            html +=
                QString("<tr class=\"%1\"><td class=\"num\">%2</td><td class=\"num\">%3</td><td class=\"num\">%4</td>"
                        "<td class=\"line mono\">%5</td></tr>")
                    .arg(classes)
                    .arg(seq)
                    .arg(seconds(event.timeNs))
                    .arg(event.pid)
                    .arg(esc(start == std::string::npos ? line : line.substr(start + 2)));
        }
        html += "</table>";
    }

    // Output.
    html += "<h2>Output</h2>";
    for (int stream : { 2, 1 }) {
        const auto view = data.outputLog().stream(stream);
        html += QString("<h3>%1 <span class=\"muted small\">(%2 bytes)</span></h3>")
                    .arg(stream == 2 ? "stderr" : "stdout")
                    .arg(view.totalBytes);
        if (view.totalBytes == 0)
            html += "<p class=\"muted\">Nothing was written.</p>";
        else
            html += outputTail(view);
    }

    if (!info.goBuildInfo.isEmpty()) {
        html += "<h2>Go build information</h2>" + jsonFacts(info.goBuildInfo);
    }
    if (!info.elfFacts.isEmpty()) {
        html += "<h2>Executable</h2>" + jsonFacts(info.elfFacts);
    }
    html += "<p class=\"muted small\">Generated by ExitLens " + QString::fromLatin1(kVersion) + " on "
        + QDateTime::currentDateTimeUtc().toString("yyyy-MM-dd HH:mm 'UTC'") + ".</p></body></html>";
    return html;
}

} // namespace exitlens
