#pragma once

#include "Event.h"
#include "LaunchContext.h"
#include "ProcessRecord.h"

#include <span>
#include <string_view>

namespace exitlens {

// Where a tracer delivers what it sees. Every call comes from the tracer thread; implementations
// publish to readers on other threads themselves (the event store publishes a count with release
// semantics). Nothing here may block for long: the traced program is stopped while it runs.
class TraceSink {
public:
    virtual ~TraceSink() = default;

    // Interns a string and returns its id; the same text always gives the same id.
    virtual StringId intern(std::string_view text) = 0;
    // Appends events; returns the sequence number of the first one.
    virtual std::uint64_t append(std::span<const Event> events) = 0;
    // A process appeared or changed (exec, exit). The record is complete each time.
    virtual void processChanged(const ProcessRecord& process) = 0;
    // Bytes a traced process wrote to fd 1 (stream 1) or fd 2 (stream 2), attached to event seq.
    virtual void output(std::uint64_t seq, int pid, int stream, std::string_view bytes) = 0;
    virtual void launchContext(const LaunchContext& context) = 0;
    // The capture filter: called on the tracer thread for each decoded syscall event (including
    // the Output-kind writes to fds 1-2) and signal event, its strings already interned, before it
    // is numbered. False drops it: it gets no sequence
    // number, is never stored, carries no stack, and is only counted (TraceSummary::filteredOut).
    // Process and thread lifecycle events are never offered, so the process table stays whole.
    virtual bool keep(const Event& event)
    {
        (void)event;
        return true;
    }
    // The calling thread's raw user stack at event SEQ (innermost first; see
    // linux/StackSampler.h for the layout). Only a few key events carry one; a sink that keeps
    // no stacks ignores them.
    virtual void stack(std::uint64_t seq, int pid, std::span<const std::uint64_t> pcs)
    {
        (void)seq;
        (void)pid;
        (void)pcs;
    }
};

} // namespace exitlens
