#include "VerdictPanel.h"

#include "GoSection.h"
#include "Icons.h"
#include "ProgramInfo.h"
#include "ShellWords.h"
#include "Theme.h"
#include "Tracer.h"
#include "model/CaptureData.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kSeqRole = Qt::UserRole + 1;

QLabel* titleLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

QString confidenceWord(double confidence)
{
    if (confidence >= 0.85)
        return QObject::tr("certain");
    if (confidence >= 0.6)
        return QObject::tr("likely");
    if (confidence > 0)
        return QObject::tr("possible");
    return QString();
}

QString childLines(const std::vector<Verdict>& children, int depth)
{
    QString html;
    for (const Verdict& child : children) {
        html += QStringLiteral("<li><b>%1</b> <span>(%2%3)</span>")
                    .arg(q(child.headline).toHtmlEscaped(), VerdictMarkdown::categoryLabel(child.category),
                        child.pid ? QStringLiteral(", pid %1").arg(child.pid) : QString());
        if (!child.children.empty() && depth < 4)
            html += QStringLiteral("<ul>") + childLines(child.children, depth + 1) + QStringLiteral("</ul>");
        html += QStringLiteral("</li>");
    }
    return html;
}
} // namespace

VerdictPanel::VerdictPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(m_scroll);
    auto* content = new QWidget(m_scroll);
    m_scroll->setWidget(content);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);

    m_state = new QLabel(content);
    m_state->setWordWrap(true);
    layout->addWidget(m_state);

    m_headline = new QLabel(content);
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont headlineFont = m_headline->font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.45);
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    layout->addWidget(m_headline);

    auto* badgeRow = new QHBoxLayout;
    m_badge = new QLabel(content);
    m_badge->setToolTip(tr("The verdict's category"));
    m_confidence = new QLabel(content);
    // Both wrap, so that the row fits a narrow pane (a small screen) beside Copy as Markdown.
    m_badge->setWordWrap(true);
    m_confidence->setWordWrap(true);
    badgeRow->addWidget(m_badge);
    badgeRow->addWidget(m_confidence);
    badgeRow->addStretch(1);
    m_copy = new QPushButton(Icons::icon(IconId::Copy), tr("Copy as &Markdown"), content);
    m_copy->setToolTip(tr("Copy the verdict, evidence and suggestions as Markdown, for a bug report"));
    badgeRow->addWidget(m_copy);
    layout->addLayout(badgeRow);

    m_explanation = new QLabel(content);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_explanation);

    // The user's own note on the verdict (saved in the session); hidden when there is none.
    m_note = new QLabel(content);
    m_note->setObjectName(QStringLiteral("verdictNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setFrameShape(QFrame::StyledPanel);
    m_note->setContentsMargins(6, 4, 6, 4);
    m_note->hide();
    layout->addWidget(m_note);

    m_source = new QLabel(content);
    m_source->setTextFormat(Qt::RichText);
    m_source->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_source->setToolTip(tr("Open the program's own source line behind this verdict"));
    layout->addWidget(m_source);

    m_evidenceTitle = titleLabel(tr("Evidence"), content);
    layout->addWidget(m_evidenceTitle);
    m_evidence = new QListWidget(content);
    m_evidence->setWordWrap(true);
    m_evidence->setTextElideMode(Qt::ElideNone);
    m_evidence->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_evidence->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_evidence->setToolTip(tr("Click an item to select its event in the table"));
    m_evidence->setCursor(Qt::PointingHandCursor);
    layout->addWidget(m_evidence);

    m_suggestionsTitle = titleLabel(tr("What to do"), content);
    layout->addWidget(m_suggestionsTitle);
    m_suggestions = new QLabel(content);
    m_suggestions->setWordWrap(true);
    m_suggestions->setTextFormat(Qt::RichText);
    m_suggestions->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_suggestions);

    m_childrenTitle = titleLabel(tr("Child processes that failed"), content);
    layout->addWidget(m_childrenTitle);
    m_children = new QLabel(content);
    m_children->setWordWrap(true);
    m_children->setTextFormat(Qt::RichText);
    layout->addWidget(m_children);

    m_goBox = new QGroupBox(tr("Go"), content);
    auto* goLayout = new QVBoxLayout(m_goBox);
    m_go = new GoSection(m_goBox);
    goLayout->addWidget(m_go);
    layout->addWidget(m_goBox);
    layout->addStretch(1);

    connect(m_evidence, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QVariant seq = item->data(kSeqRole);
        if (seq.isValid())
            Q_EMIT evidenceActivated(seq.toULongLong());
    });
    connect(m_evidence, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const QVariant seq = item->data(kSeqRole);
        if (seq.isValid())
            Q_EMIT evidenceActivated(seq.toULongLong());
    });
    m_evidence->installEventFilter(this);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(markdown()); });
    connect(m_go, &GoSection::openSourceRequested, this, &VerdictPanel::openSourceRequested);
    connect(m_source, &QLabel::linkActivated, this, [this] { Q_EMIT openSourceRequested(m_sourceFile, m_sourceLine); });
    clear();
}

