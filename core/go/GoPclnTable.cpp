#include "GoPclnTable.h"

#include "go/BinaryReader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace exitlens {

namespace {
constexpr std::uint32_t kMagic116 = 0xfffffffa;
constexpr std::uint32_t kMagic118 = 0xfffffff0;
constexpr std::uint32_t kMagic120 = 0xfffffff1;
constexpr std::uint32_t kMagic12 = 0xfffffffb;
constexpr std::size_t kMaxFileIndex = 1 << 24;
constexpr std::uint32_t kPcdataInlTreeIndex = 2;
constexpr std::uint32_t kFuncdataInlTree = 3;
constexpr int kMaxInlineDepth = 64;

std::string hex32(std::uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}
} // namespace

std::unique_ptr<GoPclnTable> GoPclnTable::load(const BinaryReader& binary, std::string& error)
{
    // PIE and external linking put it in .data.rel.ro.gopclntab; stripped binaries keep it
    // (it is allocated, the runtime reads it).
    const BinarySection* section = binary.section(".gopclntab");
    if (!section)
        section = binary.section(".data.rel.ro.gopclntab");
    std::span<const std::uint8_t> bytes;
    if (section) {
        bytes = binary.sectionBytes(*section);
    } else {
        for (const auto& symbol : binary.symbols()) {
            if (symbol.name == "runtime.pclntab" || symbol.name == "runtime.pcheader") {
                bytes = binary.virtualBytes(symbol.address, symbol.size ? symbol.size : (64u << 20));
                break;
            }
        }
    }
    if (bytes.empty()) {
        error = "no Go pclntab (not a Go program, or its tables were removed)";
        return nullptr;
    }
    std::uint64_t text = 0;
    if (const BinarySection* textSection = binary.section(".text"))
        text = textSection->address;
    std::uint64_t tableAddress = section ? section->address : 0;
    if (!section)
        for (const auto& symbol : binary.symbols())
            if (symbol.name == "runtime.pclntab" || symbol.name == "runtime.pcheader")
                tableAddress = symbol.address;
    auto table = fromBytes(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), text, error);
    if (table && tableAddress)
        table->attachGoFunc(binary, tableAddress);
    return table;
}

void GoPclnTable::attachGoFunc(const BinaryReader& binary, std::uint64_t tableAddress)
{
    // runtime.moduledata starts with a pointer to the pcHeader, then the funcnametab slice; its
    // gofunc field (the base of every funcdata offset since Go 1.18) is word 38, 40 since Go 1.20
    // (covctrs/ecovctrs were added before it). The text field (word 22) confirms the find.
    if (!m_relativeEntries || m_pointerSize != 8 || m_bigEndian)
        return;
    const std::size_t gofuncWord = m_magic == kMagic120 ? 40 : 38;
    const std::size_t rodataWord = gofuncWord - 1;
    auto read = [](std::span<const std::uint8_t> bytes, std::size_t at) {
        std::uint64_t value = 0;
        std::memcpy(&value, bytes.data() + at, 8);
        return value;
    };
    for (const auto& section : binary.sections()) {
        if (!section.allocated || section.noBits || section.executable)
            continue;
        const auto bytes = binary.sectionBytes(section);
        if (bytes.size() < (gofuncWord + 1) * 8)
            continue;
        for (std::size_t at = 0; at + (gofuncWord + 1) * 8 <= bytes.size(); at += 8) {
            if (read(bytes, at) != tableAddress || read(bytes, at + 8) != tableAddress + m_funcNames
                || read(bytes, at + 22 * 8) != m_textStart)
                continue;
            const std::uint64_t gofunc = read(bytes, at + gofuncWord * 8);
            if (gofunc < read(bytes, at + rodataWord * 8))
                continue;
            const auto data = binary.virtualBytes(gofunc, 256u << 20);
            if (data.empty())
                continue;
            m_goFunc.assign(data.begin(), data.end());
            return;
        }
    }
}

std::unique_ptr<GoPclnTable> GoPclnTable::fromBytes(
    std::vector<std::uint8_t> table, std::uint64_t textFallback, std::string& error)
{
    std::unique_ptr<GoPclnTable> result(new GoPclnTable);
    result->m_table = std::move(table);
    if (!result->parse(textFallback, error))
        return nullptr;
    return result;
}

