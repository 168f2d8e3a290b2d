#include "CaptureData.h"

#include "filter/CompiledFilter.h"

namespace exitlens {

CaptureData::CaptureData(LaunchSpec spec)
    : m_spec(std::move(spec))
{
}

CaptureData::~CaptureData() = default;

void CaptureData::setCaptureFilter(std::unique_ptr<FilterNode> root)
{
    if (!root) {
        m_captureFilter.reset();
        return;
    }
    // The filter reads this capture's strings and process table; a non-owning pointer (aliasing an
    // empty owner), because an owning one would keep this object alive through its own member.
    std::shared_ptr<const CaptureData> self(std::shared_ptr<const CaptureData> {}, this);
    m_captureFilter = std::make_unique<CompiledFilter>(std::move(root), std::move(self));
}

bool CaptureData::keep(const Event& event)
{
    // The seq field sees the number of events stored so far: the tracer's unflushed batch is not
    // counted, so `seq` in a capture filter is approximate (documented in filters.md).
    return !m_captureFilter || m_captureFilter->matchesEvent(event, m_events.size());
}

StringId CaptureData::intern(std::string_view text)
{
    return m_strings.intern(text);
}

std::uint64_t CaptureData::append(std::span<const Event> events)
{
    // Strings first: a reader that sees an event must be able to resolve its ids.
    m_strings.publish();
    const std::uint64_t first = m_events.append(events);
    m_events.publish();
    return first;
}

void CaptureData::processChanged(const ProcessRecord& process)
{
    m_processes.update(process);
}

void CaptureData::stack(std::uint64_t seq, int pid, std::span<const std::uint64_t> pcs)
{
    std::lock_guard lock(m_stackMutex);
    m_stacks.push_back({ seq, pid, std::vector<std::uint64_t>(pcs.begin(), pcs.end()) });
}

std::vector<CaptureData::EventStack> CaptureData::stacks() const
{
    std::lock_guard lock(m_stackMutex);
    return m_stacks;
}

void CaptureData::output(std::uint64_t seq, int pid, int stream, std::string_view bytes)
{
    m_output.append(seq, pid, stream, bytes);
}

void CaptureData::launchContext(const LaunchContext& context)
{
    std::lock_guard lock(m_mutex);
    m_context = context;
}

LaunchContext CaptureData::context() const
{
    std::lock_guard lock(m_mutex);
    return m_context;
}

void CaptureData::setSummary(const TraceSummary& summary)
{
    std::lock_guard lock(m_mutex);
    m_summary = summary;
}

std::optional<TraceSummary> CaptureData::summary() const
{
    std::lock_guard lock(m_mutex);
    return m_summary;
}

void CaptureData::setVerdict(const Verdict& verdict)
{
    std::lock_guard lock(m_mutex);
    m_verdict = verdict;
}

std::optional<Verdict> CaptureData::verdict() const
{
    std::lock_guard lock(m_mutex);
    return m_verdict;
}

void CaptureData::restoreOutputStream(int stream, std::string head, std::string tail, std::uint64_t totalBytes)
{
    m_output.restoreStream(stream, std::move(head), std::move(tail), totalBytes);
}

void CaptureData::repairProcess(std::size_t index, const ProcessRecord& process)
{
    m_processes.replace(index, process);
}

void CaptureData::restoreOutputChunk(const OutputLog::Chunk& chunk)
{
    m_output.restoreChunk(chunk);
}

std::uint64_t CaptureData::storeBytes() const
{
    return m_events.size() * sizeof(Event) + m_strings.memoryBytes();
}

} // namespace exitlens
