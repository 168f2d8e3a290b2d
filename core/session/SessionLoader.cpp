#include "SessionLoader.h"

#include "Names.h"
#include "SessionConnection.h"
#include "SessionJson.h"
#include "SessionSchema.h"
#include "Version.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>
#include <memory>
#include <sqlite3.h>
#include <unordered_map>

namespace exitlens {

namespace {
constexpr std::size_t kEventBatch = 16384;
constexpr std::uint64_t kMaxGapFill = 1 << 20; // missing sequence numbers replaced by placeholders
constexpr int kMaxProcesses = 1 << 20;
constexpr int kMaxEnvironment = 1 << 16;
constexpr int kProgressIntervalMs = 100;
constexpr int kMaxStacks = 100000;
constexpr std::size_t kMaxFrames = 4096;

std::string cut(const QByteArray& bytes, std::size_t max, bool* wasCut = nullptr)
{
    const std::size_t size = static_cast<std::size_t>(bytes.size());
    if (wasCut)
        *wasCut = size > max;
    return std::string(bytes.constData(), std::min(size, max));
}

std::string text(const QVariant& value, std::size_t max = SessionLoader::kMaxStringBytes)
{
    return cut(value.toByteArray(), max);
}

std::int64_t integer(const QVariant& value, std::int64_t fallback)
{
    bool ok = false;
    const qlonglong result = value.toLongLong(&ok);
    return ok && !value.isNull() ? result : fallback;
}

int clampInt(std::int64_t value, int low, int high)
{
    return static_cast<int>(std::clamp<std::int64_t>(value, low, high));
}

std::uint64_t unsignedValue(const QVariant& value)
{
    const std::int64_t result = integer(value, 0);
    return result < 0 ? 0 : static_cast<std::uint64_t>(result);
}

ExitStatus::Kind exitKind(const QString& name)
{
    if (name == "exited")
        return ExitStatus::Kind::Exited;
    if (name == "signaled")
        return ExitStatus::Kind::Signaled;
    if (name == "launch_failed")
        return ExitStatus::Kind::LaunchFailed;
    return ExitStatus::Kind::Running;
}

ExitStatus exitStatus(const QString& kind, const QVariant& code, const QVariant& signal, const QVariant& core,
    const QVariant& launchErrno)
{
    ExitStatus status;
    status.kind = exitKind(kind);
    status.code = clampInt(integer(code, 0), INT32_MIN, INT32_MAX);
    status.signal = clampInt(integer(signal, 0), 0, 1024);
    status.coreDumped = integer(core, 0) != 0;
    status.launchErrno = clampInt(integer(launchErrno, 0), 0, 4095);
    return status;
}

// The sqlite3 statement behind the two bulk reads (strings and events): QSqlQuery builds a
// QVariant per cell, which halves the load rate of a multi-million-row table.
struct Cursor {
    sqlite3_stmt* stmt = nullptr;
    Cursor() = default;
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    ~Cursor() { sqlite3_finalize(stmt); }
    bool prepare(sqlite3* db, const char* sql)
    {
        sqlite3_finalize(stmt);
        stmt = nullptr;
        return sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK;
    }
};

class Load {
public:
    Load(const QString& path, const std::atomic<bool>* cancel, SessionInfo& info)
        : m_path(path)
        , m_cancel(cancel)
        , m_info(info)
    {
    }

    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    // File-level checks before SQLite sees the file.
    bool checkFile(QString& error)
    {
        const QFileInfo file(m_path);
        if (!file.exists()) {
            error = m_path + " does not exist";
            return false;
        }
        if (!file.isFile()) {
            error = m_path + " is not a regular file";
            return false;
        }
        QFile handle(m_path);
        if (!handle.open(QIODevice::ReadOnly)) {
            error = "cannot read " + m_path + ": " + handle.errorString();
            return false;
        }
        const QByteArray header = handle.read(100);
        if (header.isEmpty()) {
            error = m_path
                + " is empty: nothing was saved in it (a capture stopped at once leaves an empty file), or "
                  "it is not an ExitLens session";
            return false;
        }
        if (!header.startsWith(QByteArray("SQLite format 3\0", 16))) {
            error = m_path + " is not an ExitLens session (it is not an SQLite database)";
            return false;
        }
        if (header.size() < 100) {
            error = m_path + " is not an ExitLens session (the SQLite header is truncated)";
            return false;
        }
        // The header's page count is trusted only where SQLite trusts it (its "valid for" number
        // matches the change counter); a file shorter than that was cut short.
        const auto be32 = [&](int at) {
            return static_cast<std::uint32_t>(static_cast<unsigned char>(header[at])) << 24
                | static_cast<std::uint32_t>(static_cast<unsigned char>(header[at + 1])) << 16
                | static_cast<std::uint32_t>(static_cast<unsigned char>(header[at + 2])) << 8
                | static_cast<std::uint32_t>(static_cast<unsigned char>(header[at + 3]));
        };
        std::uint32_t pageSize = static_cast<std::uint32_t>(static_cast<unsigned char>(header[16])) << 8
            | static_cast<unsigned char>(header[17]);
        if (pageSize == 1)
            pageSize = 65536;
        if (pageSize >= 512 && (pageSize & (pageSize - 1)) == 0 && be32(24) == be32(92)) {
            const std::uint64_t pages = be32(28);
            const std::uint64_t size = static_cast<std::uint64_t>(file.size());
            if (pages * pageSize > size) {
                m_cutShort = QString("the file is cut short: it has %1 of the %2 KiB its header announces")
                                 .arg(size / 1024)
                                 .arg(pages * pageSize / 1024);
            }
        }
        return true;
    }

