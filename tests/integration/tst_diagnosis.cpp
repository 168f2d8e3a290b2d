// The diagnosis suite: real programs die in every way the verdict engine knows, and the verdict
// must name the right category with the concrete facts. Negative rows prove a rule stays quiet
// where it should (optional files that are missing, a handled EPIPE, an ignored SIGTERM).
#include "ExitDetail.h"
#include "TestPaths.h"
#include "TraceRun.h"
#include "diagnosis/Verdict.h"
#include "linux/FileTail.h"
#include "report/VerdictText.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <arpa/inet.h>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace exitlens;
using exitlens::test::TraceRun;

namespace {

// A TCP socket on 127.0.0.1: listening (to hold a port) or only bound then closed (a free port).
struct LocalPort {
    int fd = -1;
    int port = 0;
    explicit LocalPort(bool listen)
    {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
        socklen_t size = sizeof(address);
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
        port = ntohs(address.sin_port);
        if (listen)
            ::listen(fd, 1);
        else
            close();
    }
    ~LocalPort() { close(); }
    void close()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

QString factText(const Verdict::Fact& fact)
{
    if (const auto* text = std::get_if<std::string>(&fact.value))
        return QString::fromStdString(*text);
    return QString::number(std::get<std::int64_t>(fact.value));
}

// A child cgroup with a memory limit, on cgroup v2 or on v1's memory controller; empty when the
// machine offers neither to us. Returns the folder whose cgroup.procs takes a pid.
QString makeMemoryCgroup(std::int64_t limit)
{
    const QString name = "/exitlens-test-" + QString::number(getpid());
    auto write = [](const QString& path, const QByteArray& value) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(value) == value.size();
    };
    QFile controllers("/sys/fs/cgroup/cgroup.subtree_control");
    if (controllers.open(QIODevice::ReadOnly) && controllers.readAll().contains("memory")) {
        const QString path = "/sys/fs/cgroup" + name;
        if (!QDir().mkpath(path) || !write(path + "/memory.max", QByteArray::number(static_cast<qint64>(limit)))) {
            QDir().rmdir(path);
            return {};
        }
        write(path + "/memory.swap.max", "0");
        return path;
    }
    if (QFile::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        const QString path = "/sys/fs/cgroup/memory" + name;
        if (!QDir().mkpath(path)
            || !write(path + "/memory.limit_in_bytes", QByteArray::number(static_cast<qint64>(limit)))) {
            QDir().rmdir(path);
            return {};
        }
        write(path + "/memory.memsw.limit_in_bytes", QByteArray::number(static_cast<qint64>(limit)));
        return path;
    }
    return {};
}

// The line of tests/programs/diag.go that contains NEEDLE (a marker comment), or -1.
int diagLine(const QString& needle)
{
    return exitlens::test::programLine(QStringLiteral("diag.go"), needle);
}

} // namespace

class DiagnosisTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void outOfMemoryInACgroup();
    void goSysmonIsNoWorker();
    void markdownHasTheFacts();
    void fileTailLines();
    void lastWordsTravelWithTheResultAndSessions();
};

