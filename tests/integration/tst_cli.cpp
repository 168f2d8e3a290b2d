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
#include <QRegularExpression>
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

// The test's environment without the variables named.
QStringList environmentWithout(const QStringList& names)
{
    QStringList environment;
    for (char** entry = environ; *entry; ++entry) {
        const QString text = QString::fromLocal8Bit(*entry);
        if (!names.contains(text.section('=', 0, 0)))
            environment << text;
    }
    return environment;
}

// Spawns argv with stdout (and stderr) redirected to files (or closed); optionally as a new process
// group, and with another environment than the test's own.
Child spawn(const QStringList& arguments, const QString& stdoutPath, const QString& stderrPath, bool newGroup = false,
    const std::optional<QStringList>& environment = std::nullopt)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // An empty path leaves that descriptor closed (`>&-`).
    const QString outputs[] = { stdoutPath, stderrPath };
    for (int fd = 1; fd <= 2; ++fd) {
        const QString& output = outputs[fd - 1];
        if (output.isEmpty())
            posix_spawn_file_actions_addclose(&actions, fd);
        else
            posix_spawn_file_actions_addopen(
                &actions, fd, output.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    }
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
    std::vector<QByteArray> environmentStorage;
    std::vector<char*> envp;
    if (environment) {
        for (const auto& entry : *environment)
            environmentStorage.push_back(entry.toLocal8Bit());
        for (auto& entry : environmentStorage)
            envp.push_back(entry.data());
        envp.push_back(nullptr);
    }
    Child child;
    if (posix_spawn(&child.pid, argv[0], &actions, &attributes, argv.data(), environment ? envp.data() : environ) != 0)
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
    void badArgumentsGiveClearErrors_data();
    void badArgumentsGiveClearErrors();
    void missingWindowProgramIsExplained();
    void typoIsAUsageError_data();
    void typoIsAUsageError();
    void windowWithoutDisplayPointsAtTheCommandLine_data();
    void windowWithoutDisplayPointsAtTheCommandLine();
    void closedStdioStaysClosedForTheProgram();
    void closedStdioKeepsTheSummaryOutOfTheLog();
    void missingHomeGetsNoStateFolder();
    void loaderVariablesNeverReachExitLens_data();
    void loaderVariablesNeverReachExitLens();
    void resultsWriteThroughDevicesAndFifos_data();
    void resultsWriteThroughDevicesAndFifos();
    void sigkillOfExitLensTakesTheTreeDown();
    void groupSigtermGivesTheSameOutcome_data();
    void groupSigtermGivesTheSameOutcome();
    void closedStdoutPipeGivesSigpipeAsUntraced();
    void gigabyteOfOutputKeepsMemoryBounded();

private:
    QString savedSession();

    QTemporaryDir m_dir;
    QString m_session;
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
    // The front program alone (no exitlens-cli beside it or in ../lib/exitlens): it says where it
    // looked for the command line.
    const QString alone = path("alone/bin/exitlens");
    QVERIFY(QDir().mkpath(path("alone/bin")));
    QFile::remove(alone);
    QFile::remove(alone + "-cli");
    QVERIFY(QFile::copy(EXITLENS_BINARY, alone));
    const Child front = spawn({ alone, "run", "--", "true" }, path("out"), path("err"));
    const auto frontFinished = waitFor(front.pid, 30000);
    QVERIFY(frontFinished);
    QCOMPARE(frontFinished->shellStatus(), 125);
    QVERIFY2(readAll(path("err")).contains("exitlens-cli, the command line, is neither in " + path("alone/bin")),
        qPrintable(readAll(path("err"))));

    // exitlens and exitlens-cli without exitlens-gui (beside them or in ../lib/exitlens): the
    // window cannot open, the message says where it was looked for, and the command line still works.
    QVERIFY(QFile::copy(QString(EXITLENS_BINARY) + "-cli", alone + "-cli"));
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

// Without a display, as over ssh or in CI: a mistyped subcommand used to start the window for a
// "file" of that name, and Qt's platform plugin aborted (status 134).
const QStringList kDisplayVariables { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" };

void CliTest::typoIsAUsageError_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("swapped letters") << QStringList { "rnu", "--", "true" }
                                     << "'rnu' is not a command, nor a file to open; did you mean run?";
    QTest::newRow("missing letter") << QStringList { "repot", "x.exitlens" } << "did you mean report?";
    QTest::newRow("start of one") << QStringList { "insp" } << "did you mean inspect?";
    QTest::newRow("nothing like one") << QStringList { "nosuchcmd" }
                                      << "'nosuchcmd' is not a command, nor a file to open\n";
}

void CliTest::typoIsAUsageError()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments.prepend(EXITLENS_BINARY);
    const Child child = spawn(arguments, path("out"), path("err"), false, environmentWithout(kDisplayVariables));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    const QString err = readAll(path("err"));
    QCOMPARE(finished->shellStatus(), 2);
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(err.contains("the commands are run report export traceback inspect"), qPrintable(err));
}

