// Traces the real Go fixtures of tests/programs with the Linux backend and checks the exact
// events: paths, errno names, parent pids, exit codes and signals, bytes written to fd 2.
#include "Names.h"
#include "TestPaths.h"
#include "TraceRun.h"
#include "diagnosis/Verdict.h"
#include "linux/ExecutableText.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <pwd.h>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace exitlens;
using exitlens::test::TraceRun;

class TracerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void normalExitRecordsLifecycleAndStdout();
    void exitCodeAndStderrBytes();
    void panicExitsWithTwoAndKeepsTheMessage();
    void childCrashHasParentAndSignal();
    void manyThreadsAreFollowed();
    void missingFileGivesAbsolutePathAndErrno();
    void failedExecInChildIsRecorded();
    void signalFromAnotherProcessNamesSender();
    void closedStderrStillYieldsLastWords();
    void redirectedStderrIsFollowed();
    void failedDupKeepsItsErrno();
    void cleanExitsOfOtherProgramsPassUnstopped();
    void ownCodeRangeOnlyWhereTheProgramExitsFromIt();
    void processArgvIsWhatTheProgramGot();
    void launchErrors_data();
    void launchErrors();
    void missingWorkingDirectoryIsALaunchError();
    void processAndSignalClassesOnly();
    void exitContextAtEveryKindOfEnd();
    void fullModeRecordsEverySyscall();
    void fullModeDecodesWritesToFiles();
    void permissionDeniedAsUnprivilegedUser();
    void selfStopStaysStoppedUntilContinued_data();
    void selfStopStaysStoppedUntilContinued();
    void stopFromExitLensIsNotAFailure();
    void secondCtrlCIsAStopFromExitLens();
    void setuidProgramKeepsItsPrivilegesUnderUser();
    void privilegesLostToUnprivilegedTracingAreBlamedOnIt();
    void unprivilegedTraceeCannotAttachToTheTracer();
    void privilegedTraceeAttachingToTheTracerEndsTheCapture();
    void detachedDaemonRunsOnUntraced_data();
    void detachedDaemonRunsOnUntraced();
    void waitDetachedFollowsTheDaemon();
    void cliSaysWhichDaemonsRunOn();
};

namespace {
// The state letter of /proc/PID/stat ('R', 'S', 'T' stopped, 't' tracing stop), or 0 when gone.
char processState(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return 0;
    const std::size_t close = line.rfind(") ");
    return close == std::string::npos || close + 2 >= line.size() ? 0 : line[close + 2];
}

// A capture on a thread of its own, so the test can look at (and signal) the program while it
// runs. Whatever happens to the test, the program is killed and the thread joined at the end.
class BackgroundRun {
public:
    explicit BackgroundRun(LaunchSpec spec)
        : m_thread([this, spec = std::move(spec)] {
            m_run = TraceRun::run(spec);
            m_done = true;
        })
    {
    }
    ~BackgroundRun()
    {
        if (m_thread.joinable()) {
            if (m_killOnExit > 0)
                kill(m_killOnExit, SIGKILL);
            m_thread.join();
        }
    }
    // Kill this pid (if the test ends early) so the capture can end.
    void killOnExit(int pid) { m_killOnExit = pid; }
    bool done() const { return m_done; }
    const TraceRun& finish()
    {
        m_thread.join();
        return m_run;
    }

private:
    TraceRun m_run;
    std::atomic<bool> m_done { false };
    int m_killOnExit = 0;
    std::thread m_thread;
};

// A copy of fixture NAME in DIR that the user nobody can run (the build folder may be private).
QString copyForNobody(const QString& dir, const std::string& name)
{
    chmod(dir.toLocal8Bit().constData(), 0755);
    const QString copy = dir + "/" + QString::fromStdString(name);
    if (!QFile::copy(QString::fromStdString(TraceRun::fixturePath(name)), copy))
        return {};
    chmod(copy.toLocal8Bit().constData(), 0755);
    return copy;
}

// Runs `exitlens ARGS` as the user nobody (runuser), at most 60 s; its stdout, stderr and status.
struct CliResult {
    bool finished = false;
    int status = -1;
    QString out;
    QString err;
};
CliResult runExitLensAs(const QString& user, const QStringList& arguments, const QString& workingDirectory)
{
    QProcess process;
    process.setWorkingDirectory(workingDirectory);
    process.start("runuser", QStringList { "-u", user, "--", EXITLENS_BINARY } + arguments);
    CliResult result;
    result.finished = process.waitForFinished(60'000);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5'000);
    }
    result.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// The size of the file at PATH, -1 when missing.
qint64 fileSize(const QString& path)
{
    return QFileInfo::exists(path) ? QFileInfo(path).size() : -1;
}

// Kills PID (SIGKILL) when the test ends, however it ends.
struct KillAtEnd {
    int pid = 0;
    ~KillAtEnd()
    {
        if (pid > 0)
            kill(pid, SIGKILL);
    }
};

// Waits for the fixture to write its pid to PATH; 0 after 20 s.
int waitForPidFile(const std::string& path)
{
    for (int i = 0; i < 400; ++i) {
        std::ifstream file(path);
        int pid = 0;
        if (file >> pid && pid > 0)
            return pid;
        QThread::msleep(50);
    }
    return 0;
}
} // namespace