void DiagnosisTest::verdicts_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QStringList>("facts"); // key=value; {DIR} is the working directory, ~value is a substring

    const QString diag = QString::fromStdString(TraceRun::fixturePath("diag"));
    const QString crash = QString::fromStdString(TraceRun::fixturePath("gocrash"));
    auto fixture = [](const char* name) { return QString::fromStdString(TraceRun::fixturePath(name)); };

    // exec_failure
    QTest::newRow("exec: wrong architecture")
        << fixture("wrong_arch") << QStringList {} << ""
        << "exec_failure" << QStringList { "errno=ENOEXEC", "architecture=AArch64" };
    QTest::newRow("exec: script interpreter missing")
        << "{DIR}/script.sh" << QStringList {} << "script"
        << "exec_failure" << QStringList { "errno=ENOENT", "interpreter=/nonexistent/sh" };
    QTest::newRow("exec: not executable") << "{DIR}/plain.txt" << QStringList {} << "plain"
                                          << "exec_failure" << QStringList { "errno=EACCES", "mode=0644" };
    QTest::newRow("exec: helper missing")
        << fixture("exec_fail") << QStringList {} << ""
        << "exec_failure" << QStringList { "path=/nonexistent/helper-tool", "errno=ENOENT" };
    QTest::newRow("exec: helper not in PATH")
        << diag << QStringList { "lookpath" } << ""
        << "exec_failure" << QStringList { "helper=diag-helper-that-does-not-exist" };
    // missing_shared_library
    QTest::newRow("shared library missing")
        << fixture("needs_lib") << QStringList {} << ""
        << "missing_shared_library" << QStringList { "library=libexitlens_gone.so" };
    // resource_limit
    QTest::newRow("too many open files") << diag << QStringList { "many-files" } << "nofile"
                                         << "resource_limit"
                                         << QStringList { "limit=RLIMIT_NOFILE", "limit_value=64", "errno=EMFILE" };
    // seccomp
    QTest::newRow("seccomp kill") << diag << QStringList { "seccomp-kill" } << ""
                                  << "seccomp" << QStringList { "signal=SIGSYS" };
    QTest::newRow("seccomp trap") << diag << QStringList { "seccomp-trap" } << ""
                                  << "seccomp" << QStringList { "syscall=uname" };
    // signal_killed
    QTest::newRow("SIGTERM from another process")
        << fixture("signal_from_other") << QStringList {} << ""
        << "signal_killed" << QStringList { "signal=SIGTERM", "sender=signal_from_other" };
    QTest::newRow("SIGTERM handled: shut down")
        << diag << QStringList { "handle-sigterm" } << ""
        << "signal_killed" << QStringList { "signal=SIGTERM", "exit_code=0", "sender=diag" };
    QTest::newRow("negative: SIGTERM ignored") << diag << QStringList { "ignore-sigterm" } << ""
                                               << "os_exit" << QStringList { "exit_code=3" };
    QTest::newRow("negative: EPIPE handled") << diag << QStringList { "handled-epipe" } << ""
                                             << "clean_exit" << QStringList {};
    // output_lost
    QTest::newRow("stderr closed") << fixture("close_stderr") << QStringList { "close" } << ""
                                   << "output_lost" << QStringList { "fd2=closed", "~message=cannot reach database" };
    QTest::newRow("stderr redirected") << fixture("close_stderr") << QStringList { "redirect", "{DIR}/app.log" } << ""
                                       << "output_lost" << QStringList { "fd2={DIR}/app.log" };
    // missing_file
    QTest::newRow("missing file: message + exit 1")
        << fixture("missing_file") << QStringList {} << ""
        << "missing_file" << QStringList { "path={DIR}/config.json", "errno=ENOENT", "cwd={DIR}" };
    QTest::newRow("missing file: panic") << diag << QStringList { "panic-missing" } << ""
                                         << "missing_file" << QStringList { "path={DIR}/config.json" };
    QTest::newRow("missing file: log.Fatal")
        << diag << QStringList { "logfatal-missing" } << ""
        << "missing_file" << QStringList { "path=/etc/diag-fixture/settings.json" };
    QTest::newRow("missing file: silent exit") << diag << QStringList { "silent-missing" } << ""
                                               << "missing_file" << QStringList { "path={DIR}/state/last-run.db" };
    QTest::newRow("negative: optional files, bad flag") << diag << QStringList { "optional-then-usage", "-bogus" } << ""
                                                        << "config_error" << QStringList { "source=arguments" };
    // permission_denied
    QTest::newRow("permission denied as nobody")
        << "{DIR}/diag" << QStringList { "read-config" } << "secret"
        << "permission_denied"
        << QStringList { "path={DIR}/config.json", "errno=EACCES", "uid=65534", "~ownership=owner 0:0 mode 0600" };
    // config_error
    QTest::newRow("config rejected") << diag << QStringList { "bad-config" } << "badconfig"
                                     << "config_error" << QStringList { "path={DIR}/config.json", "line=3" };
    // network_error
    QTest::newRow("address in use") << diag << QStringList { "listen", "{PORT}" } << "listening"
                                    << "network_error"
                                    << QStringList { "address=127.0.0.1:{PORT}", "~holder=pid {TESTPID}" };
    QTest::newRow("connection refused") << diag << QStringList { "connect", "{PORT}" } << "closed-port"
                                        << "network_error"
                                        << QStringList { "address=127.0.0.1:{PORT}", "errno=ECONNREFUSED" };
    // child_failure
    QTest::newRow("helper exits 3") << diag << QStringList { "helper-fails" } << ""
                                    << "child_failure" << QStringList { "child_exit_code=3", "child.category=os_exit" };
    QTest::newRow("child crashes") << fixture("child_crash") << QStringList {} << ""
                                   << "child_failure"
                                   << QStringList { "child_signal=SIGABRT", "child.category=go_fatal_error" };
    // the Go runtime's deaths
    QTest::newRow("deadlock") << crash << QStringList { "deadlock" } << ""
                              << "deadlock" << QStringList { "~location=gocrash.go:" };
    QTest::newRow("stack overflow") << crash << QStringList { "overflow" } << ""
                                    << "stack_overflow" << QStringList { "~location=gocrash.go:" };
    QTest::newRow("concurrent map writes") << crash << QStringList { "map" } << ""
                                           << "go_fatal_error" << QStringList { "message=concurrent map writes" };
    QTest::newRow("nil dereference") << crash << QStringList { "nil" } << ""
                                     << "go_fatal_error" << QStringList { "~signal=SIGSEGV", "~location=gocrash.go:" };
    QTest::newRow("panic") << fixture("panic") << QStringList {} << ""
                           << "go_panic"
                           << QStringList { "message=settings: invalid port 70000", "function=main.loadSettings",
                                  "~location=panic.go:" };
    QTest::newRow("out of memory (RLIMIT_AS)") << diag << QStringList { "alloc" } << "as-limit"
                                               << "oom" << QStringList { "limit=RLIMIT_AS", "limit_bytes=1073741824" };
    QTest::newRow("log.Fatal") << diag << QStringList { "log-fatal" } << ""
                               << "log_fatal" << QStringList { "~message=queue consumer stopped" };
    // deliberate exits
    QTest::newRow("os.Exit(3)") << fixture("exit_code") << QStringList {} << ""
                                << "os_exit"
                                << QStringList { "exit_code=3", "message=exit_code: giving up", "function=main.main",
                                       "exit_call=os.Exit", "~location=exit_code.go:13" };
    QTest::newRow("main returned early") << diag << QStringList { "premature" } << ""
                                         << "premature_exit"
                                         << QStringList { "~running_threads=", "main_returned=1",
                                                "exit_call=runtime.main" };
    // Without the file class (no hpage_pmd_size open to see), the executable tells it is Go.
    QTest::newRow("main returned early, process and signal only")
        << diag << QStringList { "premature" } << "process-signal"
        << "premature_exit" << QStringList { "~running_threads=" };
    // silent exits: the Go stack recorded at exit_group, and the files it was writing
    QTest::newRow("silent os.Exit from a nested method")
        << diag << QStringList { "silent-nested-exit" } << ""
        << "os_exit"
        << QStringList { "exit_code=5", "function=main.(*service).shutdown", "exit_call=os.Exit",
               "~headline=os.Exit(5) was called from main.(*service).shutdown at diag.go:{DIAGLINE:// "
               "silent-nested-exit}",
               "line={DIAGLINE:// silent-nested-exit}", "~location=diag.go:{DIAGLINE:// silent-nested-exit}" };
    QTest::newRow("log.Fatal silent, to a log file")
        << diag << QStringList { "logfatal-to-file", "{DIR}/app.log" } << ""
        << "log_fatal"
        << QStringList { "message=cannot reach the payment gateway: certificate expired", "log_file={DIR}/app.log",
               "function=main.main", "exit_call=log.Fatalf", "line={DIAGLINE:// logfatal-to-file}" };
    QTest::newRow("silent exit, reason logged to a file")
        << diag << QStringList { "silent-log-exit", "{DIR}/app.log" } << ""
        << "os_exit"
        << QStringList { "exit_code=1", "last_words_file={DIR}/app.log",
               "last_words=fatal: upstream rejected the API key (HTTP 401)", "function=main.main",
               "~headline=its last words went to {DIR}/app.log: \"fatal: upstream rejected the API key (HTTP 401)\"",
               "exit_call=os.Exit", "line={DIAGLINE:// silent-log-exit}" };
    QTest::newRow("clean exit") << fixture("exit_normal") << QStringList {} << ""
                                << "clean_exit" << QStringList { "exit_code=0" };
}