    // Opens the file and reads its table list; a file SQLite refuses as malformed (cut short,
    // damaged pages) is opened again in salvage mode, to read what its pages still hold.
    bool openAndReadSchema(QString& error)
    {
        if (open(error) && readSchema(error))
            return true;
        if (m_hotJournal && rollBackInACopy()) {
            m_connection.close();
            m_tables.clear();
            QString copyError;
            if (open(copyError) && readSchema(copyError)) {
                error.clear();
                return true;
            }
            return false; // the first message says it best
        }
        if (!m_connection.isOpen() || !m_corrupt)
            return false;
        m_connection.close();
        m_tables.clear();
        QString salvageError;
        if (!m_connection.open(m_openPath, SessionConnection::Mode::Salvage, salvageError))
            return false;
        m_connection.setCancelFlag(m_cancel);
        m_corrupt = false;
        if (!readSchema(salvageError))
            return false; // the first message says it best
        error.clear();
        m_salvaged = true;
        return true;
    }

    // After the load: whether the file lost anything, in one sentence for the user.
    void summarizeDamage()
    {
        if (!m_salvaged && m_cutShort.isEmpty() && m_lost.isEmpty())
            return;
        m_info.damaged = true;
        QString what = m_cutShort.isEmpty() ? QString("the file is damaged") : m_cutShort;
        what += m_lost.isEmpty() ? QString(", but everything ExitLens reads from it was still there")
                                 : ": lost " + m_lost.join(", ");
        if (m_salvaged)
            what += " (recovered read-only: the file itself is unchanged)";
        m_info.damage = m_info.damage.isEmpty() ? what : m_info.damage + "; " + what;
        m_info.warnings.prepend(what);
    }

    bool open(QString& error)
    {
        if (!m_connection.open(m_openPath, SessionConnection::Mode::ReadOnly, error))
            return false;
        m_connection.setCancelFlag(m_cancel);
        return true;
    }

    QString damaged(const QString& what, const QString& detail) const
    {
        return m_path + " is damaged or not an ExitLens session: " + what + " (" + detail + ")";
    }

    bool readSchema(QString& error)
    {
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view')")) {
            const int code = sqlite3_extended_errcode(m_connection.handle()) & 0xff;
            const bool journal = code == SQLITE_READONLY && QFile::exists(m_openPath + "-journal");
            error =
                journal ? unfinishedSave() : damaged("its table list cannot be read", query.lastError().databaseText());
            m_corrupt = code == SQLITE_CORRUPT;
            return false;
        }
        while (query.next()) {
            if (query.value(1).toString() == "table")
                m_tables.insert(query.value(0).toString());
            if (m_tables.size() > 10000)
                break;
        }
        if (query.lastError().isValid()) {
            error = damaged("its table list cannot be read", query.lastError().databaseText());
            m_corrupt = (sqlite3_extended_errcode(m_connection.handle()) & 0xff) == SQLITE_CORRUPT;
            return false;
        }
        if (!m_tables.contains("meta")) {
            error = m_tables.isEmpty() ? m_path
                    + " holds no tables: nothing was saved in it (the capture was stopped before its first "
                      "commit), or it is not an ExitLens session"
                                       : m_path + " is not an ExitLens session (it has no meta table)";
            return false;
        }
        return true;
    }

    // A hot rollback journal beside the file: a writer was killed in the middle of a save, and
    // only a connection with write access may undo it (this one never writes).
    QString unfinishedSave()
    {
        QFile journal(m_path + "-journal");
        QByteArray header;
        if (journal.open(QIODevice::ReadOnly))
            header = journal.read(20);
        // The journal's header: its magic, then the database's size in pages before the save.
        const bool first = header.size() == 20 && header.startsWith(QByteArray::fromHex("d9d505f920a163d7"))
            && header.mid(16, 4) == QByteArray(4, '\0');
        if (first)
            return m_path + " is unfinished: nothing was saved in it (the capture was stopped during its first save)";
        m_hotJournal = true;
        return m_path + " was left in the middle of a save (" + m_path
            + "-journal holds what it undoes): open it once with write access, e.g. `sqlite3 FILE 'PRAGMA "
              "quick_check'`, to roll that save back, then open it again";
    }

