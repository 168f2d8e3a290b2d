// Binary facts, Go build info and the pclntab symbolizer, checked against the Go toolchain's own
// answers (`go version -m`, real tracebacks) on real binaries: the test fixtures built with
// different settings, a module-mode program built here from a git repository, Go programs from
// Debian's archive, plus a fuzz run over thousands of corrupted copies.
#include "GoTestUtil.h"
#include "go/BinaryInspection.h"
#include "go/ElfReader.h"
#include "go/GoBuildInfo.h"
#include "go/GoPclnTable.h"
#include "go/Symbolizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cstring>
#include <random>

using namespace exitlens;
using exitlens::testing::fixturePath;
using exitlens::testing::runProgram;

namespace {

std::vector<std::uint8_t> readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    return std::vector<std::uint8_t>(data.begin(), data.end());
}

std::unique_ptr<BinaryReader> openBinary(const QString& path)
{
    std::string error;
    auto reader = BinaryReader::open(path.toStdString(), error);
    if (!reader)
        qWarning("%s", error.c_str());
    return reader;
}

// `go version -m FILE` as (version, the indented lines without their leading tab).
std::pair<QString, QString> goVersionM(const QString& path)
{
    const auto output = runProgram(EXITLENS_GO, { "version", "-m", path }, { "GOTOOLCHAIN=local" });
    const QString text = QString::fromUtf8(output.out);
    const qsizetype newline = text.indexOf('\n');
    const QString first = text.left(newline);
    QString version = first.mid(first.lastIndexOf(": ") + 2);
    // Go 1.19 prints an empty line after each "=>" replacement (a formatting slip fixed in later
    // releases): blank lines carry nothing and are dropped.
    QString rest;
    for (const QString& line : text.mid(newline + 1).split('\n', Qt::SkipEmptyParts))
        if (line.size() > 1)
            rest += line.mid(1) + "\n";
    return { version, rest };
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

void putWord(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i)
        bytes[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

} // namespace

class TestGoBinary : public QObject {
    Q_OBJECT

private slots:
    void elfFactsOfGoFixtures()
    {
        const auto plain = BinaryInspection::inspect(fixturePath("gocrash").toStdString());
        QVERIFY2(plain.readable, plain.error.c_str());
        QCOMPARE(plain.facts.format, std::string("ELF"));
        QCOMPARE(plain.facts.architecture, std::string("x86-64"));
        QCOMPARE(plain.facts.bits, 64);
        QVERIFY(plain.facts.littleEndian);
        QCOMPARE(plain.facts.fileType, std::string("executable"));
        QVERIFY(plain.facts.isStatic);
        QVERIFY(plain.facts.interpreter.empty());
        QVERIFY(plain.facts.needed.empty());
        QVERIFY(!plain.facts.stripped);
        QVERIFY(plain.facts.debugInfo);
        QVERIFY(plain.isGo);
        QVERIFY(!plain.cgo);
        QCOMPARE(plain.pclntabFormat, std::string("go1.18"));
        QVERIFY(plain.goFunctions > 1000);
        // The Go build ID is the one `file` and `go tool buildid` print.
        const auto buildId = runProgram(EXITLENS_GO, { "tool", "buildid", fixturePath("gocrash") });
        QCOMPARE(QString::fromStdString(plain.facts.goBuildId), QString::fromUtf8(buildId.out).trimmed());

        const auto stripped = BinaryInspection::inspect(fixturePath("gocrash_stripped").toStdString());
        QVERIFY(stripped.facts.stripped);
        QVERIFY(!stripped.facts.debugInfo);
        QVERIFY(stripped.isGo);
        QVERIFY(stripped.buildInfo);

        const auto cgo = BinaryInspection::inspect(fixturePath("cgo_hello").toStdString());
        QVERIFY(!cgo.facts.isStatic);
        QCOMPARE(cgo.facts.interpreter, std::string("/lib64/ld-linux-x86-64.so.2"));
        QVERIFY(std::find(cgo.facts.needed.begin(), cgo.facts.needed.end(), "libc.so.6") != cgo.facts.needed.end());
        QVERIFY(cgo.cgo);

        // Stripped, the symbol table is gone; the Go wrappers of C calls in the pclntab still tell.
        QTemporaryDir dir;
        const QString strippedCgo = dir.filePath("cgo_stripped");
        QCOMPARE(runProgram("strip", { "-o", strippedCgo, fixturePath("cgo_hello") }).exitCode, 0);
        const auto strippedCgoFacts = BinaryInspection::inspect(strippedCgo.toStdString());
        QVERIFY(strippedCgoFacts.facts.stripped);
        QVERIFY(strippedCgoFacts.cgo);

        const auto race = BinaryInspection::inspect(fixturePath("gocrash_race").toStdString());
        QVERIFY(race.cgo); // the race detector needs cgo
        QCOMPARE(race.buildInfo->setting("-race"), std::string("true"));

        const auto pie = BinaryInspection::inspect(fixturePath("gocrash_pie").toStdString());
        QVERIFY(pie.facts.pie);
        QCOMPARE(pie.facts.fileType, std::string("position-independent executable"));
        QVERIFY(pie.isGo);
    }

    void notGoAndNotElf()
    {
        const auto shell = BinaryInspection::inspect("/bin/sh");
        QVERIFY(shell.readable);
        QVERIFY(!shell.isGo);
        QVERIFY(QString::fromStdString(shell.notGoReason).startsWith("not a Go program"));
        QVERIFY(!shell.facts.interpreter.empty());

        QTemporaryDir dir;
        const QString text = dir.filePath("notes.txt");
        writeText(text, "hello\n");
        const auto notElf = BinaryInspection::inspect(text.toStdString());
        QVERIFY(!notElf.readable);
        QVERIFY2(QString::fromStdString(notElf.error).contains("not an ELF executable"), notElf.error.c_str());

        const QString script = dir.filePath("run.sh");
        writeText(script, "#!/bin/sh\necho hi\n");
        QVERIFY(QString::fromStdString(BinaryInspection::inspect(script.toStdString()).error).contains("a script"));

        const auto missing = BinaryInspection::inspect(dir.filePath("absent").toStdString());
        QVERIFY(!missing.readable);
        QVERIFY(QString::fromStdString(missing.error).contains("No such file"));
        const auto directory = BinaryInspection::inspect(dir.path().toStdString());
        QVERIFY(!directory.readable);

        std::string error;
        QVERIFY(!BinaryReader::fromBytes({}, error));
        QCOMPARE(error, std::string("not an ELF executable"));
    }

    void rpathAndRunpath()
    {
        // gcc is a build dependency: a C program with each kind of search path.
        QTemporaryDir dir;
        writeText(dir.filePath("hello.c"), "int main(void) { return 0; }\n");
        for (const bool newTags : { false, true }) {
            const QString output = dir.filePath(newTags ? "runpath" : "rpath");
            const auto built = runProgram("gcc",
                { "-o", output, dir.filePath("hello.c"), "-Wl,-rpath,/opt/one:/opt/two",
                    newTags ? "-Wl,--enable-new-dtags" : "-Wl,--disable-new-dtags" });
            QVERIFY2(built.exitCode == 0, built.err.constData());
            const auto facts = BinaryInspection::inspect(output.toStdString()).facts;
            const std::vector<std::string> expected { "/opt/one", "/opt/two" };
            QCOMPARE(newTags ? facts.runpath : facts.rpath, expected);
            QVERIFY((newTags ? facts.rpath : facts.runpath).empty());
            QVERIFY(!BinaryInspection::inspect(output.toStdString()).isGo);
        }
    }

    void buildInfoMatchesGoVersionM_data()
    {
        QTest::addColumn<QString>("path");
        for (const char* name : { "gocrash", "gocrash_stripped", "gocrash_ldflags", "gocrash_trimpath", "gocrash_pie",
                 "gocrash_race", "cgo_hello" })
            QTest::newRow(name) << fixturePath(name);
        // Go programs from Debian's archive (scripts/setup.sh installs them).
        for (const char* path : { "/usr/bin/shfmt", "/usr/bin/fzf" }) {
            if (QFile::exists(path))
                QTest::newRow(path) << QString(path);
            else
                qWarning("%s is not installed (scripts/setup.sh installs it): not compared", path);
        }
    }

    void buildInfoMatchesGoVersionM()
    {
        QFETCH(QString, path);
        const auto binary = openBinary(path);
        QVERIFY(binary);
        std::string error;
        const auto info = GoBuildInfo::read(*binary, error);
        QVERIFY2(info, error.c_str());
        const auto [version, lines] = goVersionM(path);
        QCOMPARE(QString::fromStdString(info->goVersion), version);
        QCOMPARE(QString::fromStdString(info->modInfoText()), lines);
        QVERIFY(!info->legacyLayout);
        QCOMPARE(info->setting("GOOS"), std::string("linux"));
        QCOMPARE(info->setting("GOARCH"), std::string("amd64"));
    }

    void buildSettingsOfVariants()
    {
        std::string error;
        auto settingOf = [&](const char* fixture, const char* key) {
            const auto binary = openBinary(fixturePath(fixture));
            const auto info = GoBuildInfo::read(*binary, error);
            return info ? info->setting(key) : std::string("<none>");
        };
        QCOMPARE(settingOf("gocrash", "CGO_ENABLED"), std::string("0"));
        QCOMPARE(settingOf("cgo_hello", "CGO_ENABLED"), std::string("1"));
        QCOMPARE(
            settingOf("gocrash_ldflags", "-ldflags"), std::string("-X main.version=1.2.3 -X 'main.note=two words'"));
        QCOMPARE(settingOf("gocrash_stripped", "-ldflags"), std::string("-s -w"));
        QCOMPARE(settingOf("gocrash_trimpath", "-trimpath"), std::string("true"));
        QCOMPARE(settingOf("gocrash", "-trimpath"), std::string());
        const auto binary = openBinary(fixturePath("gocrash"));
        const auto info = GoBuildInfo::read(*binary, error);
        QCOMPARE(info->path, std::string("command-line-arguments"));
        QVERIFY(!info->main);
        QCOMPARE(info->ownModule(), std::string("main"));
    }

    void moduleModeWithDependencyAndVcs()
    {
        // A module-mode program with a (locally replaced) dependency, built from a git checkout
        // with an uncommitted change: mod, dep, =>, vcs.revision and vcs.modified=true.
        QTemporaryDir dir;
        const QString root = dir.path();
        QDir(root).mkpath("dep");
        writeText(root + "/go.mod",
            "module example.com/app\n\ngo 1.19\n\nrequire example.com/dep v1.4.0\n\nreplace example.com/dep => "
            "./dep\n");
        writeText(root + "/main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { fmt.Println(dep.Name()) "
            "}\n");
        writeText(root + "/dep/go.mod", "module example.com/dep\n\ngo 1.19\n");
        writeText(root + "/dep/dep.go", "package dep\n\nfunc Name() string { return \"dep\" }\n");
        const QStringList gitEnv { "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
            "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null" };
        QCOMPARE(runProgram("git", { "init", "-q" }, gitEnv, root).exitCode, 0);
        QCOMPARE(runProgram("git", { "add", "." }, gitEnv, root).exitCode, 0);
        QCOMPARE(runProgram("git", { "commit", "-q", "-m", "first" }, gitEnv, root).exitCode, 0);
        writeText(root + "/extra.txt", "uncommitted\n");
        const QString revision =
            QString::fromUtf8(runProgram("git", { "rev-parse", "HEAD" }, gitEnv, root).out).trimmed();
        const auto built = runProgram(EXITLENS_GO, { "build", "-o", root + "/app", "-ldflags=-X main.v=1", "." },
            gitEnv
                + QStringList { "GO111MODULE=on", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local",
                    QString("GOCACHE=") + EXITLENS_GOCACHE, "CGO_ENABLED=0", "GOPATH=" + root + "/gopath" },
            root);
        QVERIFY2(built.exitCode == 0, built.err.constData());

        const auto binary = openBinary(root + "/app");
        std::string error;
        const auto info = GoBuildInfo::read(*binary, error);
        QVERIFY2(info, error.c_str());
        QCOMPARE(QString::fromStdString(info->modInfoText()), goVersionM(root + "/app").second);
        QVERIFY(info->main);
        QCOMPARE(info->main->path, std::string("example.com/app"));
        QCOMPARE(info->ownModule(), std::string("example.com/app"));
        QCOMPARE(info->deps.size(), std::size_t(1));
        QCOMPARE(info->deps[0].path, std::string("example.com/dep"));
        QCOMPARE(info->deps[0].version, std::string("v1.4.0"));
        QVERIFY(info->deps[0].replaced);
        QCOMPARE(info->deps[0].replacePath, std::string("./dep"));
        QCOMPARE(QString::fromStdString(info->setting("vcs.revision")), revision);
        QCOMPARE(info->setting("vcs"), std::string("git"));
        QCOMPARE(info->setting("vcs.modified"), std::string("true"));
        QCOMPARE(info->setting("-ldflags"), std::string("-X main.v=1"));
    }

    void legacyPointerLayout()
    {
        // Debian 12 has only Go 1.19, and no pre-1.18 Go binary is at hand: this test rewrites
        // a real fixture's .go.buildinfo into the pre-1.18 layout (two pointers to Go string
        // headers, strings elsewhere in the data segment) with what Go 1.17 stored there.
        auto bytes = readFile(fixturePath("gocrash"));
        std::string error;
        auto original = BinaryReader::fromBytes(bytes, error);
        QVERIFY(original);
        const BinarySection* section = original->section(".go.buildinfo");
        QVERIFY(section);
        const std::string version = "go1.17.13";
        // The 16-byte markers the Go linker wraps the modinfo string in (cmd/go/internal/modload).
        const QByteArray sentinelStart = QByteArray::fromHex("3077af0c9274080241e1c107e6d618e6");
        const QByteArray sentinelEnd = QByteArray::fromHex("f932433186182072008242104116d8f2");
        const std::string mod = sentinelStart.toStdString()
            + "path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\n" + sentinelEnd.toStdString();
        QVERIFY(section->size >= 64 + version.size() + mod.size());
        const std::size_t at = section->offset;
        const std::uint64_t address = section->address;
        bytes[at + 15] = 0; // little-endian, strings not inline
        putWord(bytes, at + 16, address + 32); // -> version string header
        putWord(bytes, at + 24, address + 48); // -> modinfo string header
        putWord(bytes, at + 32, address + 64);
        putWord(bytes, at + 40, version.size());
        putWord(bytes, at + 48, address + 64 + version.size());
        putWord(bytes, at + 56, mod.size());
        std::memcpy(bytes.data() + at + 64, version.data(), version.size());
        std::memcpy(bytes.data() + at + 64 + version.size(), mod.data(), mod.size());
        auto rewritten = BinaryReader::fromBytes(bytes, error);
        const auto info = GoBuildInfo::read(*rewritten, error);
        QVERIFY2(info, error.c_str());
        QVERIFY(info->legacyLayout);
        QCOMPARE(info->goVersion, version);
        QCOMPARE(info->path, std::string("example.com/hello"));
        QVERIFY(info->main);
        QCOMPARE(info->main->path, std::string("example.com/hello"));
        QVERIFY(info->settings.empty());

        // A pointer outside the image is an error, not a crash.
        putWord(bytes, at + 16, 0xdead0000beefULL);
        auto broken = BinaryReader::fromBytes(bytes, error);
        QVERIFY(!GoBuildInfo::read(*broken, error));
        QVERIFY(QString::fromStdString(error).contains("outside the image"));
    }

    void quoting()
    {
        for (const std::string& text :
            { std::string("plain"), std::string("two words"), std::string("tab\there"), std::string("q\"uote\\"),
                std::string("bell\a\x01"), std::string("h\xc3\xa9llo"), std::string("bad\xff") }) {
            std::string back;
            QVERIFY(GoBuildInfo::unquote(GoBuildInfo::quote(text), back));
            QCOMPARE(back, text);
        }
        std::string out;
        QVERIFY(GoBuildInfo::unquote("\"\\u00e9\\x41\\101\"", out));
        QCOMPARE(out,
            std::string("\xc3\xa9"
                        "AA"));
        QVERIFY(GoBuildInfo::unquote("`raw \\n`", out));
        QCOMPARE(out, std::string("raw \\n"));
        QVERIFY(!GoBuildInfo::unquote("\"unterminated", out));
        QVERIFY(!GoBuildInfo::unquote("\"bad \\q\"", out));
        GoBuildInfo info;
        std::string error;
        QVERIFY(GoBuildInfo::parseModInfo("build\t\"odd key\"=\"a b\"\nbuild\tk=v", info, error));
        QCOMPARE(info.settings.size(), std::size_t(2));
        QCOMPARE(info.settings[0].first, std::string("odd key"));
        QCOMPARE(info.settings[0].second, std::string("a b"));
        QVERIFY(!GoBuildInfo::parseModInfo("build\t=x", info, error));
        QVERIFY(!GoBuildInfo::parseModInfo("=>\ta\tb", info, error));
    }

    void pclntabMatchesSymbolsAndTracebacks_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("plain") << "gocrash";
        QTest::newRow("stripped") << "gocrash_stripped";
        QTest::newRow("pie") << "gocrash_pie";
        QTest::newRow("trimpath") << "gocrash_trimpath";
    }

    void pclntabMatchesSymbolsAndTracebacks()
    {
        QFETCH(QString, fixture);
        std::string error;
        auto symbolizer = Symbolizer::open(fixturePath(fixture).toStdString(), error);
        QVERIFY2(symbolizer, error.c_str());
        const GoPclnTable* table = symbolizer->pclnTable();
        QVERIFY(table);
        const std::uint64_t mainEntry = table->entryOf("main.main");
        QVERIFY(mainEntry != 0);
        // The ELF symbol table, where there is one, agrees on where main.main starts.
        for (const auto& symbol : symbolizer->binary().symbols())
            if (symbol.name == "main.main")
                QCOMPARE(symbol.address, mainEntry);
        const SymbolizedFrame& entry = symbolizer->symbolize(mainEntry);
        QCOMPARE(entry.function, std::string("main.main"));
        QVERIFY(QString::fromStdString(entry.file).endsWith("gocrash.go"));
        QCOMPARE(entry.offset, std::uint64_t(0));
        QCOMPARE(entry.source, SymbolizedFrame::Source::GoPclntab);

        // Every frame of a real traceback of this binary: "function(...)\n\tfile:line +0xOFF" is a
        // return address entry(function) + OFF whose call is on that line; the inlined frames
        // printed above it ("name(...)" without an offset) are the calls inlined at that pc.
        const bool inlineTree = table->hasInlineTree();
        if (fixture != "pie")
            QVERIFY(inlineTree); // found through runtime.moduledata; a PIE's pointers are relocations
        const auto run = runProgram(fixturePath(fixture), { "error" }, { "GOTRACEBACK=system" });
        const QString traceback = QString::fromUtf8(run.err);
        const QStringList lines = traceback.split('\n');
        static const QRegularExpression call("^([\\w./*()\\-]+)\\((.*)\\)$");
        static const QRegularExpression position("^\t(\\S+):(\\d+)(?: \\+0x([0-9a-f]+))?");
        struct Expected {
            QString function;
            QString file;
            int line;
        };
        std::vector<Expected> group; // inlined frames waiting for their physical frame
        int checked = 0;
        int inlinedChecked = 0;
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            const auto callMatch = call.match(lines[i]);
            const auto positionMatch = position.match(lines[i + 1]);
            if (!callMatch.hasMatch() || !positionMatch.hasMatch()) {
                if (lines[i].startsWith("goroutine ") || lines[i].startsWith("created by"))
                    group.clear();
                continue;
            }
            // The runtime prints runtime.gopanic as "panic".
            const QString printed = callMatch.captured(1) == "panic" ? "runtime.gopanic" : callMatch.captured(1);
            group.push_back({ printed, positionMatch.captured(1), positionMatch.captured(2).toInt() });
            if (callMatch.captured(2) == "...")
                continue; // inlined: its pc is the next physical frame's
            // No offset: a goroutine that has not started yet sits at its function's entry.
            const std::uint64_t functionEntry = table->entryOf(printed.toStdString());
            QVERIFY2(functionEntry != 0, qPrintable(printed));
            const std::uint64_t offset = positionMatch.captured(3).toULongLong(nullptr, 16);
            const std::uint64_t pcs[] = { 0, functionEntry + offset };
            auto frames = symbolizer->symbolizeStack(pcs);
            frames.erase(frames.begin()); // pc 0: no function
            if (!inlineTree && group.size() > 1) {
                group.clear(); // without the inline tree only the physical frame's name is known
                continue;
            }
            QVERIFY2(frames.size() == group.size(),
                qPrintable(group.front().function + " ... " + group.back().function + " got "
                    + QString::fromStdString(frames.front().function)));
            for (std::size_t k = 0; k < frames.size(); ++k) {
                QCOMPARE(QString::fromStdString(frames[k].function), group[k].function);
                QCOMPARE(QString::fromStdString(frames[k].file), group[k].file);
                QCOMPARE(frames[k].line, group[k].line);
                QCOMPARE(frames[k].inlined, k + 1 < frames.size());
                inlinedChecked += frames[k].inlined ? 1 : 0;
            }
            QCOMPARE(frames.back().offset, offset);
            group.clear();
            ++checked;
        }
        if (inlineTree)
            QVERIFY2(inlinedChecked >= 3, qPrintable(traceback));
        QVERIFY2(checked >= 8, qPrintable(traceback));
        QVERIFY(!symbolizer->symbolize(1).function.size());
    }

    void pclntabGo120Magic()
    {
        // Go 1.20 changed the magic to 0xfffffff1; the tables read here (function table, names,
        // pcfile, pcln, cutab) kept their layout. Debian has no Go 1.20: the 1.19 table with the
        // new magic must give the same answers.
        auto bytes = readFile(fixturePath("gocrash"));
        std::string error;
        auto reader = BinaryReader::fromBytes(bytes, error);
        const BinarySection* section = reader->section(".gopclntab");
        QVERIFY(section);
        auto table = std::vector<std::uint8_t>(bytes.begin() + std::ptrdiff_t(section->offset),
            bytes.begin() + std::ptrdiff_t(section->offset + section->size));
        QCOMPARE(table[0], std::uint8_t(0xf0));
        table[0] = 0xf1;
        auto go120 = GoPclnTable::fromBytes(table, 0, error);
        QVERIFY2(go120, error.c_str());
        QCOMPARE(go120->formatName(), std::string("go1.20"));
        auto go118 = GoPclnTable::load(*reader, error);
        const std::uint64_t entry = go118->entryOf("main.loadSettings");
        QCOMPARE(go120->entryOf("main.loadSettings"), entry);
        GoPclnTable::Location a;
        GoPclnTable::Location b;
        QVERIFY(go118->lookup(entry + 0x20, a));
        QVERIFY(go120->lookup(entry + 0x20, b));
        QCOMPARE(a.line, b.line);
        QCOMPARE(a.file, b.file);
        table[0] = 0xfb;
        QVERIFY(!GoPclnTable::fromBytes(table, 0, error));
        QVERIFY(QString::fromStdString(error).contains("1.2"));
    }

    void elfSymbolFallbackForC()
    {
        std::string error;
        auto symbolizer = Symbolizer::open(fixturePath("cgo_hello").toStdString(), error);
        QVERIFY(symbolizer);
        std::uint64_t address = 0;
        for (const auto& symbol : symbolizer->binary().symbols())
            if (symbol.name == "exitlens_c_answer")
                address = symbol.address;
        QVERIFY(address != 0);
        const SymbolizedFrame& frame = symbolizer->symbolize(address + 1);
        QCOMPARE(frame.function, std::string("exitlens_c_answer"));
        QCOMPARE(frame.source, SymbolizedFrame::Source::ElfSymbol);
        QCOMPARE(frame.offset, std::uint64_t(1));
        QCOMPARE(symbolizer->symbolize(symbolizer->pclnTable()->entryOf("main.main")).source,
            SymbolizedFrame::Source::GoPclntab);
    }

    void readerKeepsTheFileBytesAndSortsSymbolsOnDemand()
    {
        // libelf reads a native-endian image where it lies (no copy): it must not write into it,
        // or Go's data read afterwards would not be the file's.
        const QString path = fixturePath("cgo_hello");
        const auto original = readFile(path);
        auto binary = openBinary(path);
        QVERIFY(binary);
        std::string error;
        QVERIFY(GoBuildInfo::read(*binary, error));
        const auto& symbols = binary->symbols();
        QVERIFY(symbols.size() > 100);
        QVERIFY(std::is_sorted(symbols.begin(), symbols.end(),
            [](const BinarySymbol& a, const BinarySymbol& b) { return a.address < b.address; }));
        QVERIFY(std::any_of(symbols.begin(), symbols.end(),
            [](const BinarySymbol& symbol) { return symbol.name == "main.main" && symbol.function; }));
        const std::size_t count = symbols.size();
        QCOMPARE(binary->symbols().size(), count); // parsed once: a second parse would append again
        QVERIFY(std::equal(original.begin(), original.end(), binary->bytes().begin(), binary->bytes().end()));
    }

    void goProgramsToldFromTheirHeaders()
    {
        for (const char* name : { "exit_normal", "gocrash_stripped", "gocrash_pie", "cgo_hello" })
            QVERIFY2(BinaryReader::isGoProgram(fixturePath(name).toStdString()), name);
        QTemporaryDir dir;
        const QString script = dir.filePath("script.sh");
        writeText(script, "#!/bin/sh\nexit 0\n");
        QVERIFY(QFileInfo::exists(fixturePath("plain_exit"))); // a C program: an ELF file that is not Go
        for (const QString& other :
            { fixturePath("plain_exit"), QStringLiteral("/bin/true"), script, dir.filePath("missing"), dir.path() })
            QVERIFY2(!BinaryReader::isGoProgram(other.toStdString()), qPrintable(other));
    }

    void fuzzNeverCrashes()
    {
        // Deterministic: a few thousand corrupted copies of a real Go binary (bytes flipped in the
        // ELF headers, the section header table and Go's own tables; truncations; header fields
        // set to huge values), plus random bytes. Every reader must answer or refuse, never crash.
        const auto original = readFile(fixturePath("gocrash_stripped"));
        QVERIFY(original.size() > 4096);
        std::string error;
        auto reader = BinaryReader::fromBytes(original, error);
        std::vector<std::pair<std::size_t, std::size_t>> hotRanges { { 0, 64 } };
        for (const char* name : { ".go.buildinfo", ".gopclntab", ".note.go.buildid", ".shstrtab" })
            if (const auto* section = reader->section(name))
                hotRanges.emplace_back(section->offset, std::min<std::size_t>(section->size, 4096));
        // Anywhere in the pclntab (function records, pc-value tables) and in the data holding
        // runtime.moduledata (the way to the inline trees).
        for (const char* name : { ".gopclntab", ".noptrdata" })
            if (const auto* section = reader->section(name))
                hotRanges.emplace_back(section->offset, section->size);
        hotRanges.emplace_back(original.size() - std::min<std::size_t>(original.size(), 2048), 2048); // section headers
        std::mt19937_64 random(20240601);
        int readable = 0;
        int withBuildInfo = 0;
        constexpr int kCopies = 3000;
        for (int round = 0; round < kCopies + 200; ++round) {
            std::vector<std::uint8_t> bytes;
            if (round >= kCopies) {
                bytes.resize(random() % 8192);
                for (auto& byte : bytes)
                    byte = static_cast<std::uint8_t>(random());
                if (round % 2 && bytes.size() > 4)
                    std::memcpy(bytes.data(),
                        "\x7f"
                        "ELF",
                        4);
            } else if (round % 10 == 0) {
                bytes.assign(original.begin(), original.begin() + std::ptrdiff_t(random() % original.size()));
            } else {
                bytes = original;
                const int flips = 1 + static_cast<int>(random() % 16);
                for (int i = 0; i < flips; ++i) {
                    const auto& range = hotRanges[random() % hotRanges.size()];
                    const std::size_t at = range.first + random() % std::max<std::size_t>(range.second, 1);
                    if (at >= bytes.size())
                        continue;
                    switch (random() % 3) {
                    case 0:
                        bytes[at] = static_cast<std::uint8_t>(random());
                        break;
                    case 1: // a huge count or offset
                        for (std::size_t k = at; k < std::min(at + 4, bytes.size()); ++k)
                            bytes[k] = 0xff;
                        break;
                    default:
                        bytes[at] ^= static_cast<std::uint8_t>(1u << (random() % 8));
                    }
                }
            }
            auto candidate = BinaryReader::fromBytes(std::move(bytes), error);
            if (!candidate)
                continue;
            ++readable;
            const auto inspection = BinaryInspection::inspect(*candidate);
            if (inspection.buildInfo) {
                ++withBuildInfo;
                (void)inspection.buildInfo->modInfoText();
            }
            std::string ignored;
            if (auto table = GoPclnTable::load(*candidate, ignored)) {
                GoPclnTable::Location location;
                for (int k = 0; k < 8; ++k) {
                    table->lookup(table->textStart() + random() % 0x90000, location);
                    table->spDelta(table->textStart() + random() % 0x90000);
                    (void)table->lookupFrames(table->textStart() + random() % 0x90000);
                }
            }
        }
        // Most mutated copies stay readable: the run exercised the Go readers, not just refusals.
        QVERIFY2(readable > kCopies / 2, qPrintable(QString::number(readable)));
        QVERIFY(withBuildInfo > kCopies / 4);
    }
};

QTEST_GUILESS_MAIN(TestGoBinary)
#include "tst_gobinary.moc"