void DiagnosisTest::verdicts()
{
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    QFETCH(QString, setup);
    QFETCH(QString, category);
    QFETCH(QStringList, facts);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    chmod(dir.path().toLocal8Bit().constData(), 0755);
    std::optional<LocalPort> port;
    QString wrapper;
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    if (setup == "script") {
        std::ofstream(dir.filePath("script.sh").toStdString()) << "#!/nonexistent/sh\necho hi\n";
        chmod(dir.filePath("script.sh").toLocal8Bit().constData(), 0755);
    } else if (setup == "plain") {
        std::ofstream(dir.filePath("plain.txt").toStdString()) << "not a program\n";
        chmod(dir.filePath("plain.txt").toLocal8Bit().constData(), 0644);
    } else if (setup == "badconfig") {
        std::ofstream(dir.filePath("config.json").toStdString()) << "{\n  \"listen\": \"127.0.0.1:9000\",\n}\n";
    } else if (setup == "secret") {
        if (geteuid() != 0)
            QSKIP("needs root to run the program as nobody");
        std::ofstream(dir.filePath("config.json").toStdString()) << "{}\n";
        chmod(dir.filePath("config.json").toLocal8Bit().constData(), 0600);
        // A copy nobody can run, whatever folder the build tree sits in.
        QVERIFY(QFile::copy(QString::fromStdString(TraceRun::fixturePath("diag")), dir.filePath("diag")));
        chmod(dir.filePath("diag").toLocal8Bit().constData(), 0755);
        spec.runAsUser = "nobody";
    } else if (setup == "listening") {
        port.emplace(true);
    } else if (setup == "closed-port") {
        port.emplace(false);
    } else if (setup == "nofile") {
        wrapper = "--nofile=64:64";
    } else if (setup == "as-limit") {
        wrapper = "--as=1073741824";
    } else if (setup == "process-signal") {
        std::string error;
        QVERIFY(CaptureClasses::parse("process,signal", spec.classes, error));
    }
    auto expand = [&](QString text) {
        text.replace("{DIR}", dir.path());
        text.replace("{TESTPID}", QString::number(getpid()));
        static const QRegularExpression marker("\\{DIAGLINE:([^}]*)\\}");
        for (auto match = marker.match(text); match.hasMatch(); match = marker.match(text))
            text.replace(match.capturedStart(), match.capturedLength(), QString::number(diagLine(match.captured(1))));
        if (port)
            text.replace("{PORT}", QString::number(port->port));
        return text;
    };
    if (wrapper.isEmpty()) {
        spec.program = expand(program).toStdString();
        spec.args.clear();
    } else {
        // prlimit sets the limit and execs the program in the same process.
        spec.program = "prlimit";
        spec.args = { wrapper.toStdString(), "--", expand(program).toStdString() };
    }
    for (const auto& arg : args)
        spec.args.push_back(expand(arg).toStdString());
    spec.workingDirectory = dir.path().toStdString();

    const TraceRun run = TraceRun::run(spec);
    const Verdict verdict = describeExit(*run.data, run.summary);
    const QString text = QString::fromStdString(VerdictText::plain(verdict));
    // QTest cuts long messages: name the calls that end a process, the decisive lines.
    const QStringList exits = run.dump().split('\n').filter(QRegularExpression("exit_group|\\+\\+\\+ (exited|killed)"));
    QVERIFY2(QString::fromStdString(verdict.category) == category,
        qPrintable("got:\n" + text + "\nfrom:\n" + exits.join('\n')));
    QVERIFY(!verdict.headline.empty());
    QVERIFY(!verdict.explanation.empty());
    for (const QString& expectedFact : facts) {
        const bool substring = expectedFact.startsWith('~');
        const QString pair = substring ? expectedFact.mid(1) : expectedFact;
        const QString key = pair.section('=', 0, 0);
        const QString expected = expand(pair.section('=', 1));
        const Verdict* owner = &verdict;
        QString factKey = key;
        if (key.startsWith("child.")) {
            QVERIFY2(!verdict.children.empty(), qPrintable("no child verdict:\n" + text));
            owner = &verdict.children.front();
            factKey = key.mid(6);
            if (factKey == "category") {
                QVERIFY2(QString::fromStdString(owner->category) == expected, qPrintable(text));
                continue;
            }
        }
        if (factKey == "headline") { // the sentence itself, where its wording is the point
            const QString headline = QString::fromStdString(owner->headline);
            QVERIFY2(substring ? headline.contains(expected) : headline == expected,
                qPrintable("headline lacks " + expected + ":\n" + text));
            continue;
        }
        const Verdict::Fact* fact = owner->findFact(factKey.toStdString());
        QVERIFY2(fact, qPrintable("missing fact " + factKey + " in:\n" + text));
        const QString actual = factText(*fact);
        if (substring)
            QVERIFY2(actual.contains(expected), qPrintable(factKey + ": " + actual + " lacks " + expected));
        else
            QVERIFY2(actual == expected, qPrintable(factKey + ": " + actual + " != " + expected + "\n" + text));
    }
    // Evidence that names an event must point at a real one.
    for (const auto& item : verdict.evidence) {
        if (item.event)
            QVERIFY(*item.event < run.data->events().size());
    }
}

