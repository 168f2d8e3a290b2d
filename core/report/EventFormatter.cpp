#include "EventFormatter.h"

#include "Names.h"
#include "NtStatus.h"

#include <cstdio>

namespace exitlens {

std::string EventFormatter::resultText(const Event& event)
{
    if (event.flags & EventFlag::ResultUnknown)
        return "= ?";
    // A Windows event reads as Process Monitor shows it: "= NAME NOT FOUND".
    if (event.resultKind() == EventFlag::ResultNtStatus)
        return "= " + procmonResultText(static_cast<std::uint32_t>(event.result));
    if (event.flags & EventFlag::Unfinished)
        return "= ? (unfinished: the process ended inside the call)";
    if (event.failed() && event.errnum != 0) {
        const std::string prefix = event.result < 0 ? "= -1 " : "= " + std::to_string(event.result) + ", ";
        return prefix + errnoName(event.errnum) + " (" + errnoMessage(event.errnum) + ")";
    }
    return "= " + std::to_string(event.result);
}

std::string EventFormatter::line(std::uint64_t seq) const
{
    const Event& event = m_data.events().at(seq);
    char prefix[64];
    std::snprintf(prefix, sizeof(prefix), "+%.6f [%d", static_cast<double>(event.timeNs) / 1e9, event.pid);
    std::string text = prefix;
    if (event.tid != event.pid)
        text += "/" + std::to_string(event.tid);
    text += "] ";
    const std::string_view op = m_data.text(event.op);
    const std::string_view path = m_data.text(event.path);
    const std::string_view detail = m_data.text(event.detail);
    switch (event.kind) {
    case EventKind::Syscall:
    case EventKind::Output: {
        text += op;
        text += '(';
        if (!path.empty()) {
            text += '"';
            text += path;
            text += '"';
        }
        if (!detail.empty()) {
            if (!path.empty())
                text += ", ";
            text += detail;
        }
        text += ") ";
        text += resultText(event);
        if (event.durationNs > 0) {
            char duration[32];
            std::snprintf(duration, sizeof(duration), " <%.6f>", static_cast<double>(event.durationNs) / 1e9);
            text += duration;
        }
        break;
    }
    case EventKind::Signal:
        text += "--- ";
        text += op;
        text += " {";
        text += detail;
        text += "} ---";
        break;
    case EventKind::ProcessStart:
        text += "+++ process start ";
        text += path;
        text += " (";
        text += detail;
        text += ") +++";
        break;
    case EventKind::ProcessExec:
        text += "+++ exec ";
        text += path;
        text += " [";
        text += detail;
        text += "] +++";
        break;
    case EventKind::ProcessExit:
        text += "+++ ";
        text += detail;
        text += " +++";
        break;
    case EventKind::ThreadStart:
        text += "+++ thread start +++";
        break;
    case EventKind::ThreadExit:
        text += "+++ thread exit +++";
        break;
    case EventKind::Note:
        text += "*** ";
        text += detail;
        text += " ***";
        break;
    }
    return text;
}

} // namespace exitlens
