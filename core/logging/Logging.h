#pragma once

#include "trace/Tracer.h"

#include <memory>
#include <spdlog/common.h>
#include <spdlog/logger.h>
#include <string>
#include <string_view>

// ExitLens's own diagnostics (not the captured program's events): one rotating log file under
// the XDG state folder, optionally mirrored on stderr, with one named logger per subsystem so
// a line says where it came from.
namespace exitlens::logging {

enum class Subsystem { Trace, Capture, Store, Cli, Ui, Qt };

// The logger's name as it appears in each line: "trace", "capture", "store", "cli", "ui", "qt".
std::string_view subsystemName(Subsystem subsystem);

// Accepts exactly "trace", "debug", "info", "warn", "error" and "off". Returns false (and
// leaves level alone) for anything else, so the CLI can reject a bad --log-level clearly.
bool parseLevel(const std::string& name, spdlog::level::level_enum& level);
// The accepted names for an error message: "trace, debug, info, warn, error, off".
std::string_view levelNames();

// Sets up the sinks: a rotating file (5 MiB, the current file plus 3 rotated ones) at
// $XDG_STATE_HOME/exitlens/exitlens.log, falling back to ~/.local/state, and, when toStderr, a
// stderr sink that uses colour only on a terminal. An empty level means the defaults: "info"
// for the file and "warn" on stderr; any valid name sets both sinks to that level ("off" also
// leaves the file unopened). An invalid name is reported on stderr and the defaults are used.
// If the log folder or file cannot be created, logging carries on without the file and says so
// on stderr once. Also routes Qt's own messages into the "qt" logger.
// Safe to call again: later calls reconfigure levels and sinks, never duplicating them.
void initialize(const std::string& level, bool toStderr);

// The logger for a subsystem; the same object on every call, usable before initialize() (it
// writes nowhere until then) and from any thread.
std::shared_ptr<spdlog::logger> logger(Subsystem subsystem);

// Adapts the Qt-free tracer's log callback to the "trace" logger.
TraceLogger traceLogger();

// The log file being written; empty when there is none.
std::string logFilePath();

} // namespace exitlens::logging