void CliTest::windowWithoutDisplayPointsAtTheCommandLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("message");
    const QString none = "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
    QTest::newRow("window") << QStringList {} << QString() << none;
    QTest::newRow("demo") << QStringList { "--demo" } << QString() << none;
    // A path is a file for the window to open, not a typo, even when it does not exist.
    QTest::newRow("file") << QStringList { "/nonexistent/capture.exitlens" } << QString() << none;
    // Named but unreachable (a stale DISPLAY): Qt's fatal error, without its abort.
    QTest::newRow("unreachable display") << QStringList {} << QString(":97") << "could not connect to display";
}

void CliTest::windowWithoutDisplayPointsAtTheCommandLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, display);
    QFETCH(QString, message);
    QStringList environment = environmentWithout(kDisplayVariables);
    if (!display.isEmpty()) {
        if (QFile::exists("/tmp/.X11-unix/X97"))
            QSKIP("an X server listens on :97 here");
        environment << "DISPLAY=" + display;
    }
    arguments.prepend(EXITLENS_BINARY);
    const Child child = spawn(arguments, path("out"), path("err"), false, environment);
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    const QString err = readAll(path("err"));
    QCOMPARE(finished->shellStatus(), 125);
    QVERIFY2(err.contains("exitlens: cannot open the window: "), qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(err.contains("use the command line: exitlens run [options] -- PROGRAM"), qPrintable(err));
}

// `exitlens run -- prog >&- 2>&-`: ExitLens's own files (log, signalfd, the -o file) must not take
// the numbers 1 and 2, or the program's failed writes are told as writes into ExitLens's files,
// and ExitLens's summary goes into them. The program still finds them closed, as untraced.
void CliTest::closedStdioStaysClosedForTheProgram()
{
    QTemporaryDir work;
    const QString seen = work.filePath("seen");
    const QString script = "exec 3>" + seen
        + "; for n in 0 1 2; do if [ -e /proc/$$/fd/$n ]; then echo \"$n open\" >&3; else echo \"$n closed\" >&3; "
          "fi; done; echo hi; echo oops >&2";
    const Child plain = spawn({ "/bin/sh", "-c", script }, QString(), QString());
    const auto plainFinished = waitFor(plain.pid, 30000);
    QVERIFY(plainFinished);
    const QString untraced = readAll(seen);
    QCOMPARE(untraced, QString("0 open\n1 closed\n2 closed\n"));
    QFile::remove(seen);

    const QString json = work.filePath("result.json");
    const QString events = work.filePath("events.txt");
    const Child traced =
        spawn({ EXITLENS_BINARY, "run", "--json", json, "--print-events", "-o", events, "--", "/bin/sh", "-c", script },
            QString(), QString(), false, environmentWithout({}) << "XDG_STATE_HOME=" + work.filePath("state"));
    const auto tracedFinished = waitFor(traced.pid, 60000);
    QVERIFY(tracedFinished);
    QCOMPARE(readAll(seen), untraced);
    QCOMPARE(tracedFinished->shellStatus(), plainFinished->shellStatus());
    const QJsonObject result = readJson(json);
    QCOMPARE(result["exit"]["code"].toInt(), plainFinished->shellStatus());
    const QString lines = readAll(events);
    // Told as closed: not "(fd 2 is anon_inode:[signalfd])", nor ExitLens's log file.
    QVERIFY2(lines.contains("write(\"stdout\", \"hi\\n\" (fd 1 is closed)) = -1 EBADF"), qPrintable(lines.right(3000)));
    QVERIFY2(lines.contains("(fd 2 is closed)) = -1 EBADF"), qPrintable(lines.right(3000)));
    static const QRegularExpression note("\\(fd [12] is ([^)]*)\\)");
    for (auto match = note.globalMatch(lines); match.hasNext();) {
        const QString target = match.next().captured(1);
        QVERIFY2(target == "closed" || target == seen, qPrintable(target));
    }
    QVERIFY2(!lines.contains("── ExitLens"), "ExitLens's summary went into the -o file");
}

