#include "OutputPane.h"

#include "Icons.h"
#include "Names.h"
#include "OutputView.h"
#include "Theme.h"
#include "model/CaptureData.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

namespace exitlens {

namespace {
constexpr int kMaxHighlights = 2000;

QString byteCount(std::uint64_t bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / 1048576.0, 0, 'f', 1);
    if (bytes >= 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 bytes").arg(bytes);
}
} // namespace

OutputPane::OutputPane(QWidget* parent)
    : QWidget(parent)
    , m_view(new OutputView(this))
    , m_search(new QLineEdit(this))
    , m_caseSensitive(new QToolButton(this))
    , m_matches(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    m_search->setPlaceholderText(tr("Search output"));
    m_search->setToolTip(tr("Enter: next match, Shift+Enter: previous match"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(Icons::icon(IconId::Find), QLineEdit::LeadingPosition);
    m_caseSensitive->setText(QStringLiteral("Aa"));
    m_caseSensitive->setCheckable(true);
    m_caseSensitive->setToolTip(tr("Match case"));
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (Enter)"));
    bar->addWidget(m_search, 1);
    bar->addWidget(m_caseSensitive);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addWidget(m_matches);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_search, &QLineEdit::returnPressed, this,
        [this] { findNext(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(m_search, &QLineEdit::textChanged, this, &OutputPane::highlightMatches);
    connect(m_caseSensitive, &QToolButton::toggled, this, &OutputPane::highlightMatches);
    connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(m_view, &OutputView::lineActivated, this, &OutputPane::eventActivated);
}

void OutputPane::setCapture(std::shared_ptr<const CaptureData> capture)
{
    m_data = std::move(capture);
    m_nextChunk = 0;
    m_shownBytes[0] = m_shownBytes[1] = 0;
    m_pendingMissing[0] = m_pendingMissing[1] = 0;
    m_view->clearOutput();
    refresh();
}

QString OutputPane::plainText() const
{
    return m_view->toPlainText();
}

void OutputPane::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void OutputPane::refresh()
{
    if (!m_data)
        return;
    if (m_data->outputLog().totalBytes() == m_shownBytes[0] + m_shownBytes[1])
        return;
    // Chunks first, then the streams: the streams then hold at least every chunk's bytes.
    const auto chunks = m_data->outputLog().chunks();
    if (chunks.size() <= m_nextChunk)
        return;
    const OutputLog::StreamView streams[2] = { m_data->outputLog().stream(1), m_data->outputLog().stream(2) };
    const std::uint64_t published = m_data->events().size();
    for (std::size_t i = m_nextChunk; i < chunks.size(); ++i) {
        const OutputLog::Chunk& chunk = chunks[i];
        const int s = chunk.stream - 1;
        if (s < 0 || s > 1)
            continue;
        const OutputLog::StreamView& view = streams[s];
        const std::uint64_t begin = chunk.offset;
        const std::uint64_t end = chunk.offset + chunk.length;
        const std::uint64_t tailStart = view.totalBytes - view.tail.size();
        std::string bytes;
        std::uint64_t missing = 0;
        // The part in the head, the part in the tail, and whatever lies between (not kept).
        std::uint64_t position = begin;
        if (position < view.head.size()) {
            const std::uint64_t take = std::min<std::uint64_t>(end, view.head.size()) - position;
            bytes.append(view.head, std::size_t(position), std::size_t(take));
            position += take;
        }
        if (position < end && position < tailStart) {
            const std::uint64_t skip = std::min(end, tailStart) - position;
            missing += skip;
            position += skip;
        }
        if (position < end && position >= tailStart) {
            const std::uint64_t from = position - tailStart;
            const std::uint64_t take = std::min<std::uint64_t>(end - position, view.tail.size() - from);
            bytes.append(view.tail, std::size_t(from), std::size_t(take));
            position += take;
        }
        // Runs of omitted bytes become one note, not one per write.
        m_pendingMissing[s] += missing;
        if (bytes.empty() && missing > 0) {
            m_shownBytes[s] += chunk.length;
            continue;
        }
        flushMissing(s, chunk.seq);
        const auto kind = s == 0 ? OutputView::LineKind::Stdout : OutputView::LineKind::Stderr;
        m_view->appendOutput(kind, QString::fromUtf8(bytes.data(), qsizetype(bytes.size())), chunk.seq);
        if (chunk.seq < published) {
            const Event& event = m_data->events().at(chunk.seq);
            // Only the write itself: when a capture filter dropped the write, its bytes hang on the
            // last kept event, whose failure is not this write's.
            if (event.cls == EventClass::Output && event.failed() && event.errnum != 0)
                m_view->appendNote(tr("⚠ this write failed with %1 (%2): it never reached a terminal or file, "
                                      "but ExitLens saw it")
                                       .arg(QString::fromStdString(errnoName(event.errnum)),
                                           QString::fromStdString(errnoMessage(event.errnum))),
                    chunk.seq);
        }
        m_shownBytes[s] += chunk.length;
    }
    m_nextChunk = chunks.size();
    flushMissing(0, ~std::uint64_t(0));
    flushMissing(1, ~std::uint64_t(0));
    if (!m_search->text().isEmpty())
        highlightMatches();
}

void OutputPane::flushMissing(int stream, std::uint64_t seq)
{
    if (m_pendingMissing[stream] == 0)
        return;
    m_view->appendNote(tr("[… %1 of %2 not kept: ExitLens keeps the first and last MiB of each stream …]")
                           .arg(byteCount(m_pendingMissing[stream]),
                               stream == 0 ? QStringLiteral("stdout") : QStringLiteral("stderr")),
        seq);
    m_pendingMissing[stream] = 0;
}

bool OutputPane::findNext(bool backward)
{
    const QString text = m_search->text();
    if (text.isEmpty())
        return false;
    QTextDocument::FindFlags flags;
    if (backward)
        flags |= QTextDocument::FindBackward;
    if (m_caseSensitive->isChecked())
        flags |= QTextDocument::FindCaseSensitively;
    if (m_view->find(text, flags))
        return true;
    // Wrap around.
    QTextCursor cursor = m_view->textCursor();
    cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
    m_view->setTextCursor(cursor);
    return m_view->find(text, flags);
}

void OutputPane::highlightMatches()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString text = m_search->text();
    int count = 0;
    if (!text.isEmpty()) {
        QTextDocument::FindFlags flags;
        if (m_caseSensitive->isChecked())
            flags |= QTextDocument::FindCaseSensitively;
        QTextCharFormat format;
        format.setBackground(Theme::highlightBackground(palette()));
        format.setForeground(palette().color(QPalette::Text));
        QTextCursor cursor = m_view->document()->find(text, 0, flags);
        while (!cursor.isNull() && count < kMaxHighlights) {
            selections.append({ cursor, format });
            ++count;
            cursor = m_view->document()->find(text, cursor, flags);
        }
    }
    m_view->setExtraSelections(selections);
    if (text.isEmpty())
        m_matches->clear();
    else if (count == 0)
        m_matches->setText(tr("no match"));
    else
        m_matches->setText(
            count >= kMaxHighlights ? tr("%1+ matches").arg(kMaxHighlights) : tr("%n match(es)", nullptr, count));
}

} // namespace exitlens