void TracerTest::normalExitRecordsLifecycleAndStdout()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("exit_normal"));
    QVERIFY2(run.summary.error.empty(), run.summary.error.c_str());
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(run.summary.rootStatus.code, 0);

    const auto processes = run.processes();
    QCOMPARE(processes.size(), std::size_t(1));
    QCOMPARE(processes[0].exe, TraceRun::fixturePath("exit_normal"));
    QCOMPARE(processes[0].ppid, static_cast<int>(getpid()));
    QVERIFY(processes[0].exitContext.captured);
    QVERIFY(processes[0].exitContext.peakRssKiB > 0);

    QCOMPARE(run.find([](const Event& e) { return e.kind == EventKind::ProcessStart; }).size(), std::size_t(1));
    QCOMPARE(run.find([](const Event& e) { return e.kind == EventKind::ProcessExec; }).size(), std::size_t(1));
    const auto exits = run.find([](const Event& e) { return e.kind == EventKind::ProcessExit; });
    QCOMPARE(exits.size(), std::size_t(1));
    QCOMPARE(exits[0], run.data->events().size() - 1); // the process exit is the last thing that happens
    QCOMPARE(run.data->outputLog().stream(1).head, std::string("hello from exit_normal\n"));
}

void TracerTest::exitCodeAndStderrBytes()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("exit_code"));
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(run.summary.rootStatus.code, 3);
    QCOMPARE(run.data->outputLog().stream(2).head, std::string("exit_code: giving up\n"));
    const auto exitGroup = run.syscalls("exit_group");
    QCOMPARE(exitGroup.size(), std::size_t(1));
    QCOMPARE(run.at(exitGroup[0]).result, 3);
}

void TracerTest::panicExitsWithTwoAndKeepsTheMessage()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("panic"));
    QCOMPARE(run.summary.rootStatus.code, 2);
    const std::string stderrText = run.data->outputLog().stream(2).head;
    QVERIFY2(stderrText.find("panic: settings: invalid port 70000") != std::string::npos, stderrText.c_str());
    QVERIFY(stderrText.find("main.loadSettings") != std::string::npos);
}

void TracerTest::childCrashHasParentAndSignal()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("child_crash"));
    QCOMPARE(run.summary.rootStatus.code, 1);
    const auto processes = run.processes();
    QVERIFY2(processes.size() >= 2, qPrintable(run.dump()));
    const int rootPid = processes[0].pid;
    const ProcessRecord* crashed = nullptr;
    for (const auto& process : processes) {
        if (process.status.kind == ExitStatus::Kind::Signaled)
            crashed = &process;
    }
    QVERIFY2(crashed, qPrintable(run.dump()));
    QCOMPARE(crashed->ppid, rootPid);
    QCOMPARE(crashed->status.signal, SIGABRT);
    QCOMPARE(crashed->exe, TraceRun::fixturePath("child_crash"));
    QVERIFY(crashed->argv.size() >= 2 && crashed->argv[1] == "child");
    // The child's own SIGSEGV was seen on delivery, before the runtime turned it into SIGABRT.
    QVERIFY(!run.find([&](const Event& e) {
                    return e.kind == EventKind::Signal && e.pid == crashed->pid && e.result == SIGSEGV;
                })
                 .empty());
}

void TracerTest::manyThreadsAreFollowed()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("many_threads"));
    QCOMPARE(run.summary.rootStatus.code, 0);
    const auto threadStarts = run.find([](const Event& e) { return e.kind == EventKind::ThreadStart; });
    QVERIFY2(threadStarts.size() >= 8, qPrintable(QString::number(threadStarts.size())));
    // Every thread's stat of "/" is attributed to the root process, from several tids.
    const auto stats = run.find([&](const Event& e) {
        return e.kind == EventKind::Syscall && run.text(e.op) == "newfstatat" && run.text(e.path) == "/";
    });
    QCOMPARE(stats.size(), std::size_t(16 * 200));
    std::set<int> tids;
    for (auto seq : stats) {
        QCOMPARE(run.at(seq).pid, run.processes()[0].pid);
        tids.insert(run.at(seq).tid);
    }
    QVERIFY(tids.size() >= 8);
}

void TracerTest::missingFileGivesAbsolutePathAndErrno()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.workingDirectory = dir.path().toStdString();
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.code, 1);
    const std::string expected = dir.path().toStdString() + "/config.json";
    const auto opens =
        run.find([&](const Event& e) { return run.text(e.op) == "openat" && run.text(e.path) == expected; });
    QVERIFY2(opens.size() == 1, qPrintable(run.dump()));
    const Event& open = run.at(opens[0]);
    QVERIFY(open.failed());
    QCOMPARE(open.errnum, ENOENT);
    QCOMPARE(open.result, -ENOENT);
    QCOMPARE(run.text(open.detail), std::string("O_RDONLY|O_CLOEXEC"));
    QCOMPARE(run.processes()[0].cwd, dir.path().toStdString());
}

void TracerTest::failedExecInChildIsRecorded()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("exec_fail"));
    QCOMPARE(run.summary.rootStatus.code, 1);
    const int rootPid = run.processes()[0].pid;
    const auto execs = run.find(
        [&](const Event& e) { return run.text(e.op) == "execve" && run.text(e.path) == "/nonexistent/helper-tool"; });
    QVERIFY2(execs.size() == 1, qPrintable(run.dump()));
    const Event& exec = run.at(execs[0]);
    QCOMPARE(exec.errnum, ENOENT);
    QVERIFY(exec.pid != rootPid);
    ProcessRecord child;
    QVERIFY(run.data->processes().find(exec.pid, child));
    QCOMPARE(child.ppid, rootPid);
    QVERIFY(run.text(exec.detail).find("/nonexistent/helper-tool --version") != std::string::npos);
}