std::uint32_t GoPclnTable::u32(std::uint64_t offset) const
{
    if (offset > m_table.size() || m_table.size() - offset < 4)
        return 0;
    const std::uint8_t* p = m_table.data() + offset;
    return m_bigEndian ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3])
                       : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]);
}

std::uint64_t GoPclnTable::word(std::uint64_t offset) const
{
    if (m_pointerSize == 4)
        return u32(offset);
    const std::uint64_t low = u32(offset + (m_bigEndian ? 4 : 0));
    const std::uint64_t high = u32(offset + (m_bigEndian ? 0 : 4));
    return high << 32 | low;
}

std::string_view GoPclnTable::cString(std::uint64_t offset) const
{
    if (offset >= m_table.size())
        return {};
    const char* start = reinterpret_cast<const char*>(m_table.data() + offset);
    return std::string_view(start, strnlen(start, m_table.size() - offset));
}

bool GoPclnTable::parse(std::uint64_t textFallback, std::string& error)
{
    if (m_table.size() < 8) {
        error = "pclntab too short";
        return false;
    }
    m_magic = u32(0);
    if (m_magic != kMagic116 && m_magic != kMagic118 && m_magic != kMagic120) {
        m_bigEndian = true;
        const std::uint32_t swapped = u32(0);
        if (swapped == kMagic116 || swapped == kMagic118 || swapped == kMagic120) {
            m_magic = swapped;
        } else {
            m_bigEndian = false;
            if (m_magic == kMagic12)
                error = "pclntab of Go 1.2–1.15 (magic 0xfffffffb) is not supported";
            else
                error = "unsupported pclntab magic " + hex32(m_magic);
            return false;
        }
    }
    m_minLC = m_table[6];
    m_pointerSize = m_table[7];
    if (m_table[4] != 0 || m_table[5] != 0 || (m_minLC != 1 && m_minLC != 2 && m_minLC != 4)
        || (m_pointerSize != 4 && m_pointerSize != 8)) {
        error = "corrupt pclntab header";
        return false;
    }
    const std::uint64_t p = m_pointerSize;
    m_relativeEntries = m_magic != kMagic116;
    std::uint64_t field = 8;
    auto next = [&] {
        const std::uint64_t value = word(field);
        field += p;
        return value;
    };
    m_functionCount = next();
    next(); // number of files: not needed, the cu table is indexed directly
    if (m_relativeEntries) {
        m_textStart = next();
        // A PIE keeps this word as a dynamic relocation: the file holds 0, the text section's
        // address is the same value.
        if (m_textStart == 0)
            m_textStart = textFallback;
    }
    m_funcNames = next();
    m_cuTable = next();
    m_fileTable = next();
    m_pcTable = next();
    m_functionTable = next();
    if (field > m_table.size()) {
        error = "pclntab too short for its header";
        return false;
    }
    for (std::uint64_t offset : { m_funcNames, m_cuTable, m_fileTable, m_pcTable, m_functionTable }) {
        if (offset >= m_table.size()) {
            error = "corrupt pclntab header (table offset past the end)";
            return false;
        }
    }
    const std::uint64_t entrySize = m_relativeEntries ? 8 : 2 * p;
    const std::uint64_t room = (m_table.size() - m_functionTable) / entrySize;
    if (m_functionCount == 0 || m_functionCount >= room) {
        error = "corrupt pclntab header (function count " + std::to_string(m_functionCount) + ")";
        return false;
    }
    return true;
}

std::string GoPclnTable::formatName() const
{
    switch (m_magic) {
    case kMagic116:
        return "go1.16";
    case kMagic118:
        return "go1.18";
    case kMagic120:
        return "go1.20";
    default:
        return "unknown";
    }
}

std::uint64_t GoPclnTable::functionEntry(std::size_t index) const
{
    if (m_relativeEntries)
        return m_textStart + u32(m_functionTable + index * 8);
    return word(m_functionTable + index * 2 * m_pointerSize);
}

std::uint64_t GoPclnTable::functionOffset(std::size_t index) const
{
    const std::uint64_t relative = m_relativeEntries
        ? u32(m_functionTable + index * 8 + 4)
        : word(m_functionTable + index * 2 * m_pointerSize + m_pointerSize);
    return m_functionTable + relative;
}

