#pragma once

#include "ExitStatus.h"
#include "diagnosis/Verdict.h"
#include "session/SessionFile.h"
#include "session/SessionInfo.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace exitlens {

class CaptureData;
class SessionReader;
class SessionWriter;

// The window's sessions, kept out of MainWindow: opening a file in the background (SessionReader),
// saving every capture automatically as it runs (SessionWriter, renamed for its outcome at the
// end), the recent-sessions list, and the notes and bookmarks of the session shown. Notes are
// written to the session file through SessionFile; while the capture's own writer still has the
// file, they wait in memory and are written the moment it closes, so no two writers contend.
class SessionController : public QObject {
    Q_OBJECT
public:
    explicit SessionController(QObject* parent = nullptr);
    // Finishes an autosave still running and waits for it, so the file keeps its outcome name.
    ~SessionController() override;

    // --- Opening
    // Starts loading path in the background; a load already running is cancelled (its late
    // signals are dropped). Results arrive as loadOpened, loadProgress, loadFinished or loadFailed.
    void open(const QString& path);
    void cancelLoad();
    bool isLoading() const { return m_reader != nullptr; }
    QString loadingPath() const { return m_loadingPath; }

    // --- Autosave ("Save every capture automatically", on unless the user turned it off)
    static bool autosaveEnabled();
    static void setAutosaveEnabled(bool on);
    // Starts writing the capture into the autosave folder. The session shown becomes that file.
    bool startAutosave(std::shared_ptr<const CaptureData> data, const QDateTime& started, QString& error);
    // The capture ended: writes the rest with the verdict, then renames the file for its outcome
    // (autosaved() follows; writerFailed() instead if it could not be written).
    void finishAutosave(const Verdict& verdict, const ExitStatus& status);
    bool isWriting() const;
    // Blocks until the autosave writer has closed its file and the rename is done (tests).
    bool waitForAutosave(int timeoutMs);

    // --- The session the window shows: the autosaved file of a capture, or an opened file.
    QString sessionPath() const { return m_sessionPath; }
    // A capture without a file (autosave off or failed), or a new capture starting: notes stay
    // in memory until there is a file.
    void resetSession();
    // The window now shows this loaded file (after loadFinished): reads its notes.
    void adoptOpenedSession(const QString& path);

    // --- Notes and bookmarks of the session shown (seq empty: the verdict)
    const std::vector<SessionNote>& notes() const { return m_notes; }
    bool isBookmarked(quint64 seq) const;
    QString noteText(std::optional<quint64> seq) const;
    // Bookmarked events in sequence order.
    std::vector<quint64> bookmarks() const;
    // Toggles the bookmark of an event; false with a message when the file refused the change
    // (the change is kept in memory either way).
    bool toggleBookmark(quint64 seq, QString& error);
    // Sets (or with empty text, removes) the note on an event or on the verdict.
    bool setNote(std::optional<quint64> seq, const QString& text, QString& error);

Q_SIGNALS:
    void loadOpened(std::shared_ptr<const exitlens::CaptureData> data, const exitlens::SessionInfo& info);
    void loadProgress(quint64 loaded, quint64 expected);
    void loadFinished(std::shared_ptr<const exitlens::CaptureData> data, const exitlens::SessionInfo& info);
    void loadFailed(const QString& path, const QString& error);
    void writerLagChanged(bool behind, quint64 lagEvents, double lagSeconds);
    void writerFailed(const QString& error);
    // The autosaved file is complete and closed, under its final name.
    void autosaved(const QString& path);
    void notesChanged();

private:
    SessionNote* findNote(std::optional<quint64> seq);
    // Applies change to the note of seq (a new one when there is none), then stores it, or
    // removes it when it is left with neither a bookmark nor text.
    bool changeNote(std::optional<quint64> seq, const std::function<void(SessionNote&)>& change, QString& error);
    // Writes one note change to the session file, unless the writer still owns the file.
    bool store(SessionNote& note, bool remove, QString& error);
    void onWriterFinished(bool ok, const QString& error);
    void writePendingNotes();

    SessionReader* m_reader = nullptr;
    QString m_loadingPath;
    quint64 m_loadGeneration = 0;

    std::unique_ptr<SessionWriter> m_writer;
    QString m_program;
    QDateTime m_started;
    std::optional<ExitStatus> m_outcome;
    bool m_autosaveDone = true;

    QString m_sessionPath;
    std::vector<SessionNote> m_notes;
};

} // namespace exitlens
