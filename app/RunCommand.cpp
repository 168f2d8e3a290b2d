#include "RunCommand.h"

#include "CommandLine.h"
#include "Names.h"
#include "capture/CaptureEngine.h"
#include "diagnosis/Verdict.h"
#include "filter/FilterParser.h"
#include "logging/Logging.h"
#include "report/EventFormatter.h"
#include "report/ResultDocument.h"
#include "report/VerdictText.h"
#include "session/SessionWriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/signalfd.h>
#include <unistd.h>

extern char** environ;

namespace exitlens {

namespace {
constexpr int kOwnFailure = 125;
constexpr int kGracePeriodMs = 10'000; // after the first signal, before ExitLens stops the tree itself
constexpr int kForwardCheckMs = 200; // time for a group-wide signal to show up at the target

std::vector<std::string> currentEnvironment()
{
    std::vector<std::string> environment;
    for (char** entry = environ; entry && *entry; ++entry)
        environment.emplace_back(*entry);
    return environment;
}

struct Options {
    LaunchSpec spec;
    QString jsonPath;
    QString sessionPath;
    QString eventsPath;
    bool printEvents = false;
    bool quiet = false;
};

// Returns -1 when parsing succeeded, otherwise the exit status to return.
int parseOptions(const QStringList& arguments, Options& options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Run PROGRAM under ExitLens and report exactly how it ended.");
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addHelpOption();
    const QCommandLineOption json("json", "Write the result document (see docs/cli.md) to FILE.", "FILE");
    const QCommandLineOption session(
        "session", "Save the capture as a session file (.exitlens; see docs/session-format.md) as it runs.", "FILE");
    const QCommandLineOption full("full", "Trace every system call, like strace (slower).");
    const QCommandLineOption capture("capture",
        "Capture only these event classes (comma-separated: process, thread, file, network, signal, memory, "
        "output, runtime, or all). Process events are always captured.",
        "CLASSES");
    const QCommandLineOption captureFilter("capture-filter",
        "Record only the system call and signal events matching this filter expression (docs/filters.md); the "
        "rest are dropped and counted. Process and thread events are always recorded.",
        "EXPR");
    const QCommandLineOption printEvents("print-events", "Print every event as one readable line to stderr.");
    const QCommandLineOption eventsFile(
        QStringList { "o", "output" }, "With --print-events: write the lines to FILE instead.", "FILE");
    const QCommandLineOption quiet("quiet", "Do not print the summary at the end.");
    const QCommandLineOption user("user", "Run the program as this user (ExitLens must run as root).", "NAME");
    const QCommandLineOption logLevel("log-level", "Log level: trace, debug, info, warn, error, off.", "LEVEL");
    const QCommandLineOption waitDetached("wait-detached",
        "When the program has exited and only processes that left it remain (daemons), keep following them "
        "rather than end the capture and let them run on untraced.");
    parser.addOptions(
        { json, session, full, capture, captureFilter, printEvents, eventsFile, quiet, user, logLevel, waitDetached });
    parser.addPositionalArgument("program", "The program to run (searched in PATH when it has no slash).");
    parser.addPositionalArgument("args", "Its arguments.", "[args...]");

    if (const int status = cli::parse(parser, arguments, "run"); status >= 0)
        return status;
    if (parser.isSet(logLevel)) {
        spdlog::level::level_enum level {};
        if (!logging::parseLevel(parser.value(logLevel).toStdString(), level)) {
            cli::printError(
                "unknown log level '" + parser.value(logLevel) + "' (trace, debug, info, warn, error, off)");
            return 2;
        }
        logging::initialize(parser.value(logLevel).toStdString(), true);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        cli::printError("no program given. Usage: exitlens run [options] [--] PROGRAM [ARGS...]");
        return 2;
    }
    if (parser.isSet(full) && parser.isSet(capture)) {
        cli::printError("--full and --capture cannot be combined: --full records every class");
        return 2;
    }
    if (parser.isSet(capture)) {
        std::string error;
        if (!CaptureClasses::parse(parser.value(capture).toStdString(), options.spec.classes, error)) {
            cli::printError(QString::fromStdString(error));
            return 2;
        }
    }
    if (parser.isSet(captureFilter)) {
        // Checked here, before anything starts: a mistake must not cost a run of the program.
        const std::string expression = parser.value(captureFilter).toStdString();
        const FilterParseResult parsed = FilterParser::parse(expression);
        if (parsed.state != FilterParseResult::State::Empty && !parsed.valid()) {
            cli::printError(
                "bad --capture-filter: " + QString::fromStdString(FilterParser::describeError(expression, parsed)));
            return 2;
        }
        if (parsed.valid())
            options.spec.captureFilter = expression;
    }
    if (parser.isSet(eventsFile) && !parser.isSet(printEvents)) {
        cli::printError("-o FILE needs --print-events");
        return 2;
    }
    options.spec.program = positional.front().toStdString();
    for (qsizetype i = 1; i < positional.size(); ++i)
        options.spec.args.push_back(positional[i].toStdString());
    options.spec.environment = currentEnvironment();
    options.spec.stdio = StdioMode::Inherit;
    options.spec.fullTrace = parser.isSet(full);
    options.spec.waitDetached = parser.isSet(waitDetached);
    if (parser.isSet(user))
        options.spec.runAsUser = parser.value(user).toStdString();
    options.jsonPath = parser.value(json);
    options.sessionPath = parser.value(session);
    options.printEvents = parser.isSet(printEvents);
    options.eventsPath = parser.value(eventsFile);
    options.quiet = parser.isSet(quiet);
    return -1;
}

// Whether a session file can be created at path (the writer replaces whatever is there): tried
// for real, so read-only mounts, missing folders and permissions all answer.
bool sessionWritable(const QString& path, QString& error)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        error = "it is a directory";
        return false;
    }
    const QFileInfo folder(info.absolutePath());
    if (!folder.isDir()) {
        error = "the folder " + folder.filePath() + " does not exist";
        return false;
    }
    const bool existed = info.exists();
    if (existed && !info.isFile())
        return true; // a device or a pipe: not this check's business (SQLite says what it makes of it)
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
        error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    ::close(fd);
    if (!existed)
        ::unlink(native.constData());
    // The writer also creates PATH-wal and PATH-journal beside it.
    const QByteArray probe = QFile::encodeName(info.absolutePath() + "/.exitlens-probe-XXXXXX");
    std::string name = probe.toStdString();
    const int probeFd = ::mkstemp(name.data());
    if (probeFd < 0) {
        error = "cannot create files in " + info.absolutePath() + ": " + QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    ::close(probeFd);
    ::unlink(name.c_str());
    return true;
}

// The CLI's run: owns the engine thread, the signal handling and the printing.
class CliRun : public QObject {
public:
    explicit CliRun(Options options)
        : m_options(std::move(options))
    {
    }

