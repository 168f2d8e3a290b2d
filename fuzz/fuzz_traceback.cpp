// libFuzzer harness: the Go traceback parser's public entry point (TracebackParser::parse), as
// `exitlens traceback` and the crash verdicts call it, with and without the program's module.
// It promises to be tolerant (nothing is fatal) and linear in its input: no crash, no hang.
#include "FuzzStats.h"
#include "go/TracebackParser.h"

#include <cstdint>
#include <string_view>

using namespace exitlens;

namespace {
FuzzStats stats("traceback");
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(bytes), size);
    const GoTraceback plain = TracebackParser::parse(text);
    const GoTraceback own = TracebackParser::parse(text, "example.com/app");
    // Nothing is rejected here: whatever is not a traceback lands in otherLines.
    ++stats.accepted;
    (void)plain;
    (void)own;
    return 0;
}
