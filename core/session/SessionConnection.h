#pragma once

#include <QSqlDatabase>
#include <QString>
#include <atomic>

struct sqlite3;

namespace exitlens {

// One uniquely named QSQLITE connection, owned by the thread that opened it and removed from Qt's
// registry when this object dies. Qt SQL opens, reads and manages sessions; handle() exposes the
// sqlite3 connection underneath for the two hot paths that need it (inserting and loading events)
// and for the safety settings Qt SQL has no API for.
class SessionConnection {
public:
    enum class Mode {
        ReadOnly, // an untrusted file: defensive settings, length limits, cancellable
        // A damaged untrusted file (cut short: fewer pages than its header says), read as far as it
        // goes: ReadOnly's limits, query-only, but SQLite tolerates the missing pages.
        Salvage,
        ReadWrite, // an existing session (notes, filters)
        Create, // a new file (any existing file at the path is replaced)
    };

    SessionConnection() = default;
    ~SessionConnection();
    SessionConnection(const SessionConnection&) = delete;
    SessionConnection& operator=(const SessionConnection&) = delete;

    bool open(const QString& path, Mode mode, QString& error);
    void close();
    bool isOpen() const { return m_handle != nullptr; }

    QSqlDatabase database() const;
    sqlite3* handle() const { return m_handle; }
    const QString& path() const { return m_path; }

    // Runs trusted SQL (fixed strings from the schema, pragmas); sets error on failure.
    bool exec(const char* sql, QString& error);
    // The last SQLite error of the handle, as text.
    QString lastError() const;

    // Makes every running statement on this connection fail with SQLITE_INTERRUPT as soon as
    // the flag is set (checked every few thousand virtual-machine steps).
    void setCancelFlag(const std::atomic<bool>* flag);

    // Largest string or blob a read-only connection will materialise; longer values fail with
    // SQLITE_TOOBIG instead of exhausting memory.
    static constexpr int kMaxValueBytes = 64 << 20;

private:
    QString m_name;
    QString m_path;
    sqlite3* m_handle = nullptr;
    const std::atomic<bool>* m_cancel = nullptr;
};

} // namespace exitlens
