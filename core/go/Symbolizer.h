#pragma once

#include "go/BinaryReader.h"
#include "go/GoPclnTable.h"

#include <span>
#include <unordered_map>

namespace exitlens {

struct SymbolizedFrame {
    enum class Source { None, GoPclntab, ElfSymbol };
    std::uint64_t pc = 0;
    std::string function; // empty when unknown
    std::string file;
    int line = 0;
    std::uint64_t offset = 0; // pc - function entry (what a Go traceback prints as +0x..); 0 when inlined
    bool inlined = false; // a call inlined into the next frame (same pc)
    Source source = Source::None;
};

// pc → function, file and line for one executable: Go's pclntab first (every Go function, even
// in a stripped binary), ELF symbols for the rest (C code linked in through cgo, the dynamic
// loader's stubs). Results are cached per pc: a capture's stacks repeat the same few hundred pcs.
// Not thread-safe (the cache); give each thread its own.
class Symbolizer {
public:
    // nullptr with a reason when PATH cannot be read as an executable.
    static std::unique_ptr<Symbolizer> open(const std::string& path, std::string& error);
    explicit Symbolizer(std::unique_ptr<BinaryReader> binary);

    // The function whose machine code contains PC exactly (an instruction pointer at a stop), at
    // the line PC belongs to in it (the call site, when PC is in code inlined into it).
    const SymbolizedFrame& symbolize(std::uint64_t pc);
    // A stack of return addresses, innermost first: every frame but the first is looked up at
    // pc - 1, the call instruction, as the Go runtime does, so its line is the call's line.
    // Calls inlined at a pc become frames of their own (inlined = true), as Go prints them.
    std::vector<SymbolizedFrame> symbolizeStack(std::span<const std::uint64_t> pcs);

    // A raw sample of linux/StackSampler: [rip, word at rsp, frame-pointer chain...]. The word at
    // rsp is the caller only when the innermost function has no frame at rip (its pcsp delta is 0,
    // as in Go's syscall stubs); otherwise the chain already starts with the caller.
    std::vector<SymbolizedFrame> symbolizeSample(std::span<const std::uint64_t> raw);

    const BinaryReader& binary() const { return *m_binary; }
    const GoPclnTable* pclnTable() const { return m_pcln.get(); }

private:
    std::vector<SymbolizedFrame> resolve(std::uint64_t pc, std::uint64_t lookupPc) const;

    std::unique_ptr<BinaryReader> m_binary;
    std::unique_ptr<GoPclnTable> m_pcln;
    std::unordered_map<std::uint64_t, SymbolizedFrame> m_exactCache;
    std::unordered_map<std::uint64_t, std::vector<SymbolizedFrame>> m_stackCache; // by (pc, exact?) key
};

} // namespace exitlens
