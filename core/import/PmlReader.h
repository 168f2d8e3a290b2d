#pragma once

#include "import/PmlLog.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace exitlens::pml {

// Reads a Process Monitor log (.PML). The file is someone else's: every offset, count and size in
// it is checked against the file's length before use, so a truncated, corrupted or hostile file
// gives a message instead of a crash, a hang or an allocation larger than the file itself.
// Not thread-safe for one instance; readEvent() is const and may run on one thread per instance.
class PmlReader {
public:
    PmlReader();
    ~PmlReader();
    PmlReader(const PmlReader&) = delete;
    PmlReader& operator=(const PmlReader&) = delete;

    // Maps the file and reads its header, strings, processes, hosts and ports. False with a message
    // ("not a Process Monitor log", "truncated: ...") when it cannot be read.
    bool open(const std::string& filePath, std::string& error);
    // The same on bytes in memory (tests build damaged copies this way).
    bool openBytes(std::vector<std::uint8_t> bytes, std::string& error);

    const PmlHeader& header() const { return m_header; }
    const std::vector<PmlProcess>& processes() const { return m_processes; }
    std::uint32_t eventCount() const { return static_cast<std::uint32_t>(m_eventOffsets.size()); }
    std::uint64_t fileSize() const { return m_size; }
    // Events the header announced but the offsets array could not hold (a truncated file).
    std::uint32_t missingEvents() const { return m_missingEvents; }

    // Decodes event `index` (< eventCount()). False with a message when the event lies outside the
    // file or its structure contradicts itself; the caller may skip it and go on.
    bool readEvent(std::uint32_t index, PmlEvent& out, std::string& error) const;

    // Where event `index` starts in the file (tests edit real logs' events through it).
    std::uint64_t eventOffset(std::uint32_t index) const
    {
        return index < m_eventOffsets.size() ? m_eventOffsets[index] : 0;
    }

    // The slot of the process with this index (what events carry), or PmlEvent::kNoProcess.
    std::uint32_t processSlot(std::uint32_t processIndex) const;

    // Names for network events: a host's name or its address, a port's service name or its number.
    std::string hostName(const std::uint8_t* address16, bool ipv4) const;
    std::string portName(std::uint16_t port, bool tcp) const;

private:
    bool parse(std::string& error);
    bool parseStrings(std::uint64_t offset, std::string& error);
    bool parseProcesses(std::uint64_t offset, std::string& error);
    bool parseHostsAndPorts(std::uint64_t offset, std::string& error);
    bool parseEventOffsets(std::uint64_t offset, std::uint32_t count, std::string& error);
    const std::string& stringAt(std::uint32_t index) const;

    struct Mapping;
    std::unique_ptr<Mapping> m_mapping;
    std::vector<std::uint8_t> m_owned;
    const std::uint8_t* m_data = nullptr;
    std::uint64_t m_size = 0;

    PmlHeader m_header;
    std::vector<std::string> m_strings;
    std::vector<PmlProcess> m_processes;
    std::unordered_map<std::uint32_t, std::uint32_t> m_slotByIndex;
    std::vector<std::uint32_t> m_eventOffsets;
    std::uint32_t m_missingEvents = 0;
    std::map<std::array<std::uint8_t, 16>, std::string> m_hosts;
    std::map<std::uint32_t, std::string> m_ports; // port | tcp << 16
};

} // namespace exitlens::pml