    // A writer killed in the middle of a later save (the indexes at the end, say) left a hot
    // journal, and only a connection with write access may undo it. The file and its journal are
    // copied aside and the copy is rolled back there, so the user gets what was committed before
    // that save and the file itself stays as it was (it may be someone else's, or read-only).
    bool rollBackInACopy()
    {
        m_rollbackDir = std::make_unique<QTemporaryDir>();
        const QString copy = m_rollbackDir->filePath("session.exitlens");
        if (!m_rollbackDir->isValid() || !QFile::copy(m_path, copy)
            || !QFile::copy(m_path + "-journal", copy + "-journal"))
            return false;
        sqlite3* handle = nullptr;
        bool rolledBack =
            sqlite3_open_v2(copy.toUtf8().constData(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK;
        if (rolledBack) {
            // Defensive as every untrusted file: reading the table list is all it does, and that
            // read is what makes SQLite undo the unfinished save.
            sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
            sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
            rolledBack =
                sqlite3_exec(handle, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_OK
                && !QFile::exists(copy + "-journal");
        }
        sqlite3_close(handle);
        if (!rolledBack)
            return false;
        m_openPath = copy;
        const QString what = "the capture was stopped in the middle of a save: what that save was writing is lost, "
                             "and the file was read as it stood before it (undone in a copy: the file itself is "
                             "unchanged)";
        m_info.damaged = true;
        m_info.damage = m_info.damage.isEmpty() ? what : m_info.damage + "; " + what;
        m_info.warnings.prepend(what);
        return true;
    }

    bool has(const char* table)
    {
        if (m_tables.contains(table))
            return true;
        m_info.warnings << QString("the file has no %1 table").arg(table);
        return false;
    }

    bool readMeta(QString& error)
    {
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT schema_version, exitlens_version FROM meta LIMIT 1")) {
            error = damaged("its meta table cannot be read", query.lastError().databaseText());
            return false;
        }
        if (!query.next()) {
            error = m_path + " is not an ExitLens session (its meta table is empty)";
            return false;
        }
        bool ok = false;
        const qlonglong version = query.value(0).toLongLong(&ok);
        m_info.exitlensVersion = QString::fromStdString(text(query.value(1), 64));
        if (!ok || version < 1) {
            error = m_path + " is not an ExitLens session (its schema version is not valid)";
            return false;
        }
        if (version > SessionSchema::kVersion) {
            error = QString("%1 was written by ExitLens %2 in session format %3; this ExitLens (%4) reads session "
                            "formats up to %5. Open it with ExitLens %2 or later.")
                        .arg(m_path, m_info.exitlensVersion.isEmpty() ? QString("(unknown)") : m_info.exitlensVersion)
                        .arg(version)
                        .arg(QString::fromLatin1(kVersion))
                        .arg(SessionSchema::kVersion);
            return false;
        }
        m_info.schemaVersion = static_cast<int>(version);
        if (query.exec("SELECT created, finished, complete, host_os, kernel, arch, hostname, redacted FROM meta "
                       "LIMIT 1")
            && query.next()) {
            m_info.created = QString::fromStdString(text(query.value(0), 64));
            m_info.finished = QString::fromStdString(text(query.value(1), 64));
            m_info.complete = integer(query.value(2), 0) != 0;
            m_info.hostOs = QString::fromStdString(text(query.value(3), 256));
            m_info.kernel = QString::fromStdString(text(query.value(4), 256));
            m_info.arch = QString::fromStdString(text(query.value(5), 64));
            m_info.hostname = QString::fromStdString(text(query.value(6), 256));
            m_info.redacted = integer(query.value(7), 0) != 0;
        } else {
            m_info.warnings << "the meta table is incomplete: " + query.lastError().databaseText();
        }
        // Added after the first files were written: a file without the column was never cut short.
        QSqlQuery writeError(m_connection.database());
        if (writeError.exec("SELECT write_error FROM meta LIMIT 1") && writeError.next()
            && !writeError.value(0).isNull()) {
            m_info.damaged = true;
            m_info.damage = QString::fromStdString(text(writeError.value(0), 1024));
            m_info.warnings << m_info.damage;
        } else if (!m_info.complete) {
            m_info.warnings << "the capture did not finish cleanly: the file holds what was saved up to its last "
                               "commit";
        }
        return true;
    }

    LaunchSpec readTarget(LaunchContext& context, bool& haveContext)
    {
        LaunchSpec spec;
        spec.program = "(unknown program)";
        spec.stdio = StdioMode::Null;
        haveContext = false;
        if (!has("target"))
            return spec;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT program, resolved, args, cwd, environment, launch_context, capture_mode, "
                        "capture_classes, stdio, stdin_file, run_as_user, go_build_info, elf_facts FROM target LIMIT 1")
            || !query.next()) {
            m_info.warnings << "the target cannot be read: " + query.lastError().databaseText();
            return spec;
        }
        spec.program = text(query.value(0));
        spec.args = SessionJson::parseStringList(query.value(2).toByteArray(), kMaxEnvironment);
        spec.workingDirectory = text(query.value(3));
        spec.environment = SessionJson::parseStringList(query.value(4).toByteArray(), kMaxEnvironment);
        const QByteArray contextJson = query.value(5).toByteArray();
        if (!contextJson.isEmpty()) {
            context = SessionJson::parseLaunchContext(contextJson);
            haveContext = true;
        }
        if (context.resolvedProgram.empty())
            context.resolvedProgram = text(query.value(1));
        spec.fullTrace = query.value(6).toString() == "full";
        std::string classError;
        if (!CaptureClasses::parse(text(query.value(7), 256), spec.classes, classError))
            spec.classes = CaptureClasses::all();
        const QString stdio = query.value(8).toString();
        spec.stdio = stdio == "inherit" ? StdioMode::Inherit : stdio == "pipes" ? StdioMode::Pipes : StdioMode::Null;
        spec.stdinFile = text(query.value(9));
        if (!query.value(10).isNull())
            spec.runAsUser = text(query.value(10), 256);
        m_info.goBuildInfo = query.value(11).toByteArray();
        m_info.elfFacts = query.value(12).toByteArray();
        // Added after the first files were written: a file without the column had no capture filter.
        QSqlQuery filter(m_connection.database());
        if (filter.exec("SELECT capture_filter FROM target LIMIT 1") && filter.next())
            spec.captureFilter = text(filter.value(0), 64 * 1024);
        return spec;
    }

