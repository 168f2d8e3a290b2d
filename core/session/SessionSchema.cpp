#include "SessionSchema.h"

#include "Event.h"
#include "Names.h"
#include "SessionConnection.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace exitlens {

namespace {
// Every column is documented in docs/session-format.md; keep the two in step.
const char* const kTables[] = {
    "CREATE TABLE meta ("
    " schema_version INTEGER NOT NULL,"
    " exitlens_version TEXT NOT NULL,"
    " created TEXT NOT NULL," // ISO 8601 UTC, when the capture started
    " finished TEXT," // when the writer closed the file; NULL for an interrupted capture
    " complete INTEGER NOT NULL DEFAULT 0," // 1 once the capture ended and everything was written
    " host_os TEXT, kernel TEXT, arch TEXT, hostname TEXT,"
    " redacted INTEGER NOT NULL DEFAULT 0,"
    " write_error TEXT)", // why the file holds less than the capture (a full disk); added later: may be absent

    "CREATE TABLE target ("
    " program TEXT NOT NULL," // as typed
    " resolved TEXT," // after the PATH search
    " args TEXT NOT NULL DEFAULT '[]'," // JSON array, argv[1..]
    " cwd TEXT,"
    " environment TEXT NOT NULL DEFAULT '[]'," // JSON array of NAME=value
    " launch_context TEXT," // JSON: uid, gid, groups, limits, cgroup, ttys, umask, ...
    " capture_mode TEXT NOT NULL DEFAULT 'focused'," // focused | full
    " capture_classes TEXT NOT NULL DEFAULT ''," // "process,thread,file,..."
    " stdio TEXT," // inherit | pipes | null
    " stdin_file TEXT,"
    " run_as_user TEXT,"
    " go_build_info TEXT," // JSON, NULL when not known
    " elf_facts TEXT," // JSON, NULL when not known
    " capture_filter TEXT)", // the capture filter expression; NULL when none (added later: may be absent)

    "CREATE TABLE summary ("
    " exit_kind TEXT NOT NULL," // running | exited | signaled | launch_failed
    " exit_code INTEGER, exit_signal INTEGER, signal_name TEXT, core_dumped INTEGER NOT NULL DEFAULT 0,"
    " launch_errno INTEGER, description TEXT, shell_status INTEGER,"
    " error TEXT," // ExitLens's own failure, NULL when none
    " events INTEGER, processes INTEGER, threads INTEGER, dropped INTEGER,"
    " stopped_by_user INTEGER NOT NULL DEFAULT 0,"
    " filtered_out INTEGER)", // events the capture filter dropped (added later: may be absent)

    "CREATE TABLE verdict ("
    " category TEXT NOT NULL, headline TEXT NOT NULL, confidence REAL,"
    " json TEXT NOT NULL)", // the whole exitlens::Verdict, as in `exitlens run --json`

    "CREATE TABLE processes ("
    " id INTEGER PRIMARY KEY," // order of appearance
    " pid INTEGER NOT NULL, ppid INTEGER, exe TEXT, argv TEXT NOT NULL DEFAULT '[]', cwd TEXT,"
    " start_ns INTEGER, end_ns INTEGER, start_seq INTEGER, end_seq INTEGER, threads INTEGER,"
    " exit_kind TEXT NOT NULL, exit_code INTEGER, exit_signal INTEGER, core_dumped INTEGER NOT NULL DEFAULT 0,"
    " launch_errno INTEGER, exit_description TEXT,"
    " context_captured INTEGER NOT NULL DEFAULT 0," // the exit context below was read while it lived
    " context_complete INTEGER NOT NULL DEFAULT 0," // ... including open files, limits and cgroup
    " open_files TEXT NOT NULL DEFAULT '[]'," // JSON array of {fd, target}
    " peak_rss_kib INTEGER, rss_kib INTEGER, address_space_limit INTEGER, open_files_limit INTEGER,"
    " cgroup TEXT, cgroup_memory_limit INTEGER, cgroup_oom_kills INTEGER)",

    "CREATE TABLE strings (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",

    "CREATE TABLE events ("
    " seq INTEGER PRIMARY KEY," // 0-based, gap-free
    " time_ns INTEGER NOT NULL," // since the capture started (monotonic)
    " pid INTEGER NOT NULL, tid INTEGER NOT NULL,"
    " kind INTEGER NOT NULL," // event_kinds.id
    " class INTEGER NOT NULL," // event_classes.id
    " op INTEGER NOT NULL, path INTEGER NOT NULL, detail INTEGER NOT NULL," // strings.id (0 = '')
    " result INTEGER NOT NULL, errno INTEGER NOT NULL," // errnos.id, 0 when it did not fail
    " duration_ns INTEGER NOT NULL, flags INTEGER NOT NULL)",

    "CREATE TABLE event_kinds (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE event_classes (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE event_flags (bit INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE errnos (id INTEGER PRIMARY KEY, name TEXT NOT NULL, message TEXT NOT NULL)",

    "CREATE TABLE stacks (" // the few key events with a user stack
    " seq INTEGER PRIMARY KEY, pid INTEGER NOT NULL,"
    " pcs TEXT NOT NULL," // JSON array of "0x..." program counters, innermost first
    " symbolized TEXT)", // JSON: the stack_events entry of `exitlens run --json`, made when the capture ended

    "CREATE TABLE output_chunks ("
    " seq INTEGER PRIMARY KEY," // the Output event
    " stream INTEGER NOT NULL," // 1 stdout, 2 stderr
    " pid INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL)",

    "CREATE TABLE output_streams ("
    " stream INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " head BLOB NOT NULL, tail BLOB NOT NULL," // first and last bytes; the middle is counted
    " total_bytes INTEGER NOT NULL, omitted_bytes INTEGER NOT NULL)",

    "CREATE TABLE notes ("
    " id INTEGER PRIMARY KEY,"
    " target TEXT NOT NULL DEFAULT 'event'," // event | verdict
    " seq INTEGER," // the event, NULL for the verdict
    " bookmark INTEGER NOT NULL DEFAULT 0,"
    " text TEXT NOT NULL DEFAULT '',"
    " created TEXT NOT NULL, modified TEXT NOT NULL)",

    "CREATE TABLE filters (id INTEGER PRIMARY KEY, name TEXT NOT NULL, expression TEXT NOT NULL, created TEXT NOT "
    "NULL)",

    "CREATE TABLE redactions (" // only in copies made for sharing: what was redacted, never the value
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL, occurrences INTEGER NOT NULL)",