void TracerTest::signalFromAnotherProcessNamesSender()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("signal_from_other"));
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Signaled);
    QCOMPARE(run.summary.rootStatus.signal, SIGTERM);
    const auto processes = run.processes();
    QVERIFY(processes.size() >= 2);
    const int rootPid = processes[0].pid;
    int senderPid = 0;
    for (const auto& process : processes) {
        if (process.ppid == rootPid)
            senderPid = process.pid;
    }
    QVERIFY(senderPid > 0);
    // The child's kill() call, with its target and signal.
    const auto kills = run.find([&](const Event& e) { return run.text(e.op) == "kill" && e.pid == senderPid; });
    QVERIFY2(kills.size() == 1, qPrintable(run.dump()));
    QCOMPARE(run.text(run.at(kills[0]).detail), "pid " + std::to_string(rootPid) + ", SIGTERM");
    // The delivery to the root names the child as sender, and so does the exit record.
    const std::string sentBy = "sent by pid " + std::to_string(senderPid);
    QVERIFY(!run.find([&](const Event& e) {
                    return e.kind == EventKind::Signal && e.pid == rootPid && e.result == SIGTERM
                        && run.text(e.detail).find(sentBy) != std::string::npos;
                })
                 .empty());
    const Event& exit = run.at(processes[0].endSeq);
    QCOMPARE(exit.kind, EventKind::ProcessExit);
    QVERIFY2(run.text(exit.detail).find(sentBy) != std::string::npos, run.text(exit.detail).c_str());
}

void TracerTest::closedStderrStillYieldsLastWords()
{
    const TraceRun run = TraceRun::run(TraceRun::fixture("close_stderr", { "close" }));
    QCOMPARE(run.summary.rootStatus.code, 5);
    QVERIFY(
        !run.find([&](const Event& e) { return run.text(e.op) == "close" && run.text(e.detail) == "fd 2"; }).empty());
    const auto writes = run.find([](const Event& e) { return e.kind == EventKind::Output; });
    QVERIFY2(writes.size() == 1, qPrintable(run.dump()));
    QCOMPARE(run.at(writes[0]).errnum, EBADF);
    QCOMPARE(run.data->outputLog().stream(2).head, std::string("last words: cannot reach database\n"));
}

void TracerTest::redirectedStderrIsFollowed()
{
    QTemporaryDir dir;
    const std::string log = dir.path().toStdString() + "/app.log";
    const TraceRun run = TraceRun::run(TraceRun::fixture("close_stderr", { "redirect", log }));
    QCOMPARE(run.summary.rootStatus.code, 4);
    const auto dups = run.find([&](const Event& e) {
        return (run.text(e.op) == "dup2" || run.text(e.op) == "dup3") && run.text(e.path) == log;
    });
    QVERIFY2(dups.size() == 1, qPrintable(run.dump()));
    const auto writes = run.find([](const Event& e) { return e.kind == EventKind::Output && e.result > 0; });
    QCOMPARE(writes.size(), std::size_t(1));
    QVERIFY2(run.text(run.at(writes[0]).detail).find("(fd 2 is " + log + ")") != std::string::npos,
        run.text(run.at(writes[0]).detail).c_str());
    QCOMPARE(run.data->outputLog().stream(2).head, std::string("last words: cannot reach database\n"));
    // A dup from an open descriptor cannot fail: it is recorded at entry, without an exit stop.
    QVERIFY(run.at(dups[0]).flags & EventFlag::ResultUnknown);
}

void TracerTest::failedDupKeepsItsErrno()
{
    // The source descriptor does not resolve at entry: the exit stop is taken and the errno kept.
    const TraceRun run = TraceRun::run(TraceRun::fixture("close_stderr", { "baddup" }));
    QCOMPARE(run.summary.rootStatus.code, 6);
    const auto dups = run.find([&](const Event& e) { return run.text(e.op) == "dup2" || run.text(e.op) == "dup3"; });
    QVERIFY2(dups.size() == 1, qPrintable(run.dump()));
    QVERIFY(run.at(dups[0]).failed());
    QCOMPARE(run.at(dups[0]).errnum, EBADF);
    QVERIFY(!(run.at(dups[0]).flags & EventFlag::ResultUnknown));
}