void CliTest::closedStdioKeepsTheSummaryOutOfTheLog()
{
    QTemporaryDir work;
    const QString log = work.filePath("state/exitlens/exitlens.log");
    const Child child = spawn({ EXITLENS_BINARY, "run", "--", "/bin/true" }, QString(), QString(), false,
        environmentWithout({}) << "XDG_STATE_HOME=" + work.filePath("state"));
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 0);
    QVERIFY(QFile::exists(log));
    const QString logged = readAll(log);
    QVERIFY2(!logged.contains("ExitLens ──") && !logged.contains(" processes, "), qPrintable(logged));
}

// HOME=/nonexistent, as services and `nobody` have: no log file, and no folder made out of nothing.
void CliTest::missingHomeGetsNoStateFolder()
{
    QTemporaryDir work;
    const QString home = work.filePath("gone");
    const Child child = spawn({ EXITLENS_BINARY, "run", "--quiet", "--", "/bin/true" }, path("out"), path("err"), false,
        environmentWithout({ "HOME", "XDG_STATE_HOME" }) << "HOME=" + home);
    const auto finished = waitFor(child.pid, 30000);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), 0);
    QVERIFY2(!QFileInfo::exists(home), "ExitLens created the missing home folder");
    QVERIFY2(readAll(path("err")).contains("continuing without a log file"), qPrintable(readAll(path("err"))));
}

// LD_LIBRARY_PATH with older copies of libraries ExitLens loads, an LD_PRELOAD that crashes, or an
// LD_AUDIT library: ExitLens loads its own from the system, and hands every LD_* to the program.
void CliTest::loaderVariablesNeverReachExitLens_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QStringList>("program");
    QTest::addColumn<int>("status");
    const QString libraryPath = QString("LD_LIBRARY_PATH=") + EXITLENS_BROKEN_LIBS;
    const QString preload = QString("LD_PRELOAD=") + EXITLENS_CRASHING_PRELOAD;
    // env shows what the program got (libc only: the stand-ins are nothing to it).
    QTest::newRow("broken libstdc++ and Qt on LD_LIBRARY_PATH") << libraryPath << QStringList { "/usr/bin/env" } << 0;
    // A Go program is static: the preload never runs in it.
    QTest::newRow("crashing LD_PRELOAD") << preload << QStringList { fixture("exit_code") } << 3;
    // A dynamically linked program gets the preload, and crashes of it, as it would untraced.
    QTest::newRow("crashing LD_PRELOAD in the program") << preload << QStringList { "/bin/true" } << 128 + SIGSEGV;
    QTest::newRow("LD_AUDIT") << QString("LD_AUDIT=") + EXITLENS_CRASHING_PRELOAD
                              << QStringList { fixture("exit_code") } << 3;
}

