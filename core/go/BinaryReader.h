#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// What any executable format can tell about itself. ELF fills everything; a PE reader (planned)
// maps imports onto `needed` and leaves the ELF-only fields empty.
struct BinaryFacts {
    std::string format; // "ELF"
    std::string architecture; // "x86-64", "AArch64", ...
    int bits = 0; // 32 or 64
    bool littleEndian = true;
    std::string fileType; // "executable", "position-independent executable", "shared object", "relocatable", "core"
    bool isStatic = false; // no interpreter and no dynamic section
    bool pie = false;
    std::string interpreter; // PT_INTERP, e.g. "/lib64/ld-linux-x86-64.so.2"
    std::vector<std::string> needed; // DT_NEEDED, in order
    std::vector<std::string> rpath; // DT_RPATH entries (split at ':')
    std::vector<std::string> runpath; // DT_RUNPATH entries
    bool stripped = false; // no symbol table (.symtab)
    bool debugInfo = false; // has .debug_info or .zdebug_info
    std::uint64_t entry = 0;
    std::string goBuildId; // from the Go build-id note, empty when absent
};

struct BinarySection {
    std::string name;
    std::uint64_t address = 0; // virtual address when allocated
    std::uint64_t offset = 0; // in the file
    std::uint64_t size = 0;
    bool allocated = false;
    bool writable = false;
    bool executable = false;
    bool noBits = false; // occupies no file space (.bss)
};

struct BinarySymbol {
    std::string name;
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    bool function = false;
};

// Read-only access to one executable file, independent of its format. Everything is read into
// memory once at open(), so a reader never sees the file change under it; every access is
// bounds-checked, so a corrupt file gives empty answers, never a crash.
class BinaryReader {
public:
    virtual ~BinaryReader() = default;

    // Opens PATH with the reader its first bytes call for. nullptr and a message when the file
    // cannot be read or is not an executable format ExitLens knows.
    static std::unique_ptr<BinaryReader> open(const std::string& path, std::string& error);
    // Whether PATH is a Go program, told from its headers only: cheap where open() reads the
    // whole file. False when it cannot be read or is not a format ExitLens knows.
    static bool isGoProgram(const std::string& path);
    // The same from bytes already in memory (tests, fuzzing).
    static std::unique_ptr<BinaryReader> fromBytes(std::vector<std::uint8_t> bytes, std::string& error);

    virtual const BinaryFacts& facts() const = 0;
    virtual const std::vector<BinarySection>& sections() const = 0;
    // Function and object symbols from the symbol table (or, when stripped, the dynamic one),
    // sorted by address.
    virtual const std::vector<BinarySymbol>& symbols() const = 0;

    const BinarySection* section(std::string_view name) const;
    // The file bytes of a section; empty when it has none or they lie outside the file.
    std::span<const std::uint8_t> sectionBytes(const BinarySection& section) const;
    // Reads SIZE bytes at virtual address ADDRESS from the loaded image; false when any of them
    // is not backed by the file.
    virtual bool readVirtual(std::uint64_t address, std::size_t size, void* out) const = 0;
    // The longest file-backed run of bytes starting at virtual address ADDRESS (at most maxSize).
    virtual std::span<const std::uint8_t> virtualBytes(std::uint64_t address, std::size_t maxSize) const = 0;

    std::span<const std::uint8_t> bytes() const { return m_bytes; }
    const std::string& path() const { return m_path; }

protected:
    explicit BinaryReader(std::vector<std::uint8_t> bytes)
        : m_bytes(std::move(bytes))
    {
    }
    std::vector<std::uint8_t> m_bytes;
    std::string m_path;
};

} // namespace exitlens