    "CREATE VIEW events_readable AS SELECT"
    " e.seq, e.time_ns, e.pid, e.tid, k.name AS kind, c.name AS class, o.text AS op, p.text AS path,"
    " d.text AS detail, e.result, CASE WHEN e.errno != 0 THEN n.name END AS errno,"
    " e.duration_ns, (e.flags & 1) AS failed, e.flags"
    " FROM events e"
    " LEFT JOIN event_kinds k ON k.id = e.kind LEFT JOIN event_classes c ON c.id = e.class"
    " LEFT JOIN strings o ON o.id = e.op LEFT JOIN strings p ON p.id = e.path LEFT JOIN strings d ON d.id = e.detail"
    " LEFT JOIN errnos n ON n.id = e.errno",

    // Failed events are few; this small partial index is kept up while capturing.
    "CREATE INDEX events_failed ON events(errno) WHERE flags & 1",
};

// Only what ExitLens itself queries: it reads events by seq (the rowid) and filters in memory. A
// pid or op index would cost 0.9 s of CPU and 22 bytes per event for 1M events, for ad-hoc SQL
// only; docs/session-format.md gives the statement to add one.
const char* const kIndexes[] = {
    "CREATE INDEX IF NOT EXISTS events_failed ON events(errno) WHERE flags & 1",
    "CREATE INDEX IF NOT EXISTS notes_seq ON notes(seq)",
};

const char* const kFlagNames[] = { "failed", "signaled", "core_dumped", "unfinished", "runtime_noise",
    "duration_saturated", "truncated", "result_unknown" };

bool fillLookups(SessionConnection& connection, QString& error)
{
    QSqlDatabase db = connection.database();
    QSqlQuery query(db);
    auto insert = [&](const char* sql, const QVariantList& values) {
        query.prepare(sql);
        for (int i = 0; i < values.size(); ++i)
            query.bindValue(i, values[i]);
        if (!query.exec()) {
            error = query.lastError().text();
            return false;
        }
        return true;
    };
    for (int kind = 0; kind <= static_cast<int>(EventKind::Note); ++kind) {
        const auto name = eventKindName(static_cast<EventKind>(kind));
        if (!insert("INSERT INTO event_kinds(id, name) VALUES (?, ?)",
                { kind, QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())) }))
            return false;
    }
    for (int cls = 0; cls < kEventClassCount; ++cls) {
        const auto name = eventClassName(static_cast<EventClass>(cls));
        if (!insert("INSERT INTO event_classes(id, name) VALUES (?, ?)",
                { cls, QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())) }))
            return false;
    }
    for (int bit = 0; bit < static_cast<int>(std::size(kFlagNames)); ++bit) {
        if (!insert("INSERT INTO event_flags(bit, name) VALUES (?, ?)", { 1 << bit, QString(kFlagNames[bit]) }))
            return false;
    }
    for (int err = 1; err < 134; ++err) {
        if (!insert("INSERT INTO errnos(id, name, message) VALUES (?, ?, ?)",
                { err, QString::fromStdString(errnoName(err)), QString::fromStdString(errnoMessage(err)) }))
            return false;
    }
    return true;
}
} // namespace

bool SessionSchema::create(
    SessionConnection& connection, QString& error, const std::function<bool(QString&)>& firstRows)
{
    // application_id and user_version live in the file header: tools identify the file without
    // reading a table. page_size must be set before the first table exists.
    const QString pragmas = QString("PRAGMA page_size = 4096; PRAGMA application_id = %1; PRAGMA user_version = %2;")
                                .arg(kApplicationId)
                                .arg(kVersion);
    if (!connection.exec(pragmas.toUtf8().constData(), error))
        return false;
    if (!connection.exec("BEGIN", error))
        return false;
    for (const char* statement : kTables) {
        if (!connection.exec(statement, error)) {
            QString ignored;
            connection.exec("ROLLBACK", ignored);
            return false;
        }
    }
    if (!fillLookups(connection, error) || (firstRows && !firstRows(error))) {
        QString ignored;
        connection.exec("ROLLBACK", ignored);
        return false;
    }
    return connection.exec("COMMIT", error);
}

bool SessionSchema::createIndexes(SessionConnection& connection, QString& error)
{
    for (const char* statement : kIndexes) {
        if (!connection.exec(statement, error))
            return false;
    }
    return true;
}

} // namespace exitlens
