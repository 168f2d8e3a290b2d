#pragma once

#include "Event.h"
#include "model/ChunkedArray.h"

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace exitlens {

// Interned strings: each distinct text is stored once and named by a 32-bit id. One writer (the
// tracer thread) interns; readers on any thread look up ids below the published count.
class StringPool {
public:
    StringPool();

    // Writer only.
    StringId intern(std::string_view text);
    void publish() { m_entries.publish(); }

    // Any thread, for ids obtained from published events.
    std::string_view at(StringId id) const
    {
        const Entry& entry = m_entries[id];
        return { entry.data, entry.size };
    }
    std::size_t size() const { return m_entries.size(); }
    // Bytes held for string text and the lookup structures (for memory accounting).
    std::size_t memoryBytes() const { return m_textBytes + m_entries.writerSize() * (sizeof(Entry) + 32); }

private:
    struct Entry {
        const char* data = nullptr;
        std::uint32_t size = 0;
    };
    const char* store(std::string_view text);

    ChunkedArray<Entry, 14> m_entries;
    std::unordered_map<std::string_view, StringId> m_index;
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char* m_blockCursor = nullptr;
    std::size_t m_blockLeft = 0;
    std::size_t m_textBytes = 0;
};

} // namespace exitlens
