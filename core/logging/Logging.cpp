#include "Logging.h"

#include <QString>
#include <QtGlobal>
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <pwd.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace exitlens::logging {

namespace {

constexpr std::size_t kMaxFileSize = std::size_t { 5 } * 1024 * 1024;
constexpr std::size_t kRotatedFiles = 3;
constexpr std::size_t kSubsystemCount = static_cast<std::size_t>(Subsystem::Qt) + 1;

constexpr std::array<std::string_view, kSubsystemCount> kSubsystemNames = {
    "trace",
    "capture",
    "store",
    "cli",
    "ui",
    "qt",
};

struct LevelName {
    std::string_view name;
    spdlog::level::level_enum level;
};

constexpr std::array<LevelName, 6> kLevelNames = { {
    { "trace", spdlog::level::trace },
    { "debug", spdlog::level::debug },
    { "info", spdlog::level::info },
    { "warn", spdlog::level::warn },
    { "error", spdlog::level::err },
    { "off", spdlog::level::off },
} };

// Every logger writes into one dist_sink, so reconfiguring means swapping the dist_sink's
// children; the loggers themselves are created once and handed out freely.
struct State {
    State()
        : dist(std::make_shared<spdlog::sinks::dist_sink_mt>())
    {
        for (std::size_t i = 0; i < kSubsystemNames.size(); ++i) {
            auto created = std::make_shared<spdlog::logger>(std::string(kSubsystemNames[i]), dist);
            // Nothing to write to before initialize(); skip formatting entirely.
            created->set_level(spdlog::level::off);
            // Debug/trace lines can come per system call, so only info and up pay for a flush.
            created->flush_on(spdlog::level::info);
            loggers[i] = std::move(created);
        }
    }

    std::mutex mutex; // guards everything below; the loggers and dist are thread-safe themselves
    std::shared_ptr<spdlog::sinks::dist_sink_mt> dist;
    std::array<std::shared_ptr<spdlog::logger>, kSubsystemCount> loggers;
    std::shared_ptr<spdlog::sinks::rotating_file_sink_mt> fileSink;
    std::string filePath;
    std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> stderrSink;
    bool reportedFileProblem = false;
    bool qtHandlerInstalled = false;
};

State& state()
{
    // Never destroyed: Qt may still log from its own global destructors after ours have run,
    // and exit() flushes the log file's stdio buffer anyway.
    static auto* instance = new State;
    return *instance;
}

std::filesystem::path stateDirectory()
{
    // The XDG spec says to ignore relative paths here.
    // getenv only races with setenv; initialize() runs at startup, before threads that could.
    // NOLINTNEXTLINE(concurrency-mt-unsafe)
    const char* xdg = std::getenv("XDG_STATE_HOME");
    if (xdg && xdg[0] == '/')
        return xdg;

    std::string home;
    // NOLINTNEXTLINE(concurrency-mt-unsafe)
    if (const char* env = std::getenv("HOME"); env && env[0] != '\0') {
        home = env;
    } else {
        // No $HOME (a service, env -i): ask the password database, reentrantly.
        passwd entry {};
        passwd* found = nullptr;
        std::vector<char> buffer(16384);
        if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_dir)
            home = found->pw_dir;
    }
    if (home.empty())
        return {};
    // A home that does not exist (HOME=/nonexistent, as services and `nobody` have) is no place to
    // create .local/state in: as root, that would make the folder out of nothing.
    std::error_code error;
    if (!std::filesystem::is_directory(home, error))
        return {};
    return std::filesystem::path(home) / ".local" / "state";
}

void reportFileProblem(State& s, const std::string& what)
{
    if (s.reportedFileProblem)
        return;
    s.reportedFileProblem = true;
    std::fprintf(stderr, "exitlens: %s; continuing without a log file\n", what.c_str());
}

// Opens the log file if it is not already open at the right place. Called with s.mutex held.
void openFile(State& s)
{
    const std::filesystem::path base = stateDirectory();
    if (base.empty()) {
        reportFileProblem(
            s, "cannot find a home folder for the log file (set XDG_STATE_HOME, or HOME to a folder that exists)");
        s.fileSink.reset();
        s.filePath.clear();
        return;
    }
    const std::filesystem::path folder = base / "exitlens";
    const std::string path = (folder / "exitlens.log").string();
    if (s.fileSink && s.filePath == path)
        return;

    // Close the previous file first so a move never leaves two handles rotating one file.
    s.fileSink.reset();
    s.filePath.clear();

    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        reportFileProblem(s, "cannot create the log folder " + folder.string() + ": " + error.message());
        return;
    }
    try {
        // spdlog opens the file without O_CLOEXEC: every program ExitLens traces would inherit it
        // (and a verdict would quote ExitLens's own log as the program's "last words"). Mark it
        // close-on-exec each time it is (re)opened, rotations included.
        spdlog::file_event_handlers handlers;
        handlers.after_open = [](const spdlog::filename_t&, std::FILE* file) {
            if (file)
                fcntl(fileno(file), F_SETFD, FD_CLOEXEC);
        };
        auto sink =
            std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, kMaxFileSize, kRotatedFiles, false, handlers);
        sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%P:%t] [%n] [%l] %v");
        s.fileSink = std::move(sink);
        s.filePath = path;
    } catch (const spdlog::spdlog_ex& ex) {
        reportFileProblem(s, "cannot open the log file " + path + ": " + ex.what());
    }
}

