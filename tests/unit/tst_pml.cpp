// The Process Monitor log reader (core/import) against Process Monitor itself: four real logs and
// the CSV Process Monitor exported from each, compared event by event, column by column.
#include "NtStatus.h"
#include "PmlTestData.h"
#include "import/PmlReader.h"
#include "import/PmlText.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

using namespace exitlens;
using namespace exitlens::pml;

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}
QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

struct OpStats {
    int total = 0;
    int decoded = 0;
    int agree = 0;
    int declined = 0; // left undecoded on purpose: binary and odd-length multi-string registry data
};

} // namespace

class TestPml : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesProcessMonitorCsv_data();
    void matchesProcessMonitorCsv();
    void headerAndProcesses();
    void ntStatusTable();
    void refusesWhatIsNotALog();
    void damagedLogsNeverCrash();

private:
    QTemporaryDir m_dir;
    QMap<QString, QString> m_logs; // name -> extracted .PML
};

void TestPml::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const char* name : { "win10-x64-process", "win10-x64-filesystem", "win10-x64-registry", "win7-x86-mixed" }) {
        const QString path = pmltest::extractLog(QString::fromLatin1(name), m_dir.path());
        QVERIFY2(!path.isEmpty(),
            qPrintable(
                QStringLiteral("the real Process Monitor logs are needed: %1/%2.PML.gz (set EXITLENS_PROCMON_DATA)")
                    .arg(pmltest::dataDir(), QString::fromLatin1(name))));
        m_logs.insert(QString::fromLatin1(name), path);
    }
}

void TestPml::matchesProcessMonitorCsv_data()
{
    QTest::addColumn<QString>("name");
    // The operations whose Detail this reader decodes in each log: each must agree on every event.
    QTest::addColumn<QStringList>("decodedOps");
    QTest::newRow("win10-x64-process") << QStringLiteral("win10-x64-process")
                                       << QStringList { "Load Image", "Thread Create", "Thread Exit", "Process Start",
                                              "Process Create", "Process Exit" };
    QTest::newRow("win10-x64-filesystem") << QStringLiteral("win10-x64-filesystem") << QStringList { "WriteFile" };
    QTest::newRow("win10-x64-registry") << QStringLiteral("win10-x64-registry")
                                        << QStringList { "RegQueryValue", "RegQueryKey", "RegEnumKey", "RegEnumValue",
                                               "RegSetInfoKey", "RegCreateKey", "RegSetValue", "RegQueryKeySecurity",
                                               "RegLoadKey", "RegDeleteValue", "RegDeleteKey",
                                               "RegQueryMultipleValueKey" };
    QTest::newRow("win7-x86-mixed") << QStringLiteral("win7-x86-mixed")
                                    << QStringList { "RegOpenKey", "RegQueryValue", "RegQueryKey", "RegCloseKey",
                                           "WriteFile", "ReadFile", "RegEnumKey", "RegEnumValue", "UDP Receive",
                                           "UDP Send", "Load Image", "RegQueryKeySecurity", "RegSetValue",
                                           "RegCreateKey", "Thread Exit", "Thread Create", "TCP Send", "TCP Receive",
                                           "Process Exit", "RegDeleteValue", "TCP Connect", "Process Create",
                                           "Process Start", "RegQueryMultipleValueKey", "RegDeleteKey",
                                           "TCP Disconnect" };
}

