// libFuzzer harness: the filter language (docs/filters.md) from text to an evaluated scan.
// Any input must give one of the parser's four states, an error position inside the text and a
// message for every rejection; a valid one must compile and give the same rows by block scan,
// by parallel scan, row by row and for copies of the events (the capture filter's path), on a
// small capture that has every field the language can ask about. Nothing may crash or hang.
#include "FuzzStats.h"
#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"
#include "filter/FilterRules.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using namespace exitlens;

namespace {

FuzzStats stats("filter");

std::shared_ptr<CaptureData> makeCapture()
{
    LaunchSpec spec;
    spec.program = "/srv/app/bin/app";
    auto data = std::make_shared<CaptureData>(spec);
    ProcessRecord root;
    root.pid = 100;
    root.ppid = 1;
    root.exe = "/srv/app/bin/app";
    data->processChanged(root);
    ProcessRecord child = root;
    child.pid = 101;
    child.ppid = 100;
    child.exe = "/usr/bin/sh";
    data->processChanged(child);
    const char* paths[] = { "/etc/app/conf.d/10-base.conf", "/srv/data/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
        "/tmp/p\xc3\xa4th with spaces", "stdout", "stderr", "127.0.0.1:8080", "", "/proc/self/\xff\xfe" };
    const char* ops[] = { "openat", "execve", "kill", "write", "SIGTERM", "connect", "futex", "process_exit" };
    const char* details[] = { "O_RDONLY|O_CLOEXEC", "pid 100, SIGTERM", "sender pid 42 (SI_USER)", "", "panic: boom" };
    std::vector<Event> events;
    for (int i = 0; i < 300; ++i) {
        Event e;
        e.timeNs = static_cast<std::uint64_t>(i) * 1'000'003;
        e.pid = 100 + i % 3; // 102 has no process record
        e.tid = e.pid + i % 2;
        e.kind = static_cast<EventKind>(i % 9);
        e.cls = static_cast<EventClass>(i % kEventClassCount);
        e.op = data->intern(ops[i % 8]);
        e.path = data->intern(paths[(i / 3) % 8]);
        e.detail = data->intern(details[i % 5]);
        e.result = i % 7 == 0 ? -2 : i * 13;
        e.durationNs = static_cast<std::uint32_t>(i * 997);
        if (i % 4 == 0) {
            e.flags = EventFlag::Failed;
            e.errnum = static_cast<std::int16_t>(i % 3 == 0 ? 2 : 13);
        }
        if (i % 11 == 0)
            e.flags |= EventFlag::RuntimeNoise;
        events.push_back(e);
    }
    data->append(events);
    return data;
}

const std::shared_ptr<CaptureData>& capture()
{
    static const std::shared_ptr<CaptureData> data = makeCapture();
    return data;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(bytes), size);
    FilterParseResult parsed = FilterParser::parse(text);
    FUZZ_REQUIRE(parsed.errorPosition <= text.size(), "the error position is inside the text");
    FUZZ_REQUIRE(parsed.valid() == (parsed.root != nullptr), "a tree exactly when valid");
    const std::string message = FilterParser::describeError(text, parsed);
    FUZZ_REQUIRE(!message.empty(), "describeError always says something");
    if (parsed.state == FilterParseResult::State::Invalid || parsed.state == FilterParseResult::State::Incomplete) {
        FUZZ_REQUIRE(!parsed.error.empty(), "every rejection has a message");
        ++stats.rejected;
        return 0;
    }
    if (!parsed.valid())
        return 0; // empty
    ++stats.accepted;
    (void)FilterRules::fromExpressionOrRaw(text);

    const auto& data = capture();
    const std::uint64_t count = data->events().size();
    CompiledFilter filter(std::move(parsed.root), data);
    std::vector<std::uint64_t> rows;
    filter.scan(0, count, rows);
    std::vector<std::uint64_t> parallel;
    FUZZ_REQUIRE(filter.scanParallel(0, count, parallel, 2), "an uncancelled scan finishes");
    FUZZ_REQUIRE(parallel == rows, "the parallel scan agrees with the block scan");

    FilterParseResult again = FilterParser::parse(text);
    CompiledFilter single(std::move(again.root), data);
    std::size_t next = 0;
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const bool inRows = next < rows.size() && rows[next] == seq;
        next += inRows ? 1 : 0;
        FUZZ_REQUIRE(filter.matches(seq) == inRows, "a row test agrees with the scan");
        const Event copy = data->events().at(seq);
        FUZZ_REQUIRE(single.matchesEvent(copy, seq) == inRows, "the capture filter's path agrees with the scan");
    }
    return 0;
}
