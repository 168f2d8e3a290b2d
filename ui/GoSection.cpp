#include "GoSection.h"

#include "Theme.h"
#include "go/TracebackParser.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kMaxBuckets = 20;
constexpr int kMaxFrames = 40;
constexpr qsizetype kMaxCrashText = 256 * 1024;
constexpr int kFileRole = Qt::UserRole + 1;
constexpr int kLineRole = Qt::UserRole + 2;

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}
} // namespace

GoSection::GoSection(QWidget* parent)
    : QWidget(parent)
    , m_build(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_where(new QLabel(this))
    , m_frames(new QTreeWidget(this))
    , m_rawToggle(new QToolButton(this))
    , m_raw(new QPlainTextEdit(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_build->setWordWrap(true);
    m_build->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_build);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_reason->setFont(mono);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_reason);
    m_where->setWordWrap(true);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_where);

    m_frames->setHeaderLabels({ tr("Goroutines and frames"), tr("Source") });
    m_frames->setRootIsDecorated(true);
    m_frames->setUniformRowHeights(true);
    m_frames->header()->setStretchLastSection(true);
    m_frames->setColumnWidth(0, 300);
    m_frames->setColumnWidth(0, 260);
    m_frames->setToolTip(tr("Bold: the program's own code. Double-click a frame whose source file exists to open it."));
    layout->addWidget(m_frames);

    m_rawToggle->setText(tr("Show the raw traceback"));
    m_rawToggle->setCheckable(true);
    m_rawToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_rawToggle->setArrowType(Qt::RightArrow);
    m_rawToggle->setAutoRaise(true);
    layout->addWidget(m_rawToggle);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(mono);
    m_raw->setMinimumHeight(140);
    m_raw->hide();
    layout->addWidget(m_raw, 1);
    connect(m_rawToggle, &QToolButton::toggled, this, [this](bool on) {
        m_raw->setVisible(on);
        m_rawToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_rawToggle->setText(on ? tr("Hide the raw traceback") : tr("Show the raw traceback"));
    });
    connect(m_frames, &QTreeWidget::itemActivated, this, &GoSection::onFrameActivated);
    connect(m_frames, &QTreeWidget::itemExpanded, this, &GoSection::fitFrames);
    connect(m_frames, &QTreeWidget::itemCollapsed, this, &GoSection::fitFrames);
    clear();
}