    ~CliRun() override
    {
        m_engineThread.quit();
        m_engineThread.wait();
        if (m_events && m_events != stderr)
            std::fclose(m_events);
    }

    int exec(int signalFd)
    {
        if (m_options.printEvents) {
            m_events = stderr;
            if (!m_options.eventsPath.isEmpty()) {
                m_events = std::fopen(qPrintable(m_options.eventsPath), "w");
                if (!m_events) {
                    cli::printError(
                        "cannot write " + m_options.eventsPath + ": " + QString::fromLocal8Bit(strerror(errno)));
                    return kOwnFailure;
                }
            }
        }
        if (!m_options.sessionPath.isEmpty()) {
            // Refused before anything runs, like -o: a session that cannot be written must not
            // cost a run of the program.
            QString error;
            if (!sessionWritable(m_options.sessionPath, error)) {
                cli::printError("cannot write the session " + m_options.sessionPath + ": " + error);
                return kOwnFailure;
            }
        }
        m_engine = new CaptureEngine;
        m_engine->moveToThread(&m_engineThread);
        connect(&m_engineThread, &QThread::finished, m_engine, &QObject::deleteLater);
        connect(m_engine, &CaptureEngine::started, this, [this](std::shared_ptr<const CaptureData> data) {
            m_data = std::move(data);
            startSession();
        });
        connect(m_engine, &CaptureEngine::batchAppended, this, &CliRun::printEvents);
        connect(m_engine, &CaptureEngine::batchAppended, this, &CliRun::printNotes);
        connect(m_engine, &CaptureEngine::finished, this, &CliRun::onFinished);
        m_engineThread.start();

        auto* notifier = new QSocketNotifier(signalFd, QSocketNotifier::Read, this);
        connect(notifier, &QSocketNotifier::activated, this, [this, signalFd] { onSignal(signalFd); });

        QMetaObject::invokeMethod(m_engine, "start", Qt::QueuedConnection, Q_ARG(exitlens::LaunchSpec, m_options.spec));
        return QCoreApplication::exec();
    }

private:
    void printEvents(quint64 first, quint64 count)
    {
        if (!m_events || !m_data)
            return;
        const EventFormatter formatter(*m_data);
        for (quint64 seq = first; seq < first + count; ++seq) {
            const std::string line = formatter.line(seq);
            std::fprintf(m_events, "%s\n", line.c_str());
        }
        std::fflush(m_events);
    }

