// Traces the real Go fixtures of tests/programs with the Linux backend and checks the exact
// events: paths, errno names, parent pids, exit codes and signals, bytes written to fd 2.
#include "Names.h"
#include "TestPaths.h"
#include "TraceRun.h"
#include "linux/ExecutableText.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <set>
#include <sys/stat.h>
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
};

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

QTEST_GUILESS_MAIN(TracerTest)
#include "tst_tracer.moc"