void TracerTest::cleanExitsOfOtherProgramsPassUnstopped()
{
    const auto check = [](bool fullTrace) {
        LaunchSpec spec = TraceRun::fixture("spawn_children");
        spec.fullTrace = fullTrace;
        const TraceRun run = TraceRun::run(spec);
        QCOMPARE(run.summary.rootStatus.code, 0);
        const auto processes = run.processes();
        const auto child = [&](const std::string& first, const std::string& second = {}) -> const ProcessRecord* {
            for (const auto& process : processes) {
                if (!process.argv.empty() && process.argv[0].ends_with(first)
                    && (second.empty() || (process.argv.size() > 1 && process.argv[1] == second)))
                    return &process;
            }
            return nullptr;
        };
        const ProcessRecord* cleanOther = child("/bin/true");
        const ProcessRecord* failingOther = child("/bin/false");
        const ProcessRecord* cleanSelf = child("spawn_children", "child");
        QVERIFY2(cleanOther && failingOther && cleanSelf, qPrintable(run.dump()));
        const auto exitGroups = [&](int pid) {
            return run.find([&](const Event& e) { return e.pid == pid && run.text(e.op) == "exit_group"; }).size();
        };
        QCOMPARE(cleanOther->status.code, 0);
        QCOMPARE(failingOther->status.code, 1);
        QCOMPARE(cleanSelf->status.code, 0);
        // Focused mode: another program's exit_group(0) passes the filter; its peak memory comes
        // from wait(). --full stops on every syscall.
        QCOMPARE(exitGroups(cleanOther->pid), fullTrace ? std::size_t(1) : std::size_t(0));
        QVERIFY(cleanOther->exitContext.peakRssKiB > 0);
        // A failing exit stops wherever it comes from, with the full exit context...
        QCOMPARE(exitGroups(failingOther->pid), std::size_t(1));
        QVERIFY(failingOther->exitContext.complete);
        // ...and so does every exit made by the launched program's own code, clean or not.
        QCOMPARE(exitGroups(cleanSelf->pid), std::size_t(1));
        QCOMPARE(exitGroups(processes.at(0).pid), std::size_t(1));
        QVERIFY(processes.at(0).exitContext.captured);
    };
    check(false);
    if (QTest::currentTestFailed())
        return;
    check(true);
}

void TracerTest::ownCodeRangeOnlyWhereTheProgramExitsFromIt()
{
    using exitlens::linux_trace::ExecutableText;
    // Go, static or with cgo: its runtime calls exit_group from the executable's own code.
    for (const char* name : { "exit_normal", "cgo_hello" }) {
        const auto text = ExecutableText::ofFixedExecutable(TraceRun::fixturePath(name));
        QVERIFY2(text && text->begin < text->end && text->begin >= 0x400000 && text->end < 0x100000000, name);
    }
    // A PIE (placed at exec), a dynamically linked C program (exits from libc), a script: none.
    QVERIFY(!ExecutableText::ofFixedExecutable(TraceRun::fixturePath("gocrash_pie")));
    QVERIFY(!ExecutableText::ofFixedExecutable(TraceRun::fixturePath("plain_exit")));
    QVERIFY(!ExecutableText::ofFixedExecutable("/nonexistent/program"));
    QTemporaryDir dir;
    const std::string script = dir.path().toStdString() + "/script";
    std::ofstream(script) << "#!/bin/sh\nexit 0\n";
    QVERIFY(!ExecutableText::ofFixedExecutable(script));

    // And so the C program's own clean exit still stops: its exit context is read there.
    const TraceRun run = TraceRun::run(TraceRun::fixture("plain_exit"));
    QCOMPARE(run.summary.rootStatus.code, 0);
    QCOMPARE(run.syscalls("exit_group").size(), std::size_t(1));
    QVERIFY(run.processes().at(0).exitContext.captured);
}

void TracerTest::processArgvIsWhatTheProgramGot()
{
    // A process's argv comes from its execve call when the file named is the program that runs,
    // and from /proc when the kernel started an interpreter (#!) or an argument was too long to
    // read whole at entry. Either way it is what the new program received.
    QTemporaryDir dir;
    const std::string script = dir.path().toStdString() + "/greet.sh";
    std::ofstream(script) << "#!/bin/sh\nexit 0\n";
    chmod(script.c_str(), 0755);
    const std::string longArgument(5000, 'x');
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.program = "/bin/sh";
    spec.args = { "-c", "\"$0\" one 'two words'; /bin/echo plain 'with space' >/dev/null; /bin/true \"$1\"", script,
        longArgument };
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.code, 0);
    const auto withArgv = [&](const std::vector<std::string>& argv) {
        for (const auto& process : run.processes()) {
            if (process.argv == argv)
                return true;
        }
        return false;
    };
    QVERIFY2(withArgv({ "/bin/sh", script, "one", "two words" }), qPrintable(run.dump()));
    QVERIFY2(withArgv({ "/bin/echo", "plain", "with space" }), qPrintable(run.dump()));
    QVERIFY2(withArgv({ "/bin/true", longArgument }), qPrintable(run.dump()));
}

void TracerTest::launchErrors_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<int>("expectedErrno");
    QTest::addColumn<int>("shellStatus");
    static QTemporaryDir dir;
    const QString notExecutable = dir.path() + "/not-executable";
    std::ofstream(notExecutable.toStdString()) << "just text\n";
    const QString script = dir.path() + "/script";
    std::ofstream(script.toStdString()) << "#!/nonexistent/interpreter\necho hi\n";
    chmod(script.toLocal8Bit().constData(), 0755);

    QTest::newRow("missing program") << QString("/nonexistent/program") << ENOENT << 127;
    QTest::newRow("missing in PATH") << QString("exitlens-no-such-program") << ENOENT << 127;
    QTest::newRow("not executable") << notExecutable << EACCES << 126;
    QTest::newRow("other architecture") << QString::fromStdString(TraceRun::fixturePath("wrong_arch")) << ENOEXEC
                                        << 126;
    QTest::newRow("missing interpreter") << script << ENOENT << 127;
}

