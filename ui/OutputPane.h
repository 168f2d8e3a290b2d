#pragma once

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QToolButton;

namespace exitlens {

class CaptureData;
class OutputView;

// The Output dock: the capture's stdout and stderr in time order (OutputView) with a search
// bar. Reads the capture's OutputLog incrementally: only chunks it has not shown yet.
class OutputPane : public QWidget {
    Q_OBJECT
public:
    explicit OutputPane(QWidget* parent = nullptr);

    void setCapture(std::shared_ptr<const CaptureData> capture);
    // Shows what was written since the last call.
    void refresh();
    OutputView* view() const { return m_view; }
    QLineEdit* searchField() const { return m_search; }
    QString plainText() const;
    // Finds the next (or previous) match of the search text; false when there is none.
    bool findNext(bool backward = false);
    void focusSearch();

Q_SIGNALS:
    void eventActivated(quint64 seq);

private:
    void highlightMatches();
    void flushMissing(int stream, std::uint64_t seq);

    OutputView* m_view = nullptr;
    QLineEdit* m_search = nullptr;
    QToolButton* m_caseSensitive = nullptr;
    QLabel* m_matches = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    std::size_t m_nextChunk = 0;
    std::uint64_t m_shownBytes[2] = { 0, 0 }; // per stream: bytes accounted for (shown or omitted)
    std::uint64_t m_pendingMissing[2] = { 0, 0 }; // omitted bytes not yet announced by a note
};

} // namespace exitlens
