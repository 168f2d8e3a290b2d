#include "SessionConnection.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>
#include <sqlite3.h>

namespace exitlens {

namespace {
std::atomic<unsigned> g_connectionCounter { 0 };

int progressHandler(void* context)
{
    const auto* flag = static_cast<const std::atomic<bool>*>(context);
    return flag && flag->load(std::memory_order_relaxed) ? 1 : 0;
}

void removeSidecars(const QString& path)
{
    for (const char* suffix : { "-wal", "-shm", "-journal" })
        QFile::remove(path + suffix);
}
} // namespace

SessionConnection::~SessionConnection()
{
    close();
}

bool SessionConnection::open(const QString& path, Mode mode, QString& error)
{
    close();
    m_path = path;
    if (mode != Mode::Create && !QFileInfo(path).isFile()) {
        error = QFileInfo::exists(path) ? path + " is not a regular file" : path + " does not exist";
        return false;
    }
    if (mode == Mode::Create) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            error = "cannot replace " + path;
            return false;
        }
        removeSidecars(path);
    }
    m_name = QString("exitlens-session-%1").arg(g_connectionCounter.fetch_add(1));
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", m_name);
    if (!db.isValid()) {
        error = "the Qt SQLite driver (QSQLITE) is not available";
        QSqlDatabase::removeDatabase(m_name);
        m_name.clear();
        return false;
    }
    db.setDatabaseName(path);
    if (mode == Mode::ReadOnly || mode == Mode::Salvage)
        db.setConnectOptions("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000");
    else
        db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=5000");
    if (!db.open()) {
        error = "cannot open " + path + ": " + db.lastError().text();
        db = QSqlDatabase();
        close();
        return false;
    }
    const QVariant handle = db.driver()->handle();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_handle = *static_cast<sqlite3* const*>(handle.data());
    if (!m_handle) {
        error = "the Qt SQLite driver did not expose its sqlite3 handle";
        db = QSqlDatabase();
        close();
        return false;
    }
    if (mode == Mode::ReadOnly || mode == Mode::Salvage) {
        // The file comes from elsewhere: no schema-defined functions with side effects, no
        // writable schema, corruption checks on every cell, and bounded value sizes. Salvage
        // needs writable_schema, the only switch that makes SQLite open a file with fewer pages
        // than its header says (defensive mode forbids it); the connection is read-only and
        // query-only, so nothing can be written through it.
        sqlite3_db_config(m_handle, SQLITE_DBCONFIG_DEFENSIVE, mode == Mode::Salvage ? 0 : 1, nullptr);
        sqlite3_db_config(m_handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
        sqlite3_db_config(m_handle, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
        sqlite3_limit(m_handle, SQLITE_LIMIT_LENGTH, kMaxValueBytes);
        sqlite3_limit(m_handle, SQLITE_LIMIT_COLUMN, 200);
        sqlite3_limit(m_handle, SQLITE_LIMIT_EXPR_DEPTH, 100);
        QString ignored;
        exec("PRAGMA cell_size_check = ON", ignored);
        exec("PRAGMA query_only = ON", ignored);
        if (mode == Mode::Salvage)
            exec("PRAGMA writable_schema = ON", ignored);
    }
    return true;
}

void SessionConnection::close()
{
    if (m_name.isEmpty())
        return;
    if (m_handle)
        sqlite3_progress_handler(m_handle, 0, nullptr, nullptr);
    m_handle = nullptr;
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

QSqlDatabase SessionConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

bool SessionConnection::exec(const char* sql, QString& error)
{
    if (!m_handle) {
        error = "the session is not open";
        return false;
    }
    char* message = nullptr;
    if (sqlite3_exec(m_handle, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        error = QString::fromUtf8(message ? message : sqlite3_errmsg(m_handle));
        sqlite3_free(message);
        return false;
    }
    return true;
}

QString SessionConnection::lastError() const
{
    return m_handle ? QString::fromUtf8(sqlite3_errmsg(m_handle)) : QString("the session is not open");
}

void SessionConnection::setCancelFlag(const std::atomic<bool>* flag)
{
    m_cancel = flag;
    if (m_handle)
        sqlite3_progress_handler(
            m_handle, flag ? 4096 : 0, flag ? progressHandler : nullptr, const_cast<std::atomic<bool>*>(flag));
}

} // namespace exitlens
