// The traceback parser against what the Go runtime really prints: crashes of a real Go program
// run here (Go 1.19: panics of every kind, fatal errors, SIGSEGV, deadlock, stack overflow,
// GOTRACEBACK=all/crash), the same output damaged (CRLF, cut off, interleaved with other lines),
// and verbatim tracebacks of other Go releases quoted in public issues (tests/data/tracebacks).
#include "GoTestUtil.h"
#include "go/GoJson.h"
#include "go/RuntimeLogParser.h"
#include "go/TracebackParser.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <map>
#include <random>

using namespace exitlens;
using exitlens::testing::fixturePath;
using exitlens::testing::runProgram;

namespace {

std::string crashOutput(const QString& mode, const QStringList& env = {})
{
    const auto output = runProgram(fixturePath("gocrash"), { mode }, env);
    return output.err.toStdString();
}

// The line of gocrash.go that contains NEEDLE (1-based), so the test does not hard-code lines.
int sourceLine(const char* needle)
{
    QFile file(QString(EXITLENS_TEST_DATA) + "/../programs/gocrash.go");
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        if (file.readLine().contains(needle))
            return number;
    }
    return -1;
}

std::string sample(const char* name)
{
    QFile file(QString(EXITLENS_TEST_DATA) + "/tracebacks/" + name + ".txt");
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing sample %s", name);
    return file.readAll().toStdString();
}

const GoGoroutine* goroutine(const GoTraceback& traceback, long long id)
{
    for (const auto& candidate : traceback.goroutines)
        if (candidate.id == id)
            return &candidate;
    return nullptr;
}

bool hasOtherLine(const GoTraceback& traceback, const std::string& text)
{
    for (const auto& [number, line] : traceback.otherLines)
        if (line == text)
            return true;
    return false;
}

// The expectations of a corpus case (NAME.expect): "key: value" lines.
std::map<std::string, std::string> expectations(const QString& path)
{
    std::map<std::string, std::string> values;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return values;
    for (const QByteArray& raw : file.readAll().split('\n')) {
        const std::string line = raw.toStdString();
        const auto colon = line.find(": ");
        if (colon != std::string::npos)
            values[line.substr(0, colon)] = line.substr(colon + 2);
        else if (!line.empty() && line.back() == ':')
            values[line.substr(0, line.size() - 1)] = std::string();
    }
    return values;
}