void TracerTest::launchErrors()
{
    QFETCH(QString, program);
    QFETCH(int, expectedErrno);
    QFETCH(int, shellStatus);
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.program = program.toStdString();
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::LaunchFailed);
    QCOMPARE(run.summary.rootStatus.launchErrno, expectedErrno);
    QCOMPARE(run.summary.rootStatus.shellStatus(), shellStatus);
    QVERIFY(run.summary.rootStatus.describe().find(errnoName(expectedErrno)) != std::string::npos);
    const auto execs = run.syscalls("execve");
    QCOMPARE(execs.size(), std::size_t(1));
    QCOMPARE(run.at(execs[0]).errnum, expectedErrno);
}

void TracerTest::missingWorkingDirectoryIsALaunchError()
{
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.workingDirectory = "/nonexistent/working/dir";
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::LaunchFailed);
    QCOMPARE(run.summary.rootStatus.launchErrno, ENOENT);
    QVERIFY2(run.summary.error.find("working directory /nonexistent/working/dir") != std::string::npos,
        run.summary.error.c_str());
}

void TracerTest::processAndSignalClassesOnly()
{
    LaunchSpec spec = TraceRun::fixture("exit_code");
    std::string error;
    QVERIFY(CaptureClasses::parse("process,signal", spec.classes, error));
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.code, 3);
    QVERIFY(run.find([](const Event& e) { return e.cls == EventClass::File || e.cls == EventClass::Output; }).empty());
    QCOMPARE(run.syscalls("exit_group").size(), std::size_t(1));
}

void TracerTest::exitContextAtEveryKindOfEnd()
{
    // The exit context is read at a process's last stop alive: exit_group's (whatever the capture
    // classes: it is always in the filter) or the delivery of a fatal signal left at its default.
    const auto complete = [](const ProcessRecord& p) {
        return p.exitContext.captured && p.exitContext.complete && p.exitContext.peakRssKiB > 0
            && p.exitContext.openFiles.size() >= 3;
    };
    const TraceRun exited = TraceRun::run(TraceRun::fixture("exit_code"));
    QCOMPARE(exited.summary.rootStatus.code, 3);
    QVERIFY2(complete(exited.processes().at(0)), qPrintable(exited.dump()));
    QVERIFY(exited.summary.stops > 0);

    LaunchSpec fileOnly = TraceRun::fixture("exit_code");
    std::string error;
    QVERIFY(CaptureClasses::parse("file", fileOnly.classes, error));
    const TraceRun quiet = TraceRun::run(fileOnly);
    QCOMPARE(quiet.summary.rootStatus.code, 3);
    QVERIFY2(complete(quiet.processes().at(0)), qPrintable(quiet.dump()));

    const TraceRun crash = TraceRun::run(TraceRun::fixture("child_crash"));
    bool sawCrash = false;
    for (const auto& process : crash.processes()) {
        if (process.status.kind != ExitStatus::Kind::Signaled)
            continue;
        sawCrash = true;
        QCOMPARE(process.status.signal, SIGABRT);
        QVERIFY2(complete(process), qPrintable(crash.dump()));
    }
    QVERIFY(sawCrash);
    // Focused mode reads dispositions from /proc at delivery: rt_sigaction never stops it.
    QVERIFY(crash.syscalls("rt_sigaction").empty());
}

void TracerTest::fullModeRecordsEverySyscall()
{
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.fullTrace = true;
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.code, 0);
    // Calls focused mode never stops on: the runtime's signal setup and its own memory mapping.
    QVERIFY(!run.syscalls("rt_sigaction").empty());
    QVERIFY(!run.syscalls("sched_getaffinity").empty());
    QCOMPARE(run.data->outputLog().stream(1).head, std::string("hello from exit_normal\n"));
}

void TracerTest::fullModeDecodesWritesToFiles()
{
    // In full mode every write stops, not only those to fds 1-2 (which focused mode's filter
    // guarantees): a write to a file must be an ordinary syscall event, not output.
    QTemporaryDir dir;
    const QString work = dir.path() + "/storm";
    QVERIFY(QDir().mkpath(work));
    LaunchSpec spec = TraceRun::fixture("file_storm", { work.toStdString() });
    spec.fullTrace = true;
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(run.summary.rootStatus.code, 0);
    const auto fileWrites = run.find(
        [&](const Event& e) { return e.kind == EventKind::Syscall && run.text(e.op) == "write" && e.result > 0; });
    QVERIFY2(fileWrites.size() >= 1000, qPrintable(QString::number(fileWrites.size())));
    QVERIFY(run.find([&](const Event& e) {
                   return e.kind == EventKind::Output && run.text(e.path) != "stdout" && run.text(e.path) != "stderr";
               })
                .empty());
}

void TracerTest::permissionDeniedAsUnprivilegedUser()
{
    if (geteuid() != 0)
        QSKIP("needs root to switch to the user nobody");
    QTemporaryDir dir;
    chmod(dir.path().toLocal8Bit().constData(), 0755);
    const std::string config = dir.path().toStdString() + "/config.json";
    std::ofstream(config) << "{}\n";
    chmod(config.c_str(), 0600); // owned by root: nobody may not read it
    // The build folder may sit under a private directory (mktemp -d is 0700): give nobody its own copy.
    const QString program = dir.path() + "/missing_file";
    QVERIFY(QFile::copy(QString::fromStdString(TraceRun::fixturePath("missing_file")), program));
    chmod(program.toLocal8Bit().constData(), 0755);
    LaunchSpec spec = TraceRun::fixture("missing_file");
    spec.program = program.toStdString();
    spec.workingDirectory = dir.path().toStdString();
    spec.runAsUser = "nobody";
    const TraceRun run = TraceRun::run(spec);
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(run.summary.rootStatus.code, 1);
    const auto opens =
        run.find([&](const Event& e) { return run.text(e.op) == "openat" && run.text(e.path) == config; });
    QVERIFY2(opens.size() == 1, qPrintable(run.dump()));
    QCOMPARE(run.at(opens[0]).errnum, EACCES);
}