void CliTest::loaderVariablesNeverReachExitLens()
{
    QFETCH(QString, variable);
    QFETCH(QStringList, program);
    QFETCH(int, status);
    const QString json = path("loader.json");
    QFile::remove(json);
    const QStringList environment = environmentWithout({ "LD_LIBRARY_PATH", "LD_PRELOAD", "LD_AUDIT" })
        << variable << "LD_EXITLENS_PROBE=kept";
    const Child child = spawn(QStringList { EXITLENS_BINARY, "run", "--quiet", "--json", json, "--" } + program,
        path("out"), path("err"), false, environment);
    const auto finished = waitFor(child.pid, 60000);
    QVERIFY(finished);
    const QString err = readAll(path("err"));
    QVERIFY2(!err.contains("symbol lookup error") && !err.contains("not found (required by"), qPrintable(err));
    QCOMPARE(finished->shellStatus(), status);
    const QJsonObject result = readJson(json);
    QVERIFY2(!result.isEmpty(), qPrintable(err));
    if (status == 128 + SIGSEGV)
        QCOMPARE(result["exit"]["signal"].toString(), QString("SIGSEGV"));
    // The recorded launch environment is the caller's, LD_* included, without ExitLens's own traces.
    QStringList recorded;
    for (const auto& entry : result["context"]["environment"].toArray())
        recorded << entry.toString();
    QVERIFY2(recorded.contains(variable), qPrintable(recorded.join('\n')));
    QVERIFY(recorded.contains("LD_EXITLENS_PROBE=kept"));
    QVERIFY(recorded.filter("EXITLENS_SAVED_").isEmpty());
    if (program.front() == "/usr/bin/env") {
        const QStringList printed = readAll(path("out")).split('\n');
        QVERIFY2(printed.contains(variable), qPrintable(readAll(path("out"))));
        QVERIFY(printed.contains("LD_EXITLENS_PROBE=kept"));
        QVERIFY(printed.filter("EXITLENS_SAVED_").isEmpty());
    }

    // The window is started with the system's libraries too: here it gets as far as looking for a
    // display (there is none), instead of dying in the loader (127) or of the preload (139).
    const Child window = spawn({ EXITLENS_BINARY, "--demo" }, path("out"), path("err"), false,
        QStringList(environment).filter(QRegularExpression("^(?!DISPLAY=|WAYLAND_DISPLAY=|QT_QPA_PLATFORM=)")));
    const auto windowFinished = waitFor(window.pid, 30000);
    QVERIFY(windowFinished);
    QCOMPARE(windowFinished->shellStatus(), 125);
    QVERIFY2(readAll(path("err")).contains("no display"), qPrintable(readAll(path("err"))));
}

// A session of exit_code, saved once for the export tests.
QString CliTest::savedSession()
{
    if (m_session.isEmpty()) {
        const QString session = path("saved.exitlens");
        const Child child =
            spawn({ EXITLENS_BINARY, "run", "--quiet", "--session", session, "--", fixture("exit_code") }, path("out"),
                path("err"));
        const auto finished = waitFor(child.pid, 60000);
        if (finished && finished->shellStatus() == 3 && QFile::exists(session))
            m_session = session;
    }
    return m_session;
}

