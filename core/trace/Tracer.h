#pragma once

#include "ExitStatus.h"
#include "LaunchSpec.h"
#include "TraceSink.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace exitlens {

struct TraceSummary {
    ExitStatus rootStatus; // how the launched program ended
    std::string error; // ExitLens's own failure (could not fork, ptrace refused, ...); empty when fine
    std::uint64_t events = 0;
    std::uint64_t processes = 0;
    std::uint64_t threads = 0;
    std::uint64_t dropped = 0; // events seen but not recorded (always counted, never silent)
    std::uint64_t filteredOut = 0; // events the capture filter rejected (TraceSink::keep): never numbered or stored
    std::uint64_t stops = 0; // times a tracee stopped for the tracer: each one is a round trip it waits for
    bool stoppedByUser = false;
    // Processes still running when the capture ended: the program had exited and they had left
    // its tree (daemons); ExitLens let them run on untraced. Empty with LaunchSpec::waitDetached.
    std::vector<int> detachedPids;
};

// Severity of a tracer log line; the Qt-free tracer logs through a callback the core installs.
enum class TraceLogLevel { Debug, Info, Warning, Error };
using TraceLogger = std::function<void(TraceLogLevel, const std::string&)>;

// One capture of one launched program and everything it starts. Backends: Linux (ptrace +
// seccomp) now, Windows (Debug API) later. run() blocks until the whole traced tree has ended;
// the thread that calls run() is the only one that may talk to the tracees.
class Tracer {
public:
    virtual ~Tracer() = default;

    virtual TraceSummary run(const LaunchSpec& spec, TraceSink& sink) = 0;

    // Safe from any thread and from a signal handler's deferred work: kills the traced tree,
    // which makes run() return. Never leaves a process stopped.
    virtual void requestStop() = 0;
    // Safe from any thread: forwards a signal to the root process (the CLI's first Ctrl-C).
    virtual void forwardSignal(int signal) = 0;

    void setLogger(TraceLogger logger) { m_logger = std::move(logger); }

protected:
    void log(TraceLogLevel level, const std::string& message) const
    {
        if (m_logger)
            m_logger(level, message);
    }

private:
    TraceLogger m_logger;
};

// The backend for the platform ExitLens was built for.
std::unique_ptr<Tracer> createPlatformTracer();

} // namespace exitlens
