#include "EventDetailsPane.h"

#include "EventTableModel.h"
#include "Names.h"
#include "ProcessTreeModel.h"
#include "Theme.h"
#include "go/Symbolizer.h"
#include "model/CaptureData.h"
#include "report/EventFormatter.h"

#include <QEvent>
#include <QStringList>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

namespace exitlens {

namespace {
QString html(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size())).toHtmlEscaped();
}

QString flagNames(std::uint16_t flags)
{
    QStringList names;
    if (flags & EventFlag::Failed)
        names << QStringLiteral("failed");
    if (flags & EventFlag::Signaled)
        names << QStringLiteral("killed by a signal");
    if (flags & EventFlag::CoreDumped)
        names << QStringLiteral("core dumped");
    if (flags & EventFlag::Unfinished)
        names << QStringLiteral("unfinished (the process ended inside the call)");
    if (flags & EventFlag::RuntimeNoise)
        names << QStringLiteral("Go runtime housekeeping");
    if (flags & EventFlag::DurationSaturated)
        names << QStringLiteral("duration ≥ 4.29 s (saturated)");
    if (flags & EventFlag::Truncated)
        names << QStringLiteral("truncated");
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

QString kibText(std::int64_t kib)
{
    if (kib < 0)
        return QStringLiteral("unknown");
    if (kib >= 1024 * 1024)
        return QStringLiteral("%1 GiB").arg(double(kib) / 1048576.0, 0, 'f', 2);
    if (kib >= 1024)
        return QStringLiteral("%1 MiB").arg(double(kib) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 KiB").arg(kib);
}
} // namespace

EventDetailsPane::EventDetailsPane(QWidget* parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_browser);
    render();
}

EventDetailsPane::~EventDetailsPane() = default;

void EventDetailsPane::setCapture(std::shared_ptr<const CaptureData> capture, const QDateTime& startTime)
{
    m_data = std::move(capture);
    m_symbolizers.clear();
    m_startTime = startTime;
    m_seq.reset();
    render();
}

void EventDetailsPane::setEvent(std::optional<std::uint64_t> seq)
{
    m_seq = seq;
    render();
}

QString EventDetailsPane::stackRows(std::uint64_t seq, const QString& muted)
{
    const std::vector<CaptureData::EventStack> stacks = m_data->stacks(); // in sequence order, a few
    const auto found = std::lower_bound(stacks.begin(), stacks.end(), seq,
        [](const CaptureData::EventStack& stack, std::uint64_t value) { return stack.seq < value; });
    if (found == stacks.end() || found->seq != seq) {
        return tr("<span style='color:%1'>Not recorded for this event: ExitLens keeps the calling thread's stack "
                  "where a diagnosis needs it (exits, signals sent, failed opens and execs, writes to "
                  "stderr).</span>")
            .arg(muted);
    }
    ProcessRecord process;
    const std::string executable = m_data->processes().find(found->pid, process) ? process.exe : std::string();
    auto [symbolizer, inserted] = m_symbolizers.try_emplace(executable);
    if (inserted && !executable.empty()) {
        std::string ignored; // unreadable (a session from another machine): raw addresses below
        symbolizer->second = Symbolizer::open(executable, ignored);
    }
    QStringList lines;
    if (symbolizer->second) {
        for (const SymbolizedFrame& frame : symbolizer->second->symbolizeSample(found->pcs)) {
            QString line = frame.function.empty() ? QStringLiteral("0x%1").arg(frame.pc, 0, 16)
                                                  : QString::fromStdString(frame.function).toHtmlEscaped();
            if (!frame.file.empty())
                line += QStringLiteral(" <span style='color:%1'>%2:%3</span>")
                            .arg(muted, QString::fromStdString(frame.file).toHtmlEscaped())
                            .arg(frame.line);
            if (frame.inlined)
                line += tr(" (inlined)");
            lines << line;
        }
    } else {
        lines << tr("<span style='color:%1'>%2 cannot be read here: the return addresses as recorded</span>")
                     .arg(muted, QString::fromStdString(executable).toHtmlEscaped());
        for (const std::uint64_t pc : found->pcs)
            lines << QStringLiteral("0x%1").arg(pc, 0, 16);
    }
    return QStringLiteral("<code>%1</code>").arg(lines.join(QStringLiteral("<br>")));
}

QString EventDetailsPane::plainText() const
{
    return m_browser->toPlainText();
}

void EventDetailsPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        render();
}

void EventDetailsPane::setAnnotation(bool bookmarked, const QString& note)
{
    if (bookmarked == m_bookmarked && note == m_note)
        return;
    m_bookmarked = bookmarked;
    m_note = note;
    render();
}