    // The tracer's word on the capture itself (the program exited, its daemons run on): on
    // stderr as it happens, whether or not events are printed.
    void printNotes(quint64 first, quint64 count)
    {
        if (!m_data)
            return;
        for (quint64 seq = first; seq < first + count; ++seq) {
            const Event& event = m_data->events().at(seq);
            if (event.kind == EventKind::Note && m_data->text(event.op) == "detached")
                std::fprintf(stderr, "exitlens: %s\n", std::string(m_data->text(event.detail)).c_str());
        }
    }

    void startSession()
    {
        if (m_options.sessionPath.isEmpty() || !m_data)
            return;
        m_writer = std::make_unique<SessionWriter>();
        // A full disk is said when it happens, not at the end: the capture goes on regardless.
        connect(m_writer.get(), &SessionWriter::storageFailed, this, [this](const QString& message) {
            cli::printError("cannot write the session " + m_options.sessionPath + ": " + message);
        });
        QString error;
        if (!m_writer->start(m_options.sessionPath, m_data, error)) {
            cli::printError("cannot write the session " + m_options.sessionPath + ": " + error);
            m_writer.reset();
        }
    }

    void onSignal(int signalFd)
    {
        signalfd_siginfo info {};
        if (read(signalFd, &info, sizeof(info)) != static_cast<ssize_t>(sizeof(info)))
            return;
        const int signal = static_cast<int>(info.ssi_signo);
        ++m_signalsReceived;
        if (m_writer)
            m_writer->flush(); // what was captured so far is on disk whatever happens next
        if (m_signalsReceived == 1) {
            // A terminal's Ctrl-C and a supervisor's group-wide SIGTERM reach the program too:
            // let it react, record how it ends. Forward only if it did not get its own copy.
            std::fprintf(stderr, "exitlens: received %s; waiting for the program to react (again to stop it)\n",
                signalName(signal).c_str());
            const std::uint64_t mark = m_data ? m_data->events().size() : 0;
            QTimer::singleShot(kForwardCheckMs, this, [this, signal, mark] { forwardIfMissed(signal, mark); });
            QTimer::singleShot(kGracePeriodMs, this, [this] {
                if (m_engine->isRunning()) {
                    std::fprintf(
                        stderr, "exitlens: the program is still running after the grace period; stopping it\n");
                    m_engine->stop();
                }
            });
            return;
        }
        std::fprintf(stderr, "exitlens: received %s again; stopping the traced program\n", signalName(signal).c_str());
        m_engine->stop();
    }