std::int64_t GoPclnTable::findFunction(std::uint64_t pc) const
{
    // The table has functionCount + 1 entries: the last one's entry is the end of the text.
    if (pc < functionEntry(0) || pc >= functionEntry(m_functionCount))
        return -1;
    std::size_t low = 0;
    std::size_t high = m_functionCount; // invariant: entry(low) <= pc < entry(high)
    while (high - low > 1) {
        const std::size_t middle = low + (high - low) / 2;
        if (functionEntry(middle) <= pc)
            low = middle;
        else
            high = middle;
    }
    return static_cast<std::int64_t>(low);
}

bool GoPclnTable::pcValue(std::uint32_t table, std::uint64_t entry, std::uint64_t pc, std::int64_t& value) const
{
    if (table == 0)
        return false;
    std::uint64_t position = m_pcTable + table;
    std::uint64_t current = entry;
    std::int32_t val = -1;
    bool first = true;
    auto readVarint = [&](std::uint32_t& out) {
        out = 0;
        for (unsigned shift = 0; shift < 35; shift += 7) {
            if (position >= m_table.size())
                return false;
            const std::uint8_t byte = m_table[position++];
            out |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0)
                return true;
        }
        return false;
    };
    while (position < m_table.size()) {
        std::uint32_t valueDelta = 0;
        if (!readVarint(valueDelta) || (valueDelta == 0 && !first))
            return false;
        first = false;
        const std::int32_t signedDelta = static_cast<std::int32_t>(-(valueDelta & 1) ^ (valueDelta >> 1));
        val = static_cast<std::int32_t>(static_cast<std::uint32_t>(val) + static_cast<std::uint32_t>(signedDelta));
        std::uint32_t pcDelta = 0;
        if (!readVarint(pcDelta))
            return false;
        current += static_cast<std::uint64_t>(pcDelta) * m_minLC;
        if (pc < current) {
            value = val;
            return true;
        }
    }
    return false;
}

bool GoPclnTable::lookup(std::uint64_t pc, Location& out) const
{
    const std::int64_t index = findFunction(pc);
    if (index < 0)
        return false;
    const std::uint64_t func = functionOffset(static_cast<std::size_t>(index));
    // Field offsets inside _func: after the entry (32-bit offset since 1.18, a pointer before).
    const std::uint64_t base = func + (m_relativeEntries ? 4 : m_pointerSize);
    const std::int32_t nameOffset = static_cast<std::int32_t>(u32(base));
    const std::uint32_t pcfile = u32(base + 16);
    const std::uint32_t pcln = u32(base + 20);
    const std::uint32_t cuOffset = u32(base + 28);
    out = Location {};
    out.entry = functionEntry(static_cast<std::size_t>(index));
    if (nameOffset >= 0)
        out.function = cString(m_funcNames + static_cast<std::uint64_t>(nameOffset));
    std::int64_t fileIndex = -1;
    if (pcValue(pcfile, out.entry, pc, fileIndex) && fileIndex >= 0 && fileIndex < std::int64_t(kMaxFileIndex)) {
        const std::uint32_t fileOffset = u32(m_cuTable + (std::uint64_t(cuOffset) + std::uint64_t(fileIndex)) * 4);
        if (fileOffset != 0xffffffffu)
            out.file = cString(m_fileTable + fileOffset);
    }
    std::int64_t line = 0;
    if (pcValue(pcln, out.entry, pc, line) && line > 0)
        out.line = static_cast<int>(line);
    return !out.function.empty();
}

std::uint32_t GoPclnTable::pcdataTable(std::uint64_t func, std::uint32_t index) const
{
    // _func is 40 bytes in Go 1.18–1.19, 44 since 1.20 (startLine); npcdata at +28, nfuncdata in
    // its last byte.
    const std::uint64_t size = m_magic == kMagic120 ? 44 : 40;
    if (index >= u32(func + 28))
        return 0;
    return u32(func + size + 4ull * index);
}

bool GoPclnTable::funcdataOffset(std::uint64_t func, std::uint32_t index, std::uint32_t& out) const
{
    const std::uint64_t size = m_magic == kMagic120 ? 44 : 40;
    if (func + size > m_table.size() || index >= m_table[func + size - 1])
        return false;
    out = u32(func + size + 4ull * u32(func + 28) + 4ull * index);
    return out != 0xffffffffu;
}