void DiagnosisTest::outOfMemoryInACgroup()
{
    if (geteuid() != 0)
        QSKIP("needs root to create a cgroup");
    const QString cgroup = makeMemoryCgroup(96 << 20);
    if (cgroup.isEmpty())
        QSKIP("no writable memory cgroup (v2 or v1) on this machine");
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.program = "/bin/sh";
    spec.args = { "-c", "echo $$ > " + cgroup.toStdString() + "/cgroup.procs && exec \"$0\" alloc",
        TraceRun::fixturePath("diag") };
    const TraceRun run = TraceRun::run(spec);
    const Verdict verdict = describeExit(*run.data, run.summary);
    QDir().rmdir(cgroup);
    const QString text = QString::fromStdString(VerdictText::plain(verdict));
    QVERIFY2(verdict.category == "oom", qPrintable(text));
    const Verdict::Fact* limit = verdict.findFact("cgroup_memory_limit");
    QVERIFY2(limit, qPrintable(text));
    QCOMPARE(std::get<std::int64_t>(limit->value), std::int64_t(96 << 20));
    QVERIFY(verdict.findFact("oom_kills"));
}

void DiagnosisTest::goSysmonIsNoWorker()
{
    // Whether the first thread a Go program started (sysmon) was among the running ones at its
    // exit_group(0) depends on the machine's load, so the tracer's detail is written here: the
    // same capture with one running thread is premature, unless that thread is sysmon.
    const auto verdictFor = [](const std::string& detail) {
        LaunchSpec spec = TraceRun::fixture("exit_normal");
        CaptureData data(spec);
        ProcessRecord root;
        root.pid = 4242;
        root.exe = TraceRun::fixturePath("exit_normal"); // a Go executable: the rule's isGo
        root.argv = { root.exe };
        data.processChanged(root);
        Event start;
        start.kind = EventKind::ProcessStart;
        start.cls = EventClass::Process;
        start.pid = start.tid = root.pid;
        start.op = data.intern("process_start");
        Event exitGroup;
        exitGroup.kind = EventKind::Syscall;
        exitGroup.cls = EventClass::Process;
        exitGroup.pid = exitGroup.tid = root.pid;
        exitGroup.op = data.intern("exit_group");
        exitGroup.detail = data.intern(detail);
        Event end;
        end.kind = EventKind::ProcessExit;
        end.cls = EventClass::Process;
        end.pid = end.tid = root.pid;
        end.op = data.intern("process_exit");
        data.append(std::vector<Event> { start, exitGroup, end });
        root.startSeq = 0;
        root.endSeq = 2;
        root.status = ExitStatus::exited(0);
        data.processChanged(root);
        TraceSummary summary;
        summary.rootStatus = root.status;
        return describeExit(data, summary).category;
    };
    const std::string running = "status 0; other threads: 1 running, 0 in a system call, 4 waiting";
    QCOMPARE(verdictFor(running), std::string("premature_exit"));
    QCOMPARE(verdictFor(running + exit_detail::kFirstThreadRunning), std::string("clean_exit"));
}