void TestPml::matchesProcessMonitorCsv()
{
    QFETCH(QString, name);
    QFETCH(QStringList, decodedOps);

    PmlReader reader;
    std::string error;
    QVERIFY2(reader.open(m_logs.value(name).toStdString(), error), error.c_str());

    QString csvError;
    const QVector<QStringList> rows =
        pmltest::parseCsv(pmltest::gunzip(pmltest::dataDir() + QLatin1Char('/') + name + ".CSV.gz", &csvError));
    QVERIFY2(rows.size() > 1, qPrintable(csvError));
    const QStringList header = rows.front();
    QHash<QString, int> column;
    for (int i = 0; i < header.size(); ++i)
        column.insert(header.at(i), i);
    QCOMPARE(reader.eventCount(), static_cast<std::uint32_t>(rows.size() - 1));
    QCOMPARE(reader.missingEvents(), 0u);

    // Every column Process Monitor exported except Detail (compared per decoded operation below)
    // and Category (not decoded).
    const QStringList compared = { "Time of Day", "Process Name", "PID", "Operation", "Path", "Result", "Date & Time",
        "Relative Time", "Duration", "Completion Time", "Event Class", "Sequence", "Image Path", "Company",
        "Description", "Version", "User", "Authentication ID", "Session", "Command Line", "TID", "Virtualized",
        "Integrity", "Parent PID", "Architecture" };
    for (const QString& c : compared)
        QVERIFY2(column.contains(c), qPrintable(c));

    QMap<QString, OpStats> stats;
    QMap<QString, int> columnMismatches;
    QStringList firstMismatches;
    PmlEvent event;
    std::uint64_t firstTime = 0;
    for (std::uint32_t i = 0; i < reader.eventCount(); ++i) {
        QVERIFY2(reader.readEvent(i, event, error), error.c_str());
        QVERIFY(event.processSlot != PmlEvent::kNoProcess);
        if (i == 0)
            firstTime = event.time;
        const PmlProcess& p = reader.processes()[event.processSlot];
        const QString result = q(procmonResultText(event.result));
        // A pending operation (STATUS_PENDING, empty Result) has no duration or completion yet.
        const bool completed = !result.isEmpty();
        QHash<QString, QString> ours;
        ours["Time of Day"] = q(formatTimeOfDay(event.time));
        ours["Process Name"] = q(p.name);
        ours["PID"] = QString::number(p.pid);
        ours["Operation"] = q(event.operation);
        ours["Path"] = q(event.path);
        ours["Result"] = result;
        ours["Date & Time"] = q(formatDateTime(event.time));
        // Relative to the log's first event: formatTicks gives seconds; Process Monitor h:mm:ss.
        {
            const std::uint64_t ticks = event.time - firstTime;
            const std::uint64_t seconds = ticks / 10000000ULL;
            ours["Relative Time"] = QStringLiteral("%1:%2:%3.%4")
                                        .arg(seconds / 3600, 2, 10, QLatin1Char('0'))
                                        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
                                        .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                                        .arg(ticks % 10000000ULL, 7, 10, QLatin1Char('0'));
        }
        ours["Duration"] = completed ? q(formatTicks(event.duration)) : QString();
        ours["Completion Time"] = completed ? q(formatTimeOfDay(event.time + event.duration)) : QString();
        ours["Event Class"] = q(pmlClassName(event.cls));
        // Process Monitor exports "n/a" as every row's Sequence (the log does not store one).
        ours["Sequence"] = QStringLiteral("n/a");
        ours["Image Path"] = q(p.imagePath);
        ours["Company"] = q(p.company);
        ours["Description"] = q(p.description);
        ours["Version"] = q(p.version);
        ours["User"] = q(p.user);
        ours["Authentication ID"] = QStringLiteral("%1:%2")
                                        .arg(p.authenticationId >> 32, 8, 16, QLatin1Char('0'))
                                        .arg(p.authenticationId & 0xFFFFFFFFu, 8, 16, QLatin1Char('0'));
        ours["Session"] = QString::number(p.session);
        ours["Command Line"] = q(p.commandLine);
        ours["TID"] = QString::number(event.tid);
        ours["Virtualized"] = p.virtualized ? QStringLiteral("True") : QStringLiteral("False");
        ours["Integrity"] = q(p.integrity);
        ours["Parent PID"] = QString::number(p.parentPid);
        ours["Architecture"] = p.is64Bit ? QStringLiteral("64-bit") : QStringLiteral("32-bit");

        const QStringList& row = rows.at(static_cast<qsizetype>(i) + 1);
        for (const QString& c : compared) {
            const QString theirs = row.value(column.value(c));
            if (ours.value(c) != theirs) {
                ++columnMismatches[c];
                if (firstMismatches.size() < 12)
                    firstMismatches << QStringLiteral("event %1 %2: ours '%3' theirs '%4'")
                                           .arg(i)
                                           .arg(c, ours.value(c).left(200), theirs.left(200));
            }
        }
        OpStats& s = stats[ours["Operation"]];
        ++s.total;
        // The export writes a line break inside Detail (Process Start's environment, multi-line
        // registry strings) as a bare CR; the reader keeps it as LF, the line break of every other
        // text in ExitLens. Only that character is translated.
        QString theirDetail = row.value(column.value("Detail"));
        theirDetail.replace(QLatin1Char('\r'), QLatin1Char('\n'));
        if (!event.detailDecoded
            && (theirDetail.contains("Type: REG_BINARY") || theirDetail.contains("Type: REG_MULTI_SZ")))
            ++s.declined;
        if (event.detailDecoded) {
            ++s.decoded;
            const QString& theirs = theirDetail;
            if (q(event.detail) == theirs) {
                ++s.agree;
            } else if (firstMismatches.size() < 24) {
                firstMismatches << QStringLiteral("event %1 %2 Detail: ours '%3' theirs '%4'")
                                       .arg(i)
                                       .arg(ours["Operation"], q(event.detail).left(300), theirs.left(300));
            }
        }
    }
    qInfo().noquote() << name << "- Detail per operation (agree / decoded / events):";
    for (auto it = stats.cbegin(); it != stats.cend(); ++it)
        qInfo().noquote()
            << QStringLiteral("  %1: %2 / %3 / %4%5%6")
                   .arg(it.key())
                   .arg(it->agree)
                   .arg(it->decoded)
                   .arg(it->total)
                   .arg(it->decoded == 0 ? QStringLiteral("  (not decoded)") : QString())
                   .arg(it->declined > 0
                           ? QStringLiteral("  (%1 with binary registry data left undecoded)").arg(it->declined)
                           : QString());
    for (const QString& m : firstMismatches)
        qInfo().noquote() << "  mismatch:" << m;
    for (auto it = columnMismatches.cbegin(); it != columnMismatches.cend(); ++it)
        qInfo().noquote() << "  column" << it.key() << "differs on" << it.value() << "events";
    QVERIFY2(columnMismatches.isEmpty(), "a column differs from Process Monitor's export (see above)");
    for (const QString& op : decodedOps) {
        const OpStats s = stats.value(op);
        QVERIFY2(s.total > 0, qPrintable(op + " does not occur in " + name));
        // Every event is decoded, but for registry data whose printing is not understood.
        QVERIFY2(s.decoded + s.declined == s.total,
            qPrintable(QStringLiteral("%1: %2 of %3 decoded").arg(op).arg(s.decoded).arg(s.total)));
        QVERIFY2(s.decoded > 0, qPrintable(op));
        QVERIFY2(
            s.agree == s.decoded, qPrintable(QStringLiteral("%1: %2 of %3 agree").arg(op).arg(s.agree).arg(s.decoded)));
    }
    // No operation claims a decoded Detail that disagrees.
    for (auto it = stats.cbegin(); it != stats.cend(); ++it)
        QVERIFY2(it->agree == it->decoded, qPrintable(it.key() + " decodes a Detail Process Monitor does not show"));
}

