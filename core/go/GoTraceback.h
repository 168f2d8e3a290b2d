#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// One frame of a Go traceback: "main.(*Server).run(0xc000010000, {0x4b2f40, 0x3})" followed by
// "\t/src/app/server.go:88 +0x1d5 [fp=... sp=... pc=...]".
struct GoFrame {
    std::string function;
    std::string args; // as printed; "..." for an inlined call
    std::string file;
    int line = 0;
    std::optional<std::uint64_t> pcOffset; // "+0x1d5"; absent for inlined frames
    std::optional<std::uint64_t> pc; // "pc=0x..." (GOTRACEBACK=system and above)

    bool inlined() const { return args == "..."; }
    // The Go package path of the function: "example.com/app/server" for
    // "example.com/app/server.(*Server).run", "main" for "main.main".
    std::string packagePath() const;
    bool isRuntime() const; // the runtime itself (runtime, runtime/..., "panic", Go <1.5 C frames)
    bool isStandardLibrary() const; // no dot in the first path element, and not "main"
};

struct GoGoroutine {
    long long id = -1; // -1 for a "runtime stack:" block (the system stack of a fatal error)
    std::string state; // "running", "chan receive", "semacquire", "GC worker (idle)"
    int waitMinutes = -1; // "[chan receive, 5 minutes]"
    bool lockedToThread = false;
    std::vector<std::string> extras; // other parts of the header ("gp=0x...", "m=3", "mp=0x...")
    std::vector<GoFrame> frames; // innermost first
    std::optional<GoFrame> createdBy;
    long long createdByGoroutine = -1; // Go 1.21+: "created by F in goroutine N"
    long long originatingGoroutine = -1; // "[originating from goroutine N]:"
    bool framesElided = false; // "...additional frames elided..." / "...N frames elided..."
    bool stackUnavailable = false; // "goroutine running on other thread; stack unavailable"
    bool truncated = false; // the input ended inside its frames
    // Frames beyond TracebackParser's cap that were counted, not kept: they sat between the kept
    // innermost half of `frames` and the kept outermost half (as the runtime elides deep stacks).
    std::size_t framesOmitted = 0;
    // Not the runtime's format: a frame whose position line is missing or broken, a position where
    // a function was due, unbalanced or too deeply nested arguments, a number that fits no word.
    bool malformed = false;
    bool systemStack() const { return id < 0; }
    // 0 for the first traceback; GOTRACEBACK=crash repeats count up; -1 for the goroutines of a
    // report the program survived before it crashed (GoTraceback::report).
    int section = 0;
};

struct GoPanic {
    std::string message; // may span several lines (joined with '\n')
    bool recovered = false; // "[recovered]"
    bool repanicked = false; // "[recovered, repanicked]" (newer releases)
};

struct GoSignalInfo {
    std::string name; // "SIGSEGV" (also for old releases' "[signal 0xb ...]"); the raw code for Windows exceptions
                      // ("0xc0000005")
    std::string description; // "segmentation violation"
    std::string code; // "0x1" (si_code) or "128" (sigcode= of a SIGQUIT dump)
    std::string address; // "0x0"
    std::string pc; // "0x48343e"
};

// Goroutines with the same state and the same frames (function, file and line; not arguments or
// offsets): how many goroutines were parked in the same place.
struct GoStackBucket {
    std::string state;
    std::vector<GoFrame> frames; // of the first goroutine in the bucket
    std::optional<GoFrame> createdBy;
    std::vector<long long> ids;
    std::size_t framesOmitted = 0; // as GoGoroutine::framesOmitted, of the first goroutine
    // Index of the first goroutine in GoTraceback::goroutines. `frames` is empty for the buckets
    // beyond TracebackParser::Options::maxBucketFrames: that goroutine's frames are the stack.
    std::size_t goroutine = 0;
};

struct GoFrameRef {
    std::size_t goroutine = 0; // index into GoTraceback::goroutines
    std::size_t frame = 0;
};

// Everything the Go runtime printed when it died, parsed from captured stderr or a paste.
struct GoTraceback {
    enum class Kind { None, Panic, FatalError, Signal };
    Kind kind = Kind::None;
    // Reports printed by something other than a dying runtime: the program went on, so kind stays
    // None. DataRace: the race detector's "WARNING: DATA RACE" (the accesses are the goroutines,
    // their state "read at 0x...", "previous write at 0x..."). HttpPanic: "http: panic serving
    // ADDR: VALUE", a handler's panic that net/http recovered and logged (panics[0], recovered).
    enum class Report { None, DataRace, HttpPanic };
    Report report = Report::None;
    std::string reason; // the panic value, the fatal error text, or "SIGQUIT: quit"
    std::vector<GoPanic> panics; // the chain, outermost first (nested panics, [recovered])
    std::string fatalError; // "all goroutines are asleep - deadlock!"
    std::vector<std::string> runtimeLines; // "runtime: goroutine stack exceeds 1000000000-byte limit"
    std::optional<GoSignalInfo> signal;
    std::vector<GoGoroutine> goroutines;
    std::optional<std::size_t> panicking; // index of the goroutine that died (printed first)
    std::optional<GoFrameRef> ownFrame; // first frame of the program's own code in it
    std::vector<GoStackBucket> buckets; // largest first
    std::optional<int> exitStatus; // "exit status 2" printed by `go run` or a wrapper
    int repeats = 0; // further tracebacks after the first (GOTRACEBACK=crash, "-----" + SIGQUIT)
    std::vector<std::pair<std::size_t, std::string>> otherLines; // (line number, text) not understood
    std::size_t otherLinesOmitted = 0; // further lines not understood, beyond the cap on otherLines
    std::size_t runtimeLogLines = 0; // GODEBUG gctrace/schedtrace/inittrace lines set aside
    std::size_t lines = 0;
    bool truncated = false; // the input ended inside a frame

    bool found() const { return kind != Kind::None || !goroutines.empty(); }
    // A traceback worth the name: a well-formed goroutine whose first frame has its position
    // (`exitlens traceback` refuses input without; a lone "panic: x" line is something else).
    bool hasStack() const
    {
        for (const auto& goroutine : goroutines)
            if (!goroutine.malformed && !goroutine.frames.empty() && !goroutine.frames.front().file.empty())
                return true;
        return false;
    }
    const GoFrame* ownFrameFrame() const
    {
        return ownFrame ? &goroutines[ownFrame->goroutine].frames[ownFrame->frame] : nullptr;
    }
    static std::string_view kindName(Kind kind);
    static std::string_view reportName(Report report);
};

} // namespace exitlens