// "\n", "\t" and "\\" in an expectation, as written by hand.
std::string unescape(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[++i];
            out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Every line of TEXT with PREFIX before it (numbered: "%1" becomes the line number).
std::string prefixed(const std::string& text, const std::string& prefix)
{
    std::string out;
    int number = 0;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find('\n', start);
        std::string stamp = prefix;
        if (const auto mark = stamp.find("%1"); mark != std::string::npos)
            stamp.replace(mark, 2, std::to_string(1000 + 7 * ++number));
        out += stamp + text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

QString frameName(const GoFrame* frame)
{
    return frame ? QString::fromStdString(frame->function) : QString("<none>");
}

} // namespace

class TestTraceback : public QObject {
    Q_OBJECT

private slots:
    void panicWithError()
    {
        const auto traceback = TracebackParser::parse(crashOutput("error"), "main");
        QCOMPARE(traceback.kind, GoTraceback::Kind::Panic);
        QCOMPARE(traceback.reason, std::string("settings: invalid port 70000"));
        QVERIFY(!traceback.signal);
        QVERIFY(traceback.panicking);
        const GoGoroutine& dying = traceback.goroutines[*traceback.panicking];
        QCOMPARE(dying.id, 1LL);
        QCOMPARE(dying.state, std::string("running"));
        QCOMPARE(frameName(traceback.ownFrameFrame()), QString("main.loadSettings"));
        QCOMPARE(traceback.ownFrameFrame()->line, sourceLine("panic(fmt.Errorf(\"settings"));
        QVERIFY(QString::fromStdString(traceback.ownFrameFrame()->file).endsWith("tests/programs/gocrash.go"));
        QVERIFY(traceback.ownFrameFrame()->pcOffset.has_value());
        QCOMPARE(dying.frames.back().function, std::string("main.main"));
        // The program's own line before the traceback is kept, not lost.
        QVERIFY(hasOtherLine(traceback, "gocrash: mode error"));
        QCOMPARE(traceback.buckets.size(), std::size_t(1));
    }

    void panicValues()
    {
        auto multiLine = TracebackParser::parse(crashOutput("string"), "main");
        QCOMPARE(multiLine.reason, std::string("something bad happened\nsecond line of the message"));
        QCOMPARE(frameName(multiLine.ownFrameFrame()), QString("main.main"));

        auto custom = TracebackParser::parse(crashOutput("custom"), "main");
        QCOMPARE(custom.reason, std::string("config: missing key listen"));

        auto index = TracebackParser::parse(crashOutput("index"), "main");
        QCOMPARE(index.reason, std::string("runtime error: index out of range [7] with length 0"));

        auto nested = TracebackParser::parse(crashOutput("nested"), "main");
        QCOMPARE(nested.panics.size(), std::size_t(2));
        QCOMPARE(nested.panics[0].message, std::string("first panic"));
        QCOMPARE(nested.panics[1].message, std::string("second panic in a deferred call"));
        QCOMPARE(nested.reason, std::string("first panic"));
        // The deferred function (main.main.func1) panicked: it is the first own frame.
        QCOMPARE(frameName(nested.ownFrameFrame()), QString("main.main.func1"));

        auto repanic = TracebackParser::parse(crashOutput("repanic"), "main");
        QCOMPARE(repanic.panics.size(), std::size_t(2));
        QVERIFY(repanic.panics[0].recovered);
        QVERIFY(!repanic.panics[1].recovered);
        QCOMPARE(repanic.panics[0].message, std::string("recovered and raised again"));
        QCOMPARE(repanic.reason, std::string("recovered and raised again"));
    }

    void nilDereference()
    {
        const auto traceback = TracebackParser::parse(crashOutput("nil"), "main");
        QCOMPARE(traceback.kind, GoTraceback::Kind::Panic);
        QCOMPARE(traceback.reason, std::string("runtime error: invalid memory address or nil pointer dereference"));
        QVERIFY(traceback.signal);
        QCOMPARE(traceback.signal->name, std::string("SIGSEGV"));
        QCOMPARE(traceback.signal->description, std::string("segmentation violation"));
        QCOMPARE(traceback.signal->code, std::string("0x1"));
        QCOMPARE(traceback.signal->address, std::string("0x0"));
        QVERIFY(traceback.signal->pc.starts_with("0x"));
        const GoFrame* own = traceback.ownFrameFrame();
        QCOMPARE(frameName(own), QString("main.(*Server).register"));
        QCOMPARE(own->line, sourceLine("s.handlers[name] = len(name)"));
        QVERIFY(own->args.find("0x6") != std::string::npos);
    }

    void fatalErrors()
    {
        const auto map = TracebackParser::parse(crashOutput("map"), "main");
        QCOMPARE(map.kind, GoTraceback::Kind::FatalError);
        QCOMPARE(map.reason, std::string("concurrent map writes"));
        QCOMPARE(frameName(map.ownFrameFrame()), QString("main.writeMap"));
        QVERIFY(map.goroutines.size() >= 2);

        const auto deadlock = TracebackParser::parse(crashOutput("deadlock"), "main");
        QCOMPARE(deadlock.reason, std::string("all goroutines are asleep - deadlock!"));
        QCOMPARE(deadlock.goroutines[*deadlock.panicking].state, std::string("chan receive"));
        QCOMPARE(deadlock.ownFrameFrame()->line, sourceLine("case \"deadlock\":") + 2); // its "<-ch"

        const auto overflow = TracebackParser::parse(crashOutput("overflow"), "main");
        QCOMPARE(overflow.reason, std::string("stack overflow"));
        QVERIFY(!overflow.runtimeLines.empty());
        QCOMPARE(overflow.runtimeLines[0], std::string("runtime: goroutine stack exceeds 1048576-byte limit"));
        QVERIFY(overflow.goroutines.front().systemStack()); // "runtime stack:" comes first
        QVERIFY(!overflow.goroutines.front().frames.empty());
        const GoGoroutine& dying = overflow.goroutines[*overflow.panicking];
        QCOMPARE(dying.id, 1LL);
        QVERIFY(dying.framesElided);
        QVERIFY(dying.frames.size() > 10);
        QVERIFY(dying.frames.front().pc.has_value()); // fp= sp= pc= after the offset
        QCOMPARE(frameName(overflow.ownFrameFrame()), QString("main.recurse"));
    }

    void allGoroutinesAndBuckets()
    {
        const auto traceback = TracebackParser::parse(crashOutput("workers", { "GOTRACEBACK=all" }), "main");
        QCOMPARE(traceback.reason, std::string("settings: invalid port 70000"));
        QCOMPARE(traceback.goroutines.size(), std::size_t(26));
        QVERIFY(traceback.buckets.size() >= 3);
        QCOMPARE(traceback.buckets[0].ids.size(), std::size_t(20));
        QCOMPARE(traceback.buckets[0].state, std::string("chan receive"));
        QCOMPARE(traceback.buckets[0].frames.front().function, std::string("main.waitForever"));
        QVERIFY(traceback.buckets[0].createdBy);
        QCOMPARE(traceback.buckets[0].createdBy->function, std::string("main.main"));
        QCOMPARE(traceback.buckets[0].createdBy->line, sourceLine("go waitForever(ch, &wg)"));
        QCOMPARE(traceback.buckets[1].ids.size(), std::size_t(5));
        QCOMPARE(traceback.buckets[1].frames.back().function, std::string("main.sleepForever"));
    }

    void crashMode()
    {
        const auto output = runProgram(fixturePath("gocrash"), { "nil" }, { "GOTRACEBACK=crash" });
        QVERIFY(output.crashed); // SIGABRT after the dump
        const auto traceback = TracebackParser::parse(output.err.toStdString(), "main");
        QCOMPARE(traceback.kind, GoTraceback::Kind::Panic);
        QCOMPARE(traceback.signal->name, std::string("SIGSEGV"));
        // crash shows the runtime's frames and its own goroutines too.
        const GoGoroutine& dying = traceback.goroutines[*traceback.panicking];
        QCOMPARE(dying.frames.front().function, std::string("panic"));
        QVERIFY(dying.frames.front().isRuntime());
        QCOMPARE(frameName(traceback.ownFrameFrame()), QString("main.(*Server).register"));
        bool systemGoroutine = false;
        for (const auto& g : traceback.goroutines)
            systemGoroutine = systemGoroutine || g.state == "force gc (idle)";
        QVERIFY(systemGoroutine);
        QVERIFY(traceback.otherLines.size() <= 1); // only "gocrash: mode nil"
    }

    void damagedInput()
    {
        const std::string original = crashOutput("workers", { "GOTRACEBACK=all" });
        const auto reference = TracebackParser::parse(original, "main");

        std::string crlf;
        for (char c : original) {
            if (c == '\n')
                crlf += '\r';
            crlf += c;
        }
        const auto fromCrlf = TracebackParser::parse(crlf, "main");
        QCOMPARE(fromCrlf.reason, reference.reason);
        QCOMPARE(fromCrlf.goroutines.size(), reference.goroutines.size());
        QCOMPARE(fromCrlf.buckets.size(), reference.buckets.size());
        QCOMPARE(fromCrlf.goroutines.front().frames.front().file, reference.goroutines.front().frames.front().file);

        // Other output and the runtime's own log between the lines, "exit status 2" at the end.
        std::string mixed;
        int lineNumber = 0;
        for (std::size_t start = 0; start < original.size();) {
            const auto end = original.find('\n', start);
            mixed += original.substr(start, end - start + 1);
            start = end == std::string::npos ? original.size() : end + 1;
            // Writers interleave at line boundaries: before every third goroutine header here.
            if (original.compare(start, 10, "goroutine ") == 0 && ++lineNumber % 3 == 0) {
                mixed += "2024/01/01 12:00:00 worker log line " + std::to_string(lineNumber) + "\n";
                mixed += "gc 3 @0.416s 0%: 0.060+0.55+0.004 ms clock, 0.12+0/0.17/0.23+0.008 ms cpu, "
                         "122->123->71 MB, 143 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
            }
        }
        mixed += "exit status 2\n";
        const auto fromMixed = TracebackParser::parse(mixed, "main");
        QCOMPARE(fromMixed.reason, reference.reason);
        QCOMPARE(fromMixed.goroutines.size(), reference.goroutines.size());
        QCOMPARE(fromMixed.buckets.front().ids.size(), std::size_t(20));
        QCOMPARE(fromMixed.exitStatus, std::optional<int>(2));
        QVERIFY(fromMixed.runtimeLogLines > 0);
        QCOMPARE(fromMixed.otherLines.size(), reference.otherLines.size() + fromMixed.runtimeLogLines);

        // Every prefix (cut anywhere, even mid-line) parses; cut inside a frame it says so.
        for (std::size_t length = 0; length < original.size(); length += 5) {
            const auto cut = TracebackParser::parse(std::string_view(original).substr(0, length), "main");
            QVERIFY(cut.goroutines.size() <= reference.goroutines.size());
        }
        const auto lastFrame = original.rfind("\n\t");
        const auto cut = TracebackParser::parse(std::string_view(original).substr(0, lastFrame + 1), "main");
        QVERIFY(cut.truncated);

        // Random bytes never crash it.
        std::mt19937 random(7);
        for (int round = 0; round < 300; ++round) {
            std::string noise = original.substr(0, random() % original.size());
            for (int i = 0; i < 20 && !noise.empty(); ++i)
                noise[random() % noise.size()] = static_cast<char>(random());
            (void)TracebackParser::parse(noise);
        }
    }

    void go117FatalSignalInCgo()
    {
        const auto traceback = TracebackParser::parse(sample("go1.17_cgo_sigsegv"));
        QCOMPARE(traceback.kind, GoTraceback::Kind::FatalError);
        QCOMPARE(traceback.reason, std::string("unexpected signal during runtime execution"));
        QCOMPARE(traceback.signal->name, std::string("SIGSEGV"));
        QCOMPARE(traceback.signal->code, std::string("0x2"));
        QCOMPARE(traceback.signal->address, std::string("0x7ffe32b239e0"));
        QVERIFY(traceback.goroutines[0].systemStack());
        QCOMPARE(traceback.goroutines[0].frames.size(), std::size_t(2));
        QCOMPARE(traceback.goroutines[*traceback.panicking].id, 50LL);
        QCOMPARE(traceback.goroutines[*traceback.panicking].state, std::string("syscall"));
        // No module given: the first frame outside the runtime and the standard library.
        QCOMPARE(
            frameName(traceback.ownFrameFrame()), QString("github.com/aquasecurity/libbpfgo._Cfunc_perf_buffer__poll"));
        QCOMPARE(traceback.ownFrameFrame()->file, std::string("_cgo_gotypes.go"));
        QVERIFY(hasOtherLine(traceback, "[yaniv@yaniv-aqua tracee-ebpf]$ sudo ./dist/tracee-ebpf"));
        // With the program's module, a dependency's frame is not the program's own.
        QVERIFY(!TracebackParser::parse(sample("go1.17_cgo_sigsegv"), "github.com/aquasecurity/tracee").ownFrame);
    }

    void go120DoubledBlankLines()
    {
        const auto traceback = TracebackParser::parse(sample("go1.20_blank_lines"));
        QCOMPARE(traceback.kind, GoTraceback::Kind::None);
        QCOMPARE(traceback.goroutines.size(), std::size_t(3));
        const GoGoroutine* finalizer = goroutine(traceback, 5);
        QVERIFY(finalizer);
        QCOMPARE(finalizer->state, std::string("finalizer wait"));
        QCOMPARE(finalizer->frames.size(), std::size_t(3));
        QCOMPARE(finalizer->frames[1].function, std::string("runtime.runfinq"));
        QCOMPARE(finalizer->frames[1].line, 193);
        QCOMPARE(finalizer->createdBy->function, std::string("runtime.createfing"));
        QCOMPARE(finalizer->createdBy->line, 163);
        QCOMPARE(finalizer->createdByGoroutine, -1LL);
        QCOMPARE(goroutine(traceback, 18)->frames.size(), std::size_t(3));
        QCOMPARE(traceback.otherLines.size(), std::size_t(1)); // the orphan position line it starts with
    }

    void go121CreatedInGoroutine()
    {
        const auto traceback = TracebackParser::parse(sample("go1.21_created_in_goroutine"));
        const GoGoroutine* forcegc = goroutine(traceback, 2);
        QVERIFY(forcegc);
        QCOMPARE(forcegc->createdBy->function, std::string("runtime.init.6"));
        QCOMPARE(forcegc->createdByGoroutine, 1LL);
        QCOMPARE(forcegc->frames.size(), std::size_t(4));
        QVERIFY(forcegc->frames[1].inlined());
        QVERIFY(!forcegc->frames[1].pcOffset);
        QCOMPARE(forcegc->frames[1].line, 392);
        QCOMPARE(forcegc->frames[0].pc, std::optional<std::uint64_t>(0x43900e));
        QVERIFY(goroutine(traceback, 3)->truncated);
    }

    void go121CrashRepeatAfterRegisters()
    {
        const auto traceback = TracebackParser::parse(sample("go1.21_crash_sigquit_repeat"));
        QCOMPARE(traceback.kind, GoTraceback::Kind::Signal);
        QCOMPARE(traceback.reason, std::string("SIGQUIT: quit"));
        QCOMPARE(traceback.signal->pc, std::string("0x464823"));
        QCOMPARE(traceback.signal->code, std::string("0"));
        QCOMPARE(traceback.goroutines.size(), std::size_t(1));
        QCOMPARE(traceback.goroutines[0].id, 0LL);
        QCOMPARE(traceback.goroutines[0].state, std::string("idle"));
        QCOMPARE(traceback.goroutines[0].frames.size(), std::size_t(7));
        QCOMPARE(traceback.goroutines[0].frames[4].function, std::string("runtime.sysmon"));
        // Register dump and separator are understood, not left over; the cut-off "runtime" is.
        QCOMPARE(traceback.otherLines.size(), std::size_t(1));
    }

    void go122OutOfMemory()
    {
        const auto traceback = TracebackParser::parse(sample("go1.22_out_of_memory_windows"));
        QCOMPARE(traceback.kind, GoTraceback::Kind::FatalError);
        QCOMPARE(traceback.reason, std::string("out of memory"));
        QCOMPARE(traceback.runtimeLines.front(),
            std::string("runtime: VirtualAlloc of 299704320 bytes failed with errno=1455"));
        QVERIFY(traceback.goroutines[0].systemStack());
        QCOMPARE(traceback.goroutines[0].frames.size(), std::size_t(6));
        const GoGoroutine& dying = traceback.goroutines[*traceback.panicking];
        QCOMPARE(dying.id, 1LL);
        QCOMPARE(dying.state, std::string("running"));
        const std::vector<std::string> extras { "gp=0xc0000a0000", "m=11", "mp=0xc018c81808" };
        QCOMPARE(dying.extras, extras);
        QCOMPARE(dying.frames[0].file, std::string("C:/hostedtoolcache/windows/go/1.22.0/x64/src/runtime/asm_amd64.s"));
        QCOMPARE(dying.frames[0].line, 474);
        QCOMPARE(dying.frames[0].pcOffset, std::optional<std::uint64_t>(0x8));
    }

    void go123Panics()
    {
        const auto plain = TracebackParser::parse(sample("go1.23_nil_dereference"), "github.com/xyproto/orbiton/v2");
        QCOMPARE(plain.reason, std::string("runtime error: invalid memory address or nil pointer dereference"));
        QCOMPARE(plain.signal->pc, std::string("0x76a04c"));
        QCOMPARE(frameName(plain.ownFrameFrame()), QString("main.main"));
        QCOMPARE(plain.ownFrameFrame()->line, 242);
        QCOMPARE(plain.ownFrameFrame()->pcOffset, std::optional<std::uint64_t>(0x108c));

        const auto module = TracebackParser::parse(sample("go1.23_module_frames"), "github.com/slimm609/checksec");
        QCOMPARE(
            frameName(module.ownFrameFrame()), QString("github.com/slimm609/checksec/pkg/utils.GetAllFilesFromDir"));
        QCOMPARE(module.ownFrameFrame()->line, 93);
        const auto& frames = module.goroutines[*module.panicking].frames;
        QCOMPARE(frames.size(), std::size_t(7));
        QVERIFY(!frames[2].isStandardLibrary());
        QCOMPARE(frames[2].packagePath(), std::string("github.com/spf13/cobra"));
        QVERIFY(frames[4].inlined());
        QVERIFY(hasOtherLine(module, "$ ./checksec dir /usr/bin"));

        const auto workers = TracebackParser::parse(sample("go1.23_gc_workers"));
        const GoGoroutine* worker = goroutine(workers, 25);
        QCOMPARE(worker->state, std::string("GC worker (idle)"));
        QCOMPARE(worker->frames.size(), std::size_t(4));
        QCOMPARE(worker->createdByGoroutine, 7LL);
        QCOMPARE(worker->frames[3].function, std::string("runtime.goexit"));
        QCOMPARE(worker->frames[3].args, std::string("{}"));
        QVERIFY(goroutine(workers, 26)->truncated);
    }

    // tests/data/tracebacks: real tracebacks quoted in public issues and projects' test data,
    // each with what a reader finds in it (NAME.expect; see the folder's README).
    void corpus_data()
    {
        QTest::addColumn<QString>("name");
        const QDir folder(QString(EXITLENS_TEST_DATA) + "/tracebacks");
        const QStringList cases = folder.entryList({ "*.expect" }, QDir::Files, QDir::Name);
        QVERIFY(cases.size() >= 60);
        for (const QString& expect : cases) {
            const QString name = expect.chopped(7);
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void corpus()
    {
        QFETCH(QString, name);
        const QString base = QString(EXITLENS_TEST_DATA) + "/tracebacks/" + name;
        const auto expected = expectations(base + ".expect");
        QVERIFY(QFile::exists(base + ".source"));
        const auto traceback = TracebackParser::parse(
            sample(qPrintable(name)), expected.contains("module") ? expected.at("module") : std::string());
        const bool found = traceback.found() && traceback.hasStack();
        QCOMPARE(found, expected.at("found") == "yes");
        if (!found)
            return;
        QCOMPARE(std::string(GoTraceback::kindName(traceback.kind)), expected.at("kind"));
        QCOMPARE(std::string(GoTraceback::reportName(traceback.report)), expected.at("report"));
        QCOMPARE(traceback.reason, unescape(expected.at("reason")));
        QCOMPARE(std::to_string(traceback.goroutines.size()), expected.at("goroutines"));
        QCOMPARE(traceback.panicking ? std::to_string(traceback.goroutines[*traceback.panicking].id) : std::string("-"),
            expected.at("crashing"));
        QCOMPARE(frameName(traceback.ownFrameFrame()).toStdString(),
            expected.at("own_frame") == "-" ? std::string("<none>") : expected.at("own_frame"));
    }

    // The common ways people paste, on a real Go 1.19 traceback: the same result every time.
    void pastePrefixes()
    {
        const std::string original = crashOutput("workers", { "GOTRACEBACK=all" });
        const auto reference = TracebackParser::parse(original, "main");
        QCOMPARE(reference.goroutines.size(), std::size_t(26));
        const std::vector<std::string> prefixes { "    ", "\t", "> ", "2024-08-09T01:45:%1.2083163Z ",
            " %1 2024-08-09T01:45:13.%1Z ", "[12:00:%1] ", "Mar 12 22:12:%1 host app[%1]: ", "app-1  | ",
            "2023-10-04T12:00:00.%1Z stderr F ", "+" };
        for (const auto& prefix : prefixes) {
            const auto pasted = TracebackParser::parse(prefixed(original, prefix), "main");
            QVERIFY2(pasted.reason == reference.reason, prefix.c_str());
            QVERIFY2(pasted.goroutines.size() == reference.goroutines.size(), prefix.c_str());
            QCOMPARE(pasted.buckets.size(), reference.buckets.size());
            QCOMPARE(pasted.buckets.front().ids.size(), std::size_t(20));
            QCOMPARE(frameName(pasted.ownFrameFrame()), QString("main.loadSettings"));
            QCOMPARE(pasted.ownFrameFrame()->line, reference.ownFrameFrame()->line);
            QVERIFY(!pasted.truncated);
            QVERIFY(pasted.hasStack());
        }
        // Other writers' lines without the prefix are theirs, not the traceback's.
        std::string mixed = prefixed(original, "[12:00:%1] ");
        const auto second = mixed.find("] goroutine ", mixed.find("] goroutine ") + 1);
        QVERIFY(second != std::string::npos);
        mixed.insert(mixed.rfind('\n', second) + 1, "unrelated line\n"); // before the second goroutine
        const auto withOther = TracebackParser::parse(mixed, "main");
        QCOMPARE(withOther.goroutines.size(), reference.goroutines.size());
        QVERIFY(hasOtherLine(withOther, "unrelated line"));

        // Garbage before the header on its line: a terminal's "^\", a spinner, a backtick.
        for (const std::string garbage : { "^\\", "⠋ ", "`", "•••••••••" }) {
            const auto dirty = TracebackParser::parse(garbage + original.substr(original.find("panic: ")), "main");
            QCOMPARE(dirty.reason, reference.reason);
            QCOMPARE(dirty.goroutines.size(), reference.goroutines.size());
        }
        // ... but words before "panic: " in a log line are not garbage: that is no header.
        const auto logged = TracebackParser::parse("2024/01/01 12:00:00 recovered from panic: boom\n");
        QCOMPARE(logged.kind, GoTraceback::Kind::None);
        // Nor is a log line that says "panic: " followed by another log line: the traceback after
        // them (without the log's prefix) is the one.
        const auto logThenCrash = TracebackParser::parse(
            "2024/01/01 12:00:00 panic: recovered in handler\n2024/01/01 12:00:01 retrying\n" + original, "main");
        QCOMPARE(logThenCrash.reason, reference.reason);
        QCOMPARE(logThenCrash.goroutines.size(), reference.goroutines.size());

        // A whole paste without its last newline is not cut off; one cut inside a line is.
        std::string whole = original;
        while (whole.back() == '\n')
            whole.pop_back();
        QVERIFY(!TracebackParser::parse(whole, "main").truncated);
        for (std::size_t cut = 1; cut < 12; ++cut) // inside the offset ("+0x"), the line number, the path
            QVERIFY(TracebackParser::parse(whole.substr(0, whole.size() - cut), "main").truncated || cut < 4);
    }

    void reportsOtherThanDeath()
    {
        const auto race = TracebackParser::parse(sample("panicparse_race_report"));
        QCOMPARE(race.kind, GoTraceback::Kind::None);
        QCOMPARE(race.report, GoTraceback::Report::DataRace);
        QCOMPARE(race.goroutines.size(), std::size_t(2));
        QCOMPARE(race.goroutines[0].id, 8LL);
        QCOMPARE(race.goroutines[0].state, std::string("read at 0x00c000014100"));
        QCOMPARE(race.goroutines[0].frames.size(), std::size_t(2));
        QCOMPARE(race.goroutines[0].frames[0].function, std::string("main.panicDoRaceRead"));
        QCOMPARE(race.goroutines[0].frames[0].line, 137);
        QCOMPARE(race.goroutines[0].createdBy->function, std::string("main.panicRace"));
        QCOMPARE(race.goroutines[0].createdBy->line, 153);
        QCOMPARE(race.goroutines[1].id, 7LL);
        QCOMPARE(race.goroutines[1].state, std::string("previous write at 0x00c000014100"));
        QCOMPARE(race.goroutines[1].createdBy->line, 150);
        QCOMPARE(race.reason,
            std::string("data race: read at 0x00c000014100 by goroutine 8; previous write at 0x00c000014100 by "
                        "goroutine 7"));
        QCOMPARE(race.otherLines.size(), std::size_t(2)); // "GOTRACEBACK=all" and the opening "=================="

        // A race report, then the test binary panics: the panic is the traceback.
        const std::string crash = crashOutput("error");
        const auto raceThenPanic = TracebackParser::parse(sample("panicparse_race_report") + crash, "main");
        QCOMPARE(raceThenPanic.kind, GoTraceback::Kind::Panic);
        QCOMPARE(raceThenPanic.report, GoTraceback::Report::DataRace);
        QCOMPARE(raceThenPanic.reason, std::string("settings: invalid port 70000"));
        QCOMPARE(raceThenPanic.goroutines[*raceThenPanic.panicking].id, 1LL);
        QCOMPARE(frameName(raceThenPanic.ownFrameFrame()), QString("main.loadSettings"));
        QCOMPARE(raceThenPanic.goroutines.front().section, -1);
        QCOMPARE(raceThenPanic.repeats, 0);
        QCOMPARE(raceThenPanic.buckets.size(), std::size_t(1));

        const auto http = TracebackParser::parse(sample("go1.12_http_panic_log_prefix"));
        QCOMPARE(http.report, GoTraceback::Report::HttpPanic);
        QCOMPARE(http.kind, GoTraceback::Kind::None); // the server went on: no crash
        QVERIFY(http.panics.front().recovered);
        QCOMPARE(http.reason, std::string("runtime error: invalid memory address or nil pointer dereference"));
        QCOMPARE(http.goroutines.front().frames.front().function, std::string("net/http.(*conn).serve.func1"));
    }

    void oldFormatsAndPackages()
    {
        const auto numeric = TracebackParser::parse(sample("go1.4_numeric_signal"));
        QCOMPARE(numeric.signal->name, std::string("SIGSEGV"));
        QCOMPARE(numeric.signal->description, std::string("segmentation violation"));
        QCOMPARE(numeric.signal->address, std::string("0x1"));
        QCOMPARE(numeric.exitStatus, std::optional<int>(2));

        // Before Go 1 (release r60), written after its format: "function+0xoff file:line" with the
        // call on the next line, no header for the panicking goroutine. (No verbatim one was found
        // in the public sources at hand.)
        const auto preGo1 = TracebackParser::parse("panic: runtime error: index out of range\n\n"
                                                   "panic PC=0x7f2b3e6a4e48\n"
                                                   "runtime.panic+0xa7 /go/src/pkg/runtime/proc.c:1032\n"
                                                   "\truntime.panic(0x44a2e8, 0xf840001180)\n"
                                                   "main.main+0x54 /tmp/x.go:6\n"
                                                   "\tmain.main()\n"
                                                   "runtime.mainstart+0xf /go/src/pkg/runtime/amd64/asm.s:78\n"
                                                   "\truntime.mainstart()\n"
                                                   "runtime.goexit /go/src/pkg/runtime/proc.c:178\n"
                                                   "\truntime.goexit()\n"
                                                   "----- goroutine created by -----\n"
                                                   "_rt0_amd64+0xc9 /go/src/pkg/runtime/amd64/asm.s:65\n");
        QCOMPARE(preGo1.reason, std::string("runtime error: index out of range"));
        QCOMPARE(preGo1.goroutines.size(), std::size_t(1));
        const auto& frames = preGo1.goroutines[0].frames;
        QCOMPARE(frames.size(), std::size_t(4));
        QCOMPARE(frames[1].function, std::string("main.main"));
        QCOMPARE(frames[1].file, std::string("/tmp/x.go"));
        QCOMPARE(frames[1].line, 6);
        QCOMPARE(frames[1].pcOffset, std::optional<std::uint64_t>(0x54));
        QCOMPARE(frames[0].args, std::string("0x44a2e8, 0xf840001180"));
        QVERIFY(!frames[3].pcOffset);
        QCOMPARE(preGo1.goroutines[0].createdBy->function, std::string("_rt0_amd64"));
        QCOMPARE(frameName(preGo1.ownFrameFrame()), QString("main.main"));
        QVERIFY(preGo1.hasStack());

        // Dot-less module paths are the program's; the standard library is known by its list.
        GoFrame frame;
        for (const char* own : { "myservice/internal/store.Load", "tool.Parse", "foo/bar.TestArchiveFail" }) {
            frame.function = own;
            QVERIFY2(!frame.isStandardLibrary(), own);
            QVERIFY(TracebackParser::isOwnFrame(frame, {}));
        }
        for (const char* standard : { "net/http.(*conn).serve", "encoding/json.Unmarshal", "fmt.Println",
                 "vendor/golang.org/x/net/http2/hpack.(*Decoder).Write", "slices.Sort[...]", "iter.Pull" }) {
            frame.function = standard;
            QVERIFY2(frame.isStandardLibrary(), standard);
        }
        // A package of a release newer than the list, known by its file under a GOROOT.
        frame.function = "newpkg.Do";
        frame.file = "/usr/local/go/src/newpkg/do.go";
        QVERIFY(frame.isStandardLibrary());
        frame.file = "/home/me/src/newpkg/do.go";
        QVERIFY(!frame.isStandardLibrary());
    }

    void aggressiveBuckets()
    {
        // Four runnable goroutines in one place with different argument values.
        const auto aggressive = TracebackParser::parse(sample("go1.4_frames_without_offset"));
        QCOMPARE(aggressive.goroutines.size(), std::size_t(4));
        QCOMPARE(aggressive.buckets.size(), std::size_t(1));
        QCOMPARE(aggressive.buckets[0].ids.size(), std::size_t(4));
        TracebackParser::Options distinct;
        distinct.aggressive = false;
        QCOMPARE(
            TracebackParser::parse(sample("go1.4_frames_without_offset"), {}, distinct).buckets.size(), std::size_t(4));
    }

    void boundedWork()
    {
        // 3 goroutines with the same 2,000-frame stack (f0 innermost ... f1999 outermost), then
        // one with 5 frames: the cap keeps 50 + 50 frames of the deep ones and counts the rest.
        std::string text = "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n";
        for (int g = 1; g <= 3; ++g) {
            text += "\ngoroutine " + std::to_string(g) + " [running]:\n";
            for (int i = 0; i < 2000; ++i)
                text += "main.f" + std::to_string(i) + "(0x" + std::to_string(g)
                    + ")\n\t/src/a.go:" + std::to_string(i + 1) + " +0x1d\n";
        }
        text += "\ngoroutine 9 [select]:\n";
        for (int i = 0; i < 5; ++i)
            text += "main.g" + std::to_string(i) + "()\n\t/src/b.go:" + std::to_string(i + 1) + " +0x1d\n";
        const auto traceback = TracebackParser::parse(text, "main");
        QCOMPARE(traceback.goroutines.size(), std::size_t(4));
        const GoGoroutine& deep = traceback.goroutines[0];
        QCOMPARE(deep.frames.size(), std::size_t(100));
        QCOMPARE(deep.framesOmitted, std::size_t(1900));
        QCOMPARE(deep.frames[0].function, std::string("main.f0"));
        QCOMPARE(deep.frames[49].function, std::string("main.f49"));
        QCOMPARE(deep.frames[50].function, std::string("main.f1950")); // the outermost 50, in order
        QCOMPARE(deep.frames[50].line, 1951);
        QCOMPARE(deep.frames[99].function, std::string("main.f1999"));
        QCOMPARE(deep.frames[99].line, 2000);
        QVERIFY(!traceback.truncated);
        QCOMPARE(frameName(traceback.ownFrameFrame()), QString("main.f0"));
        QCOMPARE(traceback.goroutines[3].frames.size(), std::size_t(5));
        QCOMPARE(traceback.goroutines[3].framesOmitted, std::size_t(0));
        QCOMPARE(traceback.buckets.size(), std::size_t(2));
        QCOMPARE(traceback.buckets[0].ids.size(), std::size_t(3));
        QCOMPARE(traceback.buckets[0].framesOmitted, std::size_t(1900));

        // Without the cap every frame is kept; arguments keep them apart when not aggressive.
        TracebackParser::Options all;
        all.maxFrames = 0;
        all.aggressive = false;
        const auto uncapped = TracebackParser::parse(text, "main", all);
        QCOMPARE(uncapped.goroutines[0].frames.size(), std::size_t(2000));
        QCOMPARE(uncapped.goroutines[0].frames[1950].function, std::string("main.f1950"));
        QCOMPARE(uncapped.buckets.size(), std::size_t(4));

        // The JSON of `exitlens traceback --json`: identical goroutines collapsed into their bucket.
        const QJsonObject json = GoJson::traceback(traceback, 10000, true);
        QCOMPARE(json["goroutine_count"].toInt(), 4);
        const QJsonArray goroutines = json["goroutines"].toArray();
        QCOMPARE(goroutines.size(), 2);
        QCOMPARE(goroutines[0].toObject()["id"].toInt(), 1);
        QCOMPARE(goroutines[0].toObject()["identical"].toInt(), 2);
        QCOMPARE(goroutines[0].toObject()["frames"].toArray().size(), 100);
        QCOMPARE(goroutines[0].toObject()["frames_omitted"].toInt(), 1900);
        QCOMPARE(goroutines[1].toObject()["id"].toInt(), 9);
        QCOMPARE(json["goroutines_collapsed"].toInt(), 2);
        QCOMPARE(json["goroutines_omitted"].toInt(), 0);
        QCOMPARE(json["buckets"].toArray()[0].toObject()["frames_omitted"].toInt(), 1900);
        QCOMPARE(json["buckets"].toArray()[0].toObject()["count"].toInt(), 3);
        // Listing at most one stack: the smaller bucket is counted, not listed.
        const QJsonObject one = GoJson::traceback(traceback, 1, true);
        QCOMPARE(one["goroutines"].toArray().size(), 1);
        QCOMPARE(one["buckets"].toArray().size(), 1);
        QCOMPARE(one["buckets_omitted"].toInt(), 1);

        // Lines not understood: kept up to the cap, the rest counted.
        TracebackParser::Options few;
        few.maxOtherLines = 2;
        const auto noisy = TracebackParser::parse("a\nb\nc\nd\n" + text, "main", few);
        QCOMPARE(noisy.otherLines.size(), std::size_t(2));
        QCOMPARE(noisy.otherLinesOmitted, std::size_t(2));
    }

    void olderFormats()
    {
        const auto oom = TracebackParser::parse(sample("go1.9_out_of_memory"));
        QCOMPARE(oom.reason, std::string("out of memory"));
        QCOMPARE(oom.runtimeLines.front(),
            std::string("runtime: out of memory: cannot allocate 31195136-byte block (34312716288 in use)"));
        QCOMPARE(oom.goroutines[0].frames.back().function, std::string("runtime.mstart"));
        QVERIFY(!oom.goroutines[0].frames.back().pcOffset);
        const GoGoroutine& dying = oom.goroutines[*oom.panicking];
        QCOMPARE(dying.id, 33LL);
        QCOMPARE(dying.frames[0].line, 298); // "asm_amd64.s:298 fp=..." without an offset

        const auto wrapped = TracebackParser::parse(sample("interleaved_wrapper_output"), "github.com/maxcnunes/gaper");
        QCOMPARE(wrapped.goroutines[*wrapped.panicking].id, 154LL);
        QCOMPARE(frameName(wrapped.ownFrameFrame()), QString("github.com/maxcnunes/gaper.(*runner).runBin.func1"));
        QCOMPARE(wrapped.goroutines[0].createdBy->line, 158);
        QVERIFY(hasOtherLine(wrapped, "[gaper] Starting program"));
        QVERIFY(hasOtherLine(wrapped, "make: *** [Makefile:18: start] Error 2"));

        const auto quit = TracebackParser::parse(sample("sigquit_wait_locked"));
        QCOMPARE(quit.reason, std::string("SIGQUIT: quit"));
        QCOMPARE(goroutine(quit, 1)->waitMinutes, 10175);
        QCOMPARE(goroutine(quit, 1)->state, std::string("chan receive"));
        QVERIFY(goroutine(quit, 17)->lockedToThread);
        QCOMPARE(goroutine(quit, 17)->waitMinutes, 10175);
        QVERIFY(!goroutine(quit, 19)->lockedToThread);
        QCOMPARE(goroutine(quit, 19)->createdBy->function, std::string("os/signal.init·1"));
        QCOMPARE(goroutine(quit, 0)->frames[3].function, std::string("stopm"));
        QVERIFY(goroutine(quit, 0)->frames[3].isRuntime());
    }
};

QTEST_GUILESS_MAIN(TestTraceback)
#include "tst_traceback.moc"