std::vector<GoPclnTable::Location> GoPclnTable::lookupFrames(std::uint64_t pc) const
{
    std::vector<Location> frames;
    Location outer;
    if (!lookup(pc, outer))
        return frames;
    std::uint32_t tree = 0;
    const std::uint64_t func = functionOffset(static_cast<std::size_t>(findFunction(pc)));
    if (m_goFunc.empty() || !funcdataOffset(func, kFuncdataInlTree, tree)) {
        frames.push_back(outer);
        return frames;
    }
    const std::uint32_t indexTable = pcdataTable(func, kPcdataInlTreeIndex);
    // Inline tree entries: Go 1.18–1.19 {parent int16, funcID, _, file, line, nameoff, parentPc}
    // (20 bytes); Go 1.20+ {funcID, _[3], nameOff, parentPc, startLine} (16 bytes).
    const bool go120 = m_magic == kMagic120;
    const std::uint64_t entrySize = go120 ? 16 : 20;
    const std::uint64_t nameField = go120 ? 4 : 12;
    const std::uint64_t parentPcField = go120 ? 8 : 16;
    auto treeWord = [&](std::uint64_t at) -> std::int64_t {
        if (at + 4 > m_goFunc.size())
            return -1;
        std::int32_t value = 0;
        std::memcpy(&value, m_goFunc.data() + at, 4);
        return value;
    };
    std::uint64_t current = pc;
    for (int depth = 0; depth < kMaxInlineDepth; ++depth) {
        std::int64_t index = -1;
        if (!pcValue(indexTable, outer.entry, current, index) || index < 0)
            break;
        const std::uint64_t entry = tree + static_cast<std::uint64_t>(index) * entrySize;
        const std::int64_t nameOffset = treeWord(entry + nameField);
        const std::int64_t parentPc = treeWord(entry + parentPcField);
        if (nameOffset < 0 || parentPc < 0)
            break;
        Location inlined;
        inlined.function = cString(m_funcNames + static_cast<std::uint64_t>(nameOffset));
        inlined.entry = outer.entry;
        Location position; // the file and line of the code at CURRENT
        lookup(current, position);
        inlined.file = position.file;
        inlined.line = position.line;
        frames.push_back(inlined);
        current = outer.entry + static_cast<std::uint64_t>(parentPc);
    }
    if (!frames.empty()) {
        Location position;
        lookup(current, position);
        outer.file = position.file;
        outer.line = position.line;
    }
    frames.push_back(outer);
    return frames;
}

std::int64_t GoPclnTable::spDelta(std::uint64_t pc) const
{
    const std::int64_t index = findFunction(pc);
    if (index < 0)
        return -1;
    const std::uint64_t func = functionOffset(static_cast<std::size_t>(index));
    const std::uint64_t base = func + (m_relativeEntries ? 4 : m_pointerSize);
    std::int64_t value = 0;
    if (!pcValue(u32(base + 12), functionEntry(static_cast<std::size_t>(index)), pc, value))
        return -1;
    return value;
}

std::uint64_t GoPclnTable::entryOf(std::string_view name) const
{
    for (std::size_t i = 0; i < m_functionCount; ++i) {
        const std::uint64_t base = functionOffset(i) + (m_relativeEntries ? 4 : m_pointerSize);
        const auto nameOffset = static_cast<std::int32_t>(u32(base));
        if (nameOffset >= 0 && cString(m_funcNames + static_cast<std::uint64_t>(nameOffset)) == name)
            return functionEntry(i);
    }
    return 0;
}

bool GoPclnTable::hasFunctionContaining(std::initializer_list<std::string_view> needles) const
{
    for (std::size_t i = 0; i < m_functionCount; ++i) {
        const std::uint64_t base = functionOffset(i) + (m_relativeEntries ? 4 : m_pointerSize);
        const auto nameOffset = static_cast<std::int32_t>(u32(base));
        if (nameOffset < 0)
            continue;
        const std::string_view name = cString(m_funcNames + static_cast<std::uint64_t>(nameOffset));
        for (std::string_view needle : needles)
            if (name.find(needle) != std::string_view::npos)
                return true;
    }
    return false;
}

} // namespace exitlens
