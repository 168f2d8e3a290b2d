#include "Symbolizer.h"

#include <algorithm>

namespace exitlens {

namespace {
constexpr std::size_t kCacheLimit = 1 << 20; // entries; cleared when full (captures rarely get near)
}

std::unique_ptr<Symbolizer> Symbolizer::open(const std::string& path, std::string& error)
{
    auto binary = BinaryReader::open(path, error);
    if (!binary)
        return nullptr;
    return std::make_unique<Symbolizer>(std::move(binary));
}

Symbolizer::Symbolizer(std::unique_ptr<BinaryReader> binary)
    : m_binary(std::move(binary))
{
    std::string ignored; // a binary without pclntab is symbolized from ELF symbols alone
    m_pcln = GoPclnTable::load(*m_binary, ignored);
}

std::vector<SymbolizedFrame> Symbolizer::resolve(std::uint64_t pc, std::uint64_t lookupPc) const
{
    std::vector<SymbolizedFrame> frames;
    if (m_pcln) {
        const auto locations = m_pcln->lookupFrames(lookupPc);
        for (std::size_t i = 0; i < locations.size(); ++i) {
            SymbolizedFrame frame;
            frame.pc = pc;
            frame.function = std::string(locations[i].function);
            frame.file = std::string(locations[i].file);
            frame.line = locations[i].line;
            frame.inlined = i + 1 < locations.size();
            frame.offset = frame.inlined ? 0 : pc - locations[i].entry;
            frame.source = SymbolizedFrame::Source::GoPclntab;
            frames.push_back(std::move(frame));
        }
        if (!frames.empty())
            return frames;
    }
    SymbolizedFrame frame;
    frame.pc = pc;
    const auto& symbols = m_binary->symbols();
    auto after = std::upper_bound(symbols.begin(), symbols.end(), lookupPc,
        [](std::uint64_t value, const BinarySymbol& symbol) { return value < symbol.address; });
    // The nearest function symbol at or below the pc that covers it (size 0: assume it does).
    while (after != symbols.begin()) {
        --after;
        if (!after->function)
            continue;
        if (after->size == 0 || lookupPc < after->address + after->size) {
            frame.function = after->name;
            frame.offset = pc - after->address;
            frame.source = SymbolizedFrame::Source::ElfSymbol;
        }
        break;
    }
    frames.push_back(std::move(frame));
    return frames;
}

const SymbolizedFrame& Symbolizer::symbolize(std::uint64_t pc)
{
    if (m_exactCache.size() >= kCacheLimit)
        m_exactCache.clear();
    auto [it, inserted] = m_exactCache.try_emplace(pc);
    if (inserted)
        it->second = resolve(pc, pc).back();
    return it->second;
}

std::vector<SymbolizedFrame> Symbolizer::symbolizeStack(std::span<const std::uint64_t> pcs)
{
    std::vector<SymbolizedFrame> frames;
    frames.reserve(pcs.size());
    for (std::size_t i = 0; i < pcs.size(); ++i) {
        if (m_stackCache.size() >= kCacheLimit)
            m_stackCache.clear();
        // The innermost pc is exact, the others return addresses: cached apart (bit 0 of the
        // key; pcs are never both a return address and that value + 1's exact pc in one key).
        const bool exact = i == 0;
        const std::uint64_t key = (pcs[i] << 1) | (exact ? 1 : 0);
        auto [it, inserted] = m_stackCache.try_emplace(key);
        if (inserted) {
            // A return address is looked up at the call (pc - 1), except at a function's very
            // first instruction: a goroutine that has not run yet "returns" to its entry, and
            // Go's own traceback does not step back there either.
            std::uint64_t lookupPc = pcs[i];
            GoPclnTable::Location location;
            if (!exact && !(m_pcln && m_pcln->lookup(pcs[i], location) && location.entry == pcs[i]))
                lookupPc = pcs[i] - 1;
            it->second = resolve(pcs[i], lookupPc);
        }
        frames.insert(frames.end(), it->second.begin(), it->second.end());
    }
    return frames;
}

std::vector<SymbolizedFrame> Symbolizer::symbolizeSample(std::span<const std::uint64_t> raw)
{
    if (raw.empty())
        return {};
    std::vector<std::uint64_t> pcs { raw[0] };
    if (raw.size() > 1 && raw[1] != 0 && m_pcln && m_pcln->spDelta(raw[0]) == 0)
        pcs.push_back(raw[1]);
    for (std::size_t i = 2; i < raw.size(); ++i)
        pcs.push_back(raw[i]);
    return symbolizeStack(pcs);
}

} // namespace exitlens