void logText(const std::shared_ptr<spdlog::logger>& target, spdlog::level::level_enum level, const std::string& text)
{
    // The string_view overload writes the text as is; the format overloads would choke on braces.
    target->log(level, spdlog::string_view_t(text.data(), text.size()));
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    std::string text = message.toStdString();
    if (context.category && std::strcmp(context.category, "default") != 0)
        text = std::string(context.category) + ": " + text;

    const auto& target = state().loggers[static_cast<std::size_t>(Subsystem::Qt)];
    switch (type) {
    case QtDebugMsg:
        logText(target, spdlog::level::debug, text);
        return;
    case QtInfoMsg:
        logText(target, spdlog::level::info, text);
        return;
    case QtWarningMsg:
        logText(target, spdlog::level::warn, text);
        return;
    case QtCriticalMsg:
        logText(target, spdlog::level::err, text);
        return;
    case QtFatalMsg:
        logText(target, spdlog::level::critical, text);
        // abort() skips exit()'s stdio flush; make sure the reason reaches the file.
        target->flush();
        std::abort();
    }
}

spdlog::level::level_enum toSpdlog(TraceLogLevel level)
{
    switch (level) {
    case TraceLogLevel::Debug:
        return spdlog::level::debug;
    case TraceLogLevel::Info:
        return spdlog::level::info;
    case TraceLogLevel::Warning:
        return spdlog::level::warn;
    case TraceLogLevel::Error:
        return spdlog::level::err;
    }
    return spdlog::level::err;
}

} // namespace

std::string_view subsystemName(Subsystem subsystem)
{
    return kSubsystemNames[static_cast<std::size_t>(subsystem)];
}

bool parseLevel(const std::string& name, spdlog::level::level_enum& level)
{
    const auto it = std::find_if(
        kLevelNames.begin(), kLevelNames.end(), [&name](const LevelName& entry) { return entry.name == name; });
    if (it == kLevelNames.end())
        return false;
    level = it->level;
    return true;
}

std::string_view levelNames()
{
    return "trace, debug, info, warn, error, off";
}

void initialize(const std::string& level, bool toStderr)
{
    State& s = state();
    const std::lock_guard lock(s.mutex);

    spdlog::level::level_enum fileLevel = spdlog::level::info;
    spdlog::level::level_enum stderrLevel = spdlog::level::warn;
    if (!level.empty()) {
        spdlog::level::level_enum parsed = spdlog::level::info;
        if (parseLevel(level, parsed)) {
            fileLevel = parsed;
            stderrLevel = parsed;
        } else {
            std::fprintf(stderr, "exitlens: unknown log level \"%s\" (expected one of: %s); using the defaults\n",
                level.c_str(), std::string(levelNames()).c_str());
        }
    }

    if (fileLevel == spdlog::level::off) {
        s.fileSink.reset();
        s.filePath.clear();
    } else {
        openFile(s);
    }

    if (toStderr) {
        if (!s.stderrSink) {
            s.stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
            s.stderrSink->set_pattern("exitlens: [%n] %^%l%$: %v");
        }
    } else {
        s.stderrSink.reset();
    }

    std::vector<std::shared_ptr<spdlog::sinks::sink>> sinks;
    spdlog::level::level_enum loggerLevel = spdlog::level::off;
    if (s.fileSink) {
        s.fileSink->set_level(fileLevel);
        sinks.push_back(s.fileSink);
        loggerLevel = std::min(loggerLevel, fileLevel);
    }
    if (s.stderrSink) {
        s.stderrSink->set_level(stderrLevel);
        sinks.push_back(s.stderrSink);
        loggerLevel = std::min(loggerLevel, stderrLevel);
    }
    // Flush whatever the old set buffered before it may be dropped.
    s.dist->flush();
    s.dist->set_sinks(std::move(sinks));
    // The loggers filter at the lowest sink level, so a line no sink wants is never formatted.
    for (const auto& each : s.loggers)
        each->set_level(loggerLevel);

    if (!s.qtHandlerInstalled) {
        qInstallMessageHandler(qtMessageHandler);
        s.qtHandlerInstalled = true;
    }
}

std::shared_ptr<spdlog::logger> logger(Subsystem subsystem)
{
    return state().loggers[static_cast<std::size_t>(subsystem)];
}

TraceLogger traceLogger()
{
    return [target = logger(Subsystem::Trace)](
               TraceLogLevel level, const std::string& message) { logText(target, toSpdlog(level), message); };
}

std::string logFilePath()
{
    State& s = state();
    const std::lock_guard lock(s.mutex);
    return s.filePath;
}

} // namespace exitlens::logging
