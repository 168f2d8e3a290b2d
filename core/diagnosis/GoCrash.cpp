#include "GoCrash.h"

#include "go/TracebackParser.h"

namespace exitlens {

namespace {
bool contains(const std::string& text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}
} // namespace

std::optional<GoCrash> findGoCrash(const std::string& stderrText, const std::string& ownModule)
{
    if (stderrText.empty())
        return std::nullopt;
    const GoTraceback traceback = TracebackParser::parse(stderrText, ownModule);
    if (traceback.kind == GoTraceback::Kind::None)
        return std::nullopt;
    GoCrash crash;
    crash.message = traceback.reason;
    crash.goroutines = static_cast<int>(traceback.goroutines.size());
    if (traceback.signal) {
        const GoSignalInfo& signal = *traceback.signal;
        crash.signal = signal.name + ": " + signal.description;
        if (!signal.code.empty())
            crash.signal += " code=" + signal.code;
        if (!signal.address.empty())
            crash.signal += " addr=" + signal.address;
        if (!signal.pc.empty())
            crash.signal += " pc=" + signal.pc;
    }
    bool stackExceeded = false;
    for (const auto& line : traceback.runtimeLines)
        stackExceeded = stackExceeded || contains(line, "stack exceeds");

    switch (traceback.kind) {
    case GoTraceback::Kind::Panic:
        // "panic: runtime error: invalid memory address or nil pointer dereference" comes with a
        // [signal SIGSEGV ...] line: a fault in Go code rather than a panic the program raised.
        crash.kind = traceback.signal ? GoCrash::Kind::Signal : GoCrash::Kind::Panic;
        break;
    case GoTraceback::Kind::FatalError:
        if (contains(traceback.fatalError, "deadlock"))
            crash.kind = GoCrash::Kind::Deadlock;
        else if (stackExceeded || contains(traceback.fatalError, "stack overflow"))
            crash.kind = GoCrash::Kind::StackOverflow;
        else if (contains(traceback.fatalError, "out of memory"))
            crash.kind = GoCrash::Kind::OutOfMemory;
        else if (traceback.signal)
            crash.kind = GoCrash::Kind::Signal;
        else
            crash.kind = GoCrash::Kind::FatalError;
        if (crash.message.empty())
            crash.message = traceback.fatalError;
        break;
    case GoTraceback::Kind::Signal:
    case GoTraceback::Kind::None:
        crash.kind = GoCrash::Kind::Signal;
        break;
    }
    if (const GoFrame* frame = traceback.ownFrameFrame()) {
        crash.function = frame->function;
        crash.file = frame->file;
        crash.line = frame->line;
    }
    return crash;
}

} // namespace exitlens