void DiagnosisTest::markdownHasTheFacts()
{
    QTemporaryDir dir;
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.workingDirectory = dir.path().toStdString();
    const TraceRun run = TraceRun::run(spec);
    const std::string markdown = VerdictText::markdown(describeExit(*run.data, run.summary));
    QVERIFY(
        markdown.rfind("## config.json does not exist in the working directory " + dir.path().toStdString(), 0) == 0);
    QVERIFY(markdown.find("**Category:** `missing_file`") != std::string::npos);
    QVERIFY(markdown.find("openat(\"" + dir.path().toStdString() + "/config.json\"") != std::string::npos);
}

void DiagnosisTest::fileTailLines()
{
    using linux_trace::FileTail;
    // The last five non-blank lines, CR stripped.
    QCOMPARE(FileTail::lastLines("a\nb\r\n\n  \nc\nd\ne\nf\n", false),
        (std::vector<std::string> { "b", "c", "d", "e", "f" }));
    // A read that starts mid-file drops its first, cut, line; a last line without newline counts.
    QCOMPARE(FileTail::lastLines("ut line\nwhole\nlast", true), (std::vector<std::string> { "whole", "last" }));
    QCOMPARE(FileTail::lastLines("only a cut line", true), std::vector<std::string> {});
    // Binary data is not quoted; a long line is cut.
    QVERIFY(FileTail::lastLines(std::string("ab\0cd\n", 6), false).empty());
    const auto cut = FileTail::lastLines(std::string(5000, 'x'), false);
    QCOMPARE(cut.size(), std::size_t(1));
    QVERIFY(cut.front().size() < 5000 && cut.front().starts_with(std::string(FileTail::kMaxLineBytes, 'x')));
    QVERIFY(FileTail::lastLines("", false).empty());
}

