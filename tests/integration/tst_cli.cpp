// The `exitlens run` command as users and scripts meet it: exit statuses, the JSON result, clear
// errors, and the robustness cases (SIGKILL of ExitLens, signals to the process group, a closed
// stdout pipe, a gigabyte of output).
#include "TestPaths.h"
#include "session/SessionLoader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

QString fixture(const QString& name)
{
    return QString(EXITLENS_FIXTURE_DIR) + "/" + name;
}

struct Child {
    pid_t pid = -1;
};

struct Finished {
    int status = 0; // raw wait status
    rusage usage {};
    int shellStatus() const { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }
};

// Spawns argv with stdout (and stderr) redirected to files; optionally as a new process group.
Child spawn(const QStringList& arguments, const QString& stdoutPath, const QString& stderrPath, bool newGroup = false)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &actions, 1, stdoutPath.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(
        &actions, 2, stderrPath.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    if (newGroup) {
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
    }
    std::vector<QByteArray> storage;
    for (const auto& argument : arguments)
        storage.push_back(argument.toLocal8Bit());
    std::vector<char*> argv;
    for (auto& argument : storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    Child child;
    if (posix_spawn(&child.pid, argv[0], &actions, &attributes, argv.data(), environ) != 0)
        child.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return child;
}

std::optional<Finished> waitFor(pid_t pid, int timeoutMs)
{
    Finished finished;
    for (int waited = 0; waited <= timeoutMs; waited += 10) {
        const pid_t done = wait4(pid, &finished.status, WNOHANG, &finished.usage);
        if (done == pid)
            return finished;
        QTest::qWait(10);
    }
    return std::nullopt;
}

QString readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Children of pid, from /proc/PID/task/*/children.
std::vector<pid_t> childrenOf(pid_t pid)
{
    std::vector<pid_t> children;
    const std::string taskDir = "/proc/" + std::to_string(pid) + "/task";
    if (DIR* dir = opendir(taskDir.c_str())) {
        while (const dirent* entry = readdir(dir)) {
            if (entry->d_name[0] == '.')
                continue;
            std::ifstream list(taskDir + "/" + entry->d_name + "/children");
            pid_t child = 0;
            while (list >> child)
                children.push_back(child);
        }
        closedir(dir);
    }
    return children;
}

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void jsonResultForExitCode();
    void launchErrors_data();
    void launchErrors();
    void printEventsToFile();
    void captureFilterRecordsOnlyMatches();
    void badCaptureFilterNeverStartsTheProgram();
    void deeplyNestedFiltersAreUsageErrors();
    void badArgumentsGiveClearErrors_data();
    void badArgumentsGiveClearErrors();
    void missingWindowProgramIsExplained();
    void sigkillOfExitLensTakesTheTreeDown();
    void groupSigtermGivesTheSameOutcome_data();
    void groupSigtermGivesTheSameOutcome();
    void closedStdoutPipeGivesSigpipeAsUntraced();
    void gigabyteOfOutputKeepsMemoryBounded();

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }
};

void CliTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Orphans are re-parented to this test, so it can tell how they ended.
    QCOMPARE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
}

void CliTest::jsonResultForExitCode()
{
    const QString json = path("exit_code.json");
    const Child child =
        spawn({ EXITLENS_BINARY, "run", "--json", json, "--", fixture("exit_code") }, path("out"), path("err"));
    const auto finished = waitFor(child.pid, 60000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 3);
    const QJsonObject result = readJson(json);
    QVERIFY2(!result.isEmpty(), qPrintable(readAll(path("err"))));
    QCOMPARE(result["exit"]["code"].toInt(), 3);
    QVERIFY(result["exit"]["signal"].isNull());
    QVERIFY(result["exit"]["launch_error"].isNull());
    QCOMPARE(result["target"]["program"].toString(), fixture("exit_code"));
    const QJsonArray processes = result["processes"].toArray();
    QCOMPARE(processes.size(), 1);
    QCOMPARE(processes[0]["exit_code"].toInt(), 3);
    QCOMPARE(processes[0]["exe"].toString(), fixture("exit_code"));
    QVERIFY(result["stats"]["events"].toInt() > 10);
    QCOMPARE(result["stats"]["dropped"].toInt(), 0);
    QCOMPARE(result["output"]["stderr"]["tail"].toString(), QString("exit_code: giving up\n"));
    QVERIFY(!result["verdict"]["headline"].toString().isEmpty());
    QVERIFY(!result["exitlens_version"].toString().isEmpty());
    QVERIFY(!result["context"]["environment"].toArray().isEmpty());
    // The summary on stderr, after the program's own output.
    const QString err = readAll(path("err"));
    QVERIFY2(err.startsWith("exit_code: giving up\n"), qPrintable(err));
    QVERIFY(err.contains("exited with code 3"));
}

void CliTest::launchErrors_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("launchError");
    const QString text = m_dir.path() + "/plain.txt";
    std::ofstream(text.toStdString()) << "not a program\n";
    QTest::newRow("missing") << QString("/nonexistent/program") << 127 << "ENOENT";
    QTest::newRow("not executable") << text << 126 << "EACCES";
    QTest::newRow("other architecture") << fixture("wrong_arch") << 126 << "ENOEXEC";
}

void CliTest::launchErrors()
{
    QFETCH(QString, program);
    QFETCH(int, status);
    QFETCH(QString, launchError);
    const QString json = path("launch.json");
    QFile::remove(json);
    const Child child = spawn({ EXITLENS_BINARY, "run", "--json", json, "--", program }, path("out"), path("err"));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), status);
    const QJsonObject result = readJson(json);
    QCOMPARE(result["exit"]["launch_error"].toString(), launchError);
    QVERIFY(result["exit"]["code"].isNull());
    QCOMPARE(result["verdict"]["category"].toString(), QString("exec_failure"));
    QVERIFY2(readAll(path("err")).contains("could not be executed"), qPrintable(readAll(path("err"))));
}

void CliTest::printEventsToFile()
{
    QTemporaryDir work;
    const QString events = path("events.txt");
    // Run from an empty folder: missing_file looks for config.json in its working directory.
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(work.path());
    const Child child =
        spawn({ EXITLENS_BINARY, "run", "--quiet", "--print-events", "-o", events, "--", fixture("missing_file") },
            path("out"), path("err"));
    QDir::setCurrent(cwd);
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 1);
    const QString lines = readAll(events);
    const QString expected =
        "openat(\"" + work.path() + "/config.json\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)";
    QVERIFY2(lines.contains(expected), qPrintable(lines.left(3000)));
    QVERIFY(lines.contains("+++ exited with code 1 +++"));
    QVERIFY(!readAll(path("err")).contains("ExitLens ──")); // --quiet
}

// --capture-filter: only matching syscall/signal events are stored, lifecycle events always are,
// the rest is counted; the verdict still names the missing file; the session and `report` keep
// the expression so a reader knows what was never recorded.
void CliTest::captureFilterRecordsOnlyMatches()
{
    QTemporaryDir work;
    const QString json = path("filtered.json");
    const QString session = path("filtered.exitlens");
    const QString expression = "class == file and failed";
    QFile::remove(json);
    QFile::remove(session);
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(work.path());
    const Child child = spawn({ EXITLENS_BINARY, "run", "--quiet", "--capture-filter", expression, "--json", json,
                                  "--session", session, "--", fixture("missing_file") },
        path("out"), path("err"));
    QDir::setCurrent(cwd);
    const auto finished = waitFor(child.pid, 60000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 1);

    const QJsonObject result = readJson(json);
    QVERIFY2(!result.isEmpty(), qPrintable(readAll(path("err"))));
    QCOMPARE(result["capture"]["filter"].toString(), expression);
    QVERIFY2(result["stats"]["filtered_out"].toInteger() > 0, qPrintable(readAll(json)));
    QCOMPARE(result["verdict"]["category"].toString(), QString("missing_file"));

    exitlens::SessionInfo info;
    QString error;
    exitlens::SessionLoader loader(session);
    const auto data = loader.load(info, error);
    QVERIFY2(data, qPrintable(error));
    QCOMPARE(QString::fromStdString(data->spec().captureFilter), expression);
    QVERIFY(data->summary());
    QCOMPARE(qint64(data->summary()->filteredOut), result["stats"]["filtered_out"].toInteger());
    std::size_t syscalls = 0;
    std::size_t lifecycle = 0;
    bool sawConfig = false;
    for (std::uint64_t seq = 0; seq < data->events().size(); ++seq) {
        const exitlens::Event& event = data->events().at(seq);
        if (event.kind == exitlens::EventKind::Syscall || event.kind == exitlens::EventKind::Output
            || event.kind == exitlens::EventKind::Signal) {
            ++syscalls;
            QVERIFY2(event.cls == exitlens::EventClass::File && event.failed(),
                qPrintable(
                    QString("seq %1 is %2").arg(seq).arg(QString::fromStdString(std::string(data->text(event.op))))));
            sawConfig |= data->text(event.path).ends_with("/config.json");
        } else if (event.kind == exitlens::EventKind::ProcessStart || event.kind == exitlens::EventKind::ProcessExit) {
            ++lifecycle;
        }
    }
    QVERIFY(syscalls > 0);
    QVERIFY(sawConfig);
    QVERIFY(lifecycle >= 2); // the process table stays whole: its start and its exit
    QVERIFY(data->processes().size() >= 1);

    const Child report = spawn({ EXITLENS_BINARY, "report", session }, path("out"), path("err"));
    const auto reported = waitFor(report.pid, 30000);
    QVERIFY(reported);
    QCOMPARE(reported->shellStatus(), 0);
    const QString text = readAll(path("out"));
    QVERIFY2(text.contains("capture filter: " + expression), qPrintable(text));
    QVERIFY2(text.contains(QString("%1 events did not match").arg(result["stats"]["filtered_out"].toInteger())),
        qPrintable(text));
}

void CliTest::badCaptureFilterNeverStartsTheProgram()
{
    QTemporaryDir work;
    const QString marker = work.path() + "/ran";
    const Child child = spawn({ EXITLENS_BINARY, "run", "--capture-filter", "class == file and pathh == x", "--",
                                  "/bin/sh", "-c", "touch " + marker },
        path("out"), path("err"));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 2);
    const QString err = readAll(path("err"));
    QVERIFY2(err.contains("bad --capture-filter: unknown field 'pathh'"), qPrintable(err));
    // The caret line points at the offending token (column 18, five characters).
    QVERIFY2(err.contains("\n  " + QString(18, ' ') + "^^^^^"), qPrintable(err));
    QVERIFY(!QFile::exists(marker));
}

// Issue 19, item 11: `!` or `(` 30,000 deep overflowed the parser's stack (SIGSEGV, status 139).
// Now both commands refuse the expression like any other invalid one: status 2, the message with
// the nesting bound and the column, a short excerpt instead of 60 kB of caret line, nothing run
// or written.
void CliTest::deeplyNestedFiltersAreUsageErrors()
{
    QTemporaryDir work;
    const QString marker = work.path() + "/ran";
    const QString nots = QString(30'000, '!') + "failed";
    const QString parens = QString(30'000, '(') + "failed" + QString(30'000, ')');
    for (const QString& expression : { nots, parens }) {
        const Child child =
            spawn({ EXITLENS_BINARY, "run", "--capture-filter", expression, "--", "/bin/sh", "-c", "touch " + marker },
                path("out"), path("err"));
        const auto finished = waitFor(child.pid, 30000);
        QVERIFY(finished);
        QCOMPARE(finished->shellStatus(), 2);
        const QString err = readAll(path("err"));
        QVERIFY2(err.contains("bad --capture-filter: nested too deeply: more than 256 levels of parentheses and 'not'"),
            qPrintable(err.left(500)));
        QVERIFY2(err.contains(QString("(at character 257 of %1)").arg(expression.size())), qPrintable(err.left(500)));
        QVERIFY2(err.size() < 1000, qPrintable(err.left(500)));
        QVERIFY(!QFile::exists(marker));
    }

    const QString session = work.path() + "/true.exitlens";
    const Child record =
        spawn({ EXITLENS_BINARY, "run", "--quiet", "--session", session, "--", "/bin/true" }, path("out"), path("err"));
    const auto recorded = waitFor(record.pid, 60000);
    QVERIFY(recorded);
    QCOMPARE(recorded->shellStatus(), 0);
    const QString csv = work.path() + "/events.csv";
    for (const QString& expression : { nots, parens }) {
        const Child child = spawn(
            { EXITLENS_BINARY, "export", session, "--csv", csv, "--filter", expression }, path("out"), path("err"));
        const auto finished = waitFor(child.pid, 30000);
        QVERIFY(finished);
        QCOMPARE(finished->shellStatus(), 2);
        const QString err = readAll(path("err"));
        QVERIFY2(err.contains("invalid --filter: nested too deeply"), qPrintable(err.left(500)));
        QVERIFY2(err.size() < 1000, qPrintable(err.left(500)));
        QVERIFY(!QFile::exists(csv));
    }
    // At the bound the same command works.
    const Child child = spawn({ EXITLENS_BINARY, "export", session, "--csv", csv, "--filter",
                                  QString(256, '(') + "pid > 0" + QString(256, ')') },
        path("out"), path("err"));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 0);
    QVERIFY(QFile::exists(csv));
}

void CliTest::badArgumentsGiveClearErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no program") << QStringList { "run" } << "no program given";
    QTest::newRow("unknown class") << QStringList { "run", "--capture", "process,files", "--", "true" }
                                   << "unknown event class 'files'";
    QTest::newRow("bad log level") << QStringList { "run", "--log-level", "loud", "--", "true" }
                                   << "unknown log level 'loud'";
    QTest::newRow("full and capture") << QStringList { "run", "--full", "--capture", "file", "--", "true" }
                                      << "cannot be combined";
    QTest::newRow("unknown user") << QStringList { "run", "--user", "no-such-user-xyz", "--", "true" }
                                  << "no such user: no-such-user-xyz";
}

void CliTest::badArgumentsGiveClearErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments.prepend(EXITLENS_BINARY);
    const Child child = spawn(arguments, path("out"), path("err"));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QVERIFY(finished->shellStatus() == 2 || finished->shellStatus() == 125);
    QVERIFY2(readAll(path("err")).contains(message), qPrintable(readAll(path("err"))));
}

void CliTest::missingWindowProgramIsExplained()
{
    // exitlens alone (no exitlens-gui beside it or in ../lib/exitlens): the window cannot open, the
    // message says where it was looked for, and the command line still works.
    const QString alone = path("alone/bin/exitlens");
    QVERIFY(QDir().mkpath(path("alone/bin")));
    QFile::remove(alone);
    QVERIFY(QFile::copy(EXITLENS_BINARY, alone));
    const Child window = spawn({ alone, "--demo" }, path("out"), path("err"));
    const auto windowFinished = waitFor(window.pid, 30000);
    QVERIFY(windowFinished);
    QCOMPARE(windowFinished->shellStatus(), 125);
    const QString message = readAll(path("err"));
    QVERIFY2(message.contains("cannot open the window: exitlens-gui is neither in " + path("alone/bin")),
        qPrintable(message));
    const Child run = spawn({ alone, "run", "--quiet", "--", "true" }, path("out"), path("err"));
    const auto runFinished = waitFor(run.pid, 30000);
    QVERIFY(runFinished);
    QCOMPARE(runFinished->shellStatus(), 0);
}

void CliTest::sigkillOfExitLensTakesTheTreeDown()
{
    const Child exitlens =
        spawn({ EXITLENS_BINARY, "run", "--", fixture("sleeper") }, path("sleeper.out"), path("err"));
    QTRY_VERIFY_WITH_TIMEOUT(readAll(path("sleeper.out")).contains("ready"), 30000);
    const auto children = childrenOf(exitlens.pid);
    QCOMPARE(children.size(), std::size_t(1));
    const pid_t sleeper = children.front();
    QCOMPARE(kill(exitlens.pid, SIGKILL), 0);
    QVERIFY(waitFor(exitlens.pid, 10000));
    // PTRACE_O_EXITKILL: the traced program dies with its tracer; as its subreaper we see how.
    const auto orphan = waitFor(sleeper, 10000);
    QVERIFY2(orphan, "the traced program survived ExitLens");
    QVERIFY(WIFSIGNALED(orphan->status));
    QCOMPARE(WTERMSIG(orphan->status), SIGKILL);
}

void CliTest::groupSigtermGivesTheSameOutcome_data()
{
    QTest::addColumn<QStringList>("programArguments");
    QTest::addColumn<int>("expectedStatus");
    QTest::newRow("default action") << QStringList {} << 128 + SIGTERM;
    QTest::newRow("handler") << QStringList { "handle" } << 7;
}

void CliTest::groupSigtermGivesTheSameOutcome()
{
    QFETCH(QStringList, programArguments);
    QFETCH(int, expectedStatus);
    // Untraced, as a supervisor would see it.
    const Child plain =
        spawn(QStringList { fixture("sleeper") } + programArguments, path("plain.out"), path("plain.err"), true);
    QTRY_VERIFY_WITH_TIMEOUT(readAll(path("plain.out")).contains("ready"), 30000);
    QCOMPARE(kill(-plain.pid, SIGTERM), 0);
    const auto plainFinished = waitFor(plain.pid, 20000);
    QVERIFY(plainFinished);
    QCOMPARE(plainFinished->shellStatus(), expectedStatus);

    // Traced: the whole group gets SIGTERM, ExitLens included; it must still write its result.
    const QString json = path("sigterm.json");
    QFile::remove(json);
    const Child traced =
        spawn(QStringList { EXITLENS_BINARY, "run", "--json", json, "--", fixture("sleeper") } + programArguments,
            path("traced.out"), path("traced.err"), true);
    QTRY_VERIFY_WITH_TIMEOUT(readAll(path("traced.out")).contains("ready"), 30000);
    QCOMPARE(kill(-traced.pid, SIGTERM), 0);
    const auto tracedFinished = waitFor(traced.pid, 20000);
    QVERIFY(tracedFinished);
    QCOMPARE(tracedFinished->shellStatus(), expectedStatus);
    const QJsonObject result = readJson(json);
    QVERIFY2(!result.isEmpty(), qPrintable(readAll(path("traced.err"))));
    if (programArguments.isEmpty())
        QCOMPARE(result["exit"]["signal"].toString(), QString("SIGTERM"));
    else
        QCOMPARE(result["exit"]["code"].toInt(), 7);
    QCOMPARE(readAll(path("traced.err")).contains("got SIGTERM"), !programArguments.isEmpty());
}

void CliTest::closedStdoutPipeGivesSigpipeAsUntraced()
{
    const QString json = path("pipe.json");
    const QString script = QString("%1 64 | head -n1 >/dev/null; echo ${PIPESTATUS[0]}").arg(fixture("big_output"));
    const QString traced = QString("%1 run --quiet --json %2 -- %3").arg(EXITLENS_BINARY, json, script);
    const Child plain = spawn({ "/bin/bash", "-c", script }, path("plain.status"), path("err"));
    QVERIFY(waitFor(plain.pid, 30000));
    const Child viaExitLens =
        spawn({ "/bin/bash", "-c",
                  QString("%1 run --quiet --json %2 -- %3 64 | head -n1 >/dev/null; echo ${PIPESTATUS[0]}")
                      .arg(EXITLENS_BINARY, json, fixture("big_output")) },
            path("traced.status"), path("err"));
    QVERIFY(waitFor(viaExitLens.pid, 60000));
    QCOMPARE(readAll(path("plain.status")).trimmed(), QString::number(128 + SIGPIPE));
    QCOMPARE(readAll(path("traced.status")).trimmed(), QString::number(128 + SIGPIPE));
    const QJsonObject result = readJson(json);
    QCOMPARE(result["exit"]["signal"].toString(), QString("SIGPIPE"));
}

void CliTest::gigabyteOfOutputKeepsMemoryBounded()
{
    const QString json = path("big.json");
    const Child child =
        spawn({ EXITLENS_BINARY, "run", "--quiet", "--json", json, "--", fixture("big_output"), "1024" }, "/dev/null",
            path("err"));
    const auto finished = waitFor(child.pid, 300000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 0);
    const QJsonObject result = readJson(json);
    QCOMPARE(result["output"]["stdout"]["total_bytes"].toInteger(), qint64(1) << 30);
    const long peakKiB = finished->usage.ru_maxrss;
    qInfo("ExitLens peak RSS while the program wrote 1 GiB: %ld KiB", peakKiB);
    QVERIFY2(peakKiB < 128 * 1024, qPrintable(QString("peak RSS %1 KiB").arg(peakKiB)));
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