    void readSummary(CaptureData& data)
    {
        if (!has("summary"))
            return;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT exit_kind, exit_code, exit_signal, core_dumped, launch_errno, error, processes, "
                        "threads, dropped, stopped_by_user, events FROM summary LIMIT 1")) {
            m_info.warnings << "the summary cannot be read: " + query.lastError().databaseText();
            return;
        }
        if (!query.next()) {
            m_info.warnings << "the file has no summary (the capture was interrupted)";
            return;
        }
        TraceSummary summary;
        summary.rootStatus =
            exitStatus(query.value(0).toString(), query.value(1), query.value(2), query.value(3), query.value(4));
        summary.error = text(query.value(5), 64 * 1024);
        summary.processes = unsignedValue(query.value(6));
        summary.threads = unsignedValue(query.value(7));
        summary.dropped = unsignedValue(query.value(8));
        summary.stoppedByUser = integer(query.value(9), 0) != 0;
        summary.events = unsignedValue(query.value(10));
        // Added after the first files were written: absent means nothing was filtered out.
        QSqlQuery filtered(m_connection.database());
        if (filtered.exec("SELECT filtered_out FROM summary LIMIT 1") && filtered.next())
            summary.filteredOut = unsignedValue(filtered.value(0));
        data.setSummary(summary);
    }

    void readVerdict(CaptureData& data)
    {
        if (!m_tables.contains("verdict"))
            return; // an interrupted capture has none; the caller may diagnose the capture itself
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT json FROM verdict LIMIT 1")) {
            m_info.warnings << "the verdict cannot be read: " + query.lastError().databaseText();
            return;
        }
        Verdict verdict;
        if (query.next()) {
            if (SessionJson::parseVerdict(query.value(0).toByteArray(), verdict))
                data.setVerdict(verdict);
            else
                m_info.warnings << "the verdict is not valid JSON";
        }
    }

    void readProcesses(CaptureData& data)
    {
        if (!has("processes"))
            return;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT pid, ppid, exe, argv, cwd, start_ns, end_ns, start_seq, end_seq, threads, exit_kind, "
                        "exit_code, exit_signal, core_dumped, launch_errno, context_captured, open_files, "
                        "peak_rss_kib, rss_kib, address_space_limit, open_files_limit, cgroup, cgroup_memory_limit, "
                        "cgroup_oom_kills, context_complete FROM processes ORDER BY id")) {
            m_info.warnings << "the process table cannot be read: " + query.lastError().databaseText();
            return;
        }
        // Version 2 added the column; read beside the main query, row for row (same order).
        QSqlQuery windows(m_connection.database());
        windows.setForwardOnly(true);
        if (m_info.schemaVersion >= 2)
            windows.exec("SELECT windows FROM processes ORDER BY id");
        int count = 0;
        while (query.next() && count++ < kMaxProcesses) {
            ProcessRecord record;
            record.pid = clampInt(integer(query.value(0), 0), INT32_MIN, INT32_MAX);
            record.ppid = clampInt(integer(query.value(1), 0), INT32_MIN, INT32_MAX);
            record.exe = text(query.value(2));
            record.argv = SessionJson::parseStringList(query.value(3).toByteArray(), kMaxEnvironment);
            record.cwd = text(query.value(4));
            record.startNs = unsignedValue(query.value(5));
            record.endNs = unsignedValue(query.value(6));
            record.startSeq = unsignedValue(query.value(7));
            record.endSeq = unsignedValue(query.value(8));
            record.threads = clampInt(integer(query.value(9), 1), 0, INT32_MAX);
            record.status = exitStatus(
                query.value(10).toString(), query.value(11), query.value(12), query.value(13), query.value(14));
            ExitContext& context = record.exitContext;
            context.captured = integer(query.value(15), 0) != 0;
            context.openFiles = SessionJson::parseOpenFiles(query.value(16).toByteArray());
            context.peakRssKiB = integer(query.value(17), -1);
            context.rssKiB = integer(query.value(18), -1);
            context.addressSpaceLimit = integer(query.value(19), -1);
            context.openFilesLimit = integer(query.value(20), -1);
            context.cgroup = text(query.value(21), 4096);
            context.cgroupMemoryLimit = integer(query.value(22), -1);
            context.cgroupOomKills = integer(query.value(23), -1);
            context.complete = integer(query.value(24), 0) != 0;
            if (windows.isActive() && windows.next())
                readWindows(windows.value(0).toByteArray(), record);
            data.processChanged(record);
        }
        if (query.lastError().isValid()) {
            m_info.warnings << "the process table is damaged: " + query.lastError().databaseText();
            m_lost << "processes after the first " + QString::number(count);
        }
    }

    // processes.windows (version 2): the facts of a Windows process, from an imported log.
    static void readWindows(const QByteArray& json, ProcessRecord& record)
    {
        if (json.isEmpty())
            return;
        const QJsonObject object = QJsonDocument::fromJson(json.left(16 * 1024 * 1024)).object();
        if (object.isEmpty())
            return;
        auto string = [&](const char* key) { return object.value(key).toString().left(64 * 1024).toStdString(); };
        WindowsProcessInfo& w = record.windows;
        w.present = true;
        w.integrity = string("integrity");
        w.user = string("user");
        w.sessionId =
            static_cast<std::uint32_t>(std::clamp<qint64>(object.value("session").toInteger(), 0, UINT32_MAX));
        w.architecture = string("architecture");
        w.commandLine = string("command_line");
        w.company = string("company");
        w.description = string("description");
        w.version = string("version");
        const QJsonArray modules = object.value("modules").toArray();
        for (qsizetype i = 0; i < modules.size() && i < 65536; ++i)
            w.modules.push_back(modules.at(i).toString().left(4096).toStdString());
        record.status.windows = object.value("exit_code_windows").toBool();
    }

    void readOutputStreams(CaptureData& data)
    {
        if (!has("output_streams"))
            return;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT stream, head, tail, total_bytes FROM output_streams ORDER BY stream")) {
            m_info.warnings << "the output cannot be read: " + query.lastError().databaseText();
            return;
        }
        while (query.next()) {
            const int stream = clampInt(integer(query.value(0), 0), 0, 3);
            if (stream != 1 && stream != 2)
                continue;
            const QByteArray head = query.value(1).toByteArray();
            const QByteArray tail = query.value(2).toByteArray();
            data.restoreOutputStream(stream, std::string(head.constData(), head.size()),
                std::string(tail.constData(), tail.size()), unsignedValue(query.value(3)));
            // What the log kept (it caps head and tail and raises the total to cover them): the
            // chunks below are checked against this, not against the file's own numbers.
            m_streamBytes[stream - 1] = data.outputLog().stream(stream).totalBytes;
        }
        if (query.lastError().isValid()) {
            m_info.warnings << "the output is damaged: " + query.lastError().databaseText();
            m_lost << "part of the output";
        }
    }

    void readOutputChunks(CaptureData& data)
    {
        if (!m_tables.contains("output_chunks"))
            return;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT seq, stream, pid, offset, length FROM output_chunks ORDER BY seq")) {
            m_info.warnings << "the output chunks cannot be read: " + query.lastError().databaseText();
            return;
        }
        const std::uint64_t events = data.events().size();
        // Every reader of the output (the diagnosis, the output pane, the exports) cuts a chunk's
        // bytes out of the stream's kept head and tail by its offset and length: a chunk must lie
        // inside the stream as loaded. A capture that did not finish wrote its chunks before the
        // stream's bytes (those are saved at most once a second), and a crafted file may say
        // anything: such chunks are dropped, and what was lost is said.
        std::uint64_t outside = 0;
        std::uint64_t outsideBytes = 0;
        std::uint64_t invalid = 0;
        while (query.next() && !cancelled()) {
            OutputLog::Chunk chunk;
            const std::int64_t seq = integer(query.value(0), -1);
            const std::int64_t stream = integer(query.value(1), 0);
            const std::int64_t offset = integer(query.value(3), -1);
            const std::int64_t length = integer(query.value(4), -1);
            if (seq < 0 || (stream != 1 && stream != 2) || offset < 0 || length < 0 || length > UINT32_MAX) {
                ++invalid;
                continue;
            }
            chunk.seq = static_cast<std::uint64_t>(seq);
            if (chunk.seq >= events)
                break;
            chunk.stream = static_cast<std::uint8_t>(stream);
            chunk.pid = clampInt(integer(query.value(2), 0), INT32_MIN, INT32_MAX);
            chunk.offset = static_cast<std::uint64_t>(offset);
            chunk.length = static_cast<std::uint32_t>(length);
            const std::uint64_t kept = m_streamBytes[stream - 1];
            if (chunk.offset > kept || chunk.length > kept - chunk.offset) {
                ++outside;
                outsideBytes += chunk.length;
                continue;
            }
            data.restoreOutputChunk(chunk);
        }
        if (query.lastError().isValid() && !cancelled()) {
            m_info.warnings << "the output chunks are damaged: " + query.lastError().databaseText();
            m_lost << "which event wrote part of the output";
        }
        if (outside)
            m_info.warnings << QString("%1 writes to stdout or stderr (%2 bytes) lie beyond the output the file "
                                       "holds (the capture did not finish saving it): their text is missing")
                                   .arg(outside)
                                   .arg(outsideBytes);
        if (invalid)
            m_info.warnings << QString("%1 output records are not valid and were ignored").arg(invalid);
    }

    void readStacks(CaptureData& data)
    {
        if (!m_tables.contains("stacks"))
            return;
        QSqlQuery query(m_connection.database());
        query.setForwardOnly(true);
        if (!query.exec("SELECT seq, pid, pcs, symbolized FROM stacks ORDER BY seq")) {
            m_info.warnings << "the stacks cannot be read: " + query.lastError().databaseText();
            return;
        }
        const std::uint64_t events = data.events().size();
        QJsonArray symbolized;
        int count = 0;
        while (query.next() && count++ < kMaxStacks) {
            const std::int64_t seq = integer(query.value(0), -1);
            if (seq < 0 || static_cast<std::uint64_t>(seq) >= events)
                continue;
            std::vector<std::uint64_t> pcs;
            for (const auto& text : SessionJson::parseStringList(query.value(2).toByteArray(), kMaxFrames)) {
                bool ok = false;
                const qulonglong pc = QString::fromStdString(text).toULongLong(&ok, 16);
                if (ok)
                    pcs.push_back(pc);
            }
            data.stack(
                static_cast<std::uint64_t>(seq), clampInt(integer(query.value(1), 0), INT32_MIN, INT32_MAX), pcs);
            const QJsonDocument entry = QJsonDocument::fromJson(query.value(3).toByteArray());
            if (entry.isObject())
                symbolized.append(entry.object());
        }
        if (query.lastError().isValid()) {
            m_info.warnings << "the stacks are damaged: " + query.lastError().databaseText();
            m_lost << "some stacks";
        }
        m_info.stackEvents = QJsonDocument(symbolized).toJson(QJsonDocument::Compact);
    }

    std::uint64_t expectedEvents()
    {
        if (!m_tables.contains("events"))
            return 0; // never query what is not a table: a view may be an endless recursive query
        Cursor cursor;
        if (!cursor.prepare(m_connection.handle(), "SELECT max(seq) FROM events")
            || sqlite3_step(cursor.stmt) != SQLITE_ROW || sqlite3_column_type(cursor.stmt, 0) != SQLITE_INTEGER)
            return 0;
        const sqlite3_int64 last = sqlite3_column_int64(cursor.stmt, 0);
        return last < 0 ? 0 : static_cast<std::uint64_t>(last) + 1;
    }

    // Maps the file's string ids to the capture's, reading the strings table forward as events
    // need them: strings are numbered in order of first use, so the two cursors advance together.
    StringId resolve(CaptureData& data, sqlite3_int64 fileId)
    {
        if (fileId == 0)
            return kNoString;
        while (!m_stringsDone && m_lastStringId < fileId)
            readNextString(data);
        if (fileId > 0 && static_cast<std::uint64_t>(fileId) < m_dense.size())
            return m_dense[static_cast<std::size_t>(fileId)];
        if (auto found = m_sparse.find(fileId); found != m_sparse.end())
            return found->second;
        ++m_missingStrings;
        if (m_missingId == kNoString)
            m_missingId = data.intern("(missing from the file)");
        return m_missingId;
    }

    void readNextString(CaptureData& data)
    {
        const int rc = sqlite3_step(m_strings.stmt);
        if (rc == SQLITE_ROW) {
            const sqlite3_int64 id = sqlite3_column_int64(m_strings.stmt, 0);
            const char* bytes = static_cast<const char*>(sqlite3_column_blob(m_strings.stmt, 1));
            std::size_t size = static_cast<std::size_t>(sqlite3_column_bytes(m_strings.stmt, 1));
            if (size > SessionLoader::kMaxStringBytes) {
                size = SessionLoader::kMaxStringBytes;
                ++m_cutStrings;
            }
            const StringId mapped = data.intern(std::string_view(bytes ? bytes : "", bytes ? size : 0));
            if (id > 0 && static_cast<std::uint64_t>(id) == m_dense.size())
                m_dense.push_back(mapped);
            else
                m_sparse[id] = mapped;
            m_lastStringId = std::max(m_lastStringId, id);
            return;
        }
        if (rc == SQLITE_TOOBIG && m_skipBudget-- > 0) {
            // A value beyond the length limit: skip that row and carry on after it.
            m_info.warnings << "a string beyond " + QString::number(SessionConnection::kMaxValueBytes >> 20)
                    + " MiB was skipped";
            Cursor next;
            if (next.prepare(m_connection.handle(), "SELECT id FROM strings WHERE id > ? ORDER BY id LIMIT 1")) {
                sqlite3_bind_int64(next.stmt, 1, m_lastStringId);
                if (sqlite3_step(next.stmt) == SQLITE_ROW) {
                    m_lastStringId = sqlite3_column_int64(next.stmt, 0);
                    sqlite3_reset(m_strings.stmt);
                    sqlite3_bind_int64(m_strings.stmt, 1, m_lastStringId);
                    return;
                }
            }
        }
        if (rc != SQLITE_DONE && !cancelled()) {
            m_info.warnings << "the strings table is damaged after id " + QString::number(m_lastStringId) + " ("
                    + m_connection.lastError() + ")";
            m_lost << "the texts (operations, paths, details) after string " + QString::number(m_lastStringId);
        }
        m_stringsDone = true;
    }

    bool readEvents(CaptureData& data, const SessionLoader::Callbacks& callbacks, QString& error)
    {
        if (!has("events"))
            return true;
        if (!m_tables.contains("strings")) {
            m_info.warnings << "the file has no strings table: operations and paths are missing";
            m_stringsDone = true;
        } else if (!m_strings.prepare(m_connection.handle(), "SELECT id, text FROM strings WHERE id > ? ORDER BY id")) {
            m_info.warnings << "the strings table cannot be read: " + m_connection.lastError();
            m_stringsDone = true;
        } else {
            sqlite3_bind_int64(m_strings.stmt, 1, 0);
        }
        m_dense.push_back(kNoString); // file id 0 is the empty string
        Cursor events;
        if (!events.prepare(m_connection.handle(),
                "SELECT seq, time_ns, pid, tid, kind, class, op, path, detail, result, errno, duration_ns, flags "
                "FROM events WHERE seq >= ? ORDER BY seq")) {
            m_info.warnings << "the events table cannot be read: " + m_connection.lastError();
            return true;
        }
        sqlite3_bind_int64(events.stmt, 1, 0);
        std::vector<Event> batch;
        batch.reserve(kEventBatch);
        std::uint64_t next = 0; // the sequence number the next loaded event gets
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        auto flush = [&] {
            if (batch.empty())
                return;
            data.append(batch);
            next += batch.size();
            batch.clear();
            if (callbacks.progress && sinceProgress.elapsed() >= kProgressIntervalMs) {
                sinceProgress.restart();
                callbacks.progress(next, std::max(m_info.expectedEvents, next));
            }
        };
        sqlite3_stmt* stmt = events.stmt;
        std::uint64_t placeholders = 0;
        int skipBudget = 100;
        while (true) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE)
                break;
            if (rc != SQLITE_ROW) {
                if (cancelled())
                    break;
                const std::uint64_t at = next + batch.size();
                if (rc == SQLITE_TOOBIG && skipBudget-- > 0) {
                    // A hostile value in an event: skip that one row.
                    sqlite3_reset(stmt);
                    sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(at + 1));
                    m_info.warnings << QString("event %1 holds an oversized value and was skipped").arg(at);
                    continue;
                }
                m_info.warnings << QString("the events table is damaged after event %1 (%2): the events before it "
                                           "are loaded")
                                       .arg(at)
                                       .arg(m_connection.lastError());
                m_lost << QString("the events from #%1 on").arg(at);
                break;
            }
            const sqlite3_int64 seq = sqlite3_column_int64(stmt, 0);
            std::uint64_t at = next + batch.size();
            if (seq < 0 || static_cast<std::uint64_t>(seq) < at)
                continue; // a duplicate or out-of-order row: the first one stands
            if (static_cast<std::uint64_t>(seq) > at) {
                const std::uint64_t gap = static_cast<std::uint64_t>(seq) - at;
                if (gap > kMaxGapFill) {
                    m_info.warnings
                        << QString("event numbers jump from %1 to %2: loading stopped there").arg(at).arg(seq);
                    break;
                }
                // Keep every sequence number meaning what it meant in the file (the verdict's
                // evidence points at them): fill the hole with marked placeholders.
                if (m_placeholderOp == kNoString)
                    m_placeholderOp = data.intern("missing_event");
                for (std::uint64_t i = 0; i < gap; ++i) {
                    Event placeholder;
                    placeholder.kind = EventKind::Note;
                    placeholder.cls = EventClass::Process;
                    placeholder.op = m_placeholderOp;
                    batch.push_back(placeholder);
                    if (batch.size() >= kEventBatch)
                        flush();
                }
                placeholders += gap;
                at = static_cast<std::uint64_t>(seq);
            }
            Event event;
            const sqlite3_int64 time = sqlite3_column_int64(stmt, 1);
            event.timeNs = time < 0 ? 0 : static_cast<std::uint64_t>(time);
            event.pid = clampInt(sqlite3_column_int64(stmt, 2), INT32_MIN, INT32_MAX);
            event.tid = clampInt(sqlite3_column_int64(stmt, 3), INT32_MIN, INT32_MAX);
            const sqlite3_int64 kind = sqlite3_column_int64(stmt, 4);
            event.kind =
                kind >= 0 && kind <= static_cast<int>(EventKind::Note) ? static_cast<EventKind>(kind) : EventKind::Note;
            const sqlite3_int64 cls = sqlite3_column_int64(stmt, 5);
            event.cls = cls >= 0 && cls < kEventClassCount ? static_cast<EventClass>(cls) : EventClass::Process;
            const sqlite3_int64 op = sqlite3_column_int64(stmt, 6);
            const sqlite3_int64 path = sqlite3_column_int64(stmt, 7);
            const sqlite3_int64 detail = sqlite3_column_int64(stmt, 8);
            event.result = sqlite3_column_int64(stmt, 9);
            event.errnum = static_cast<std::int16_t>(clampInt(sqlite3_column_int64(stmt, 10), INT16_MIN, INT16_MAX));
            const sqlite3_int64 duration = sqlite3_column_int64(stmt, 11);
            event.durationNs = static_cast<std::uint32_t>(std::clamp<sqlite3_int64>(duration, 0, UINT32_MAX));
            event.flags = static_cast<std::uint16_t>(clampInt(sqlite3_column_int64(stmt, 12), 0, UINT16_MAX));
            // Strings last: resolving may step the strings cursor, which does not disturb this row's values (already
            // copied).
            event.op = resolve(data, op);
            event.path = resolve(data, path);
            event.detail = resolve(data, detail);
            batch.push_back(event);
            if (batch.size() >= kEventBatch) {
                flush();
                if (cancelled())
                    break;
            }
        }
        flush();
        if (placeholders)
            m_info.warnings
                << QString("%1 events were missing from the file and are shown as placeholders").arg(placeholders);
        if (m_missingStrings)
            m_info.warnings << QString("%1 references to strings missing from the file").arg(m_missingStrings);
        if (m_cutStrings)
            m_info.warnings << QString("%1 strings longer than %2 KiB were cut")
                                   .arg(m_cutStrings)
                                   .arg(SessionLoader::kMaxStringBytes >> 10);
        if (cancelled()) {
            error = "loading " + m_path + " was cancelled";
            return false;
        }
        return true;
    }

    // Makes every event number a process record holds point inside the loaded events, so nothing
    // downstream indexes past the store (a damaged or interrupted file may end early).
    void repairProcesses(CaptureData& data)
    {
        const std::uint64_t count = data.events().size();
        std::optional<std::uint64_t> missingExit;
        bool repaired = false;
        const auto records = data.processes().snapshot();
        for (std::size_t index = 0; index < records.size(); ++index) {
            ProcessRecord record = records[index];
            bool changed = false;
            if (record.startSeq >= count) {
                // Its first event is not in the file: it starts where the loaded events end.
                record.startSeq = count == 0 ? 0 : count - 1;
                changed = true;
            }
            if (record.status.ended() && record.status.kind != ExitStatus::Kind::LaunchFailed
                && record.endSeq >= count) {
                if (!missingExit) {
                    Event note;
                    note.kind = EventKind::Note;
                    note.pid = record.pid;
                    note.tid = record.pid;
                    note.op = data.intern("missing_event");
                    note.detail = data.intern("the exit event is missing from the file");
                    missingExit = data.append(std::span<const Event>(&note, 1));
                }
                record.endSeq = *missingExit;
                changed = true;
            }
            if (changed) {
                data.repairProcess(index, record);
                repaired = true;
            }
        }
        if (repaired)
            m_info.warnings << "some processes' first or exit events are missing from the file";
    }

    // The saved verdict points at events by number: evidence beyond what was loaded keeps its
    // text and loses its link.
    void repairVerdict(CaptureData& data)
    {
        std::optional<Verdict> verdict = data.verdict();
        if (!verdict)
            return;
        const std::uint64_t count = data.events().size();
        std::uint64_t unlinked = 0;
        for (auto& evidence : verdict->evidence) {
            if (evidence.event && *evidence.event >= count) {
                evidence.event.reset();
                ++unlinked;
            }
        }
        if (!unlinked)
            return;
        data.setVerdict(*verdict);
        m_info.warnings
            << QString("%1 pieces of the verdict's evidence point at events missing from the file").arg(unlinked);
    }

