#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

class BinaryReader;

// The Go runtime's own pc → function/file/line table (`.gopclntab`), which every Go binary keeps
// even when stripped, because the runtime needs it to print tracebacks. Formats: Go 1.16–1.17
// (magic 0xfffffffa), 1.18–1.19 (0xfffffff0) and 1.20+ (0xfffffff1; the same tables, `_func` grew
// a start line after the fields read here). Every offset is checked against the table's bounds.
class GoPclnTable {
public:
    struct Location {
        std::string_view function; // "main.(*Server).shutdown"; empty when pc is in no Go function
        std::string_view file; // "/src/app/server.go"
        int line = 0;
        std::uint64_t entry = 0; // the function's first pc
    };

    // nullptr with a reason ("no .gopclntab", "unsupported pclntab magic 0x...") when BINARY has
    // no table this reader understands.
    static std::unique_ptr<GoPclnTable> load(const BinaryReader& binary, std::string& error);
    // From the table's raw bytes and the address of the text segment (tests, other formats).
    static std::unique_ptr<GoPclnTable> fromBytes(
        std::vector<std::uint8_t> table, std::uint64_t textFallback, std::string& error);

    std::string formatName() const; // "go1.18", "go1.20", "go1.16"
    std::uint32_t magic() const { return m_magic; }
    std::size_t functionCount() const { return m_functionCount; }
    std::uint64_t textStart() const { return m_textStart; }

    // False when PC lies in no Go function; O(log functions) plus the function's own tables.
    // The function is the one the machine code belongs to; when PC is in code inlined into it,
    // file and line are the inlined code's (lookupFrames() expands them).
    bool lookup(std::uint64_t pc, Location& out) const;
    // The frames at PC innermost first: one per inlined call (function named as Go's traceback
    // names it, at the file and line of the call it makes), then the function itself. A single
    // frame when the inline tree is not available (see hasInlineTree()). Empty when PC is in no Go
    // function.
    std::vector<Location> lookupFrames(std::uint64_t pc) const;
    // Go 1.18+ keeps the inline trees in the go:func.* data, found through runtime.moduledata
    // (load() only; a table made by fromBytes() has none).
    bool hasInlineTree() const { return !m_goFunc.empty(); }
    // The stack pointer's distance from the frame's base at PC (the pcsp table): 0 in a frameless
    // leaf, so its return address is at [rsp]. -1 when unknown.
    std::int64_t spDelta(std::uint64_t pc) const;
    // Entry pc of the first function named NAME (linear; for tests and rare look-ups).
    std::uint64_t entryOf(std::string_view name) const;
    // Whether any function's name contains one of NEEDLES (linear).
    bool hasFunctionContaining(std::initializer_list<std::string_view> needles) const;

private:
    GoPclnTable() = default;
    bool parse(std::uint64_t textFallback, std::string& error);
    void attachGoFunc(const BinaryReader& binary, std::uint64_t tableAddress);
    // The _func record's fields past the fixed part: npcdata pc-value tables, nfuncdata offsets.
    std::uint32_t pcdataTable(std::uint64_t func, std::uint32_t index) const;
    bool funcdataOffset(std::uint64_t func, std::uint32_t index, std::uint32_t& out) const;
    std::uint32_t u32(std::uint64_t offset) const; // 0 outside the table
    std::uint64_t word(std::uint64_t offset) const;
    std::string_view cString(std::uint64_t offset) const;
    // Index of the function containing PC in the function table, or -1.
    std::int64_t findFunction(std::uint64_t pc) const;
    std::uint64_t functionEntry(std::size_t index) const;
    std::uint64_t functionOffset(std::size_t index) const; // of its _func record in the table
    // Decodes the pc-value table at TABLE for the function at ENTRY; false when PC is not covered.
    bool pcValue(std::uint32_t table, std::uint64_t entry, std::uint64_t pc, std::int64_t& value) const;

    std::vector<std::uint8_t> m_table;
    std::uint32_t m_magic = 0;
    bool m_bigEndian = false;
    std::uint8_t m_minLC = 1;
    std::uint8_t m_pointerSize = 8;
    bool m_relativeEntries = true; // 1.18+: 32-bit offsets from textStart; 1.16: absolute pointers
    std::uint64_t m_functionCount = 0;
    std::uint64_t m_textStart = 0;
    std::uint64_t m_funcNames = 0;
    std::uint64_t m_cuTable = 0;
    std::uint64_t m_fileTable = 0;
    std::uint64_t m_pcTable = 0;
    std::uint64_t m_functionTable = 0;
    std::vector<std::uint8_t> m_goFunc; // go:func.* onwards (inline trees), empty when not found
};

} // namespace exitlens