void TracerTest::selfStopStaysStoppedUntilContinued_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGSTOP") << QString("stop") << int(SIGSTOP);
    QTest::newRow("SIGTSTP") << QString("tstp") << int(SIGTSTP);
}

void TracerTest::selfStopStaysStoppedUntilContinued()
{
    // A program that stops itself stays stopped under ExitLens, as it would untraced (and as under
    // strace -f), until someone sends it SIGCONT; then it finishes.
    QFETCH(QString, mode);
    QFETCH(int, signal);
    QTemporaryDir dir;
    const std::string pidFile = dir.path().toStdString() + "/pid";
    LaunchSpec spec = TraceRun::fixture("self_stop", { mode.toStdString(), pidFile });
    // SIGTSTP is discarded in an orphaned process group: no session of its own, so the group the
    // fixture makes has its parent (this test) in the same session.
    if (signal == SIGTSTP)
        spec.stdio = StdioMode::Inherit;
    BackgroundRun background(spec);
    const int pid = waitForPidFile(pidFile);
    QVERIFY(pid > 0);
    background.killOnExit(pid);
    const auto stopped = [&] {
        const char state = processState(pid);
        return state == 't' || state == 'T';
    };
    QTRY_VERIFY_WITH_TIMEOUT(stopped(), 10'000);
    // And it stays stopped: a second later it has neither run on nor ended.
    for (int i = 0; i < 10; ++i) {
        QThread::msleep(100);
        QVERIFY2(stopped(), qPrintable(QString("state '%1'").arg(processState(pid))));
        QVERIFY(!background.done());
    }
    QCOMPARE(kill(pid, SIGCONT), 0);
    const TraceRun& run = background.finish();
    QVERIFY2(run.summary.error.empty(), run.summary.error.c_str());
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Exited);
    QCOMPARE(run.summary.rootStatus.code, 0);
    QCOMPARE(run.data->outputLog().stream(1).head, std::string("continued\n"));
    const auto delivered = [&](int number) {
        return !run.find([&](const Event& e) { return e.kind == EventKind::Signal && e.result == number; }).empty();
    };
    QVERIFY2(delivered(signal), qPrintable(run.dump()));
    QVERIFY2(delivered(SIGCONT), qPrintable(run.dump()));
}

void TracerTest::stopFromExitLensIsNotAFailure()
{
    // Stopping the capture kills the tree with SIGKILL. The verdict says ExitLens stopped it (not
    // "killed by SIGKILL from an unknown sender", with OOM advice), and the children that went
    // with it are no failures of their own.
    LaunchSpec spec = TraceRun::fixture("exit_normal");
    spec.program = "/bin/sh";
    spec.args = { "-c", "/bin/sleep 60 & /bin/sleep 60 & wait" };
    auto data = std::make_shared<CaptureData>(spec);
    auto tracer = createPlatformTracer();
    TraceSummary summary;
    std::thread thread([&] { summary = tracer->run(data->spec(), *data); });
    const auto sleeping = [&] {
        int count = 0;
        for (const auto& process : data->processes().snapshot())
            count += process.exe == "/bin/sleep" || process.exe == "/usr/bin/sleep";
        return count;
    };
    for (int i = 0; i < 400 && sleeping() < 2; ++i)
        QThread::msleep(50);
    QThread::msleep(200);
    tracer->requestStop();
    thread.join();
    data->setSummary(summary);
    QVERIFY(summary.stoppedByUser);
    QCOMPARE(summary.rootStatus.signal, SIGKILL);
    QCOMPARE(sleeping(), 2);
    const Verdict verdict = describeExit(*data, summary);
    QCOMPARE(verdict.category, std::string("stopped_by_exitlens"));
    QVERIFY2(verdict.headline.find(" was stopped from ExitLens after ") != std::string::npos
            && verdict.headline.find("; it was still running") != std::string::npos,
        verdict.headline.c_str());
    QVERIFY2(verdict.headline.find("unknown") == std::string::npos, verdict.headline.c_str());
    QVERIFY(verdict.children.empty());
}

