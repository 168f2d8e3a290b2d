#include "ExitStack.h"

#include "go/TracebackParser.h"

namespace exitlens {

namespace {
GoFrame asGoFrame(const SymbolizedFrame& frame)
{
    GoFrame go;
    go.function = frame.function;
    go.file = frame.file;
    go.line = frame.line;
    return go;
}

bool isRuntimeFunction(const std::string& function)
{
    GoFrame frame;
    frame.function = function;
    return frame.isRuntime();
}
} // namespace

std::optional<ExitStack> ExitStack::find(
    const CaptureData& data, std::uint64_t exitSeq, const std::string& exe, const std::string& ownModule)
{
    if (exe.empty())
        return std::nullopt;
    std::vector<std::uint64_t> pcs;
    for (const auto& sample : data.stacks()) {
        if (sample.seq == exitSeq) {
            pcs = sample.pcs;
            break;
        }
    }
    if (pcs.empty())
        return std::nullopt;
    std::string error;
    auto symbolizer = Symbolizer::open(exe, error);
    if (!symbolizer || !symbolizer->pclnTable())
        return std::nullopt; // not a Go program, or its binary is gone: no frames to name

    ExitStack stack;
    stack.m_seq = exitSeq;
    stack.m_frames = symbolizer->symbolizeSample(pcs);
    for (std::size_t i = 0; i < stack.m_frames.size(); ++i) {
        const SymbolizedFrame& frame = stack.m_frames[i];
        if (!frame.function.empty() && TracebackParser::isOwnFrame(asGoFrame(frame), ownModule)) {
            stack.m_own = static_cast<int>(i);
            break;
        }
    }
    return stack;
}

const SymbolizedFrame* ExitStack::ownFrame() const
{
    return m_own >= 0 ? &m_frames[static_cast<std::size_t>(m_own)] : nullptr;
}

std::string ExitStack::exitCall() const
{
    if (m_own > 0)
        return m_frames[static_cast<std::size_t>(m_own - 1)].function;
    // No own frame: the first frame above the runtime's syscall stubs (os.Exit from a library,
    // runtime.main when main returned).
    for (const auto& frame : m_frames)
        if (!frame.function.empty() && !isRuntimeFunction(frame.function))
            return frame.function;
    return mainReturned() ? "runtime.main" : std::string();
}

bool ExitStack::mainReturned() const
{
    if (m_own >= 0)
        return false;
    // runtime.main ends the process with exit(0) after main.main returns; anything else on the
    // way (os.Exit from a library goroutine) is not "main returned".
    for (const auto& frame : m_frames) {
        if (frame.function == "runtime.main")
            return true;
        if (!frame.function.empty() && !isRuntimeFunction(frame.function))
            return false;
    }
    return false;
}

bool ExitStack::calledThrough(std::string_view functionPrefix) const
{
    const std::size_t end = m_own >= 0 ? static_cast<std::size_t>(m_own) : m_frames.size();
    for (std::size_t i = 0; i < end; ++i)
        if (m_frames[i].function.starts_with(functionPrefix))
            return true;
    return false;
}

std::string ExitStack::location() const
{
    const SymbolizedFrame* frame = ownFrame();
    if (!frame || frame->file.empty())
        return {};
    return frame->file + ":" + std::to_string(frame->line);
}

std::string ExitStack::shortLocation() const
{
    const SymbolizedFrame* frame = ownFrame();
    if (!frame || frame->file.empty())
        return {};
    const std::size_t slash = frame->file.rfind('/');
    return (slash == std::string::npos ? frame->file : frame->file.substr(slash + 1)) + ":"
        + std::to_string(frame->line);
}

} // namespace exitlens
