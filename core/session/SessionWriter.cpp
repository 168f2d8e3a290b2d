#include "SessionWriter.h"

#include "Names.h"
#include "SessionConnection.h"
#include "SessionJson.h"
#include "SessionSchema.h"
#include "Version.h"
#include "go/BinaryInspection.h"
#include "go/GoInsight.h"
#include "go/GoJson.h"
#include "logging/Logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>
#include <chrono>
#include <sqlite3.h>

namespace exitlens {

namespace {
using Clock = std::chrono::steady_clock;

constexpr auto kTick = std::chrono::milliseconds(100); // idle poll, like the engine's publish tick
constexpr auto kTransactionBudget = std::chrono::milliseconds(150); // + commit + tick stays under 250 ms
constexpr int kRowsPerInsert = 32; // multi-row VALUES: one statement step per 32 events
constexpr auto kOutputInterval = std::chrono::milliseconds(1000); // head/tail bytes (up to 4 MiB) at most 1/s
constexpr auto kStorageRetry = std::chrono::milliseconds(1000); // after a full disk: try again this often
// The main file grows in steps of this size, reserved ahead of the WAL (see reserve()).
constexpr int kReserveChunk = 1 << 20;
// Pages reserved beyond the database's size: room for the summary and the verdict when the disk
// stayed full to the end (given back just before they are written, see run()).
constexpr sqlite3_int64 kEndPages = 64;

// A write that failed for want of room or because the device failed: the capture goes on in
// memory and the writer tries again; anything else (a bug, a constraint) ends the writer.
bool storageError(int code)
{
    const int primary = code & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
}

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

const char* exitKindName(ExitStatus::Kind kind)
{
    switch (kind) {
    case ExitStatus::Kind::Exited:
        return "exited";
    case ExitStatus::Kind::Signaled:
        return "signaled";
    case ExitStatus::Kind::LaunchFailed:
        return "launch_failed";
    case ExitStatus::Kind::Running:
        break;
    }
    return "running";
}

const char* stdioName(StdioMode mode)
{
    switch (mode) {
    case StdioMode::Inherit:
        return "inherit";
    case StdioMode::Pipes:
        return "pipes";
    case StdioMode::Null:
        break;
    }
    return "null";
}

QVariant nullable(std::int64_t value)
{
    return value < 0 ? QVariant() : QVariant(static_cast<qint64>(value));
}

// A finalised sqlite3 statement on scope exit.
struct Statement {
    sqlite3_stmt* stmt = nullptr;
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { finalize(); }
    void finalize()
    {
        sqlite3_finalize(stmt);
        stmt = nullptr;
    }
};

// What identifies a change worth rewriting a process row for.
struct ProcessSignature {
    std::uint64_t startSeq = 0;
    std::uint64_t endSeq = 0;
    std::string exe;
    std::size_t argc = 0;
    int threads = 0;
    ExitStatus::Kind kind = ExitStatus::Kind::Running;
    bool captured = false;
    bool operator==(const ProcessSignature&) const = default;
};

ProcessSignature signatureOf(const ProcessRecord& record)
{
    return { record.startSeq, record.endSeq, record.exe, record.argv.size(), record.threads, record.status.kind,
        record.exitContext.captured };
}
} // namespace

// A Windows process's facts (processes.windows, docs/session-format.md); NULL for a Linux process.
QVariant windowsJson(const ProcessRecord& record)
{
    const WindowsProcessInfo& w = record.windows;
    if (!w.present)
        return {};
    QJsonObject object;
    object["integrity"] = QString::fromStdString(w.integrity);
    object["user"] = QString::fromStdString(w.user);
    object["session"] = static_cast<qint64>(w.sessionId);
    object["architecture"] = QString::fromStdString(w.architecture);
    object["command_line"] = QString::fromStdString(w.commandLine);
    object["company"] = QString::fromStdString(w.company);
    object["description"] = QString::fromStdString(w.description);
    object["version"] = QString::fromStdString(w.version);
    QJsonArray modules;
    for (const std::string& module : w.modules)
        modules.append(QString::fromStdString(module));
    object["modules"] = modules;
    object["exit_code_windows"] = record.status.windows;
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Everything the writer thread owns: the connection, its statements and how far it has written.
struct SessionWriter::Worker {
    std::shared_ptr<const CaptureData> data;
    SessionConnection connection;
    Statement insertString;
    Statement insertEvent;
    Statement insertEvents; // kRowsPerInsert rows per step
    Statement insertChunk;
    // How far the file holds the capture. A transaction that fails (a full disk) is rolled back,
    // and so are these, so the next attempt writes the same rows again.
    struct Marks {
        std::uint64_t strings = 1; // id 0 (the empty string) is implied
        std::uint64_t events = 0;
        std::size_t chunks = 0;
        std::size_t stacks = 0;
        std::uint64_t processVersion = ~0ull;
        std::vector<ProcessSignature> processes;
        std::uint64_t outputTotal = 0;
        std::uint64_t streamBytes[2] = { 0, 0 }; // stdout and stderr as the file holds them
        Clock::time_point lastOutput {};
        bool contextWritten = false;
    };
    Marks marks;
    int lastCode = SQLITE_OK; // the SQLite result of the last failed write

    // Statements must be gone before Qt's driver closes the sqlite3 connection.
    void close()
    {
        insertString.finalize();
        insertEvent.finalize();
        insertEvents.finalize();
        insertChunk.finalize();
        connection.close();
    }

    bool prepare(QString& error)
    {
        auto prepareOne = [&](const char* sql, Statement& statement) {
            if (sqlite3_prepare_v3(connection.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &statement.stmt, nullptr)
                != SQLITE_OK) {
                error = connection.lastError();
                return false;
            }
            return true;
        };
        std::string many = "INSERT INTO events(seq, time_ns, pid, tid, kind, class, op, path, detail, result, errno, "
                           "duration_ns, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        for (int row = 1; row < kRowsPerInsert; ++row)
            many += ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return prepareOne("INSERT INTO strings(id, text) VALUES (?, ?)", insertString)
            && prepareOne(many.c_str(), insertEvents)
            && prepareOne("INSERT INTO events(seq, time_ns, pid, tid, kind, class, op, path, detail, result, errno, "
                          "duration_ns, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                insertEvent)
            && prepareOne(
                "INSERT OR REPLACE INTO output_chunks(seq, stream, pid, offset, length) VALUES (?, ?, ?, ?, ?)",
                insertChunk);
    }

    bool step(sqlite3_stmt* stmt, QString& error)
    {
        const int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE) {
            error = connection.lastError();
            return false;
        }
        return true;
    }

    // Cuts the main file back to the database's pages: after a failed reservation (which may have
    // allocated part of what it asked for) and, at the end of a capture on a full disk, to give
    // the reserve back. Pages beyond the database's size hold nothing (SQLite's own checkpoint
    // cuts the file the same way), so this is safe whatever readers do.
    void shrink(bool keepReserving)
    {
        sqlite3_file* file = nullptr;
        Statement pageCount;
        if (sqlite3_file_control(connection.handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file
            || !file->pMethods
            || sqlite3_prepare_v2(connection.handle(), "PRAGMA page_count", -1, &pageCount.stmt, nullptr) != SQLITE_OK
            || sqlite3_step(pageCount.stmt) != SQLITE_ROW)
            return;
        const sqlite3_int64 pages = sqlite3_column_int64(pageCount.stmt, 0);
        int chunk = 0; // unrounded
        sqlite3_file_control(connection.handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
        if (pages > 0)
            file->pMethods->xTruncate(file, pages * 4096);
        chunk = keepReserving ? kReserveChunk : 0;
        sqlite3_file_control(connection.handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    }

    // Ends the transaction whose writes went as `ok` says: room reserved first (reserve() keeps
    // its own code), then COMMIT. A failure keeps its SQLite code in lastCode, so the caller can
    // tell a full disk from other errors.
    bool commit(bool ok, QString& error)
    {
        if (!ok) {
            lastCode = sqlite3_extended_errcode(connection.handle());
            return false;
        }
        if (!reserve(error))
            return false;
        if (!connection.exec("COMMIT", error)) {
            lastCode = sqlite3_extended_errcode(connection.handle());
            return false;
        }
        return true;
    }

    // In WAL mode the main file grows only when a checkpoint copies pages into it. On a full disk
    // that copy would fail and leave the -wal beside the file, holding committed data. So before
    // each commit the main file is grown (really allocated, kReserveChunk at a time) to the size
    // the database will have: whatever happens to the disk afterwards, a checkpoint only fills
    // space the file already owns, and the WAL can always be folded back into one file. A
    // reservation that fails is the first sign of a full disk, before anything was lost.
    bool reserve(QString& error)
    {
        Statement pageCount;
        if (sqlite3_prepare_v2(connection.handle(), "PRAGMA page_count", -1, &pageCount.stmt, nullptr) != SQLITE_OK
            || sqlite3_step(pageCount.stmt) != SQLITE_ROW) {
            lastCode = sqlite3_extended_errcode(connection.handle());
            error = connection.lastError();
            return false;
        }
        sqlite3_int64 bytes = (sqlite3_column_int64(pageCount.stmt, 0) + kEndPages) * 4096;
        const int rc = sqlite3_file_control(connection.handle(), "main", SQLITE_FCNTL_SIZE_HINT, &bytes);
        if (rc != SQLITE_OK) {
            lastCode = rc;
            error =
                QString("no room to grow the file to %1 MiB").arg(static_cast<double>(bytes) / (1 << 20), 0, 'f', 1);
            return false;
        }
        return true;
    }

    bool writeStrings(std::uint64_t end, QString& error)
    {
        const StringPool& pool = data->strings();
        sqlite3_stmt* stmt = insertString.stmt;
        for (; marks.strings < end; ++marks.strings) {
            const std::string_view text = pool.at(static_cast<StringId>(marks.strings));
            sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(marks.strings));
            sqlite3_bind_text(stmt, 2, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
            if (!step(stmt, error))
                return false;
        }
        return true;
    }

    // The hot path: straight through the sqlite3 handle with one persistent prepared statement
    // (about three times the rate of QSqlQuery::bindValue/exec; see docs/session-format.md).
    bool writeEvents(std::uint64_t end, Clock::time_point deadline, QString& error)
    {
        const EventStore& store = data->events();
        auto bind = [&](sqlite3_stmt* stmt, int base, std::uint64_t seq) {
            const Event& event = store.at(seq);
            sqlite3_bind_int64(stmt, base + 1, static_cast<sqlite3_int64>(seq));
            sqlite3_bind_int64(stmt, base + 2, static_cast<sqlite3_int64>(event.timeNs));
            sqlite3_bind_int(stmt, base + 3, event.pid);
            sqlite3_bind_int(stmt, base + 4, event.tid);
            sqlite3_bind_int(stmt, base + 5, static_cast<int>(event.kind));
            sqlite3_bind_int(stmt, base + 6, static_cast<int>(event.cls));
            sqlite3_bind_int64(stmt, base + 7, event.op);
            sqlite3_bind_int64(stmt, base + 8, event.path);
            sqlite3_bind_int64(stmt, base + 9, event.detail);
            sqlite3_bind_int64(stmt, base + 10, event.result);
            sqlite3_bind_int(stmt, base + 11, event.errnum);
            sqlite3_bind_int64(stmt, base + 12, event.durationNs);
            sqlite3_bind_int(stmt, base + 13, event.flags);
        };
        std::uint64_t sinceCheck = 0;
        while (marks.events < end) {
            if (end - marks.events >= kRowsPerInsert) {
                for (int row = 0; row < kRowsPerInsert; ++row)
                    bind(insertEvents.stmt, row * 13, marks.events + static_cast<std::uint64_t>(row));
                if (!step(insertEvents.stmt, error))
                    return false;
                marks.events += kRowsPerInsert;
                sinceCheck += kRowsPerInsert;
            } else {
                bind(insertEvent.stmt, 0, marks.events);
                if (!step(insertEvent.stmt, error))
                    return false;
                ++marks.events;
                ++sinceCheck;
            }
            if (sinceCheck >= 4096) {
                sinceCheck = 0;
                if (Clock::now() >= deadline)
                    break;
            }
        }
        return true;
    }

    bool writeChunks(QString& error)
    {
        const OutputLog& log = data->outputLog();
        sqlite3_stmt* stmt = insertChunk.stmt;
        while (true) {
            const auto batch = log.chunks(marks.chunks, 4096);
            if (batch.empty())
                return true;
            for (const auto& chunk : batch) {
                // Only chunks whose event and bytes are in the file: a killed writer leaves a
                // consistent prefix, whose every chunk lies inside the stream bytes saved with it.
                if (chunk.seq >= marks.events || chunk.stream < 1 || chunk.stream > 2
                    || chunk.offset + chunk.length > marks.streamBytes[chunk.stream - 1])
                    return true;
                sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(chunk.seq));
                sqlite3_bind_int(stmt, 2, chunk.stream);
                sqlite3_bind_int(stmt, 3, chunk.pid);
                sqlite3_bind_int64(stmt, 4, static_cast<sqlite3_int64>(chunk.offset));
                sqlite3_bind_int64(stmt, 5, chunk.length);
                if (!step(stmt, error))
                    return false;
                ++marks.chunks;
            }
        }
    }

    bool writeProcesses(bool force, QString& error)
    {
        const std::uint64_t version = data->processes().version();
        if (!force && version == marks.processVersion)
            return true;
        marks.processVersion = version;
        const auto records = data->processes().snapshot();
        QSqlQuery query(connection.database());
        query.prepare(
            "INSERT OR REPLACE INTO processes(id, pid, ppid, exe, argv, cwd, start_ns, end_ns, start_seq, "
            "end_seq, threads, exit_kind, exit_code, exit_signal, core_dumped, launch_errno, "
            "exit_description, context_captured, context_complete, open_files, peak_rss_kib, rss_kib, "
            "address_space_limit, open_files_limit, cgroup, cgroup_memory_limit, cgroup_oom_kills, windows) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (std::size_t i = 0; i < records.size(); ++i) {
            const ProcessRecord& record = records[i];
            const ProcessSignature signature = signatureOf(record);
            if (!force && i < marks.processes.size() && marks.processes[i] == signature)
                continue;
            if (i >= marks.processes.size())
                marks.processes.resize(i + 1);
            marks.processes[i] = signature;
            const ExitStatus& status = record.status;
            const ExitContext& context = record.exitContext;
            const QVariantList values {
                static_cast<qint64>(i),
                record.pid,
                record.ppid,
                QString::fromStdString(record.exe),
                SessionJson::stringList(record.argv),
                QString::fromStdString(record.cwd),
                static_cast<qint64>(record.startNs),
                status.ended() ? QVariant(static_cast<qint64>(record.endNs)) : QVariant(),
                static_cast<qint64>(record.startSeq),
                status.ended() ? QVariant(static_cast<qint64>(record.endSeq)) : QVariant(),
                record.threads,
                exitKindName(status.kind),
                status.kind == ExitStatus::Kind::Exited ? QVariant(status.code) : QVariant(),
                status.kind == ExitStatus::Kind::Signaled ? QVariant(status.signal) : QVariant(),
                status.coreDumped ? 1 : 0,
                status.kind == ExitStatus::Kind::LaunchFailed ? QVariant(status.launchErrno) : QVariant(),
                QString::fromStdString(status.describe()),
                context.captured ? 1 : 0,
                context.complete ? 1 : 0,
                SessionJson::openFiles(context.openFiles),
                nullable(context.peakRssKiB),
                nullable(context.rssKiB),
                nullable(context.addressSpaceLimit),
                nullable(context.openFilesLimit),
                QString::fromStdString(context.cgroup),
                nullable(context.cgroupMemoryLimit),
                nullable(context.cgroupOomKills),
                windowsJson(record),
            };
            for (int column = 0; column < values.size(); ++column)
                query.bindValue(column, values[column]);
            if (!query.exec()) {
                error = "cannot write a process: " + query.lastError().text();
                return false;
            }
        }
        return true;
    }

    bool writeStacks(QString& error)
    {
        const auto all = data->stacks();
        QSqlQuery query(connection.database());
        query.prepare("INSERT OR REPLACE INTO stacks(seq, pid, pcs) VALUES (?, ?, ?)");
        for (; marks.stacks < all.size() && all[marks.stacks].seq < marks.events; ++marks.stacks) {
            const auto& sample = all[marks.stacks];
            std::vector<std::string> pcs;
            for (std::uint64_t pc : sample.pcs)
                pcs.push_back("0x" + QString::number(pc, 16).toStdString());
            query.bindValue(0, static_cast<qint64>(sample.seq));
            query.bindValue(1, sample.pid);
            query.bindValue(2, SessionJson::stringList(pcs));
            if (!query.exec()) {
                error = "cannot write a stack: " + query.lastError().text();
                return false;
            }
        }
        return true;
    }

    // The symbolized form, once, at the end: the binaries are certainly on this machine now.
    bool writeSymbolizedStacks(QString& error)
    {
        const QJsonArray symbolized = GoInsight::stackEvents(*data);
        QSqlQuery query(connection.database());
        query.prepare("UPDATE stacks SET symbolized = ? WHERE seq = ?");
        for (const auto& value : symbolized) {
            const QJsonObject entry = value.toObject();
            query.bindValue(0, QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact)));
            query.bindValue(1, static_cast<qint64>(entry["seq"].toDouble()));
            if (!query.exec()) {
                error = "cannot write a stack: " + query.lastError().text();
                return false;
            }
        }
        return true;
    }

    bool writeOutputStreams(bool force, QString& error)
    {
        const std::uint64_t total = data->outputLog().totalBytes();
        const auto now = Clock::now();
        if (total == marks.outputTotal && !force)
            return true;
        if (!force && now - marks.lastOutput < kOutputInterval)
            return true;
        marks.outputTotal = total;
        marks.lastOutput = now;
        QSqlQuery query(connection.database());
        query.prepare("INSERT OR REPLACE INTO output_streams(stream, name, head, tail, total_bytes, omitted_bytes) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
        for (int stream = 1; stream <= 2; ++stream) {
            const auto view = data->outputLog().stream(stream);
            query.bindValue(0, stream);
            query.bindValue(1, stream == 1 ? "stdout" : "stderr");
            query.bindValue(2, QByteArray(view.head.data(), static_cast<qsizetype>(view.head.size())));
            query.bindValue(3, QByteArray(view.tail.data(), static_cast<qsizetype>(view.tail.size())));
            query.bindValue(4, static_cast<qint64>(view.totalBytes));
            query.bindValue(5, static_cast<qint64>(view.omittedBytes));
            if (!query.exec()) {
                error = "cannot write the output: " + query.lastError().text();
                return false;
            }
            marks.streamBytes[stream - 1] = view.totalBytes;
        }
        return true;
    }

    bool writeContext(bool force, QString& error)
    {
        if (marks.contextWritten && !force)
            return true;
        const LaunchContext context = data->context();
        if (context.hostname.empty() && context.resolvedProgram.empty() && !force)
            return true; // the tracer has not reported it yet
        marks.contextWritten = true;
        QSqlQuery query(connection.database());
        query.prepare("UPDATE target SET resolved = ?, cwd = ?, launch_context = ?");
        query.bindValue(0, QString::fromStdString(context.resolvedProgram));
        query.bindValue(1, QString::fromStdString(context.cwd.empty() ? data->spec().workingDirectory : context.cwd));
        query.bindValue(2, SessionJson::launchContext(context));
        if (!query.exec()) {
            error = "cannot write the launch context: " + query.lastError().text();
            return false;
        }
        return true;
    }
};

SessionWriter::SessionWriter(QObject* parent)
    : QObject(parent)
{
}

SessionWriter::~SessionWriter()
{
    if (m_thread.joinable()) {
        {
            std::lock_guard lock(m_mutex);
            m_finishRequested = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
}

bool SessionWriter::start(const QString& path, std::shared_ptr<const CaptureData> data, QString& error)
{
    if (m_thread.joinable()) {
        error = "this writer has already written " + m_path;
        return false;
    }
    if (!data) {
        error = "no capture to write";
        return false;
    }
    m_path = path;
    std::promise<QString> opened;
    auto result = opened.get_future();
    m_running = true;
    m_thread = std::thread([this, data = std::move(data), &opened]() mutable { run(std::move(data), &opened); });
    error = result.get();
    if (!error.isEmpty()) {
        m_thread.join();
        m_running = false;
        return false;
    }
    std::lock_guard lock(m_mutex);
    m_started = true;
    return true;
}

void SessionWriter::setGoBuildInfo(const QByteArray& json)
{
    std::lock_guard lock(m_mutex);
    m_goBuildInfo = json;
}

void SessionWriter::setElfFacts(const QByteArray& json)
{
    std::lock_guard lock(m_mutex);
    m_elfFacts = json;
}

void SessionWriter::flush()
{
    {
        std::lock_guard lock(m_mutex);
        m_flushRequested = true;
    }
    m_wake.notify_all();
}

void SessionWriter::finish(const std::optional<Verdict>& verdict)
{
    {
        std::lock_guard lock(m_mutex);
        m_verdict = verdict;
        m_finishRequested = true;
    }
    m_wake.notify_all();
}

bool SessionWriter::waitForFinished(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    if (timeoutMs < 0) {
        m_wake.wait(lock, [this] { return m_done || !m_started; });
        return true;
    }
    return m_wake.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return m_done || !m_started; });
}

QString SessionWriter::errorString() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

SessionWriter::Stats SessionWriter::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void SessionWriter::fail(const QString& error)
{
    logging::logger(logging::Subsystem::Store)->error("session {}: {}", m_path.toStdString(), error.toStdString());
    std::lock_guard lock(m_mutex);
    if (m_error.isEmpty())
        m_error = error;
}

void SessionWriter::run(std::shared_ptr<const CaptureData> data, std::promise<QString>* opened)
{
    Worker worker;
    worker.data = std::move(data);
    QString error;
    // The meta row goes in with the tables, in the first transaction: a file that exists at all
    // says what it is, even when ExitLens is killed a moment after the launch.
    const auto header = [&](QString& headerError) {
        const LaunchSpec& spec = worker.data->spec();
        QSqlQuery query(worker.connection.database());
        query.prepare("INSERT INTO meta(schema_version, exitlens_version, created, complete, host_os, kernel, arch, "
                      "hostname) VALUES (?, ?, ?, 0, ?, ?, ?, ?)");
        query.bindValue(0, SessionSchema::kVersion);
        query.bindValue(1, QString::fromLatin1(kVersion));
        query.bindValue(2, nowUtc());
        query.bindValue(3, QSysInfo::prettyProductName());
        query.bindValue(4, QSysInfo::kernelVersion());
        query.bindValue(5, QSysInfo::currentCpuArchitecture());
        query.bindValue(6, QSysInfo::machineHostName());
        bool ok = query.exec();
        if (ok) {
            query.prepare("INSERT INTO target(program, args, cwd, environment, capture_mode, capture_classes, stdio, "
                          "stdin_file, run_as_user, capture_filter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            query.bindValue(0, QString::fromStdString(spec.program));
            query.bindValue(1, SessionJson::stringList(spec.args));
            query.bindValue(2, QString::fromStdString(spec.workingDirectory));
            query.bindValue(3, SessionJson::stringList(spec.environment));
            query.bindValue(4, spec.fullTrace ? "full" : "focused");
            query.bindValue(
                5, QString::fromStdString(spec.fullTrace ? CaptureClasses::all().toString() : spec.classes.toString()));
            query.bindValue(6, stdioName(spec.stdio));
            query.bindValue(7, spec.stdinFile.empty() ? QVariant() : QVariant(QString::fromStdString(spec.stdinFile)));
            query.bindValue(8, spec.runAsUser ? QVariant(QString::fromStdString(*spec.runAsUser)) : QVariant());
            query.bindValue(
                9, spec.captureFilter.empty() ? QVariant() : QVariant(QString::fromStdString(spec.captureFilter)));
            ok = query.exec();
        }
        if (!ok)
            headerError = "cannot write the session header: " + query.lastError().text();
        return ok;
    };
    // The first transaction runs in rollback-journal mode, so until it commits the file is empty
    // (a reader says nothing was saved yet); WAL mode starts with the second.
    bool ok = worker.connection.open(m_path, SessionConnection::Mode::Create, error)
        && SessionSchema::create(worker.connection, error, header)
        && worker.connection.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                  "PRAGMA wal_autocheckpoint = 4000; PRAGMA cache_size = -32768",
            error)
        && worker.prepare(error);
    if (ok) {
        int chunk = kReserveChunk;
        sqlite3_file_control(worker.connection.handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    }
    if (!ok) {
        const QString message = error;
        worker.close();
        m_running = false;
        opened->set_value(message.isEmpty() ? QString("cannot create the session file") : message);
        return;
    }
    opened->set_value(QString());

    bool finishing = false;
    bool behind = false;
    bool buildInfoGiven = false;
    // Set while the disk is full (or failing): the file holds a consistent prefix of the capture,
    // the capture goes on in memory, and every kStorageRetry the writer tries again.
    QString storageProblem;
    std::optional<Verdict> verdict;
    // Undoes a failed transaction and folds the WAL into the main file (which has room for it,
    // see Worker::reserve), so the file on disk is one consistent database whatever comes next.
    const auto rollBack = [&](const Worker::Marks& marks) {
        QString ignored;
        worker.connection.exec("ROLLBACK", ignored);
        worker.marks = marks;
        worker.connection.exec("PRAGMA wal_checkpoint(TRUNCATE)", ignored);
        worker.shrink(true);
    };
    while (ok) {
        {
            std::unique_lock lock(m_mutex);
            const bool caughtUp = worker.marks.events >= worker.data->events().size();
            if (!storageProblem.isEmpty() && !m_finishRequested)
                m_wake.wait_for(lock, kStorageRetry, [this] { return m_finishRequested; });
            else if (caughtUp && !m_finishRequested && !m_flushRequested)
                m_wake.wait_for(lock, kTick, [this] { return m_finishRequested || m_flushRequested; });
            m_flushRequested = false;
            finishing = m_finishRequested;
            verdict = m_verdict;
        }
        std::optional<QByteArray> buildInfo;
        std::optional<QByteArray> elfFacts;
        {
            std::lock_guard lock(m_mutex);
            buildInfo.swap(m_goBuildInfo);
            elfFacts.swap(m_elfFacts);
        }
        // Counts first, then strings: the capture publishes strings before events, so every id in
        // an event below eventEnd is below the string count read after it.
        const std::uint64_t eventEnd = worker.data->events().size();
        const std::uint64_t stringEnd = worker.data->strings().size();
        const auto deadline = Clock::now() + kTransactionBudget;
        const Worker::Marks before = worker.marks;
        // Streams before chunks: a chunk is written only once the bytes it points at are.
        ok = worker.connection.exec("BEGIN", error) && worker.writeStrings(stringEnd, error)
            && worker.writeEvents(eventEnd, finishing ? Clock::time_point::max() : deadline, error)
            && worker.writeOutputStreams(finishing, error) && worker.writeChunks(error) && worker.writeStacks(error)
            && worker.writeProcesses(finishing, error) && worker.writeContext(finishing, error);
        if (ok && (buildInfo || elfFacts)) {
            QSqlQuery query(worker.connection.database());
            if (buildInfo) {
                query.prepare("UPDATE target SET go_build_info = ?");
                query.bindValue(0, QString::fromUtf8(*buildInfo));
                ok = query.exec();
            }
            if (ok && elfFacts) {
                query.prepare("UPDATE target SET elf_facts = ?");
                query.bindValue(0, QString::fromUtf8(*elfFacts));
                ok = query.exec();
            }
            if (!ok)
                error = query.lastError().text();
        }
        ok = worker.commit(ok, error);
        if (!ok) {
            if (!storageError(worker.lastCode))
                break;
            rollBack(before);
            // Keep what the capture gave: the build info is asked for again with the next attempt.
            std::lock_guard lock(m_mutex);
            if (buildInfo && !m_goBuildInfo)
                m_goBuildInfo = buildInfo;
            if (elfFacts && !m_elfFacts)
                m_elfFacts = elfFacts;
        } else if (buildInfo || elfFacts) {
            buildInfoGiven = true;
        }
        if (!ok && storageProblem.isEmpty()) {
            storageProblem = QString("%1: the session holds the first %2 events; the capture goes on (in memory) "
                                     "and the writer tries again every second")
                                 .arg(error)
                                 .arg(worker.marks.events);
            logging::logger(logging::Subsystem::Store)
                ->warn("session {}: {}", m_path.toStdString(), storageProblem.toStdString());
            {
                std::lock_guard lock(m_mutex);
                m_stats.failing = true;
            }
            Q_EMIT storageFailed(storageProblem);
        } else if (ok && !storageProblem.isEmpty()) {
            logging::logger(logging::Subsystem::Store)->info("session {}: writing again", m_path.toStdString());
            storageProblem.clear();
            std::lock_guard lock(m_mutex);
            m_stats.failing = false;
        }
        if (!ok) {
            ok = true; // the capture goes on: try again later (or give up below when finishing)
            if (finishing)
                break;
            continue;
        }

        const std::uint64_t published = worker.data->events().size();
        Stats stats;
        stats.committedEvents = worker.marks.events;
        stats.lagEvents = published > worker.marks.events ? published - worker.marks.events : 0;
        if (stats.lagEvents > 0 && worker.marks.events > 0) {
            const auto last = worker.data->events().at(published - 1).timeNs;
            const auto written = worker.data->events().at(worker.marks.events - 1).timeNs;
            stats.lagSeconds = last > written ? static_cast<double>(last - written) / 1e9 : 0.0;
        }
        stats.behind = stats.lagSeconds > kBehindSeconds;
        {
            std::lock_guard lock(m_mutex);
            stats.commits = m_stats.commits + 1;
            m_stats = stats;
        }
        if (worker.marks.events != before.events)
            Q_EMIT progress(stats.committedEvents, stats.lagEvents);
        if (stats.behind != behind) {
            behind = stats.behind;
            Q_EMIT lagChanged(behind, stats.lagEvents, stats.lagSeconds);
        }
        if (finishing && worker.marks.events >= worker.data->events().size())
            break;
    }

    if (ok && storageProblem.isEmpty() && !buildInfoGiven) {
        // The session must describe the binary it was made from even where that binary is absent
        // (another machine, a rebuilt program): read its ELF facts and Go build info once, now.
        const std::string executable = GoInsight::targetExecutable(*worker.data);
        if (!executable.empty()) {
            const BinaryInspection inspection = BinaryInspection::inspect(executable);
            if (inspection.readable) {
                QSqlQuery query(worker.connection.database());
                query.prepare("UPDATE target SET go_build_info = ?, elf_facts = ?");
                query.bindValue(
                    0, QString::fromUtf8(QJsonDocument(GoJson::go(inspection)).toJson(QJsonDocument::Compact)));
                query.bindValue(
                    1, QString::fromUtf8(QJsonDocument(GoJson::elf(inspection.facts)).toJson(QJsonDocument::Compact)));
                if (!query.exec())
                    logging::logger(logging::Subsystem::Store)
                        ->warn("session {}: cannot store the build info: {}", m_path.toStdString(),
                            query.lastError().text().toStdString());
            }
        }
    }
    // What the file lacks when the disk stayed full to the end: said in the file itself, so a
    // reader knows why the capture stops early (the capture in memory was whole).
    const std::uint64_t captured = worker.data->events().size();
    const QString lost = storageProblem.isEmpty()
        ? QString()
        : QString("the disk was full: the file holds %1 of the capture's %2 events")
              .arg(worker.marks.events)
              .arg(captured);
    if (ok && !storageProblem.isEmpty()) {
        // The disk stayed full: give back the space reserved beyond the database (the file
        // shrinks to its pages), which is room enough for the summary and the verdict.
        QString ignored;
        worker.connection.exec("PRAGMA wal_checkpoint(TRUNCATE)", ignored);
        worker.shrink(false);
    }
    if (ok) {
        // The end: summary, verdict, indexes, then fold the WAL back so the file is one file.
        const auto summary = worker.data->summary();
        const Worker::Marks before = worker.marks;
        QSqlQuery query(worker.connection.database());
        ok = worker.connection.exec("BEGIN", error);
        if (ok && summary) {
            const ExitStatus& status = summary->rootStatus;
            query.prepare("INSERT INTO summary(exit_kind, exit_code, exit_signal, signal_name, core_dumped, "
                          "launch_errno, description, shell_status, error, events, processes, threads, dropped, "
                          "stopped_by_user, filtered_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            const QVariantList values {
                exitKindName(status.kind),
                status.kind == ExitStatus::Kind::Exited ? QVariant(status.code) : QVariant(),
                status.kind == ExitStatus::Kind::Signaled ? QVariant(status.signal) : QVariant(),
                status.kind == ExitStatus::Kind::Signaled ? QVariant(QString::fromStdString(signalName(status.signal)))
                                                          : QVariant(),
                status.coreDumped ? 1 : 0,
                status.kind == ExitStatus::Kind::LaunchFailed ? QVariant(status.launchErrno) : QVariant(),
                QString::fromStdString(status.describe()),
                status.shellStatus(),
                summary->error.empty() ? QVariant() : QVariant(QString::fromStdString(summary->error)),
                static_cast<qint64>(worker.marks.events),
                static_cast<qint64>(summary->processes),
                static_cast<qint64>(summary->threads),
                static_cast<qint64>(summary->dropped + worker.data->events().dropped()),
                summary->stoppedByUser ? 1 : 0,
                static_cast<qint64>(summary->filteredOut),
            };
            for (int column = 0; column < values.size(); ++column)
                query.bindValue(column, values[column]);
            ok = query.exec();
            if (!ok)
                error = "cannot write the summary: " + query.lastError().text();
        }
        if (ok && verdict) {
            query.prepare("INSERT INTO verdict(category, headline, confidence, json) VALUES (?, ?, ?, ?)");
            query.bindValue(0, QString::fromStdString(verdict->category));
            query.bindValue(1, QString::fromStdString(verdict->headline));
            query.bindValue(2, verdict->confidence);
            query.bindValue(3, QString::fromUtf8(SessionJson::verdict(*verdict)));
            ok = query.exec();
            if (!ok)
                error = "cannot write the verdict: " + query.lastError().text();
        }
        if (ok) {
            query.prepare("UPDATE meta SET complete = ?, finished = ?, write_error = ?");
            query.bindValue(0, summary && lost.isEmpty() ? 1 : 0);
            query.bindValue(1, nowUtc());
            query.bindValue(2, lost.isEmpty() ? QVariant() : QVariant(lost));
            ok = query.exec();
            if (!ok)
                error = query.lastError().text();
        }
        // The file is complete from this commit on; the indexes come after it, so a writer
        // stopped while building them still leaves a complete session (only slower to query).
        ok = ok && (!lost.isEmpty() || worker.writeSymbolizedStacks(error));
        ok = worker.commit(ok, error);
        if (!ok && storageError(worker.lastCode)) {
            // Not even the summary fits: the file keeps the events it holds, marked as cut short.
            rollBack(before);
            if (storageProblem.isEmpty())
                storageProblem = error;
            QString ignored;
            QSqlQuery mark(worker.connection.database());
            mark.prepare("UPDATE meta SET write_error = ?");
            mark.bindValue(0,
                lost.isEmpty() ? QString("the disk was full when the capture ended: the summary and the verdict are "
                                         "not in the file")
                               : lost + "; the summary and the verdict are not in it either");
            if (!mark.exec())
                worker.connection.exec("PRAGMA wal_checkpoint(TRUNCATE)", ignored);
            ok = true;
        }
        if (ok && lost.isEmpty() && storageProblem.isEmpty()) {
            std::lock_guard lock(m_mutex);
            m_stats.complete = true;
        }
        // Fold the WAL back and leave WAL mode before building the indexes: one large transaction
        // in WAL mode is several times slower (5M events: 8 s against 2 s, docs/PERFORMANCE.md).
        // The space reserved ahead of the WAL is given back: the finished file is its pages.
        int exact = 0;
        sqlite3_file_control(worker.connection.handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &exact);
        ok = ok && worker.connection.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE", error);
        if (ok && storageProblem.isEmpty()) {
            ok = worker.connection.exec("BEGIN", error) && SessionSchema::createIndexes(worker.connection, error)
                && worker.connection.exec("COMMIT", error);
            if (!ok && storageError(sqlite3_extended_errcode(worker.connection.handle()))) {
                // The indexes only speed up queries: a file without them is whole.
                QString ignored;
                worker.connection.exec("ROLLBACK", ignored);
                logging::logger(logging::Subsystem::Store)
                    ->warn("session {}: no room for the indexes: {}", m_path.toStdString(), error.toStdString());
                ok = true;
            }
        }
    }
    if (!ok) {
        QString ignored;
        worker.connection.exec("ROLLBACK", ignored);
        fail(error);
    } else if (!storageProblem.isEmpty()) {
        fail(lost.isEmpty() ? storageProblem : lost);
    }
    worker.close();
    const QString finalError = errorString();
    {
        std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_running = false;
    m_wake.notify_all();
    Q_EMIT finished(finalError.isEmpty(), finalError);
}

} // namespace exitlens
