#pragma once

#include "model/CaptureData.h"

#include <QString>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace exitlens::test {

// One real capture of a fixture, run synchronously on the calling thread (which becomes the
// tracer thread for its duration), with helpers to query what was recorded.
struct TraceRun {
    std::shared_ptr<CaptureData> data;
    TraceSummary summary;

    static TraceRun run(LaunchSpec spec);
    static LaunchSpec fixture(const std::string& name, std::vector<std::string> args = {});
    static std::string fixturePath(const std::string& name);

    std::string text(StringId id) const { return std::string(data->text(id)); }
    std::vector<std::uint64_t> find(const std::function<bool(const Event&)>& predicate) const;
    std::vector<std::uint64_t> syscalls(const std::string& op) const;
    const Event& at(std::uint64_t seq) const { return data->events().at(seq); }
    std::vector<ProcessRecord> processes() const { return data->processes().snapshot(); }
    // For failure messages: every event as a line.
    QString dump() const;
};

// The 1-based line of tests/programs/FILE (a fixture's source) that contains NEEDLE, or -1: how
// tests find a marker line without hard-coding its number.
int programLine(const QString& file, const QString& needle);

} // namespace exitlens::test
