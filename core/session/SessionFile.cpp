#include "SessionFile.h"

#include "SessionLoader.h"
#include "report/OutputFile.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace exitlens {

namespace {
constexpr int kMaxRows = 100000; // notes and filters are typed by hand; a file claiming more is hostile
constexpr int kMaxText = 1 << 20;

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QDateTime parseTime(const QVariant& value)
{
    return QDateTime::fromString(value.toString().left(64), Qt::ISODateWithMs);
}
} // namespace

bool SessionFile::open(const QString& path, QString& error)
{
    SessionInfo info;
    if (!SessionLoader::probe(path, info, error))
        return false;
    if (!m_connection.open(path, SessionConnection::Mode::ReadWrite, error))
        return false;
    // A session from an older build may lack these tables; creating them is harmless.
    return m_connection.exec(
        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, target TEXT NOT NULL DEFAULT 'event', seq INTEGER, "
        "bookmark INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, modified TEXT NOT "
        "NULL); CREATE TABLE IF NOT EXISTS filters (id INTEGER PRIMARY KEY, name TEXT NOT NULL, expression TEXT NOT "
        "NULL, created TEXT NOT NULL)",
        error);
}

std::vector<SessionNote> SessionFile::notes(QString& error) const
{
    std::vector<SessionNote> notes;
    QSqlQuery query(m_connection.database());
    query.setForwardOnly(true);
    if (!query.exec("SELECT id, target, seq, bookmark, text, created, modified FROM notes ORDER BY id")) {
        error = "cannot read the notes: " + query.lastError().text();
        return notes;
    }
    while (query.next() && notes.size() < kMaxRows) {
        SessionNote note;
        note.id = query.value(0).toLongLong();
        if (query.value(1).toString() != "verdict" && !query.value(2).isNull() && query.value(2).toLongLong() >= 0)
            note.seq = query.value(2).toULongLong();
        note.bookmark = query.value(3).toLongLong() != 0;
        note.text = query.value(4).toString().left(kMaxText);
        note.created = parseTime(query.value(5));
        note.modified = parseTime(query.value(6));
        notes.push_back(std::move(note));
    }
    return notes;
}

qint64 SessionFile::saveNote(const SessionNote& note, QString& error)
{
    QSqlQuery query(m_connection.database());
    if (note.id > 0) {
        query.prepare("UPDATE notes SET target = ?, seq = ?, bookmark = ?, text = ?, modified = ? WHERE id = ?");
        query.bindValue(5, note.id);
    } else {
        query.prepare("INSERT INTO notes(target, seq, bookmark, text, modified, created) VALUES (?, ?, ?, ?, ?, ?)");
        query.bindValue(5, now());
    }
    query.bindValue(0, note.seq ? "event" : "verdict");
    query.bindValue(1, note.seq ? QVariant(static_cast<qint64>(*note.seq)) : QVariant());
    query.bindValue(2, note.bookmark ? 1 : 0);
    query.bindValue(3, note.text.isNull() ? QString("") : note.text); // a null QString binds as NULL
    query.bindValue(4, now());
    if (!query.exec()) {
        error = "cannot save the note: " + query.lastError().text();
        return 0;
    }
    return note.id > 0 ? note.id : query.lastInsertId().toLongLong();
}

bool SessionFile::removeNote(qint64 id, QString& error)
{
    QSqlQuery query(m_connection.database());
    query.prepare("DELETE FROM notes WHERE id = ?");
    query.bindValue(0, id);
    if (!query.exec()) {
        error = "cannot remove the note: " + query.lastError().text();
        return false;
    }
    return true;
}

std::vector<SavedFilter> SessionFile::filters(QString& error) const
{
    std::vector<SavedFilter> filters;
    QSqlQuery query(m_connection.database());
    query.setForwardOnly(true);
    if (!query.exec("SELECT id, name, expression, created FROM filters ORDER BY id")) {
        error = "cannot read the saved filters: " + query.lastError().text();
        return filters;
    }
    while (query.next() && filters.size() < kMaxRows) {
        SavedFilter filter;
        filter.id = query.value(0).toLongLong();
        filter.name = query.value(1).toString().left(kMaxText);
        filter.expression = query.value(2).toString().left(kMaxText);
        filter.created = parseTime(query.value(3));
        filters.push_back(std::move(filter));
    }
    return filters;
}

qint64 SessionFile::saveFilter(const SavedFilter& filter, QString& error)
{
    QSqlQuery query(m_connection.database());
    if (filter.id > 0) {
        query.prepare("UPDATE filters SET name = ?, expression = ? WHERE id = ?");
        query.bindValue(2, filter.id);
    } else {
        query.prepare("INSERT INTO filters(name, expression, created) VALUES (?, ?, ?)");
        query.bindValue(2, now());
    }
    query.bindValue(0, filter.name.isNull() ? QString("") : filter.name);
    query.bindValue(1, filter.expression.isNull() ? QString("") : filter.expression);
    if (!query.exec()) {
        error = "cannot save the filter: " + query.lastError().text();
        return 0;
    }
    return filter.id > 0 ? filter.id : query.lastInsertId().toLongLong();
}

bool SessionFile::removeFilter(qint64 id, QString& error)
{
    QSqlQuery query(m_connection.database());
    query.prepare("DELETE FROM filters WHERE id = ?");
    query.bindValue(0, id);
    if (!query.exec()) {
        error = "cannot remove the filter: " + query.lastError().text();
        return false;
    }
    return true;
}

bool SessionFile::saveAs(const QString& source, const QString& destination, QString& error)
{
    if (QFileInfo(source).canonicalFilePath() == QFileInfo(destination).canonicalFilePath()
        && QFileInfo::exists(destination)) {
        error = "the destination is the session itself";
        return false;
    }
    SessionInfo info;
    if (!SessionLoader::probe(source, info, error))
        return false;
    // VACUUM INTO refuses an existing file; write beside it and swap, so a failure leaves the old one.
    const QString temporary = OutputFile::temporaryFor(destination);
    QFile::remove(temporary);
    {
        SessionConnection connection;
        if (!connection.open(source, SessionConnection::Mode::ReadOnly, error))
            return false;
        // The copy is written to another file; the source connection itself stays read-only.
        if (!connection.exec("PRAGMA query_only = OFF", error))
            return false;
        QSqlQuery query(connection.database());
        query.prepare("VACUUM INTO ?");
        query.bindValue(0, temporary);
        if (!query.exec()) {
            error = "cannot write " + destination + ": " + query.lastError().text();
            query = QSqlQuery();
            QFile::remove(temporary);
            return false;
        }
    }
    return moveSessionIntoPlace(temporary, destination, error);
}

bool moveSessionIntoPlace(const QString& temporary, const QString& destination, QString& error)
{
    return OutputFile::placeInto(temporary, destination, error);
}

} // namespace exitlens
