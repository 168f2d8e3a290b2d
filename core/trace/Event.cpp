#include "Event.h"

#include <array>

namespace exitlens {

namespace {
constexpr std::array<std::string_view, kEventClassCount> kClassNames = { "process", "thread", "file", "network",
    "signal", "memory", "output", "runtime", "registry", "profiling" };
}

std::string_view eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::ProcessStart:
        return "process_start";
    case EventKind::ProcessExec:
        return "process_exec";
    case EventKind::ProcessExit:
        return "process_exit";
    case EventKind::ThreadStart:
        return "thread_start";
    case EventKind::ThreadExit:
        return "thread_exit";
    case EventKind::Syscall:
        return "syscall";
    case EventKind::Signal:
        return "signal";
    case EventKind::Output:
        return "output";
    case EventKind::Note:
        return "note";
    }
    return "unknown";
}

std::string_view eventClassName(EventClass cls)
{
    const auto index = static_cast<std::size_t>(cls);
    return index < kClassNames.size() ? kClassNames[index] : std::string_view("unknown");
}

bool eventClassFromName(std::string_view name, EventClass& out)
{
    for (std::size_t i = 0; i < kClassNames.size(); ++i) {
        if (kClassNames[i] == name) {
            out = static_cast<EventClass>(i);
            return true;
        }
    }
    return false;
}

} // namespace exitlens
