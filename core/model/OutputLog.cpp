#include "OutputLog.h"

#include <algorithm>

namespace exitlens {

OutputLog::OutputLog(std::size_t headBytes, std::size_t tailBytes)
    : m_headCapacity(headBytes)
    , m_tailCapacity(tailBytes)
{
}

void OutputLog::appendTail(Stream& stream, std::string_view bytes)
{
    if (m_tailCapacity == 0)
        return;
    if (bytes.size() >= m_tailCapacity) {
        stream.tailRing.assign(bytes.substr(bytes.size() - m_tailCapacity));
        stream.tailStart = 0;
        return;
    }
    if (stream.tailRing.size() < m_tailCapacity) {
        const std::size_t room = m_tailCapacity - stream.tailRing.size();
        const std::size_t now = std::min(room, bytes.size());
        stream.tailRing.append(bytes.substr(0, now));
        bytes.remove_prefix(now);
    }
    // Full: overwrite the oldest bytes in place.
    while (!bytes.empty()) {
        const std::size_t run = std::min(bytes.size(), m_tailCapacity - stream.tailStart);
        stream.tailRing.replace(stream.tailStart, run, bytes.substr(0, run));
        stream.tailStart = (stream.tailStart + run) % m_tailCapacity;
        bytes.remove_prefix(run);
    }
}

void OutputLog::append(std::uint64_t seq, int pid, int streamNumber, std::string_view bytes)
{
    if (streamNumber != 1 && streamNumber != 2)
        return;
    std::lock_guard lock(m_mutex);
    Stream& stream = m_streams[streamNumber - 1];
    m_chunks.push_back(Chunk {
        seq, stream.total, static_cast<std::uint32_t>(bytes.size()), pid, static_cast<std::uint8_t>(streamNumber) });
    stream.total += bytes.size();
    if (stream.head.size() < m_headCapacity) {
        const std::size_t take = std::min(bytes.size(), m_headCapacity - stream.head.size());
        stream.head.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
    }
    appendTail(stream, bytes);
}

OutputLog::StreamView OutputLog::stream(int streamNumber) const
{
    StreamView view;
    if (streamNumber != 1 && streamNumber != 2)
        return view;
    std::lock_guard lock(m_mutex);
    const Stream& stream = m_streams[streamNumber - 1];
    view.head = stream.head;
    if (stream.tailRing.size() < m_tailCapacity || stream.tailStart == 0)
        view.tail = stream.tailRing;
    else
        view.tail = stream.tailRing.substr(stream.tailStart) + stream.tailRing.substr(0, stream.tailStart);
    view.totalBytes = stream.total;
    view.omittedBytes = stream.total - view.head.size() - view.tail.size();
    return view;
}

std::vector<OutputLog::Chunk> OutputLog::chunks() const
{
    std::lock_guard lock(m_mutex);
    return m_chunks;
}

std::vector<OutputLog::Chunk> OutputLog::chunks(std::size_t from, std::size_t max) const
{
    std::lock_guard lock(m_mutex);
    if (from >= m_chunks.size())
        return {};
    const std::size_t count = std::min(max, m_chunks.size() - from);
    const auto begin = m_chunks.begin() + static_cast<std::ptrdiff_t>(from);
    return std::vector<Chunk>(begin, begin + static_cast<std::ptrdiff_t>(count));
}

std::size_t OutputLog::chunkCount() const
{
    std::lock_guard lock(m_mutex);
    return m_chunks.size();
}

void OutputLog::restoreStream(int streamNumber, std::string head, std::string tail, std::uint64_t totalBytes)
{
    if (streamNumber != 1 && streamNumber != 2)
        return;
    std::lock_guard lock(m_mutex);
    Stream& stream = m_streams[streamNumber - 1];
    // Keep the capacities' invariants whatever the file says: head and tail never exceed them.
    if (head.size() > m_headCapacity)
        head.resize(m_headCapacity);
    if (tail.size() > m_tailCapacity)
        tail.erase(0, tail.size() - m_tailCapacity);
    stream.head = std::move(head);
    stream.tailRing = std::move(tail);
    stream.tailStart = 0;
    stream.total = std::max<std::uint64_t>(totalBytes, stream.head.size() + stream.tailRing.size());
}

void OutputLog::restoreChunk(const Chunk& chunk)
{
    std::lock_guard lock(m_mutex);
    m_chunks.push_back(chunk);
}

std::uint64_t OutputLog::totalBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_streams[0].total + m_streams[1].total;
}

std::size_t OutputLog::memoryBytes() const
{
    std::lock_guard lock(m_mutex);
    std::size_t bytes = m_chunks.capacity() * sizeof(Chunk);
    for (const auto& stream : m_streams)
        bytes += stream.head.capacity() + stream.tailRing.capacity();
    return bytes;
}

} // namespace exitlens
