#include "SessionController.h"

#include "RecentList.h"
#include "logging/Logging.h"
#include "model/CaptureData.h"
#include "session/SessionPaths.h"
#include "session/SessionReader.h"
#include "session/SessionWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSettings>
#include <QThread>
#include <algorithm>

namespace exitlens {

namespace {
const QString kAutosaveKey = QStringLiteral("sessions/autosave");
const QString kRecentKey = QStringLiteral("sessions/recent");
constexpr int kFinishWaitMs = 30000;
} // namespace

SessionController::SessionController(QObject* parent)
    : QObject(parent)
{
}

SessionController::~SessionController()
{
    cancelLoad();
    if (m_writer) {
        // The window is closing with a capture still being written (the capture was stopped):
        // close the file now, without a verdict if none was given, and give it its outcome name.
        disconnect(m_writer.get(), nullptr, this, nullptr);
        if (!m_outcome)
            m_writer->finish(std::nullopt);
        m_writer->waitForFinished(kFinishWaitMs);
        if (m_writer->errorString().isEmpty() && m_outcome)
            SessionPaths::renameForOutcome(m_writer->path(), m_program, m_started, *m_outcome);
        m_writer.reset();
    }
}

// --- Opening

void SessionController::open(const QString& path)
{
    cancelLoad();
    const quint64 generation = ++m_loadGeneration;
    m_loadingPath = path;
    m_reader = new SessionReader(this);
    // Every connection carries the load's generation: a cancelled load's queued signals are dropped.
    connect(m_reader, &SessionReader::opened, this,
        [this, generation](std::shared_ptr<const CaptureData> data, const SessionInfo& info) {
            if (generation == m_loadGeneration)
                Q_EMIT loadOpened(std::move(data), info);
        });
    connect(m_reader, &SessionReader::progress, this, [this, generation](quint64 loaded, quint64 expected) {
        if (generation == m_loadGeneration)
            Q_EMIT loadProgress(loaded, expected);
    });
    connect(m_reader, &SessionReader::finished, this,
        [this, generation](std::shared_ptr<const CaptureData> data, const SessionInfo& info) {
            if (generation != m_loadGeneration)
                return;
            const QString loaded = m_loadingPath;
            m_reader->deleteLater();
            m_reader = nullptr;
            m_loadingPath.clear();
            RecentList(kRecentKey).add(QFileInfo(loaded).absoluteFilePath());
            Q_EMIT loadFinished(std::move(data), info);
        });
    connect(m_reader, &SessionReader::failed, this, [this, generation](const QString& error) {
        if (generation != m_loadGeneration)
            return;
        const QString failedPath = m_loadingPath;
        m_reader->deleteLater();
        m_reader = nullptr;
        m_loadingPath.clear();
        Q_EMIT loadFailed(failedPath, error);
    });
    logging::logger(logging::Subsystem::Ui)->info("opening session {}", path.toStdString());
    m_reader->open(path);
}

void SessionController::cancelLoad()
{
    if (!m_reader)
        return;
    ++m_loadGeneration;
    m_reader->cancel();
    // The reader's destructor joins its thread; the cancel flag interrupts running queries, so
    // this is short. Deleted now rather than later: its thread must not outlive the request.
    delete m_reader;
    m_reader = nullptr;
    m_loadingPath.clear();
}

// --- Autosave

bool SessionController::autosaveEnabled()
{
    return QSettings().value(kAutosaveKey, true).toBool();
}

void SessionController::setAutosaveEnabled(bool on)
{
    QSettings().setValue(kAutosaveKey, on);
}

bool SessionController::startAutosave(std::shared_ptr<const CaptureData> data, const QDateTime& started, QString& error)
{
    resetSession();
    if (m_writer) {
        // The previous capture's writer is still closing its file: let it, and keep its rename.
        disconnect(m_writer.get(), nullptr, this, nullptr);
        m_writer->waitForFinished(kFinishWaitMs);
        if (m_writer->errorString().isEmpty() && m_outcome) {
            const QString path = SessionPaths::renameForOutcome(m_writer->path(), m_program, m_started, *m_outcome);
            RecentList(kRecentKey).add(path);
        }
        m_writer.reset();
    }
    m_program = QString::fromStdString(data->spec().program);
    m_started = started;
    m_outcome.reset();
    const QString path = SessionPaths::autosavePath(m_program, started);
    if (path.isEmpty()) {
        error = tr("the folder for saved sessions (%1) cannot be created")
                    .arg(QStringLiteral("~/.local/share/exitlens/sessions"));
        return false;
    }
    auto writer = std::make_unique<SessionWriter>();
    connect(writer.get(), &SessionWriter::lagChanged, this, &SessionController::writerLagChanged);
    connect(writer.get(), &SessionWriter::finished, this, &SessionController::onWriterFinished);
    connect(writer.get(), &SessionWriter::storageFailed, this, &SessionController::writerFailed); // disk full: at once
    if (!writer->start(path, std::move(data), error))
        return false;
    m_writer = std::move(writer);
    m_autosaveDone = false;
    m_sessionPath = path;
    return true;
}

void SessionController::finishAutosave(const Verdict& verdict, const ExitStatus& status)
{
    if (!m_writer || m_outcome)
        return;
    m_outcome = status;
    m_writer->finish(verdict);
}

bool SessionController::isWriting() const
{
    return m_writer && !m_autosaveDone;
}

bool SessionController::waitForAutosave(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (isWriting()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

void SessionController::onWriterFinished(bool ok, const QString& error)
{
    if (!m_writer)
        return;
    m_autosaveDone = true;
    m_writer->waitForFinished(kFinishWaitMs); // joins the writer's thread: it has just returned
    if (!ok) {
        // What was committed may still open, but notes are not written into a file that failed.
        if (m_sessionPath == m_writer->path())
            m_sessionPath.clear();
        Q_EMIT writerFailed(error);
        return;
    }
    QString path = m_writer->path();
    if (m_outcome)
        path = SessionPaths::renameForOutcome(path, m_program, m_started, *m_outcome);
    // The writer is done with the file; only now may notes be written to it.
    if (m_sessionPath == m_writer->path())
        m_sessionPath = path;
    m_writer.reset();
    RecentList(kRecentKey).add(path);
    if (m_sessionPath == path)
        writePendingNotes();
    Q_EMIT autosaved(path);
}

// --- The session shown

void SessionController::resetSession()
{
    m_sessionPath.clear();
    m_notes.clear();
    Q_EMIT notesChanged();
}

void SessionController::adoptOpenedSession(const QString& path)
{
    m_sessionPath = path;
    m_notes.clear();
    SessionFile file;
    QString error;
    if (file.open(path, error)) {
        m_notes = file.notes(error);
        std::sort(m_notes.begin(), m_notes.end(),
            [](const SessionNote& a, const SessionNote& b) { return a.seq.value_or(0) < b.seq.value_or(0); });
    }
    if (!error.isEmpty())
        logging::logger(logging::Subsystem::Ui)->warn("notes of {}: {}", path.toStdString(), error.toStdString());
    Q_EMIT notesChanged();
}

// --- Notes

SessionNote* SessionController::findNote(std::optional<quint64> seq)
{
    const auto it =
        std::find_if(m_notes.begin(), m_notes.end(), [&](const SessionNote& note) { return note.seq == seq; });
    return it == m_notes.end() ? nullptr : &*it;
}

bool SessionController::isBookmarked(quint64 seq) const
{
    return std::any_of(m_notes.begin(), m_notes.end(),
        [seq](const SessionNote& note) { return note.bookmark && note.seq == std::optional<quint64>(seq); });
}

QString SessionController::noteText(std::optional<quint64> seq) const
{
    for (const SessionNote& note : m_notes) {
        if (note.seq == seq)
            return note.text;
    }
    return {};
}

std::vector<quint64> SessionController::bookmarks() const
{
    std::vector<quint64> seqs;
    for (const SessionNote& note : m_notes) {
        if (note.bookmark && note.seq)
            seqs.push_back(*note.seq);
    }
    std::sort(seqs.begin(), seqs.end());
    return seqs;
}

bool SessionController::store(SessionNote& note, bool remove, QString& error)
{
    // No file yet, or the capture's writer still owns it: kept in memory, written when it closes.
    if (m_sessionPath.isEmpty() || isWriting())
        return true;
    SessionFile file;
    if (!file.open(m_sessionPath, error)) {
        error = tr("The note could not be saved in %1: %2").arg(QFileInfo(m_sessionPath).fileName(), error);
        return false;
    }
    if (remove)
        return note.id == 0 || file.removeNote(note.id, error);
    const qint64 id = file.saveNote(note, error);
    if (id <= 0) {
        error = tr("The note could not be saved in %1: %2").arg(QFileInfo(m_sessionPath).fileName(), error);
        return false;
    }
    note.id = id;
    return true;
}

void SessionController::writePendingNotes()
{
    QString error;
    for (SessionNote& note : m_notes) {
        if (note.id == 0 && !store(note, false, error))
            break;
    }
    if (!error.isEmpty())
        logging::logger(logging::Subsystem::Ui)->warn("notes: {}", error.toStdString());
}

bool SessionController::toggleBookmark(quint64 seq, QString& error)
{
    return changeNote(
        seq, [](SessionNote& note) { note.bookmark = !note.bookmark; }, error);
}

bool SessionController::setNote(std::optional<quint64> seq, const QString& text, QString& error)
{
    const QString trimmed = text.trimmed();
    return changeNote(
        seq, [&trimmed](SessionNote& note) { note.text = trimmed; }, error);
}

bool SessionController::changeNote(
    std::optional<quint64> seq, const std::function<void(SessionNote&)>& change, QString& error)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    SessionNote* note = findNote(seq);
    if (!note) {
        SessionNote added;
        added.seq = seq;
        added.created = added.modified = now;
        change(added);
        if (!added.bookmark && added.text.isEmpty())
            return true; // nothing to keep
        m_notes.push_back(added);
        const bool ok = store(m_notes.back(), false, error);
        Q_EMIT notesChanged();
        return ok;
    }
    change(*note);
    note->modified = now;
    // A note with neither a bookmark nor text is gone, from the list and from the file.
    const bool remove = !note->bookmark && note->text.isEmpty();
    const bool ok = store(*note, remove, error);
    if (remove)
        m_notes.erase(m_notes.begin() + (note - m_notes.data()));
    Q_EMIT notesChanged();
    return ok;
}

} // namespace exitlens
