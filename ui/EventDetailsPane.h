#pragma once

#include <QDateTime>
#include <QWidget>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

class QTextBrowser;

namespace exitlens {

class CaptureData;
class Symbolizer;

// Every field of the selected event, decoded and raw, its Go stack when the tracer recorded one,
// and the process it belongs to.
class EventDetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit EventDetailsPane(QWidget* parent = nullptr);
    ~EventDetailsPane() override;

    void setCapture(std::shared_ptr<const CaptureData> data, const QDateTime& startTime);
    void setEvent(std::optional<std::uint64_t> seq);
    // The user's bookmark and note on the shown event, at the top of the pane (empty: none).
    void setAnnotation(bool bookmarked, const QString& note);
    std::optional<std::uint64_t> event() const { return m_seq; }
    QString plainText() const;
    QTextBrowser* browser() const { return m_browser; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void render();
    // The stack section's rows: symbolized frames, raw addresses, or why there is none.
    QString stackRows(std::uint64_t seq, const QString& muted);

    QTextBrowser* m_browser = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    QDateTime m_startTime;
    std::optional<std::uint64_t> m_seq;
    bool m_bookmarked = false;
    QString m_note;
    // By executable, opened on first use (null when it cannot be read): a capture has a few.
    std::unordered_map<std::string, std::unique_ptr<Symbolizer>> m_symbolizers;
};

} // namespace exitlens
