#pragma once

#include "go/BinaryReader.h"

#include <mutex>

namespace exitlens {

// ELF through elfutils' libelf (headers, sections, dynamic entries, symbols): a fuzzed,
// maintained reader rather than our own. Only Go's own data (build info, pclntab) is read by hand,
// from the raw bytes this class bounds-checks.
class ElfReader final : public BinaryReader {
public:
    // nullptr with "not an ELF file" (or libelf's reason) in ERROR when BYTES is not ELF.
    static std::unique_ptr<ElfReader> parse(std::vector<std::uint8_t> bytes, std::string& error);

    const BinaryFacts& facts() const override { return m_facts; }
    const std::vector<BinarySection>& sections() const override { return m_sections; }
    // Parsed on first use: most readers want the build info or pclntab only, and a large Go
    // program has tens of thousands of symbols to copy and sort.
    const std::vector<BinarySymbol>& symbols() const override;
    bool readVirtual(std::uint64_t address, std::size_t size, void* out) const override;
    std::span<const std::uint8_t> virtualBytes(std::uint64_t address, std::size_t maxSize) const override;

    static bool looksLikeElf(std::span<const std::uint8_t> bytes);
    // Whether the ELF file at PATH has a Go build-id note or build-info section, from its section
    // headers alone (a few small reads; parse() needs the whole file).
    static bool hasGoSections(const std::string& path);

private:
    explicit ElfReader(std::vector<std::uint8_t> bytes);
    bool load(std::string& error);
    void readGoBuildId();
    void loadSymbols() const;

    struct Segment {
        std::uint64_t address = 0;
        std::uint64_t offset = 0;
        std::uint64_t fileSize = 0;
    };
    BinaryFacts m_facts;
    std::vector<BinarySection> m_sections;
    std::vector<Segment> m_segments; // PT_LOAD, file-backed part only
    std::size_t m_symbolSection = 0; // .symtab, or .dynsym when stripped; 0 when neither
    mutable std::once_flag m_symbolsOnce;
    mutable std::vector<BinarySymbol> m_symbols;
};

} // namespace exitlens
