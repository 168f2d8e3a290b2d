#include "StringPool.h"

#include <cstring>

namespace exitlens {

namespace {
constexpr std::size_t kBlockSize = 1 << 20;
}

StringPool::StringPool()
{
    m_entries.append(Entry { "", 0 }); // id 0 = the empty string
    m_index.emplace(std::string_view(), kNoString);
    m_entries.publish();
}

const char* StringPool::store(std::string_view text)
{
    // Blocks never move, so the views in m_index and the entries stay valid.
    if (text.size() > m_blockLeft) {
        const std::size_t size = std::max(kBlockSize, text.size());
        m_blocks.push_back(std::make_unique_for_overwrite<char[]>(size)); // untouched pages stay unmapped
        m_blockCursor = m_blocks.back().get();
        m_blockLeft = size;
    }
    char* destination = m_blockCursor;
    std::memcpy(destination, text.data(), text.size());
    m_blockCursor += text.size();
    m_blockLeft -= text.size();
    m_textBytes += text.size();
    return destination;
}

StringId StringPool::intern(std::string_view text)
{
    if (auto found = m_index.find(text); found != m_index.end())
        return found->second;
    const char* data = store(text);
    const auto id = static_cast<StringId>(m_entries.writerSize());
    if (!m_entries.append(Entry { data, static_cast<std::uint32_t>(text.size()) }))
        return kNoString;
    m_index.emplace(std::string_view(data, text.size()), id);
    return id;
}

} // namespace exitlens
