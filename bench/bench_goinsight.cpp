// Go insight benchmark (docs/PERFORMANCE.md, "Go insight"): parse the GOTRACEBACK=system traceback
// of a real program with 1,000 / 10,000 / 50,000 goroutines (linear, not quadratic, in the number
// of goroutines), and symbolize 100,000 stacks made of the real pcs printed in it.
//   bench_goinsight [WORKLOAD]   (default: many_goroutines next to this binary)
#include "go/Symbolizer.h"
#include "go/TracebackParser.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

using namespace exitlens;
using Clock = std::chrono::steady_clock;

namespace {

std::string runWorkload(const std::string& program, int goroutines)
{
    const std::string command =
        "GOTRACEBACK=system '" + program + "' " + std::to_string(goroutines) + " 2>&1 >/dev/null";
    std::string output;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[65536];
        std::size_t got = 0;
        while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0)
            output.append(buffer, got);
        pclose(pipe);
    }
    return output;
}

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    std::string workload = argc > 1 ? argv[1] : std::string();
    if (workload.empty()) {
        char self[4096] = {};
        const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
        workload = std::string(self, length > 0 ? static_cast<std::size_t>(length) : 0);
        workload = workload.substr(0, workload.rfind('/') + 1) + "many_goroutines";
    }
    std::printf("workload: %s\n\n", workload.c_str());
    std::printf(
        "%-12s %12s %10s %12s %14s %10s\n", "goroutines", "bytes", "buckets", "parse ms", "us/goroutine", "MB/s");
    std::string tenThousand;
    for (int goroutines : { 1000, 10000, 50000 }) {
        const std::string text = runWorkload(workload, goroutines);
        constexpr int kRepeats = 5;
        double best = 1e300;
        GoTraceback traceback;
        for (int i = 0; i < kRepeats; ++i) {
            const auto start = Clock::now();
            traceback = TracebackParser::parse(text, "main");
            best = std::min(best, millisecondsSince(start));
        }
        std::printf("%-12zu %12zu %10zu %12.2f %14.3f %10.1f\n", traceback.goroutines.size(), text.size(),
            traceback.buckets.size(), best, 1000.0 * best / static_cast<double>(traceback.goroutines.size()),
            static_cast<double>(text.size()) / 1e6 / (best / 1000.0));
        if (goroutines == 10000)
            tenThousand = text;
    }

    // 100,000 stacks from the real pcs of the 10,000-goroutine traceback (pc= of every frame).
    const GoTraceback traceback = TracebackParser::parse(tenThousand, "main");
    std::vector<std::vector<std::uint64_t>> stacks;
    for (const auto& goroutine : traceback.goroutines) {
        std::vector<std::uint64_t> pcs;
        for (const auto& frame : goroutine.frames)
            if (frame.pc)
                pcs.push_back(*frame.pc);
        if (!pcs.empty())
            stacks.push_back(std::move(pcs));
    }
    if (stacks.empty()) {
        std::fprintf(stderr, "no pcs in the traceback\n");
        return 1;
    }
    std::string error;
    auto symbolizer = Symbolizer::open(workload, error);
    if (!symbolizer) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    constexpr std::size_t kStacks = 100000;
    std::size_t frames = 0;
    std::size_t named = 0;
    auto start = Clock::now();
    for (std::size_t i = 0; i < kStacks; ++i) {
        const auto symbolized = symbolizer->symbolizeStack(stacks[i % stacks.size()]);
        frames += symbolized.size();
        named += symbolized.empty() || symbolized.back().function.empty() ? 0 : 1;
    }
    const double cached = millisecondsSince(start);
    // The same without the per-pc cache: every frame decoded from the pclntab, inline tree included.
    std::unique_ptr<GoPclnTable> table = GoPclnTable::load(symbolizer->binary(), error);
    start = Clock::now();
    std::size_t resolved = 0;
    for (std::size_t i = 0; i < kStacks; ++i) {
        const auto& pcs = stacks[i % stacks.size()];
        for (std::size_t k = 0; k < pcs.size(); ++k)
            resolved += table->lookupFrames(k == 0 ? pcs[k] : pcs[k] - 1).size();
    }
    const double uncached = millisecondsSince(start);
    std::printf("\nsymbolize %zu stacks (%zu frames, %zu named):\n", kStacks, frames, named);
    std::printf("  Symbolizer (per-pc cache)   %10.2f ms  %8.3f us/stack\n", cached, 1000.0 * cached / kStacks);
    std::printf("  pclntab lookups, no cache   %10.2f ms  %8.3f us/stack  (%zu frames, inlined included)\n", uncached,
        1000.0 * uncached / kStacks, resolved);
    return 0;
}
