#pragma once

#include "go/GoTraceback.h"

#include <string_view>

namespace exitlens {

// Reads what the Go runtime prints when a program dies (Go 1.4 to 1.23 formats): the panic /
// fatal error / signal header, every goroutine and frame, "created by", "exit status N".
// Tolerant by design: other output interleaved, CRLF, pastes with spaces instead of tabs or
// doubled blank lines, cut-off input, repeated tracebacks. Lines it does not understand are kept
// in otherLines; nothing is fatal. One pass, linear in the input; memory bounded by the caps of
// Options whatever the input (a stack of millions of frames keeps 100 of them).
class TracebackParser {
public:
    struct Options {
        // Goroutines that differ only in argument values share a bucket (panicparse's
        // "aggressive" similarity); false keeps them apart.
        bool aggressive = true;
        // Frames kept per goroutine: the innermost half and the outermost half, the rest counted
        // in GoGoroutine::framesOmitted (the runtime prints at most 100; 0 keeps all).
        std::size_t maxFrames = 100;
        // Buckets (largest first) that get a copy of their frames; the others name their first
        // goroutine (GoStackBucket::goroutine), whose frames are the same. 0: all of them.
        std::size_t maxBucketFrames = 10000;
        // Lines not understood that are kept in otherLines (the rest are counted); 0 keeps all.
        std::size_t maxOtherLines = 100000;
    };

    // OWN_MODULE decides which frames are the program's own: the main module path from the build
    // info ("example.com/app"), "main" for GOPATH-mode programs. Empty: the first frame outside
    // the runtime and the standard library.
    static GoTraceback parse(std::string_view text, std::string_view ownModule = {});
    static GoTraceback parse(std::string_view text, std::string_view ownModule, const Options& options);

    // Whether FUNCTION (a frame's function name) belongs to module MODULE.
    static bool inModule(std::string_view function, std::string_view module);
    // Whether FRAME is the program's own code, by the rule parse() uses for GoTraceback::ownFrame
    // (shared with the stacks recorded at key events, so both name the same frame).
    static bool isOwnFrame(const GoFrame& frame, std::string_view ownModule);
};

} // namespace exitlens