void VerdictPanel::setNote(const QString& text)
{
    m_note->setText(tr("<b>Note:</b> %1").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
    m_note->setVisible(!text.isEmpty());
}

QString VerdictPanel::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

void VerdictPanel::clear()
{
    m_hasVerdict = false;
    m_verdict = Verdict {};
    m_context = {};
    m_state->setText(tr("Launch a program to find out why it exits. The verdict, its evidence and what to do about "
                        "it appear here when the program ends."));
    m_state->show();
    for (QWidget* widget :
        std::initializer_list<QWidget*> { m_headline, m_badge, m_confidence, m_explanation, m_evidenceTitle, m_evidence,
            m_suggestionsTitle, m_suggestions, m_childrenTitle, m_children, m_goBox, m_copy, m_source })
        widget->hide();
    m_go->clear();
}

void VerdictPanel::showRunning(const QString& program)
{
    clear();
    m_state->setText(tr("<b>%1 is running.</b><br>The verdict appears here when it ends. Stop it (Ctrl+K) to get a "
                        "verdict now.")
                         .arg(program.toHtmlEscaped()));
}

void VerdictPanel::updateRunning(const LiveState& state)
{
    if (m_hasVerdict)
        return;
    const QString muted = Theme::mutedText(palette()).name();
    QString html = tr("<p><b>%1 is running.</b> The verdict appears here when it ends; stop it (Ctrl+K) to get one "
                      "now.</p>")
                       .arg(state.program.toHtmlEscaped());
    html += QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    const auto row = [&](const QString& name, const QString& value) {
        html += QStringLiteral("<tr><td style='color:%1;padding-right:12px' valign='top'>%2</td><td>%3</td></tr>")
                    .arg(muted, name, value);
    };
    row(tr("Running for"), tr("%1 s").arg(double(state.elapsedMs) / 1000.0, 0, 'f', 1));
    row(tr("Processes"), tr("%1 (%2 running)").arg(state.processes).arg(state.runningProcesses));
    row(tr("Events"), QLocale().toString(qulonglong(state.events)));
    row(tr("Failed calls"), QLocale().toString(qulonglong(state.failures)));
    if (!state.lastFailure.isEmpty())
        row(tr("Last failure"),
            QStringLiteral("<span style='color:%1'>%2</span> <span style='color:%3'>(event #%4)</span>")
                .arg(Theme::failureText(palette()).name(), state.lastFailure.toHtmlEscaped(), muted)
                .arg(state.lastFailureSeq));
    if (!state.lastStderr.isEmpty())
        row(tr("Last on stderr"), QStringLiteral("<code>%1</code>").arg(state.lastStderr.toHtmlEscaped()));
    html += QStringLiteral("</table>");
    m_state->setText(html);
}

void VerdictPanel::setVerdict(const Verdict& verdict, const CaptureData& capture, const TraceSummary& summary)
{
    clear();
    m_hasVerdict = true;
    m_verdict = verdict;
    m_state->hide();

    m_headline->setText(q(verdict.headline));
    m_headline->show();
    m_badge->setText(VerdictMarkdown::categoryLabel(verdict.category));
    m_badge->show();
    applyBadgeStyle();
    const QString confidence = confidenceWord(verdict.confidence);
    m_confidence->setText(confidence.isEmpty() ? QString() : tr("confidence: %1").arg(confidence));
    m_confidence->setToolTip(tr("%1% sure").arg(qRound(verdict.confidence * 100)));
    m_confidence->setVisible(!confidence.isEmpty());
    m_copy->show();
    m_explanation->setText(q(verdict.explanation));
    m_explanation->setVisible(!verdict.explanation.empty());

    // The source line: the facts file + line (from the Go stack of the exit), else location
    // ("/src/app/main.go:12", from a traceback).
    m_sourceFile.clear();
    m_sourceLine = 0;
    const auto text = [&](const char* key) {
        const Verdict::Fact* fact = verdict.findFact(key);
        const auto* value = fact ? std::get_if<std::string>(&fact->value) : nullptr;
        return value ? q(*value) : QString();
    };
    if (const Verdict::Fact* line = verdict.findFact("line"); line && !text("file").isEmpty()) {
        m_sourceFile = text("file");
        if (const auto* number = std::get_if<std::int64_t>(&line->value))
            m_sourceLine = static_cast<int>(*number);
    } else if (const QString location = text("location"); location.contains(':')) {
        bool ok = false;
        m_sourceLine = location.section(':', -1).toInt(&ok);
        m_sourceFile = ok ? location.section(':', 0, -2) : QString();
    }
    if (!m_sourceFile.isEmpty() && m_sourceLine > 0) {
        const QString where = m_sourceFile.section('/', -1) + ":" + QString::number(m_sourceLine);
        const QString function = text("function");
        m_source->setText(tr("Source: <a href='source'>%1</a>%2")
                              .arg(where.toHtmlEscaped(),
                                  function.isEmpty() ? QString() : tr(" in %1").arg(function.toHtmlEscaped())));
        m_source->show();
    }

    m_evidence->clear();
    for (const auto& evidence : verdict.evidence) {
        auto* item = new QListWidgetItem(m_evidence);
        if (evidence.event) {
            item->setText(tr("%1  — event #%2").arg(q(evidence.text)).arg(*evidence.event));
            item->setData(kSeqRole, QVariant::fromValue<quint64>(*evidence.event));
            item->setIcon(Icons::icon(IconId::Find));
            item->setToolTip(tr("Select event #%1 in the table").arg(*evidence.event));
        } else {
            item->setText(q(evidence.text));
            item->setIcon(Icons::icon(IconId::Info));
            item->setToolTip(tr("Not tied to one event"));
        }
    }
    m_evidenceTitle->setVisible(!verdict.evidence.empty());
    m_evidence->setVisible(!verdict.evidence.empty());
    fitEvidenceList();

    QString suggestions;
    for (const auto& suggestion : verdict.suggestions)
        suggestions += QStringLiteral("<li style='margin-bottom:3px'>%1</li>").arg(q(suggestion).toHtmlEscaped());
    m_suggestions->setText(QStringLiteral("<ul style='margin-left:-20px'>%1</ul>").arg(suggestions));
    m_suggestionsTitle->setVisible(!verdict.suggestions.empty());
    m_suggestions->setVisible(!verdict.suggestions.empty());

    m_children->setText(QStringLiteral("<ul style='margin-left:-20px'>%1</ul>").arg(childLines(verdict.children, 0)));
    m_childrenTitle->setVisible(!verdict.children.empty());
    m_children->setVisible(!verdict.children.empty());

    // The Go section: the launched program's build info and whatever the runtime printed.
    const auto processes = capture.processes().snapshot();
    const QString exe = processes.empty() ? QString::fromStdString(capture.spec().program)
                                          : QString::fromStdString(processes.front().exe);
    const ProgramInfo::Facts facts = ProgramInfo::inspect(exe);
    const OutputLog::StreamView err = capture.outputLog().stream(2);
    QString stderrText = QString::fromUtf8(err.head.data(), qsizetype(err.head.size()));
    if (err.omittedBytes > 0)
        stderrText += QStringLiteral("\n");
    stderrText += QString::fromUtf8(err.tail.data(), qsizetype(err.tail.size()));
    m_go->setContent(facts, stderrText);
    m_goBox->setVisible(m_go->hasContent());

    QStringList argv { QString::fromStdString(capture.spec().program) };
    for (const auto& arg : capture.spec().args)
        argv << QString::fromStdString(arg);
    m_context.program = ShellWords::join(argv);
    m_context.workingDirectory = QString::fromStdString(capture.spec().workingDirectory);
    m_context.exitStatus = QString::fromStdString(summary.rootStatus.describe());
    m_context.goSummary = m_go->buildSummary();
    m_context.crashText = m_go->crashText();
    m_scroll->verticalScrollBar()->setValue(0);
}

QString VerdictPanel::markdown() const
{
    if (!m_hasVerdict)
        return QString();
    return VerdictMarkdown::build(m_verdict, m_context);
}

QString VerdictPanel::headlineText() const
{
    return m_hasVerdict ? m_headline->text() : QString();
}

void VerdictPanel::fitEvidenceList()
{
    // The list shows every item without its own scroll bar; the panel scrolls as a whole. Items
    // wrap, so each one's height comes from its text at the list's width.
    const int iconSpace = m_evidence->iconSize().width() > 0 ? m_evidence->iconSize().width() + 14 : 30;
    const int width = qMax(120, m_evidence->viewport()->width() - iconSpace - 8);
    const QFontMetrics metrics(m_evidence->font());
    int height = 2 * m_evidence->frameWidth() + 2;
    for (int i = 0; i < m_evidence->count(); ++i) {
        QListWidgetItem* item = m_evidence->item(i);
        const int text = metrics.boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, item->text()).height();
        const int rowHeight = qMax(text, m_evidence->iconSize().height()) + 10;
        item->setSizeHint(QSize(width, rowHeight));
        height += rowHeight;
    }
    m_evidence->setFixedHeight(qMax(height, 28));
}

