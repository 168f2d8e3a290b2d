#include "OutputView.h"

#include "Theme.h"

#include <QEvent>
#include <QFontDatabase>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>

namespace exitlens {

namespace {
constexpr int kGutterPadding = 6;
}

OutputView::OutputView(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_gutter(new QWidget(this))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setUndoRedoEnabled(false);
    setFrameShape(QFrame::NoFrame);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(tr("What the program writes to stdout and stderr appears here."));
    m_gutter->installEventFilter(this);
    m_gutter->setToolTip(tr("out: written to stdout (fd 1) · err: written to stderr (fd 2)"));
    setViewportMargins(gutterWidth(), 0, 0, 0);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
}

int OutputView::gutterWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("err")) + 2 * kGutterPadding + 3;
}

void OutputView::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), gutterWidth(), area.height()));
}

void OutputView::changeEvent(QEvent* event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        setViewportMargins(gutterWidth(), 0, 0, 0);
    if (event->type() == QEvent::PaletteChange)
        updateFormats();
}

bool OutputView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_gutter && event->type() == QEvent::Paint) {
        paintGutter(static_cast<QPaintEvent*>(event));
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void OutputView::paintGutter(QPaintEvent* event)
{
    QPainter painter(m_gutter);
    const QPalette& pal = palette();
    painter.fillRect(event->rect(), pal.color(QPalette::Window));
    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    const QColor errColor = Theme::stderrText(pal);
    const QColor outColor = Theme::mutedText(pal);
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const auto kind = LineKind(block.userState());
            const QRectF cell(kGutterPadding, top, m_gutter->width() - 2 * kGutterPadding, height);
            if (kind == LineKind::Stderr) {
                painter.fillRect(QRectF(m_gutter->width() - 3, top, 3, height), errColor);
                painter.setPen(errColor);
                painter.drawText(cell, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("err"));
            } else if (kind == LineKind::Stdout) {
                painter.setPen(outColor);
                painter.drawText(cell, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("out"));
            }
        }
        top += height;
        block = block.next();
    }
}

std::pair<QTextBlockFormat, QTextCharFormat> OutputView::formatsFor(LineKind kind) const
{
    QTextBlockFormat blockFormat;
    QTextCharFormat charFormat;
    const QPalette& pal = palette();
    if (kind == LineKind::Stderr) {
        blockFormat.setBackground(Theme::stderrBackground(pal));
        charFormat.setForeground(Theme::stderrText(pal));
    } else if (kind == LineKind::Note) {
        charFormat.setForeground(Theme::mutedText(pal));
        charFormat.setFontItalic(true);
    } else {
        charFormat.setForeground(pal.color(QPalette::Text));
    }
    return { blockFormat, charFormat };
}

void OutputView::startLine(LineKind kind, std::uint64_t seq)
{
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    if (!m_empty)
        cursor.insertBlock();
    m_empty = false;
    const auto [blockFormat, charFormat] = formatsFor(kind);
    cursor.setBlockFormat(blockFormat);
    cursor.setBlockCharFormat(charFormat);
    cursor.setCharFormat(charFormat);
    cursor.block().setUserState(int(kind));
    m_blockSeqs.append(seq);
}

void OutputView::appendOutput(LineKind stream, const QString& text, std::uint64_t seq)
{
    if (text.isEmpty())
        return;
    const bool follow = verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 2;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const bool last = i == lines.size() - 1;
        if (last && lines[i].isEmpty()) {
            m_lineOpen = false; // the text ended with a newline
            break;
        }
        if (!(i == 0 && m_lineOpen && m_openStream == stream))
            startLine(stream, seq);
        QTextCursor cursor(document());
        cursor.movePosition(QTextCursor::End);
        QString line = lines[i];
        line.remove(QLatin1Char('\r'));
        cursor.insertText(line);
        m_lineOpen = true;
        m_openStream = stream;
    }
    if (follow)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void OutputView::appendNote(const QString& text, std::uint64_t seq)
{
    startLine(LineKind::Note, seq);
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    m_lineOpen = false;
}

void OutputView::clearOutput()
{
    clear();
    m_blockSeqs.clear();
    m_lineOpen = false;
    m_empty = true;
}

std::uint64_t OutputView::seqOfBlock(int block) const
{
    return block >= 0 && block < m_blockSeqs.size() ? m_blockSeqs[block] : ~std::uint64_t(0);
}

void OutputView::mouseDoubleClickEvent(QMouseEvent* event)
{
    QPlainTextEdit::mouseDoubleClickEvent(event);
    const std::uint64_t seq = seqOfBlock(cursorForPosition(event->position().toPoint()).blockNumber());
    if (seq != ~std::uint64_t(0))
        Q_EMIT lineActivated(seq);
}

void OutputView::updateFormats()
{
    // Colours are baked into the document; a palette change repaints them per line kind.
    QTextCursor cursor(document());
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        const auto [blockFormat, charFormat] = formatsFor(LineKind(block.userState()));
        cursor.setPosition(block.position());
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
        cursor.setBlockFormat(blockFormat);
        cursor.setCharFormat(charFormat);
    }
}

} // namespace exitlens
