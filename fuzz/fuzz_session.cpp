// libFuzzer harness: a session file (docs/session-format.md) as every reader meets it. The input is
// written to a file and opened as `exitlens report`/`export` and the window open it: probe, load,
// then the JSON result document, the HTML report and the CSV of every event. A file that cannot be
// read must be refused with a message; one that can must be read whole without a crash.
//
// Seeds are real small sessions made by scripts/fuzz.sh with the ci build's `exitlens run
// --session`. Besides libFuzzer's byte-level mutations (flips, erasures, inserted values) a custom
// mutator truncates (at SQLite page boundaries too) and writes absurd values into real rows through
// SQLite itself, so the file stays readable and the loader's checks of stored offsets, lengths,
// counts and ids are what is tried.
#include "FuzzStats.h"
#include "session/HtmlReport.h"
#include "session/SessionExport.h"
#include "session/SessionLoader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <cstdint>
#include <cstring>
#include <random>
#include <sqlite3.h>
#include <string>
#include <vector>

using namespace exitlens;

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t maxSize);

namespace {

FuzzStats stats("session");
QTemporaryDir* workDir = nullptr;

QString pathFor(const char* name)
{
    return workDir->path() + "/" + name;
}

bool writeFile(const QString& path, const std::uint8_t* bytes, std::size_t size)
{
    // The journal files of an earlier input must not be taken for this one's.
    for (const char* suffix : { "-wal", "-shm", "-journal" })
        QFile::remove(path + suffix);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(reinterpret_cast<const char*>(bytes), static_cast<qint64>(size)) == static_cast<qint64>(size);
}

// Rewrites one value of one row of one table of the SQLite file in data to something absurd.
// Returns the new size, or 0 when the input is no database SQLite can update.
std::size_t absurdValue(std::uint8_t* data, std::size_t size, std::size_t maxSize, std::minstd_rand& random)
{
    const QString path = pathFor("mutate.exitlens");
    if (!writeFile(path, data, size))
        return 0;
    sqlite3* db = nullptr;
    std::size_t result = 0;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_exec(db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        std::vector<std::string> tables;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &statement, nullptr)
            == SQLITE_OK) {
            while (sqlite3_step(statement) == SQLITE_ROW)
                tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
        }
        sqlite3_finalize(statement);
        if (!tables.empty()) {
            const std::string table = tables[random() % tables.size()];
            std::vector<std::string> columns;
            const std::string info = "SELECT name FROM pragma_table_info('" + table + "')";
            if (sqlite3_prepare_v2(db, info.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
                while (sqlite3_step(statement) == SQLITE_ROW)
                    columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
            }
            sqlite3_finalize(statement);
            if (!columns.empty()) {
                const std::string column = columns[random() % columns.size()];
                // A row picked by its position among the first few (tables are small in seeds).
                const std::string update = "UPDATE \"" + table + "\" SET \"" + column
                    + "\" = ?1 WHERE rowid = (SELECT rowid FROM \"" + table + "\" LIMIT 1 OFFSET ?2)";
                if (sqlite3_prepare_v2(db, update.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
                    static const std::int64_t numbers[] = { -1, 0, 1, 255, 65535, 65536, 0x7fffffff, 0x80000000LL,
                        0xffffffffLL, 0x100000000LL, INT64_MAX, INT64_MIN, 1LL << 40, -(1LL << 40) };
                    switch (random() % 5) {
                    case 0:
                    case 1:
                        sqlite3_bind_int64(statement, 1, numbers[random() % std::size(numbers)]);
                        break;
                    case 2:
                        sqlite3_bind_null(statement, 1);
                        break;
                    case 3: {
                        const std::string text(random() % 3 == 0 ? 70'000 : random() % 40, "x{\"\\\xff"[random() % 5]);
                        sqlite3_bind_text(statement, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
                        break;
                    }
                    default:
                        sqlite3_bind_double(statement, 1, random() % 2 ? 1e300 : -0.5);
                        break;
                    }
                    sqlite3_bind_int(statement, 2, static_cast<int>(random() % 4));
                    sqlite3_step(statement);
                }
                sqlite3_finalize(statement);
            }
        }
    }
    sqlite3_close(db);
    QFile file(path);
    if (file.open(QIODevice::ReadOnly) && static_cast<std::size_t>(file.size()) <= maxSize) {
        const QByteArray bytes = file.readAll();
        std::memcpy(data, bytes.constData(), static_cast<std::size_t>(bytes.size()));
        result = static_cast<std::size_t>(bytes.size());
    }
    return result;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    // Qt SQL finds its SQLite driver through the application object.
    static QCoreApplication application(*argc, *argv);
    workDir = new QTemporaryDir(QDir::tempPath() + "/exitlens-fuzz-XXXXXX");
    return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t maxSize, unsigned seed)
{
    std::minstd_rand random(seed);
    switch (random() % 8) {
    case 0: // cut short at a page boundary: SQLite can still read every whole page
        if (size > 1024) {
            const std::size_t page = std::size_t(512) << (random() % 4);
            return std::max<std::size_t>(page, (random() % size) / page * page);
        }
        break;
    case 1: // cut anywhere
        if (size > 1)
            return 1 + random() % (size - 1);
        break;
    case 2:
    case 3:
        if (const std::size_t written = absurdValue(data, size, maxSize, random))
            return written;
        break;
    default:
        break;
    }
    return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    const QString path = pathFor("input.exitlens");
    if (!writeFile(path, bytes, size))
        return 0;
    SessionInfo probed;
    QString probeError;
    if (!SessionLoader::probe(path, probed, probeError))
        FUZZ_REQUIRE(!probeError.isEmpty(), "a refused probe says why");

    SessionLoader loader(path);
    SessionInfo info;
    QString error;
    const std::shared_ptr<CaptureData> data = loader.load(info, error);
    if (!data) {
        FUZZ_REQUIRE(!error.isEmpty(), "a refused file says why");
        ++stats.rejected;
        return 0;
    }
    ++stats.accepted;
    // What report, export and the window read from a loaded capture.
    const QJsonObject document = SessionExport::document(*data, info);
    (void)QJsonDocument(document).toJson();
    (void)HtmlReport::build(*data, info, SessionExport::verdictOf(*data));
    QString csvError;
    (void)SessionExport::writeCsv(*data, pathFor("events.csv"), {}, csvError);
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const Event& event = data->events().at(seq);
        (void)data->text(event.op);
        (void)data->text(event.path);
        (void)data->text(event.detail);
    }
    return 0;
}