// `--json /dev/null` used to rename a temporary file over the device: run as root, /dev/null became
// a regular file. Every writer of a result goes through a device, a FIFO, or a symlink to one, and
// leaves the node itself as it was. The device is one the test makes (null's numbers, 1:3).
void CliTest::resultsWriteThroughDevicesAndFifos_data()
{
    QTest::addColumn<QStringList>("arguments"); // TARGET stands for the node, SESSION for a saved one
    QTest::addColumn<QString>("target"); // device, fifo, device link, fifo link
    QTest::addColumn<QByteArray>("start"); // what a FIFO's reader gets first
    const QByteArray sqlite("SQLite format 3", 16);
    const struct {
        const char* name;
        QStringList arguments;
        QByteArray start;
    } writers[] = {
        { "run --json", { "run", "--quiet", "--json", "TARGET", "--", fixture("exit_code") }, "{\n" },
        { "export --json", { "export", "SESSION", "--json", "TARGET" }, "{\n" },
        { "export --csv", { "export", "SESSION", "--csv", "TARGET" }, "seq,time_ns,pid," },
        { "export --html", { "export", "SESSION", "--html", "TARGET" }, "<!DOCTYPE html>" },
        { "export --session", { "export", "SESSION", "--session", "TARGET" }, sqlite },
        { "export --redact --session", { "export", "SESSION", "--redact", "--session", "TARGET" }, sqlite },
    };
    for (const auto& writer : writers) {
        for (const char* target : { "device", "fifo", "device link", "fifo link" })
            QTest::addRow("%s onto a %s", writer.name, target) << writer.arguments << QString(target) << writer.start;
    }
}

void CliTest::resultsWriteThroughDevicesAndFifos()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, target);
    QFETCH(QByteArray, start);
    QTemporaryDir folder;
    const QString node = folder.filePath(target.startsWith("device") ? "null" : "fifo");
    const bool device = target.startsWith("device");
    if (device) {
        if (mknod(QFile::encodeName(node).constData(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("cannot make a device node here (needs CAP_MKNOD)");
    } else {
        QCOMPARE(mkfifo(QFile::encodeName(node).constData(), 0600), 0);
    }
    QString named = node;
    if (target.endsWith("link")) {
        named = folder.filePath("link");
        QVERIFY(QFile::link(node, named));
    }
    if (arguments.contains("SESSION")) {
        const QString session = savedSession();
        QVERIFY2(!session.isEmpty(), qPrintable(readAll(path("err"))));
        arguments.replaceInStrings(QRegularExpression("^SESSION$"), session);
    }
    arguments.replaceInStrings(QRegularExpression("^TARGET$"), named);
    arguments.prepend(EXITLENS_BINARY);

    const QString received = path("fifo.received");
    Child reader;
    if (!device) {
        reader = spawn({ "/bin/cat", node }, received, path("reader.err"));
        QVERIFY(reader.pid > 0);
    }
    const Child child = spawn(arguments, path("out"), path("err"));
    const auto finished = waitFor(child.pid, 60000);
    if (!finished)
        kill(child.pid, SIGKILL);
    if (reader.pid > 0 && !waitFor(reader.pid, 10000))
        kill(reader.pid, SIGKILL);
    QVERIFY(finished);
    QCOMPARE(finished->shellStatus(), arguments.contains("run") ? 3 : 0);

    struct stat info { };
    QCOMPARE(lstat(QFile::encodeName(node).constData(), &info), 0);
    if (device) {
        QVERIFY2(S_ISCHR(info.st_mode), "the device node was replaced");
        QCOMPARE(major(info.st_rdev), 1U);
        QCOMPARE(minor(info.st_rdev), 3U);
    } else {
        QVERIFY2(S_ISFIFO(info.st_mode), "the FIFO was replaced");
        QFile file(received);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.startsWith(start), bytes.left(64).constData());
        if (start.startsWith('{')) {
            const QJsonObject result = QJsonDocument::fromJson(bytes).object();
            QCOMPARE(result["exit"]["code"].toInt(), 3);
        }
    }
    if (named != node) {
        QVERIFY(QFileInfo(named).isSymLink());
        QCOMPARE(QFileInfo(named).symLinkTarget(), node);
    }
    // Nothing left beside the node (no temporary that was to be renamed over it).
    QStringList expected { QFileInfo(node).fileName() };
    if (named != node)
        expected << "link";
    expected.sort();
    QCOMPARE(
        QDir(folder.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot, QDir::Name), expected);
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
