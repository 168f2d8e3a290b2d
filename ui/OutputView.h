#pragma once

#include <QPlainTextEdit>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QVector>
#include <utility>

namespace exitlens {

// The program's stdout and stderr, interleaved in the order they were written. Each line is
// marked in a gutter ("out" / "err") and stderr is tinted as well, so the streams are told apart
// without colour. Notes (omitted bytes, failed writes) are lines of their own in italics.
class OutputView : public QPlainTextEdit {
    Q_OBJECT
public:
    enum class LineKind { Stdout = 1, Stderr = 2, Note = 3 };

    explicit OutputView(QWidget* parent = nullptr);

    // Appends text written to a stream by event seq. Continues the last line when the same
    // stream's previous write did not end with a newline.
    void appendOutput(LineKind stream, const QString& text, std::uint64_t seq);
    void appendNote(const QString& text, std::uint64_t seq = ~std::uint64_t(0));
    void clearOutput();
    // The event that wrote the line at this block, if any.
    std::uint64_t seqOfBlock(int block) const;

Q_SIGNALS:
    void lineActivated(quint64 seq);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void paintGutter(QPaintEvent* event);
    int gutterWidth() const;
    void startLine(LineKind kind, std::uint64_t seq);
    // How a line of this kind looks in the current palette (a stderr line has a tinted background).
    std::pair<QTextBlockFormat, QTextCharFormat> formatsFor(LineKind kind) const;
    void updateFormats();

    QWidget* m_gutter = nullptr;
    QVector<std::uint64_t> m_blockSeqs;
    LineKind m_openStream = LineKind::Note; // the stream whose line is still open (no newline yet)
    bool m_lineOpen = false;
    bool m_empty = true;
};

} // namespace exitlens
