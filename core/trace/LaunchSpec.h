#pragma once

#include "CaptureClasses.h"

#include <optional>
#include <string>
#include <vector>

namespace exitlens {

// How the target's standard streams are connected.
enum class StdioMode {
    Inherit, // the CLI: the caller's own fds 0-2, so a terminal stays a terminal and a closed pipe still gives SIGPIPE
    Pipes, // the GUI: stdin from /dev/null, stdout/stderr into pipes the engine drains
    Null, // everything to /dev/null (tests, benchmarks)
};

struct LaunchSpec {
    std::string program; // as the user typed it; resolved through PATH when it has no slash
    std::vector<std::string> args; // argv[1..]; argv[0] is the program as typed
    std::string workingDirectory; // empty: the caller's current directory
    std::vector<std::string> environment; // the complete environment, "NAME=value"
    StdioMode stdio = StdioMode::Inherit;
    std::string stdinFile; // Pipes mode: read stdin from this file instead of /dev/null
    std::optional<std::string> runAsUser; // only when ExitLens runs as root
    CaptureClasses classes = CaptureClasses::all();
    bool fullTrace = false; // stop on every syscall, like strace
    // When the launched program has exited and only processes that left its tree remain (daemons),
    // keep following them rather than end the capture and let them run on untraced.
    bool waitDetached = false;
    // A filter-language expression (docs/filters.md): syscall, output and signal events it rejects are
    // dropped after decoding and counted. Empty: keep everything. The tracer never parses it; the
    // sink (CaptureData) evaluates it, so core/trace stays free of the filter code.
    std::string captureFilter;
};

} // namespace exitlens
