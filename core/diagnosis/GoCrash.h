#pragma once

#include <optional>
#include <string>

namespace exitlens {

// The part of a Go runtime death message the verdict rules need, extracted from the traceback
// parser's result (core/go/): what kind of death, its message, and where in the program's own
// code it happened.
struct GoCrash {
    enum class Kind {
        Panic, // panic: ...
        FatalError, // fatal error: ... (concurrent map writes, ...)
        Deadlock, // fatal error: all goroutines are asleep - deadlock!
        StackOverflow, // runtime: goroutine stack exceeds ... / fatal error: stack overflow
        OutOfMemory, // fatal error: runtime: out of memory
        Signal, // a [signal SIGSEGV ...] fault in Go or cgo code
    };
    Kind kind = Kind::Panic;
    std::string message; // "settings: invalid port 70000", "concurrent map writes"
    std::string signal; // "SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47e6b6", if any
    std::string function; // first frame in the program's own code: "main.loadSettings"
    std::string file; // "/src/app/settings.go"
    int line = 0;
    int goroutines = 0; // goroutines listed in the traceback

    std::string location() const { return file.empty() ? std::string() : file + ":" + std::to_string(line); }
};

// Extracts the crash from what a process wrote to stderr; empty when there is no Go death
// message. OWN_MODULE (from the build info) picks the program's own frames. Built on the one
// traceback parser, core/go/TracebackParser.
std::optional<GoCrash> findGoCrash(const std::string& stderrText, const std::string& ownModule);

} // namespace exitlens