void TestPml::headerAndProcesses()
{
    PmlReader reader;
    std::string error;
    QVERIFY2(reader.open(m_logs.value("win10-x64-process").toStdString(), error), error.c_str());
    QVERIFY(reader.header().system64);
    QCOMPARE(reader.header().windowsMajor, 10u);
    QCOMPARE(reader.header().windowsBuild, 18362u);
    QCOMPARE(q(windowsVersionText(reader.header())), QStringLiteral("Windows 10 (build 18362)"));
    QVERIFY(!reader.header().computerName.empty());
    QCOMPARE(q(reader.header().systemRoot), QStringLiteral("C:\\WINDOWS"));
    // The process that exited with 0xC000042C (elevation required) and its modules.
    bool sawElevation = false;
    PmlEvent event;
    for (std::uint32_t i = 0; i < reader.eventCount(); ++i) {
        QVERIFY(reader.readEvent(i, event, error));
        if (event.operation == "Process Exit" && event.exitStatus == 0xC000042Cu) {
            const PmlProcess& p = reader.processes()[event.processSlot];
            QCOMPARE(q(p.name), QStringLiteral("vminstall.exe"));
            sawElevation = true;
        }
    }
    QVERIFY(sawElevation);
    bool anyModules = false;
    for (const PmlProcess& p : reader.processes())
        anyModules = anyModules || !p.modules.empty();
    QVERIFY(anyModules);

    PmlReader x86;
    QVERIFY2(x86.open(m_logs.value("win7-x86-mixed").toStdString(), error), error.c_str());
    QVERIFY(!x86.header().system64);
    QCOMPARE(x86.header().windowsMajor, 6u);
    QCOMPARE(x86.header().windowsMinor, 1u);
}

void TestPml::ntStatusTable()
{
    QCOMPARE(q(formatWindowsExitStatus(0xC0000135u)), QStringLiteral("0xC0000135 STATUS_DLL_NOT_FOUND"));
    QCOMPARE(q(formatWindowsExitStatus(static_cast<std::uint32_t>(-1073740756))),
        QStringLiteral("0xC000042C STATUS_ELEVATION_REQUIRED"));
    QCOMPARE(q(formatWindowsExitStatus(2)), QStringLiteral("2"));
    QCOMPARE(q(procmonResultText(0xC0000034u)), QStringLiteral("NAME NOT FOUND"));
    QCOMPARE(q(procmonResultText(0xC000046Fu)), QStringLiteral("0xC000046F"));
    QCOMPARE(q(procmonResultText(0x103u)), QString());
    QVERIFY(findNtStatusByProcmonText("ACCESS DENIED") != nullptr);
    QCOMPARE(findNtStatusByProcmonText("ACCESS DENIED")->code, 0xC0000022u);
    for (std::uint32_t code :
        { 0xC0000135u, 0xC0000139u, 0xC000042Cu, 0xC0000005u, 0xC000013Au, 0xC0000374u, 0xC0000409u }) {
        const NtStatusInfo* info = findNtStatus(code);
        QVERIFY(info != nullptr);
        QVERIFY(!info->name.empty());
        QVERIFY(!info->description.empty());
    }
}