// The tails of the files a silent program was writing reach the result document and the session
// file (its processes' exit context), and the reopened session gives the same verdict.
void DiagnosisTest::lastWordsTravelWithTheResultAndSessions()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath("app.log");
    const QString json = dir.filePath("run.json");
    const QString session = dir.filePath("run.exitlens");
    QProcess run;
    run.setWorkingDirectory(dir.path());
    run.start(EXITLENS_BINARY,
        { "run", "--quiet", "--json", json, "--session", session, "--",
            QString::fromStdString(TraceRun::fixturePath("diag")), "silent-log-exit", log });
    QVERIFY(run.waitForFinished(120000));
    QCOMPARE(run.exitCode(), 1);

    auto tailOf = [&](const QJsonObject& document) {
        for (const auto& value :
            document["processes"].toArray()[0].toObject()["exit_context"].toObject()["open_files"].toArray())
            if (value.toObject()["target"].toString() == log)
                return value.toObject();
        return QJsonObject();
    };
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject live = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject entry = tailOf(live);
    QVERIFY2(!entry.isEmpty(), qPrintable(QJsonDocument(live["processes"].toArray()).toJson()));
    QCOMPARE(entry["for_writing"].toBool(), true);
    QCOMPARE(entry["size"].toInteger(), QFileInfo(log).size());
    QVERIFY(entry["size"].toInteger() > static_cast<qint64>(linux_trace::FileTail::kTailBytes));
    const QJsonArray tail = entry["tail"].toArray();
    QCOMPARE(tail.size(), qsizetype(5));
    QCOMPARE(tail.first().toString(), QString("worker 196: batch committed"));
    QCOMPARE(tail.last().toString(), QString("fatal: upstream rejected the API key (HTTP 401)"));
    QCOMPARE(live["verdict"]["facts"]["last_words_file"].toString(), log);
    // Only regular files open for writing carry a tail (a runner's inherited log may be one);
    // ExitLens's own log never reaches the program.
    for (const auto& value :
        live["processes"].toArray()[0].toObject()["exit_context"].toObject()["open_files"].toArray()) {
        const QString target = value.toObject()["target"].toString();
        QVERIFY2(!target.endsWith("exitlens.log"), qPrintable(target));
        if (value.toObject().contains("tail"))
            QVERIFY2(QFileInfo(target).isFile(), qPrintable(target));
        else
            QVERIFY(!value.toObject()["for_writing"].toBool());
    }

    QProcess report;
    report.start(EXITLENS_BINARY, { "report", session, "--json" });
    QVERIFY(report.waitForFinished(60000));
    QCOMPARE(report.exitCode(), 0);
    const QJsonObject reopened = QJsonDocument::fromJson(report.readAllStandardOutput()).object();
    QCOMPARE(tailOf(reopened), entry);
    QCOMPARE(reopened["verdict"]["facts"], live["verdict"]["facts"]);
    QCOMPARE(reopened["verdict"]["headline"], live["verdict"]["headline"]);
}

QTEST_GUILESS_MAIN(DiagnosisTest)
#include "tst_diagnosis.moc"
