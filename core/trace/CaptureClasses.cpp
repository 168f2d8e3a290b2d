#include "CaptureClasses.h"

namespace exitlens {

CaptureClasses CaptureClasses::all()
{
    // Only the classes the tracer records: a Linux capture of "all" classes stays "all" as more
    // (Windows) classes join the model, and sessions saved before keep comparing equal.
    return CaptureClasses((1u << kTracedClassCount) - 1);
}

bool CaptureClasses::parse(std::string_view text, CaptureClasses& out, std::string& error)
{
    CaptureClasses result = none();
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(start, end - start);
        if (word == "all") {
            result = all();
        } else if (!word.empty()) {
            EventClass cls {};
            if (!eventClassFromName(word, cls) || static_cast<int>(cls) >= kTracedClassCount) {
                error = "unknown event class '" + std::string(word)
                    + "' (expected process, thread, file, network, signal, memory, output, runtime or all)";
                return false;
            }
            result.add(cls);
        }
        start = end + 1;
    }
    // Process lifecycle is what every diagnosis stands on: it cannot be switched off.
    result.add(EventClass::Process);
    out = result;
    return true;
}

std::string CaptureClasses::toString() const
{
    std::string text;
    for (int i = 0; i < kTracedClassCount; ++i) {
        const auto cls = static_cast<EventClass>(i);
        if (!has(cls))
            continue;
        if (!text.empty())
            text += ',';
        text += eventClassName(cls);
    }
    return text;
}

} // namespace exitlens