void TracerTest::secondCtrlCIsAStopFromExitLens()
{
    // The CLI: the first Ctrl+C reaches a program that ignores it, the second stops the capture.
    // The summary and the saved session's `report` say ExitLens stopped it, and when it was asked.
    QTemporaryDir dir;
    const QString session = dir.path() + "/stopped.exitlens";
    const auto contents = [&](const QString& name) {
        QFile file(dir.path() + "/" + name);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    };
    QProcess process;
    process.setStandardOutputFile(dir.path() + "/out");
    process.setStandardErrorFile(dir.path() + "/err");
    process.start(EXITLENS_BINARY,
        { "run", "--session", session, "--", "/bin/sh", "-c", "trap '' INT; echo ready; /bin/sleep 60" });
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(contents("out").contains("ready"), 30'000);
    kill(static_cast<pid_t>(process.processId()), SIGINT);
    QTRY_VERIFY_WITH_TIMEOUT(contents("err").contains("waiting for the program"), 10'000);
    QThread::msleep(500);
    kill(static_cast<pid_t>(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(30'000));
    const QString err = contents("err");
    QCOMPARE(process.exitCode(), 128 + SIGKILL);
    QVERIFY2(err.contains(" was stopped from ExitLens after ") && err.contains("after SIGINT had asked it to stop"),
        qPrintable(err));
    QVERIFY2(!err.contains("unknown sender"), qPrintable(err));

    QProcess report;
    report.start(EXITLENS_BINARY, { "report", session });
    QVERIFY(report.waitForFinished(30'000));
    const QString text = QString::fromUtf8(report.readAllStandardOutput());
    QVERIFY2(text.contains("stopped from ExitLens"), qPrintable(text + report.readAllStandardError()));
}

void TracerTest::setuidProgramKeepsItsPrivilegesUnderUser()
{
    // --user drops to the account after the seccomp filter is in place (as root, no
    // no_new_privs): a setuid-root program then runs as root, as it would started by that user
    // without ExitLens. The account's variables are set as runuser sets them.
    if (geteuid() != 0)
        QSKIP("needs root to switch to the user nobody");
    QTemporaryDir dir;
    const QString program = copyForNobody(dir.path(), "ids");
    QVERIFY(!program.isEmpty());
    QCOMPARE(chown(program.toLocal8Bit().constData(), 0, 0), 0);
    QCOMPARE(chmod(program.toLocal8Bit().constData(), 04755), 0);
    const passwd* nobody = getpwnam("nobody");
    QVERIFY(nobody);
    LaunchSpec spec = TraceRun::fixture("ids", { "need-root" });
    spec.program = program.toStdString();
    spec.runAsUser = "nobody";
    const TraceRun run = TraceRun::run(spec);
    QVERIFY2(run.summary.error.empty(), run.summary.error.c_str());
    const std::string expected = "uid=" + std::to_string(nobody->pw_uid) + " euid=0 HOME=" + nobody->pw_dir
        + " USER=nobody LOGNAME=nobody SHELL=" + nobody->pw_shell + "\n";
    QCOMPARE(run.data->outputLog().stream(1).head, expected);
    QCOMPARE(run.summary.rootStatus.code, 0);
}

void TracerTest::privilegesLostToUnprivilegedTracingAreBlamedOnIt()
{
    // Traced by an ExitLens without CAP_SYS_PTRACE, a setuid program runs without its privileges
    // (the kernel's rule). When it fails for it, the verdict says tracing is the cause.
    if (geteuid() != 0)
        QSKIP("needs root to make a setuid program and run ExitLens as nobody");
    QTemporaryDir dir;
    const QString program = copyForNobody(dir.path(), "ids");
    QVERIFY(!program.isEmpty());
    QCOMPARE(chown(program.toLocal8Bit().constData(), 0, 0), 0);
    QCOMPARE(chmod(program.toLocal8Bit().constData(), 04755), 0);
    const QString results = dir.path() + "/results";
    QVERIFY(QDir().mkpath(results));
    chmod(results.toLocal8Bit().constData(), 0777);
    const QString json = results + "/result.json";
    const CliResult cli = runExitLensAs("nobody", { "run", "--json", json, "--", program, "need-root" }, results);
    QVERIFY2(cli.finished, qPrintable(cli.err));
    QCOMPARE(cli.status, 1);
    QVERIFY2(cli.out.contains("euid=" + QString::number(getpwnam("nobody")->pw_uid)), qPrintable(cli.out));
    QFile file(json);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject verdict = QJsonDocument::fromJson(file.readAll()).object().value("verdict").toObject();
    QCOMPARE(verdict.value("category").toString(), QString("privileges_lost_to_tracing"));
    QVERIFY2(verdict.value("headline").toString().contains("setuid root")
            && verdict.value("headline").toString().contains("tracing is the cause"),
        qPrintable(verdict.value("headline").toString()));
}

void TracerTest::unprivilegedTraceeCannotAttachToTheTracer()
{
    // A tracee with ExitLens's own uid would be allowed to attach to a dumpable ExitLens: it is
    // not dumpable while it traces, so the attach fails with EPERM and the capture goes on.
    if (geteuid() != 0)
        QSKIP("needs root to run ExitLens as nobody");
    QTemporaryDir dir;
    const QString program = copyForNobody(dir.path(), "attach_tracer");
    QVERIFY(!program.isEmpty());
    const CliResult cli = runExitLensAs("nobody", { "run", "--", program }, dir.path());
    QVERIFY2(cli.finished, "ExitLens and its tracee deadlocked");
    QVERIFY2(cli.out.contains("attach: EPERM"), qPrintable(cli.out + cli.err));
    QCOMPARE(cli.status, 0);
}

void TracerTest::privilegedTraceeAttachingToTheTracerEndsTheCapture()
{
    // Root may attach anyway (CAP_SYS_PTRACE). The watcher thread sees the tracer thread's
    // TracerPid, kills the attacher and ends the capture with a message: nothing hangs.
    if (geteuid() != 0)
        QSKIP("only a privileged tracee can attach to a non-dumpable ExitLens");
    const TraceRun run = TraceRun::run(TraceRun::fixture("attach_tracer"));
    QVERIFY2(
        run.summary.error.find("attached to ExitLens's tracer thread") != std::string::npos, run.summary.error.c_str());
    QCOMPARE(run.summary.rootStatus.kind, ExitStatus::Kind::Signaled);
    QCOMPARE(run.summary.rootStatus.signal, SIGKILL);
    QVERIFY2(run.summary.error.find("pid " + std::to_string(run.processes().at(0).pid)) != std::string::npos,
        run.summary.error.c_str());
}

void TracerTest::detachedDaemonRunsOnUntraced_data()
{
    QTest::addColumn<bool>("fullTrace");
    QTest::newRow("focused (seccomp filter: a keeper takes over)") << false;
    QTest::newRow("--full (no filter: plainly detached)") << true;
}

void TracerTest::detachedDaemonRunsOnUntraced()
{
    // A double-forked, setsid'd daemon outlives the program. The capture ends when the program
    // has exited, says which processes run on, and lets them run as they would without ExitLens:
    // still working (its traced calls do not fail with ENOSYS), no longer traced by ExitLens.
    QFETCH(bool, fullTrace);
    QTemporaryDir dir;
    const std::string pidFile = dir.path().toStdString() + "/pid";
    const QString log = dir.path() + "/daemon.log";
    LaunchSpec spec = TraceRun::fixture("daemonize", { "root", pidFile, log.toStdString(), "60" });
    spec.fullTrace = fullTrace;
    const TraceRun run = TraceRun::run(spec);
    const int pid = waitForPidFile(pidFile);
    const KillAtEnd killer { pid };
    QVERIFY(pid > 0);
    QVERIFY2(run.summary.error.empty(), run.summary.error.c_str());
    QCOMPARE(run.summary.rootStatus.code, 0);
    QVERIFY2(kill(pid, 0) == 0, "the capture ended only when the daemon did");
    QCOMPARE(run.summary.detachedPids, std::vector<int> { pid });
    ProcessRecord daemon;
    QVERIFY(run.data->processes().find(pid, daemon));
    QVERIFY(daemon.detached);
    QVERIFY(!daemon.status.ended());
    const auto notes = run.find([&](const Event& e) {
        return e.kind == EventKind::Note
            && run.text(e.detail).find("keep running, untraced: pid " + std::to_string(pid)) != std::string::npos;
    });
    QVERIFY2(notes.size() == 1, qPrintable(run.dump()));
    // Not ours any more: a keeper of its own traces it where a filter needs one, nobody otherwise.
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    int tracer = -1;
    while (std::getline(status, line)) {
        if (line.rfind("TracerPid:", 0) == 0)
            tracer = std::stoi(line.substr(10));
    }
    QVERIFY(tracer != static_cast<int>(getpid()));
    if (fullTrace)
        QCOMPARE(tracer, 0);
    else
        QVERIFY(tracer > 0);
    // And it goes on working.
    const qint64 before = fileSize(log);
    QTRY_VERIFY_WITH_TIMEOUT(fileSize(log) > before + 20, 10'000);
    QFile text(log);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const QByteArray written = text.readAll();
    QVERIFY2(!written.contains("failed"), written.constData());
    QVERIFY(kill(pid, 0) == 0);
}

void TracerTest::waitDetachedFollowsTheDaemon()
{
    QTemporaryDir dir;
    const std::string pidFile = dir.path().toStdString() + "/pid";
    const std::string log = dir.path().toStdString() + "/daemon.log";
    LaunchSpec spec = TraceRun::fixture("daemonize", { "root", pidFile, log, "1" });
    spec.waitDetached = true;
    const TraceRun run = TraceRun::run(spec);
    const int pid = waitForPidFile(pidFile);
    QVERIFY(pid > 0);
    QVERIFY(run.summary.detachedPids.empty());
    ProcessRecord daemon;
    QVERIFY(run.data->processes().find(pid, daemon));
    QVERIFY(!daemon.detached);
    QCOMPARE(daemon.status.kind, ExitStatus::Kind::Exited);
    QCOMPARE(daemon.status.code, 0);
    QVERIFY(!run.find([&](const Event& e) {
                    return e.kind == EventKind::Note
                        && run.text(e.detail).find(
                               "following its detached processes (--wait-detached): pid " + std::to_string(pid))
                        != std::string::npos;
                })
                 .empty());
    // Followed to its end: its calls are recorded after the program's exit.
    QVERIFY(run.find([&](const Event& e) { return e.pid == pid && run.text(e.op) == "newfstatat"; }).size() > 5);
}

void TracerTest::cliSaysWhichDaemonsRunOn()
{
    QTemporaryDir dir;
    const QString pidFile = dir.path() + "/pid";
    QProcess process;
    process.start(EXITLENS_BINARY,
        { "run", "--", QString::fromStdString(TraceRun::fixturePath("daemonize")), "root", pidFile,
            dir.path() + "/daemon.log", "60" });
    QVERIFY(process.waitForFinished(30'000));
    const int pid = waitForPidFile(pidFile.toStdString());
    const KillAtEnd killer { pid };
    QVERIFY(pid > 0);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(err.contains(QString("exitlens: the program has exited; its detached processes keep running, untraced: "
                                  "pid %1 (daemonize)")
                              .arg(pid)),
        qPrintable(err));
    QVERIFY(kill(pid, 0) == 0);
}

QTEST_GUILESS_MAIN(TracerTest)
#include "tst_tracer.moc"