private:
    QString m_path;
    QString m_openPath = m_path; // m_path, or the copy a hot journal was rolled back in
    std::unique_ptr<QTemporaryDir> m_rollbackDir;
    bool m_hotJournal = false; // a save other than the first was left unfinished
    const std::atomic<bool>* m_cancel;
    SessionInfo& m_info;
    SessionConnection m_connection;
    QSet<QString> m_tables;
    QString m_cutShort; // set when the file is shorter than its header says
    bool m_corrupt = false; // SQLite called the table list malformed
    bool m_salvaged = false; // opened in salvage mode
    QStringList m_lost; // what a damaged page took, for SessionInfo::damage
    std::uint64_t m_streamBytes[2] = { 0, 0 }; // stdout and stderr as loaded
    Cursor m_strings;
    bool m_stringsDone = false;
    sqlite3_int64 m_lastStringId = 0;
    int m_skipBudget = 100;
    std::vector<StringId> m_dense;
    std::unordered_map<sqlite3_int64, StringId> m_sparse;
    std::uint64_t m_missingStrings = 0;
    std::uint64_t m_cutStrings = 0;
    StringId m_missingId = kNoString;
    StringId m_placeholderOp = kNoString;
};
} // namespace

SessionLoader::SessionLoader(QString path)
    : m_path(std::move(path))
{
}

