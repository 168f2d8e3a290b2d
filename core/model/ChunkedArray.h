#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace exitlens {

// An append-only array for one writer thread and any number of reader threads. Elements live in
// fixed-size chunks that never move, reached through a fixed directory, so a reader that loaded
// size() (acquire) may read every element below it without a lock while the writer appends.
template<typename T, std::size_t ChunkBits = 16, std::size_t DirectorySize = 65536> class ChunkedArray {
public:
    static constexpr std::size_t kChunkSize = std::size_t(1) << ChunkBits;
    static constexpr std::size_t kCapacity = kChunkSize * DirectorySize;

    ChunkedArray() = default;
    ChunkedArray(const ChunkedArray&) = delete;
    ChunkedArray& operator=(const ChunkedArray&) = delete;

    std::size_t size() const { return m_published.load(std::memory_order_acquire); }
    const T& operator[](std::size_t index) const { return m_directory[index >> ChunkBits][index & (kChunkSize - 1)]; }

    // Writer only. Returns false when the array is full (the caller counts the loss).
    bool append(const T& value)
    {
        const std::size_t index = m_size;
        if (index >= kCapacity)
            return false;
        const std::size_t chunk = index >> ChunkBits;
        if (!m_directory[chunk]) {
            m_owned[chunk] = std::make_unique<T[]>(kChunkSize);
            m_directory[chunk] = m_owned[chunk].get();
        }
        m_directory[chunk][index & (kChunkSize - 1)] = value;
        ++m_size;
        return true;
    }
    // Writer only: makes everything appended so far visible to readers.
    void publish() { m_published.store(m_size, std::memory_order_release); }
    // Writer-side view of the element count (includes unpublished elements).
    std::size_t writerSize() const { return m_size; }
    T& writerAt(std::size_t index) { return m_directory[index >> ChunkBits][index & (kChunkSize - 1)]; }

    std::size_t allocatedChunks() const { return (m_size + kChunkSize - 1) / kChunkSize; }

private:
    std::array<T*, DirectorySize> m_directory {};
    std::array<std::unique_ptr<T[]>, DirectorySize> m_owned;
    std::size_t m_size = 0;
    std::atomic<std::size_t> m_published { 0 };
};

} // namespace exitlens
