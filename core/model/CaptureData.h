#pragma once

#include "CaptureClasses.h"
#include "LaunchSpec.h"
#include "TraceSink.h"
#include "Tracer.h"
#include "diagnosis/Verdict.h"
#include "model/EventStore.h"
#include "model/OutputLog.h"
#include "model/ProcessTable.h"
#include "model/StringPool.h"

#include <memory>
#include <mutex>
#include <optional>

namespace exitlens {

class CompiledFilter;
struct FilterNode;

// Everything one capture recorded: the sink the tracer writes and the model every reader (GUI,
// CLI, exporters) reads. Shared by pointer between threads; see each member for its rules.
class CaptureData final : public TraceSink {
public:
    explicit CaptureData(LaunchSpec spec);
    ~CaptureData() override;
    CaptureData(const CaptureData&) = delete;
    CaptureData& operator=(const CaptureData&) = delete;

    // TraceSink (tracer thread only).
    StringId intern(std::string_view text) override;
    std::uint64_t append(std::span<const Event> events) override;
    void processChanged(const ProcessRecord& process) override;
    void output(std::uint64_t seq, int pid, int stream, std::string_view bytes) override;
    void launchContext(const LaunchContext& context) override;
    void stack(std::uint64_t seq, int pid, std::span<const std::uint64_t> pcs) override;
    // The capture filter: false for an event the compiled expression rejects.
    bool keep(const Event& event) override;

    // The parsed capture filter (spec().captureFilter), set by the engine before the tracer starts
    // and never changed after; null keeps everything.
    void setCaptureFilter(std::unique_ptr<FilterNode> root);

    const LaunchSpec& spec() const { return m_spec; }
    const EventStore& events() const { return m_events; }
    const StringPool& strings() const { return m_strings; }
    const ProcessTable& processes() const { return m_processes; }
    const OutputLog& outputLog() const { return m_output; }
    std::string_view text(StringId id) const { return m_strings.at(id); }
    LaunchContext context() const;

    // Set once by the engine when the tracer has returned.
    void setSummary(const TraceSummary& summary);
    std::optional<TraceSummary> summary() const;
    // The diagnosis, when one was made (a loaded session carries the one it was saved with).
    void setVerdict(const Verdict& verdict);
    std::optional<Verdict> verdict() const;

    // Loading a saved session (the loading thread is the writer): the output the file kept.
    void restoreOutputStream(int stream, std::string head, std::string tail, std::uint64_t totalBytes);
    void restoreOutputChunk(const OutputLog::Chunk& chunk);
    // Loading a saved session: replaces a process record the file got wrong (ProcessTable::replace).
    void repairProcess(std::size_t index, const ProcessRecord& process);

    // Raw user stacks of the few key events that have one (exit_group, kill, failed open/exec,
    // writes to fd 2), in sequence order. Any thread.
    struct EventStack {
        std::uint64_t seq = 0;
        int pid = 0;
        std::vector<std::uint64_t> pcs;
    };
    std::vector<EventStack> stacks() const;

    // Event records plus interned strings (what a benchmark reports per event).
    std::uint64_t storeBytes() const;

private:
    LaunchSpec m_spec;
    EventStore m_events;
    StringPool m_strings;
    ProcessTable m_processes;
    OutputLog m_output;
    mutable std::mutex m_mutex; // guards m_context, m_summary and m_verdict
    LaunchContext m_context;
    std::optional<TraceSummary> m_summary;
    std::optional<Verdict> m_verdict;
    mutable std::mutex m_stackMutex; // few events have stacks: a mutex costs nothing here
    std::vector<EventStack> m_stacks;
    std::unique_ptr<CompiledFilter> m_captureFilter; // tracer thread only, once the capture runs
};

} // namespace exitlens