QString GoSection::extractCrashText(const QString& stderrText)
{
    // The runtime's death message starts at one of these lines; everything before it is the
    // program's own logging.
    static const QRegularExpression start(
        QStringLiteral("^(panic: |fatal error: |runtime: |SIGQUIT: |SIGABRT: |\\[signal |goroutine \\d+ \\[)"),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = start.match(stderrText);
    if (!match.hasMatch())
        return QString();
    QString text = stderrText.mid(match.capturedStart());
    if (text.size() > kMaxCrashText)
        text = text.left(kMaxCrashText) + QStringLiteral("\n[… cut …]");
    return text;
}

void GoSection::clear()
{
    m_hasContent = false;
    m_crashText.clear();
    m_buildSummary.clear();
    m_build->clear();
    m_reason->clear();
    m_reason->hide();
    m_where->clear();
    m_where->hide();
    m_frames->clear();
    m_frames->hide();
    m_raw->clear();
    m_rawToggle->hide();
    m_raw->hide();
    m_rawToggle->setChecked(false);
}

QString GoSection::reason() const
{
    return m_reason->text();
}

void GoSection::setContent(const ProgramInfo::Facts& facts, const QString& stderrText)
{
    clear();
    const QString muted = Theme::mutedText(palette()).name();
    m_crashText = extractCrashText(stderrText);
    if (facts.isGo) {
        QStringList parts { facts.goVersion };
        if (!facts.mainPath.isEmpty())
            parts << facts.mainPath;
        if (!facts.cgo.isEmpty())
            parts << tr("cgo %1").arg(facts.cgo);
        m_buildSummary = parts.join(QStringLiteral(" · "));
        m_build->setText(
            tr("<b>Build</b> <span style='color:%1'>%2</span>").arg(muted, m_buildSummary.toHtmlEscaped()));
    } else if (!m_crashText.isEmpty()) {
        m_build->setText(
            tr("<span style='color:%1'>The program's build information could not be read.</span>").arg(muted));
    }
    m_hasContent = facts.isGo || !m_crashText.isEmpty();
    if (m_crashText.isEmpty()) {
        if (facts.isGo)
            m_build->setText(m_build->text()
                + tr("<br><span style='color:%1'>The Go runtime printed no panic or fatal error: the program "
                     "chose to exit.</span>")
                      .arg(muted));
        return;
    }

    const std::string text = m_crashText.toStdString();
    const GoTraceback traceback = TracebackParser::parse(text, facts.ownModule.toStdString());
    QString header;
    switch (traceback.kind) {
    case GoTraceback::Kind::Panic:
        header = QStringLiteral("panic: ") + q(traceback.reason);
        break;
    case GoTraceback::Kind::FatalError:
        header = QStringLiteral("fatal error: ") + q(traceback.reason);
        break;
    case GoTraceback::Kind::Signal:
    case GoTraceback::Kind::None:
        header = q(traceback.reason);
        break;
    }
    if (traceback.signal)
        header += QStringLiteral("\n[signal %1: %2 code=%3 addr=%4 pc=%5]")
                      .arg(q(traceback.signal->name), q(traceback.signal->description), q(traceback.signal->code),
                          q(traceback.signal->address), q(traceback.signal->pc));
    if (header.trimmed().isEmpty())
        header = m_crashText.section(QLatin1Char('\n'), 0, 0);
    m_reason->setText(header.trimmed());
    m_reason->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(Theme::failureText(palette()).name()));
    m_reason->show();
    if (const GoFrame* own = traceback.ownFrameFrame()) {
        m_where->setText(tr("In the program's own code: <b>%1</b><br><span style='color:%2'>%3:%4</span>")
                             .arg(q(own->function).toHtmlEscaped(), muted, q(own->file).toHtmlEscaped())
                             .arg(own->line));
        m_where->show();
    }

    const QString ownModule = facts.ownModule;
    QFont bold = m_frames->font();
    bold.setBold(true);
    const QColor accent = Theme::accent(palette());
    const QColor mutedColor = Theme::mutedText(palette());
    int bucketCount = 0;
    for (const GoStackBucket& bucket : traceback.buckets) {
        if (bucketCount++ >= kMaxBuckets)
            break;
        QString title = bucket.ids.size() == 1 ? tr("goroutine %1").arg(bucket.ids.front())
                                               : tr("%n goroutines", nullptr, int(bucket.ids.size()));
        if (!bucket.state.empty())
            title += QStringLiteral(" [%1]").arg(q(bucket.state));
        auto* top = new QTreeWidgetItem(m_frames, { title });
        top->setFont(0, bold);
        int frameCount = 0;
        for (const GoFrame& frame : bucket.frames) {
            if (frameCount++ >= kMaxFrames)
                break;
            const QString location =
                frame.file.empty() ? QString() : QStringLiteral("%1:%2").arg(q(frame.file)).arg(frame.line);
            const QString shortLocation = frame.file.empty()
                ? QString()
                : QStringLiteral("%1:%2").arg(QFileInfo(q(frame.file)).fileName()).arg(frame.line);
            auto* item = new QTreeWidgetItem(top, { q(frame.function), shortLocation });
            const bool own = !ownModule.isEmpty() ? TracebackParser::inModule(frame.function, ownModule.toStdString())
                                                  : !frame.isRuntime() && !frame.isStandardLibrary();
            if (own) {
                item->setFont(0, bold);
                item->setForeground(0, accent);
            } else if (frame.isRuntime()) {
                item->setForeground(0, mutedColor);
                item->setForeground(1, mutedColor);
            }
            item->setData(0, kFileRole, q(frame.file));
            item->setData(0, kLineRole, frame.line);
            const bool exists = !frame.file.empty() && QFileInfo::exists(q(frame.file));
            item->setToolTip(0,
                exists ? tr("%1\nDouble-click to open it").arg(location)
                       : tr("%1\nThe source file is not on this machine").arg(location));
            item->setToolTip(1, item->toolTip(0));
        }
        if (bucket.createdBy)
            new QTreeWidgetItem(top,
                { tr("created by %1").arg(q(bucket.createdBy->function)),
                    QStringLiteral("%1:%2")
                        .arg(QFileInfo(q(bucket.createdBy->file)).fileName())
                        .arg(bucket.createdBy->line) });
        top->setExpanded(bucketCount == 1);
    }
    m_frames->setVisible(m_frames->topLevelItemCount() > 0);
    fitFrames();
    m_raw->setPlainText(m_crashText);
    m_rawToggle->show();
}

void GoSection::fitFrames()
{
    // As tall as its visible rows (up to a dozen): no empty box, and no scrolling for a short trace.
    int rows = 0;
    for (int i = 0; i < m_frames->topLevelItemCount(); ++i) {
        ++rows;
        if (m_frames->topLevelItem(i)->isExpanded())
            rows += m_frames->topLevelItem(i)->childCount();
    }
    const int rowHeight = qMax(m_frames->fontMetrics().height() + 4, 18);
    const int header = m_frames->header()->sizeHint().height();
    m_frames->setFixedHeight(header + qBound(2, rows, 12) * rowHeight + 2 * m_frames->frameWidth() + 4);
}

void GoSection::onFrameActivated(QTreeWidgetItem* item)
{
    const QString file = item->data(0, kFileRole).toString();
    if (!file.isEmpty() && QFileInfo::exists(file))
        Q_EMIT openSourceRequested(file, item->data(0, kLineRole).toInt());
}

} // namespace exitlens
