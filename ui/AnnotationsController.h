#pragma once

#include <QObject>
#include <cstdint>
#include <functional>
#include <optional>

class QAction;
class QDialog;
class QWidget;

namespace exitlens {

class EventDetailsPane;
class EventTableView;
class SessionController;
class VerdictPanel;

// Bookmarks and notes, kept out of MainWindow: the actions (Ctrl+B, F2, Shift+F2, the note
// dialogs), moving between bookmarks, and showing them in the table, the details pane and under
// the verdict. The session controller keeps them and writes them into the session file.
class AnnotationsController : public QObject {
    Q_OBJECT
public:
    // goToEvent selects an event in the table (the window's goToEvent); window hosts the actions
    // and parents the note dialog.
    AnnotationsController(SessionController* sessions, EventTableView* view, EventDetailsPane* details,
        VerdictPanel* verdict, std::function<bool(std::uint64_t)> goToEvent, QWidget* window);

    QAction* bookmarkAction() const { return m_bookmarkAction; }
    QAction* nextBookmarkAction() const { return m_nextBookmarkAction; }
    QAction* previousBookmarkAction() const { return m_previousBookmarkAction; }
    QAction* noteAction() const { return m_noteAction; }
    QAction* verdictNoteAction() const { return m_verdictNoteAction; }

    // haveCapture: there are events to mark; finished: the verdict is there to write a note on.
    void setState(bool haveCapture, bool finished);
    void toggleBookmark();
    bool goToBookmark(bool backward);
    bool setNote(std::optional<std::uint64_t> seq, const QString& text);
    // The note dialog for an event, or for the verdict when seq is empty (window-modal, not blocking).
    QDialog* editNote(std::optional<std::uint64_t> seq);
    // The session's bookmarks and notes changed: show them everywhere.
    void refresh();
    // The details pane's bookmark and note for its event.
    void updateDetails();

Q_SIGNALS:
    void errorReported(const QString& title, const QString& message);
    void statusMessage(const QString& message, int timeoutMs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    SessionController* m_sessions;
    EventTableView* m_view;
    EventDetailsPane* m_details;
    VerdictPanel* m_verdict;
    std::function<bool(std::uint64_t)> m_goToEvent;
    QWidget* m_window;
    bool m_haveCapture = false;

    QAction* m_bookmarkAction = nullptr;
    QAction* m_nextBookmarkAction = nullptr;
    QAction* m_previousBookmarkAction = nullptr;
    QAction* m_noteAction = nullptr;
    QAction* m_verdictNoteAction = nullptr;
};

} // namespace exitlens
