#pragma once

#include <QDateTime>
#include <QWidget>
#include <memory>
#include <optional>

class QTextBrowser;

namespace exitlens {

class CaptureData;

// Every field of the selected event, decoded and raw, and the process it belongs to.
class EventDetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit EventDetailsPane(QWidget* parent = nullptr);

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

    QTextBrowser* m_browser = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    QDateTime m_startTime;
    std::optional<std::uint64_t> m_seq;
    bool m_bookmarked = false;
    QString m_note;
};

} // namespace exitlens
