#pragma once

#include "SessionConnection.h"

#include <QDateTime>
#include <QString>
#include <optional>
#include <vector>

namespace exitlens {

// A note or bookmark the user attached to an event or to the verdict; it travels with the file.
struct SessionNote {
    qint64 id = 0; // assigned by the file
    std::optional<quint64> seq; // the event; empty for a note on the verdict
    bool bookmark = false;
    QString text;
    QDateTime created;
    QDateTime modified;
};

// A filter expression the user saved with the session (the filter language parses it).
struct SavedFilter {
    qint64 id = 0;
    QString name;
    QString expression;
    QDateTime created;
};

// An existing session file opened for the things a user changes after the capture: notes,
// bookmarks, saved filters. Every statement binds its values. Also the file-level operations
// the GUI's menu needs (Save As).
class SessionFile {
public:
    // Opens read-write; fails with a clear message for anything that is not a session this build
    // can read (the same checks as the loader).
    bool open(const QString& path, QString& error);
    void close() { m_connection.close(); }
    bool isOpen() const { return m_connection.isOpen(); }

    std::vector<SessionNote> notes(QString& error) const;
    // Adds a note (its id is returned, 0 on failure) or updates the note with note.id.
    qint64 saveNote(const SessionNote& note, QString& error);
    bool removeNote(qint64 id, QString& error);

    std::vector<SavedFilter> filters(QString& error) const;
    qint64 saveFilter(const SavedFilter& filter, QString& error);
    bool removeFilter(qint64 id, QString& error);

    // Writes a compact, consistent copy of source to destination (SQLite's VACUUM INTO: works
    // while a writer is still appending, and leaves no free pages). An existing destination is
    // replaced. The source is only read.
    static bool saveAs(const QString& source, const QString& destination, QString& error);

private:
    mutable SessionConnection m_connection;
};

// Puts a finished temporary file (a copy, a redacted export; made at OutputFile::temporaryFor)
// at DESTINATION, replacing a regular file there atomically and writing through a device or FIFO
// (OutputFile::placeInto); on failure removes the temporary and says why.
bool moveSessionIntoPlace(const QString& temporary, const QString& destination, QString& error);

} // namespace exitlens
