// The capture model's own rules: interning, append-only publication, bounded output, classes.
#include "CaptureClasses.h"
#include "ExitStatus.h"
#include "model/CaptureData.h"

#include <QTest>
#include <cerrno>
#include <csignal>
#include <thread>

using namespace exitlens;

class ModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void internReturnsStableIds();
    void storeAppendsAcrossChunks();
    void readersSeeOnlyPublishedPrefix();
    void outputKeepsHeadAndTailOnly();
    void outputTailWrapsCorrectly();
    void captureClassesParse();
    void exitStatusShellCodes();
    void processTableKeepsReusedPids();
};

void ModelTest::internReturnsStableIds()
{
    StringPool pool;
    QCOMPARE(pool.intern(""), kNoString);
    const StringId a = pool.intern("/etc/passwd");
    const StringId b = pool.intern("openat");
    QVERIFY(a != b);
    QCOMPARE(pool.intern(std::string("/etc/") + "passwd"), a);
    pool.publish();
    QCOMPARE(pool.at(a), std::string_view("/etc/passwd"));
    QCOMPARE(pool.at(b), std::string_view("openat"));
    // Many strings force new blocks; earlier views stay valid.
    std::vector<StringId> ids;
    for (int i = 0; i < 100000; ++i)
        ids.push_back(pool.intern("/tmp/file-" + std::to_string(i)));
    pool.publish();
    QCOMPARE(pool.at(a), std::string_view("/etc/passwd"));
    QCOMPARE(pool.at(ids[77777]), std::string_view("/tmp/file-77777"));
    const std::string big(3 << 20, 'x'); // larger than a block
    const StringId bigId = pool.intern(big);
    pool.publish();
    QCOMPARE(pool.at(bigId).size(), big.size());
}

void ModelTest::storeAppendsAcrossChunks()
{
    EventStore store;
    std::vector<Event> batch(1000);
    std::uint64_t expectedFirst = 0;
    for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < batch.size(); ++i)
            batch[i].result = static_cast<std::int64_t>(expectedFirst + i);
        QCOMPARE(store.append(batch), expectedFirst);
        expectedFirst += batch.size();
    }
    QCOMPARE(store.size(), std::uint64_t(0)); // nothing published yet
    store.publish();
    QCOMPARE(store.size(), std::uint64_t(200000));
    for (std::uint64_t seq : { 0ull, 65535ull, 65536ull, 199999ull })
        QCOMPARE(store.at(seq).result, static_cast<std::int64_t>(seq));
    QCOMPARE(store.dropped(), std::uint64_t(0));
}

void ModelTest::readersSeeOnlyPublishedPrefix()
{
    // A reader thread checks that every published event is fully written (result == seq).
    EventStore store;
    std::atomic<bool> done { false };
    std::atomic<std::uint64_t> mismatches { 0 };
    std::thread reader([&] {
        while (!done.load()) {
            const std::uint64_t count = store.size();
            if (count > 0 && store.at(count - 1).result != static_cast<std::int64_t>(count - 1))
                mismatches.fetch_add(1);
        }
    });
    Event event;
    for (std::uint64_t seq = 0; seq < 300000; ++seq) {
        event.result = static_cast<std::int64_t>(seq);
        store.append({ &event, 1 });
        if (seq % 100 == 0)
            store.publish();
    }
    store.publish();
    done = true;
    reader.join();
    QCOMPARE(mismatches.load(), std::uint64_t(0));
    QCOMPARE(store.size(), std::uint64_t(300000));
}

void ModelTest::outputKeepsHeadAndTailOnly()
{
    OutputLog log(16, 8);
    log.append(1, 10, 2, "0123456789");
    log.append(2, 10, 2, "abcdefghij");
    log.append(3, 10, 2, "KLMNOPQRST");
    const auto view = log.stream(2);
    QCOMPARE(view.head, std::string("0123456789abcdef"));
    QCOMPARE(view.tail, std::string("MNOPQRST"));
    QCOMPARE(view.totalBytes, std::uint64_t(30));
    QCOMPARE(view.omittedBytes, std::uint64_t(6));
    QCOMPARE(log.chunks().size(), std::size_t(3));
    QCOMPARE(log.chunks()[2].offset, std::uint64_t(20));
    QCOMPARE(log.stream(1).totalBytes, std::uint64_t(0));
}

void ModelTest::outputTailWrapsCorrectly()
{
    OutputLog log(0, 5);
    for (char c = 'a'; c <= 'z'; ++c)
        log.append(static_cast<std::uint64_t>(c), 1, 1, std::string(1, c));
    QCOMPARE(log.stream(1).tail, std::string("vwxyz"));
    log.append(99, 1, 1, "12");
    QCOMPARE(log.stream(1).tail, std::string("xyz12"));
    QVERIFY(log.memoryBytes() < 4096);
}

void ModelTest::captureClassesParse()
{
    CaptureClasses classes = CaptureClasses::none();
    std::string error;
    QVERIFY(CaptureClasses::parse("signal,file", classes, error));
    QVERIFY(classes.has(EventClass::Process)); // always on
    QVERIFY(classes.has(EventClass::Signal));
    QVERIFY(classes.has(EventClass::File));
    QVERIFY(!classes.has(EventClass::Network));
    QCOMPARE(classes.toString(), std::string("process,file,signal"));
    QVERIFY(!CaptureClasses::parse("process,files", classes, error));
    QVERIFY(error.find("'files'") != std::string::npos);
    QVERIFY(CaptureClasses::parse("all", classes, error));
    QCOMPARE(classes, CaptureClasses::all());
}

void ModelTest::exitStatusShellCodes()
{
    QCOMPARE(ExitStatus::exited(3).shellStatus(), 3);
    QCOMPARE(ExitStatus::signaled(SIGKILL, false).shellStatus(), 137);
    QCOMPARE(ExitStatus::launchFailed(ENOENT).shellStatus(), 127);
    QCOMPARE(ExitStatus::launchFailed(EACCES).shellStatus(), 126);
    QCOMPARE(ExitStatus::signaled(SIGSEGV, true).describe(), std::string("killed by SIGSEGV (core dumped)"));
    QCOMPARE(ExitStatus::launchFailed(ENOENT).describe(),
        std::string("could not be executed: ENOENT (No such file or directory)"));
}

void ModelTest::processTableKeepsReusedPids()
{
    ProcessTable table;
    ProcessRecord first;
    first.pid = 100;
    first.startSeq = 1;
    table.update(first);
    first.status = ExitStatus::exited(0);
    table.update(first);
    QCOMPARE(table.size(), std::size_t(1));
    ProcessRecord second;
    second.pid = 100; // the kernel reused the pid
    second.startSeq = 50;
    table.update(second);
    QCOMPARE(table.size(), std::size_t(2));
    ProcessRecord found;
    QVERIFY(table.find(100, found));
    QCOMPARE(found.startSeq, std::uint64_t(50));
    QCOMPARE(table.snapshot()[0].status.kind, ExitStatus::Kind::Exited);
}

QTEST_APPLESS_MAIN(ModelTest)
#include "tst_model.moc"