bool SessionLoader::probe(const QString& path, SessionInfo& info, QString& error)
{
    info = SessionInfo {};
    info.path = path;
    Load load(path, nullptr, info);
    return load.checkFile(error) && load.openAndReadSchema(error) && load.readMeta(error);
}

std::shared_ptr<CaptureData> SessionLoader::load(SessionInfo& info, QString& error, const Callbacks& callbacks)
{
    info = SessionInfo {};
    info.path = m_path;
    Load load(m_path, m_cancel, info);
    if (!load.checkFile(error) || !load.openAndReadSchema(error) || !load.readMeta(error))
        return nullptr;
    LaunchContext context;
    bool haveContext = false;
    LaunchSpec spec = load.readTarget(context, haveContext);
    auto data = std::make_shared<CaptureData>(std::move(spec));
    if (haveContext)
        data->launchContext(context);
    load.readSummary(*data);
    load.readVerdict(*data);
    load.readProcesses(*data);
    load.readOutputStreams(*data);
    info.expectedEvents = load.expectedEvents();
    if (callbacks.opened)
        callbacks.opened(data, info);
    if (!load.readEvents(*data, callbacks, error))
        return nullptr;
    load.readOutputChunks(*data);
    load.readStacks(*data);
    load.repairProcesses(*data);
    load.repairVerdict(*data);
    load.summarizeDamage();
    info.loadedEvents = data->events().size();
    if (callbacks.progress)
        callbacks.progress(info.loadedEvents, info.loadedEvents);
    return data;
}

} // namespace exitlens
