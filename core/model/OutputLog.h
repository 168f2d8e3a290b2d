#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// What traced processes wrote to their stdout (stream 1) and stderr (stream 2). Memory stays
// bounded whatever the program writes: the first and the last headBytes/tailBytes of each stream
// are kept, the middle is counted, never stored. The last words are what a diagnosis needs.
class OutputLog {
public:
    struct Chunk {
        std::uint64_t seq = 0; // the Output event
        std::uint64_t offset = 0; // position in the stream
        std::uint32_t length = 0;
        std::int32_t pid = 0;
        std::uint8_t stream = 0;
    };
    struct StreamView {
        std::string head; // the first bytes of the stream
        std::string tail; // the last bytes (does not overlap head)
        std::uint64_t totalBytes = 0;
        std::uint64_t omittedBytes = 0; // between head and tail
    };

    explicit OutputLog(std::size_t headBytes = 1 << 20, std::size_t tailBytes = 1 << 20);

    void append(std::uint64_t seq, int pid, int stream, std::string_view bytes);

    StreamView stream(int stream) const; // 1 or 2
    std::vector<Chunk> chunks() const;
    // Chunks [from, from + max): a session writer copies only what is new.
    std::vector<Chunk> chunks(std::size_t from, std::size_t max) const;
    std::size_t chunkCount() const;
    // Loading a saved session: puts back a stream's kept bytes and count, and its chunk records.
    void restoreStream(int stream, std::string head, std::string tail, std::uint64_t totalBytes);
    void restoreChunk(const Chunk& chunk);
    std::uint64_t totalBytes() const;
    std::size_t memoryBytes() const;

private:
    struct Stream {
        std::string head;
        std::string tailRing; // circular, tailCapacity bytes once full
        std::size_t tailStart = 0; // index of the oldest byte in tailRing when full
        std::uint64_t total = 0;
    };
    void appendTail(Stream& stream, std::string_view bytes);

    mutable std::mutex m_mutex;
    std::size_t m_headCapacity;
    std::size_t m_tailCapacity;
    Stream m_streams[2];
    std::vector<Chunk> m_chunks;
};

} // namespace exitlens
