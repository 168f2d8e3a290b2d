#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// "gc 7 @0.372s 0%: 0.057+0.49+0.003 ms clock, ..., 112->114->71 MB, 132 MB goal, 0 MB stacks,
// 0 MB globals, 2 P (forced)" (GODEBUG=gctrace=1).
struct GcTraceRecord {
    int number = 0;
    double atSeconds = 0; // since the program started
    int cpuPercent = 0; // of CPU time spent in GC since the start
    double pauseMs = 0; // stop-the-world sweep termination + mark termination (wall clock)
    double concurrentMs = 0; // concurrent mark (wall clock)
    std::int64_t heapStartMB = 0; // heap when the cycle started
    std::int64_t heapEndMB = 0; // heap when it ended
    std::int64_t heapLiveMB = 0; // marked live heap
    std::int64_t heapGoalMB = 0;
    std::int64_t stacksMB = -1; // Go 1.18+
    std::int64_t globalsMB = -1; // Go 1.18+
    int procs = 0;
    bool forced = false; // runtime.GC() or debug.FreeOSMemory
};

// "SCHED 108ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 idlethreads=2 runqueue=0 [0 0]"
// (GODEBUG=schedtrace=N); with scheddetail=1 the goroutine lines that follow are counted.
struct SchedTraceRecord {
    std::int64_t atMs = 0;
    int gomaxprocs = -1;
    int idleProcs = -1;
    int threads = -1;
    int spinningThreads = -1;
    int idleThreads = -1;
    int runQueue = -1; // global run queue
    std::vector<int> localRunQueues; // per P ("[0 0]"), absent with scheddetail
    int goroutines = -1; // scheddetail=1 only: G lines not dead (system goroutines included)
};

// "init main @1.3 ms, 0.055 ms clock, 2097152 bytes, 1 allocs" (GODEBUG=inittrace=1).
struct InitTraceRecord {
    std::string package;
    double atMs = 0;
    double clockMs = 0;
    std::int64_t bytes = 0;
    std::int64_t allocs = 0;
};

struct RuntimeLog {
    std::vector<GcTraceRecord> gc;
    std::vector<SchedTraceRecord> sched;
    std::vector<InitTraceRecord> init;
    std::size_t lines = 0; // runtime log lines recognised (detail lines included)
    bool empty() const { return gc.empty() && sched.empty() && init.empty(); }
};

// The Go runtime's own log on stderr (GODEBUG gctrace, schedtrace, scheddetail, inittrace). Other
// lines are ignored; a line that looks like one of these but does not parse is skipped.
class RuntimeLogParser {
public:
    static RuntimeLog parse(std::string_view text);
    // Whether LINE is one of the runtime's log lines (kept out of the traceback parser and the
    // program's "last words").
    static bool isRuntimeLogLine(std::string_view line);

    // The runtime writes its log from several threads without a lock: two lines can interleave
    // ("... 0 allocsSCHED 0ms: ..."). Splits LINE into the records it holds; empty when it is not
    // made of runtime log records only.
    static std::vector<std::string_view> records(std::string_view line);
    // The same across lines: a record can also be cut by a whole record of another thread
    // ("init x @" + "SCHED ...\n" + "0.003 ms, ...\n"). FRAGMENT carries the cut start from one
    // line to the next (start with an empty one). Returns false when LINE is not runtime log;
    // appends the complete records it finished to OUT.
    static bool consume(std::string_view line, std::string& fragment, std::vector<std::string>* out = nullptr);

    static bool parseGc(std::string_view line, GcTraceRecord& out);
    static bool parseSched(std::string_view line, SchedTraceRecord& out);
    static bool parseInit(std::string_view line, InitTraceRecord& out);
};

} // namespace exitlens