void EventDetailsPane::render()
{
    const QString muted = Theme::mutedText(palette()).name();
    if (!m_data || !m_seq || *m_seq >= m_data->events().size()) {
        m_browser->setHtml(QStringLiteral("<p style='color:%1'>%2</p>")
                               .arg(muted, tr("Select an event in the table to see every field of it here.")));
        return;
    }
    const std::uint64_t seq = *m_seq;
    const Event& event = m_data->events().at(seq);

    QString text;
    const auto section = [&](const QString& title) {
        text += QStringLiteral("<h3 style='margin-top:10px;margin-bottom:4px'>%1</h3><table cellspacing='0' "
                               "cellpadding='2' width='100%'>")
                    .arg(title);
    };
    const auto row = [&](const QString& name, const QString& value) {
        text += QStringLiteral("<tr><td style='color:%1;padding-right:14px' valign='top' width='120'>%2</td>"
                               "<td valign='top'>%3</td></tr>")
                    .arg(muted, name, value);
    };
    const auto endSection = [&] { text += QStringLiteral("</table>"); };

    section(tr("Event %1").arg(seq));
    if (m_bookmarked)
        row(tr("Bookmark"), tr("Bookmarked (F2 / Shift+F2 go through the bookmarks)"));
    if (!m_note.isEmpty())
        row(tr("Note"),
            QStringLiteral("<i>%1</i>").arg(m_note.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
    row(tr("Operation"), QStringLiteral("<b>%1</b>").arg(html(m_data->text(event.op))));
    row(tr("Kind"),
        QStringLiteral("%1 · class %2")
            .arg(QString::fromLatin1(eventKindName(event.kind).data(), qsizetype(eventKindName(event.kind).size())),
                QString::fromLatin1(eventClassName(event.cls).data(), qsizetype(eventClassName(event.cls).size()))));
    row(tr("Time"),
        tr("%1 s after launch<br>%2")
            .arg(
                EventTableModel::relativeTime(event.timeNs), EventTableModel::absoluteTime(m_startTime, event.timeNs)));
    if (!m_data->text(event.path).empty())
        row(event.kind == EventKind::Output ? tr("Stream") : tr("Path"),
            QStringLiteral("<code>%1</code>").arg(html(m_data->text(event.path))));
    QString result = QString::fromStdString(EventFormatter::resultText(event)).toHtmlEscaped();
    if (event.kind == EventKind::ProcessExit)
        result = html(m_data->text(event.detail));
    if (event.failed())
        result =
            QStringLiteral("<span style='color:%1'><b>%2</b></span>").arg(Theme::failureText(palette()).name(), result);
    row(tr("Result"), result);
    if (!m_data->text(event.detail).empty() && event.kind != EventKind::ProcessExit)
        row(tr("Arguments"),
            QStringLiteral("<code style='white-space:pre-wrap'>%1</code>").arg(html(m_data->text(event.detail))));
    if (event.durationNs)
        row(tr("Duration"), EventTableModel::durationText(event));
    row(tr("Thread"), QString::number(event.tid));
    row(tr("Flags"), flagNames(event.flags));
    endSection();

    section(tr("Raw"));
    row(tr("Result value"), QString::number(event.result));
    row(tr("errno"),
        event.errnum ? QStringLiteral("%1 (%2)").arg(event.errnum).arg(QString::fromStdString(errnoName(event.errnum)))
                     : QStringLiteral("0"));
    row(tr("Flags"), QStringLiteral("0x%1").arg(event.flags, 4, 16, QLatin1Char('0')));
    row(tr("Time"), tr("%1 ns").arg(event.timeNs));
    row(tr("Arguments"),
        tr("<span style='color:%1'>The tracer stores decoded arguments (above), not raw register values.</span>")
            .arg(muted));
    endSection();

    section(tr("Stack"));
    text += QStringLiteral("<tr><td colspan='2'>%1</td></tr>").arg(stackRows(seq, muted)); // full width: long paths
    endSection();

    ProcessRecord process;
    section(tr("Process"));
    if (m_data->processes().find(event.pid, process)) {
        row(tr("Executable"),
            QStringLiteral("<code>%1</code>").arg(QString::fromStdString(process.exe).toHtmlEscaped()));
        row(tr("PID"), tr("%1 (parent %2)").arg(process.pid).arg(process.ppid));
        row(tr("Command line"),
            QStringLiteral("<code>%1</code>").arg(ProcessTreeModel::commandLine(process).toHtmlEscaped()));
        row(tr("Working directory"),
            QStringLiteral("<code>%1</code>").arg(QString::fromStdString(process.cwd).toHtmlEscaped()));
        row(tr("Started"), tr("%1 s").arg(EventTableModel::relativeTime(process.startNs)));
        if (process.status.ended()) {
            row(tr("Ended"),
                tr("%1 s — %2")
                    .arg(EventTableModel::relativeTime(process.endNs), ProcessTreeModel::endedText(process)));
            const ExitContext& context = process.exitContext;
            if (context.captured) {
                row(tr("Memory at exit"),
                    tr("peak %1, resident %2").arg(kibText(context.peakRssKiB), kibText(context.rssKiB)));
                row(tr("Open files at exit"), QString::number(context.openFiles.size()));
            }
            if (context.cgroupMemoryLimit >= 0)
                row(tr("cgroup memory limit"), kibText(context.cgroupMemoryLimit / 1024));
        } else {
            row(tr("Ended"), tr("still running"));
        }
        row(tr("Threads"), QString::number(process.threads));
    } else {
        row(QString(), tr("Process %1 is not in the process table.").arg(event.pid));
    }
    endSection();
    m_browser->setHtml(text);
}

} // namespace exitlens
