#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace exitlens {

class CaptureData;
struct TraceSummary;

// Why a process exited, in a form the CLI, the GUI and the reports share.
struct Verdict {
    struct Evidence {
        std::string text;
        std::optional<std::uint64_t> event; // sequence number of the event that shows it
    };
    // A structured fact behind the prose: "path" -> "/srv/app/config.json", "errno" -> "ENOENT".
    struct Fact {
        std::string key;
        std::variant<std::string, std::int64_t> value;
    };
    std::string category; // one of the names in docs/verdicts.md: "missing_file", "oom", ...
    std::string headline; // one sentence a person can act on
    std::string explanation;
    std::vector<Evidence> evidence;
    std::vector<std::string> suggestions;
    std::vector<Fact> facts;
    double confidence = 0.0; // 0..1
    int pid = 0; // the process this verdict is about
    std::vector<Verdict> children; // verdicts of child processes that failed

    void fact(std::string key, std::string value) { facts.push_back({ std::move(key), std::move(value) }); }
    void fact(std::string key, std::int64_t value) { facts.push_back({ std::move(key), value }); }
    const Fact* findFact(const std::string& key) const;
};

// Diagnoses a finished capture: the root process's verdict, with nested verdicts for its failed
// children. The rules live in diagnosis/rules/ and are run by the Diagnoser in priority order.
Verdict describeExit(const CaptureData& data, const TraceSummary& summary);
// The same for one process of the capture (the ended one with this pid, else the latest): an
// imported Windows log holds the whole machine, so its verdict is about the process that failed.
Verdict describeProcessExit(const CaptureData& data, const TraceSummary& summary, int pid);

} // namespace exitlens
