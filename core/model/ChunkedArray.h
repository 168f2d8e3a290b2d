#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace exitlens {

// An append-only array for one writer thread and any number of reader threads. Elements live in
// fixed-size chunks that never move, reached through a fixed directory, so a reader that loaded
// size() (acquire) may read every element below it without a lock while the writer appends.
//
// Nothing is written before it is used: the directory comes from calloc and the chunks from
// malloc, both served by fresh zero pages the kernel maps on first touch. A capture of a few
// events (the common `exitlens run` of a short program) then costs a few pages, not the 4 MB a
// zero-filled directory and first chunk would take in memset and page faults.
template<typename T, std::size_t ChunkBits = 16, std::size_t DirectorySize = 65536> class ChunkedArray {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
        "elements are placed in raw storage and never destroyed");
    static_assert(alignof(T) <= alignof(std::max_align_t));

public:
    static constexpr std::size_t kChunkSize = std::size_t(1) << ChunkBits;
    static constexpr std::size_t kCapacity = kChunkSize * DirectorySize;

    ChunkedArray()
        : m_directory(static_cast<T**>(std::calloc(DirectorySize, sizeof(T*))))
    {
        if (!m_directory)
            throw std::bad_alloc();
    }
    ~ChunkedArray()
    {
        for (std::size_t chunk = 0; chunk < DirectorySize && m_directory[chunk]; ++chunk)
            std::free(m_directory[chunk]);
        std::free(m_directory);
    }
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
            auto* storage = static_cast<T*>(std::malloc(kChunkSize * sizeof(T)));
            if (!storage)
                return false;
            m_directory[chunk] = storage;
        }
        std::construct_at(m_directory[chunk] + (index & (kChunkSize - 1)), value);
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
    T** m_directory; // DirectorySize chunk pointers, filled in order

    std::size_t m_size = 0;
    std::atomic<std::size_t> m_published { 0 };
};

} // namespace exitlens
