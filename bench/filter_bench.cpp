// Filter speed over a 10-million-event store: a typical expression and a regular expression,
// compiled once and scanned on one thread, then split over the machine's cores as FilterEngine
// does. Run: build/<preset>/bench/filter_bench [events]
#include "filter/CompiledFilter.h"
#include "filter/FilterParser.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace exitlens;

int main(int argc, char** argv)
{
    const std::uint64_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    LaunchSpec spec;
    spec.program = "synthetic";
    auto data = std::make_shared<CaptureData>(spec);
    // Realistic shape: a few dozen operations, ~50,000 distinct paths, 3% failures.
    std::mt19937 random(7);
    std::vector<StringId> ops;
    for (const char* op :
        { "openat", "newfstatat", "close", "write", "execve", "clone", "mmap", "connect", "readlinkat" })
        ops.push_back(data->intern(op));
    std::vector<StringId> paths;
    for (int i = 0; i < 50'000; ++i) {
        const char* folder = i % 7 == 0 ? "/etc/app/conf.d/" : i % 3 == 0 ? "/usr/lib/x86_64-linux-gnu/" : "/srv/data/";
        paths.push_back(data->intern(folder + std::to_string(i) + (i % 5 == 0 ? ".json" : ".dat")));
    }
    const StringId detail = data->intern("O_RDONLY|O_CLOEXEC");
    std::vector<Event> batch(4096);
    for (std::uint64_t done = 0; done < count; done += batch.size()) {
        for (auto& event : batch) {
            event.kind = EventKind::Syscall;
            event.cls = random() % 10 == 0 ? EventClass::Memory : EventClass::File;
            event.op = ops[random() % ops.size()];
            event.path = paths[random() % paths.size()];
            event.detail = detail;
            event.pid = 1000 + static_cast<int>(random() % 8);
            event.tid = event.pid;
            event.flags = random() % 33 == 0 ? EventFlag::Failed : 0;
            event.errnum = event.flags ? 2 : 0;
        }
        data->append(batch);
    }
    auto measure = [&](const char* expression) {
        double oneThread = 0;
        FilterParseResult parsed = FilterParser::parse(expression);
        if (!parsed.valid()) {
            std::fprintf(stderr, "bad expression: %s\n", parsed.error.c_str());
            std::exit(1);
        }
        // Compiled once per measurement: a fresh filter has empty string caches, as in the window.
        std::vector<std::uint64_t> rows;
        {
            CompiledFilter filter(std::move(parsed.root), data);
            rows.reserve(count / 10);
            const auto start = std::chrono::steady_clock::now();
            filter.scan(0, data->events().size(), rows);
            oneThread = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        }
        // What FilterEngine does with a large store: the same scan split over the machine's cores.
        FilterParseResult again = FilterParser::parse(expression);
        CompiledFilter filter(std::move(again.root), data);
        std::vector<std::uint64_t> parallelRows;
        parallelRows.reserve(count / 10);
        const int threads = CompiledFilter::threadsFor(data->events().size());
        const auto start = std::chrono::steady_clock::now();
        filter.scanParallel(0, data->events().size(), parallelRows, threads);
        const double parallel =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (parallelRows != rows) {
            std::fprintf(stderr, "parallel scan disagrees with the single-threaded one for %s\n", expression);
            std::exit(1);
        }
        std::printf("| `%s` | %llu | %.0f ms | %.0f ms (%d) |\n", expression,
            static_cast<unsigned long long>(rows.size()), oneThread, parallel, threads);
    };
    std::printf("events: %llu\n\n| filter | matching | time (one thread) | time (FilterEngine: threads) |\n"
                "|---|---|---|---|\n",
        static_cast<unsigned long long>(data->events().size()));
    measure("class == file and failed and path contains \"conf\"");
    measure("path matches 'conf\\.d/[0-9]+7\\.json$'");
    measure("pid == 1003 or errno == ENOENT");
    return 0;
}
