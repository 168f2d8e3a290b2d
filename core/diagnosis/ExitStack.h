#pragma once

#include "go/Symbolizer.h"
#include "model/CaptureData.h"

#include <optional>
#include <string>
#include <vector>

namespace exitlens {

// The Go stack of the exit_group call that ended a process, recorded by the tracer at the
// syscall stop (linux/StackSampler) and symbolized from the process's executable: what lets a
// verdict say "os.Exit(4) was called from main.(*Server).shutdown at server.go:88" when the
// program printed nothing. Built on the one symbolizer and the traceback parser's notion of the
// program's own frame (TracebackParser::isOwnFrame), never a second reading of either.
class ExitStack {
public:
    // The stack of event EXIT_SEQ (the subject's exit_group) when one was recorded and the
    // executable EXE can still be read; nullopt otherwise (a session opened without its binary).
    // OWN_MODULE (GoBuildInfo::ownModule) decides which frames are the program's own.
    static std::optional<ExitStack> find(
        const CaptureData& data, std::uint64_t exitSeq, const std::string& exe, const std::string& ownModule);

    std::uint64_t seq() const { return m_seq; }
    const std::vector<SymbolizedFrame>& frames() const { return m_frames; }

    // The first frame in the program's own code (main package or its module), if any.
    const SymbolizedFrame* ownFrame() const;
    // What the program called to end: "os.Exit", "log.Fatalf", "log.(*Logger).Fatal",
    // "flag.(*FlagSet).Parse"... (the frame just inside the own frame); empty when unknown.
    std::string exitCall() const;
    // The process ended because main.main returned: runtime.main called exit itself, with no
    // frame of the program's own code on the stack.
    bool mainReturned() const;
    // Whether a frame between the exit and the program's own code belongs to FUNCTION_PREFIX
    // ("log.Fatal", "log.(*Logger).Fatal"): the stack proves that call ended the process.
    bool calledThrough(std::string_view functionPrefix) const;

    // "/src/app/server.go:88" and "server.go:88" of the own frame; empty without one.
    std::string location() const;
    std::string shortLocation() const;

private:
    std::uint64_t m_seq = 0;
    std::vector<SymbolizedFrame> m_frames;
    int m_own = -1;
};

} // namespace exitlens