    void forwardIfMissed(int signal, std::uint64_t mark)
    {
        if (!m_data || !m_engine->isRunning())
            return;
        const auto processes = m_data->processes().snapshot();
        if (processes.empty())
            return;
        const int root = processes.front().pid;
        const std::uint64_t count = m_data->events().size();
        for (std::uint64_t seq = mark; seq < count; ++seq) {
            const Event& event = m_data->events().at(seq);
            if (event.kind == EventKind::Signal && event.pid == root && event.result == signal)
                return;
        }
        m_engine->forwardSignal(signal);
    }

    void onFinished(const TraceSummary& summary)
    {
        const Verdict verdict = describeExit(*m_data, summary);
        int status = summary.rootStatus.shellStatus();
        if (!summary.error.empty() && summary.rootStatus.kind != ExitStatus::Kind::LaunchFailed) {
            cli::printError(QString::fromStdString(summary.error));
            status = kOwnFailure;
        }
        if (!m_options.jsonPath.isEmpty()) {
            QString error;
            if (!ResultDocument::write(ResultDocument::build(*m_data, summary, verdict), m_options.jsonPath, error)) {
                cli::printError("cannot write " + m_options.jsonPath + ": " + error);
                status = kOwnFailure;
            }
        }
        // A session that could not be written (whole) is said on stderr; the exit status stays the
        // program's, which is what a script running `exitlens run` checks.
        if (m_writer) {
            m_writer->finish(verdict);
            m_writer->waitForFinished();
            if (!m_writer->errorString().isEmpty())
                cli::printError("cannot write the session " + m_options.sessionPath + ": " + m_writer->errorString());
        }
        if (!m_options.quiet) {
            printSummary(summary, verdict);
            if (m_writer && m_writer->errorString().isEmpty())
                std::fprintf(stderr, "session saved to %s\n", qPrintable(m_options.sessionPath));
        }
        QCoreApplication::exit(status);
    }

    void printSummary(const TraceSummary& summary, const Verdict& verdict)
    {
        std::fprintf(stderr, "\n── ExitLens ──────────────────────────────────────────\n%s",
            VerdictText::plain(verdict).c_str());
        std::fprintf(stderr, "%llu events, %llu processes, %llu threads%s\n",
            static_cast<unsigned long long>(m_data->events().size()),
            static_cast<unsigned long long>(summary.processes), static_cast<unsigned long long>(summary.threads),
            summary.dropped ? (", " + std::to_string(summary.dropped) + " dropped").c_str() : "");
    }

    Options m_options;
    QThread m_engineThread;
    CaptureEngine* m_engine = nullptr;
    std::shared_ptr<const CaptureData> m_data;
    std::FILE* m_events = nullptr;
    std::unique_ptr<SessionWriter> m_writer;
    int m_signalsReceived = 0;
};
} // namespace

int runCommand(const QStringList& arguments)
{
    Options options;
    if (const int status = parseOptions(arguments, options); status >= 0)
        return status;

    // Block the signals we wait for before any thread exists, so every thread inherits the mask
    // and they arrive only through the signalfd. The traced child unblocks them before exec.
    sigset_t waited;
    sigemptyset(&waited);
    for (int signal : { SIGINT, SIGTERM, SIGHUP })
        sigaddset(&waited, signal);
    pthread_sigmask(SIG_BLOCK, &waited, nullptr);
    const int signalFd = signalfd(-1, &waited, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signalFd < 0) {
        cli::printError(QString("signalfd failed: ") + strerror(errno));
        return kOwnFailure;
    }
    int status = 0;
    {
        CliRun run(std::move(options));
        status = run.exec(signalFd);
    }
    close(signalFd);
    return status;
}

} // namespace exitlens