void VerdictPanel::applyBadgeStyle()
{
    const QPalette& pal = palette();
    QColor text = Theme::failureText(pal);
    QColor background = Theme::failureBackground(pal);
    if (m_verdict.category == "clean_exit") {
        text = Theme::successText(pal);
        background = Theme::isDark(pal) ? QColor(0x1b, 0x3a, 0x24) : QColor(0xe6, 0xf6, 0xea);
    } else if (m_verdict.category == "unknown" || m_verdict.category.empty()) {
        text = Theme::mutedText(pal);
        background = pal.color(QPalette::AlternateBase);
    }
    m_badge->setStyleSheet(QStringLiteral("QLabel { color: %1; background: %2; border: 1px solid %1; border-radius: "
                                          "9px; padding: 2px 10px; font-weight: bold; }")
                               .arg(text.name(), background.name()));
}

void VerdictPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_hasVerdict)
        fitEvidenceList();
}

bool VerdictPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_evidence && event->type() == QEvent::Resize && m_hasVerdict) {
        const auto* resize = static_cast<QResizeEvent*>(event);
        if (resize->size().width() != resize->oldSize().width())
            fitEvidenceList();
    }
    return QWidget::eventFilter(watched, event);
}

void VerdictPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_hasVerdict)
        applyBadgeStyle();
}

} // namespace exitlens
