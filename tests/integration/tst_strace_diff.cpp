// Differential test against strace, the lossless reference: the same fixture (>= 10,000 file
// operations across 8 goroutines and 3 child processes) traced by ExitLens and by `strace -f`
// must give the same multiset of (operation, path, outcome) file events. Zero events lost.
#include "Names.h"
#include "TestPaths.h"
#include "TraceRun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <tuple>

using namespace exitlens;
using exitlens::test::TraceRun;

namespace {
using Key = std::tuple<std::string, std::string, std::string>; // op, path, "ok" or errno name
using Multiset = std::map<Key, int>;

// The path-taking calls of the file class, as both tools name them. fchdir (an fd, not a path)
// and close/dup2/dup3 (filtered to fds 0-2 in the kernel) are compared elsewhere.
const QStringList kCompared = { "open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx", "access",
    "faccessat", "faccessat2", "readlink", "readlinkat", "unlink", "unlinkat", "rename", "renameat", "renameat2",
    "mkdir", "mkdirat", "rmdir", "chdir" };

// strace -f writes "PID op(args) = result", or splits a call that was interrupted by another
// thread's event into "op(args <unfinished ...>" and "<... op resumed>...) = result".
Multiset parseStrace(const QString& path, QString& error)
{
    Multiset result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = "cannot read " + path;
        return result;
    }
    // (moc's tokenizer does not understand raw string literals, hence the escapes)
    static const QRegularExpression call("^(\\d+)\\s+(\\w+)\\((.*)$");
    static const QRegularExpression resumed("^(\\d+)\\s+<\\.\\.\\. (\\w+) resumed>(.*)$");
    static const QRegularExpression outcome("\\)\\s+=\\s+(-?\\d+|\\?)(?:\\s+(E[A-Z0-9]+))?");
    static const QRegularExpression firstString("\"((?:[^\"\\\\]|\\\\.)*)\"");
    std::map<QString, std::pair<std::string, std::string>> pending; // pid -> (op, path)
    auto finish = [&](const std::string& op, const std::string& pathArg, const QString& tail) {
        const auto match = outcome.match(tail);
        if (!match.hasMatch())
            return;
        const QString errnoName = match.captured(2);
        result[{ op, pathArg, errnoName.isEmpty() ? std::string("ok") : errnoName.toStdString() }]++;
    };
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (auto m = resumed.match(line); m.hasMatch()) {
            auto it = pending.find(m.captured(1));
            if (it != pending.end()) {
                finish(it->second.first, it->second.second, m.captured(3));
                pending.erase(it);
            }
            continue;
        }
        const auto m = call.match(line);
        if (!m.hasMatch() || !kCompared.contains(m.captured(2)))
            continue;
        const std::string op = m.captured(2).toStdString();
        const QString args = m.captured(3);
        const auto s = firstString.match(args);
        const std::string pathArg = s.hasMatch() ? s.captured(1).toStdString() : std::string();
        // fstat(fd) spelled newfstatat(fd, "", AT_EMPTY_PATH) looks up no path: ExitLens's filter
        // lets it pass unseen. A call with that flag and a real path would still be compared.
        if ((op == "newfstatat" || op == "statx") && pathArg.empty() && args.contains("AT_EMPTY_PATH"))
            continue;
        if (args.endsWith("<unfinished ...>"))
            pending[m.captured(1)] = { op, pathArg };
        else
            finish(op, pathArg, args);
    }
    return result;
}

Multiset fromExitLens(const TraceRun& run)
{
    Multiset result;
    for (auto seq :
        run.find([](const Event& e) { return e.kind == EventKind::Syscall && e.cls == EventClass::File; })) {
        const Event& event = run.at(seq);
        const QString op = QString::fromStdString(run.text(event.op));
        if (!kCompared.contains(op))
            continue;
        result[{
            op.toStdString(), run.text(event.path), event.failed() ? errnoName(event.errnum) : std::string("ok") }]++;
    }
    return result;
}

int total(const Multiset& set)
{
    int sum = 0;
    for (const auto& [key, count] : set)
        sum += count;
    return sum;
}
} // namespace

class StraceDiffTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fileEventsMatchStrace();
};

void StraceDiffTest::fileEventsMatchStrace()
{
    if (QString(EXITLENS_STRACE).isEmpty())
        QSKIP("strace is not installed (the README's setup installs it)");
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    // Both runs use the same absolute directory so the paths compare byte for byte.
    const QString work = scratch.path() + "/storm";
    const std::string program = TraceRun::fixturePath("file_storm");

    QVERIFY(QDir().mkpath(work));
    LaunchSpec spec = TraceRun::fixture("file_storm", { work.toStdString() });
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.code, 0);
    QCOMPARE(run.summary.dropped, std::uint64_t(0));
    const Multiset ours = fromExitLens(run);

    QVERIFY(QDir(work).removeRecursively());
    QVERIFY(QDir().mkpath(work));
    const QString straceLog = scratch.path() + "/strace.log";
    QProcess strace;
    strace.setStandardOutputFile(QProcess::nullDevice());
    strace.setStandardErrorFile(QProcess::nullDevice());
    strace.start(EXITLENS_STRACE,
        { "-f", "-qq", "-s", "4096", "-e", "trace=" + kCompared.join(','), "-o", straceLog,
            QString::fromStdString(program), work });
    QVERIFY(strace.waitForFinished(300000));
    QCOMPARE(strace.exitCode(), 0);
    QString error;
    const Multiset theirs = parseStrace(straceLog, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    qInfo("ExitLens recorded %d compared file events, strace %d", total(ours), total(theirs));
    QVERIFY2(total(theirs) >= 10000, "the fixture must make at least 10,000 file operations");
    QString differences;
    int shown = 0;
    std::map<Key, int> all = ours;
    for (const auto& [key, count] : theirs)
        all.emplace(key, 0);
    for (const auto& [key, unused] : all) {
        const int a = ours.count(key) ? ours.at(key) : 0;
        const int b = theirs.count(key) ? theirs.at(key) : 0;
        if (a != b && shown++ < 20)
            differences += QString("%1 %2 %3: exitlens %4, strace %5\n")
                               .arg(QString::fromStdString(std::get<0>(key)), QString::fromStdString(std::get<1>(key)),
                                   QString::fromStdString(std::get<2>(key)))
                               .arg(a)
                               .arg(b);
    }
    QVERIFY2(differences.isEmpty(), qPrintable("event multisets differ:\n" + differences));
    QCOMPARE(total(ours), total(theirs));
}

QTEST_GUILESS_MAIN(StraceDiffTest)
#include "tst_strace_diff.moc"