void TestPml::refusesWhatIsNotALog()
{
    PmlReader reader;
    std::string error;
    QVERIFY(!reader.open(m_dir.path().toStdString() + "/missing.PML", error));
    QVERIFY(error.find("cannot open") != std::string::npos);
    PmlReader text;
    std::vector<std::uint8_t> bytes(2000, 'a');
    QVERIFY(!text.openBytes(bytes, error));
    QVERIFY2(error.find("not a Process Monitor log") != std::string::npos, error.c_str());
    PmlReader shortFile;
    QVERIFY(!shortFile.openBytes({ 'P', 'M', 'L', '_' }, error));
    QVERIFY2(error.find("not a Process Monitor log") != std::string::npos, error.c_str());
}

// Truncated at many places, bytes overwritten at random, and hostile counts and offsets written
// into the header and tables: every copy opens with a message or reads its events, no crash, no
// hang, no allocation beyond the file (the sanitizer-free build would die on a huge resize).
void TestPml::damagedLogsNeverCrash()
{
    QFile file(m_logs.value("win10-x64-process"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray original = file.readAll();
    const auto* begin = reinterpret_cast<const std::uint8_t*>(original.constData());
    const std::vector<std::uint8_t> pristine(begin, begin + original.size());
    QRandomGenerator random(17);
    int opened = 0, refused = 0;
    std::uint64_t eventsRead = 0;
    QElapsedTimer timer;
    timer.start();
    auto exercise = [&](std::vector<std::uint8_t> bytes) {
        PmlReader reader;
        std::string error;
        if (!reader.openBytes(std::move(bytes), error)) {
            QVERIFY(!error.empty());
            ++refused;
            return;
        }
        ++opened;
        QVERIFY(reader.eventCount() <= reader.fileSize() / 5);
        PmlEvent event;
        for (std::uint32_t i = 0; i < reader.eventCount(); ++i) {
            if (reader.readEvent(i, event, error)) {
                ++eventsRead;
                QVERIFY(event.processSlot == PmlEvent::kNoProcess || event.processSlot < reader.processes().size());
            } else {
                QVERIFY(!error.empty());
            }
        }
    };
    // Truncations: the tables sit at the end, so most cuts lose them.
    for (int i = 0; i < 40; ++i) {
        const auto size = static_cast<std::size_t>(random.bounded(static_cast<int>(pristine.size())));
        exercise(std::vector<std::uint8_t>(pristine.begin(), pristine.begin() + static_cast<std::ptrdiff_t>(size)));
    }
    // Random bytes overwritten: anywhere, and in the event area of the first events.
    for (int i = 0; i < 150; ++i) {
        std::vector<std::uint8_t> bytes = pristine;
        const int changes = 1 + random.bounded(64);
        for (int k = 0; k < changes; ++k) {
            const auto at = static_cast<std::size_t>(
                i % 2 == 0 ? random.bounded(static_cast<int>(bytes.size())) : random.bounded(0x3A8, 0x3A8 + 200000));
            bytes[at] = static_cast<std::uint8_t>(random.bounded(256));
        }
        exercise(std::move(bytes));
    }
    // Hostile values in every 32-bit field of the header and at the start of each table.
    auto read64 = [&](std::size_t at) {
        std::uint64_t v = 0;
        std::memcpy(&v, pristine.data() + at, 8);
        return static_cast<std::size_t>(v);
    };
    std::vector<std::size_t> places;
    for (std::size_t at = 0x230; at < 0x3A8; at += 4)
        places.push_back(at);
    for (std::size_t table : { read64(0x248), read64(0x250), read64(0x258), read64(0x3A0) })
        for (std::size_t k = 0; k < 64; k += 4)
            places.push_back(table + k);
    for (std::size_t at : places) {
        for (std::uint32_t value :
            { 0xFFFFFFFFu, 0x7FFFFFFFu, 0x10000000u, static_cast<std::uint32_t>(pristine.size()) }) {
            std::vector<std::uint8_t> bytes = pristine;
            if (at + 4 <= bytes.size())
                std::memcpy(bytes.data() + at, &value, 4);
            exercise(std::move(bytes));
        }
    }
    qInfo() << "damaged copies:" << opened << "opened," << refused << "refused," << eventsRead << "events read in"
            << timer.elapsed() << "ms";
    QVERIFY(refused > 0);
    QVERIFY(opened > 0);
}

QTEST_GUILESS_MAIN(TestPml)
#include "tst_pml.moc"
