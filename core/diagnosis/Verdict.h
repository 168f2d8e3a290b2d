#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace exitlens {

class CaptureData;
struct TraceSummary;

// Why the program exited, in a form the CLI, the GUI and the reports share.
struct Verdict {
    struct Evidence {
        std::string text;
        std::optional<std::uint64_t> event; // sequence number of the event that shows it
    };
    std::string category; // machine-readable: "exec_failure", "signal_killed", "clean_exit", ...
    std::string headline; // one sentence
    std::string explanation;
    std::vector<Evidence> evidence;
    std::vector<std::string> suggestions;
    double confidence = 0.0; // 0..1
};

// The plain description of the exit that stands until the rule-based diagnosis engine lands:
// it states what happened (code, signal and sender, exec failure) without guessing why.
Verdict describeExit(const CaptureData& data, const TraceSummary& summary);

} // namespace exitlens
