#include "import/PmlReader.h"

#include "import/PmlBytes.h"
#include "import/PmlDetail.h"

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace exitlens::pml {

namespace {

constexpr std::uint64_t kHeaderSize = 0x3A8;
constexpr std::uint64_t kEventHeaderSize = 0x34;
constexpr std::uint64_t kEventOffsetEntry = 5; // u32 offset + u8 flags

std::string hex(std::uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
    return buffer;
}

const std::string kEmpty;

} // namespace

void appendUtf16(std::string& out, const std::uint8_t* data, std::size_t units)
{
    for (std::size_t i = 0; i < units; ++i) {
        std::uint32_t c = static_cast<std::uint32_t>(data[2 * i]) | (static_cast<std::uint32_t>(data[2 * i + 1]) << 8);
        if (c == 0)
            return;
        if (c < 0x80) {
            out += static_cast<char>(c);
            continue;
        }
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
            const std::uint32_t low =
                static_cast<std::uint32_t>(data[2 * i + 2]) | (static_cast<std::uint32_t>(data[2 * i + 3]) << 8);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                ++i;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
}

std::string_view pmlClassName(PmlClass cls)
{
    switch (cls) {
    case PmlClass::Process:
        return "Process";
    case PmlClass::Registry:
        return "Registry";
    case PmlClass::FileSystem:
        return "File System";
    case PmlClass::Profiling:
        return "Profiling";
    case PmlClass::Network:
        return "Network";
    case PmlClass::Unknown:
        break;
    }
    return "Unknown";
}

std::string windowsVersionText(const PmlHeader& header)
{
    std::string name;
    const auto version = std::make_pair(header.windowsMajor, header.windowsMinor);
    if (version == std::make_pair(6u, 0u))
        name = "Windows Vista";
    else if (version == std::make_pair(6u, 1u))
        name = "Windows 7";
    else if (version == std::make_pair(6u, 2u))
        name = "Windows 8";
    else if (version == std::make_pair(6u, 3u))
        name = "Windows 8.1";
    else if (header.windowsMajor == 10 && header.windowsBuild >= 22000)
        name = "Windows 11";
    else if (header.windowsMajor == 10)
        name = "Windows 10";
    else
        name = "Windows " + std::to_string(header.windowsMajor) + "." + std::to_string(header.windowsMinor);
    if (!header.servicePack.empty())
        name += ", " + header.servicePack;
    return name + " (build " + std::to_string(header.windowsBuild) + ")";
}

struct PmlReader::Mapping {
    void* address = MAP_FAILED;
    std::size_t length = 0;
    ~Mapping()
    {
        if (address != MAP_FAILED)
            ::munmap(address, length);
    }
};

PmlReader::PmlReader() = default;
PmlReader::~PmlReader() = default;

bool PmlReader::open(const std::string& filePath, std::string& error)
{
    const int fd = ::open(filePath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open " + filePath;
        return false;
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        error = filePath + " is not a regular file";
        return false;
    }
    if (st.st_size < static_cast<off_t>(kHeaderSize)) {
        ::close(fd);
        error = "not a Process Monitor log: " + std::to_string(st.st_size) + " bytes is shorter than its header";
        return false;
    }
    auto mapping = std::make_unique<Mapping>();
    mapping->length = static_cast<std::size_t>(st.st_size);
    mapping->address = ::mmap(nullptr, mapping->length, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (mapping->address == MAP_FAILED) {
        error = "cannot map " + filePath;
        return false;
    }
    // Events are read front to back: tell the kernel so it reads ahead.
    ::madvise(mapping->address, mapping->length, MADV_SEQUENTIAL);
    m_data = static_cast<const std::uint8_t*>(mapping->address);
    m_size = mapping->length;
    m_mapping = std::move(mapping);
    return parse(error);
}

bool PmlReader::openBytes(std::vector<std::uint8_t> bytes, std::string& error)
{
    m_owned = std::move(bytes);
    m_data = m_owned.data();
    m_size = m_owned.size();
    return parse(error);
}

const std::string& PmlReader::stringAt(std::uint32_t index) const
{
    return index < m_strings.size() ? m_strings[index] : kEmpty;
}

std::uint32_t PmlReader::processSlot(std::uint32_t processIndex) const
{
    const auto it = m_slotByIndex.find(processIndex);
    return it == m_slotByIndex.end() ? PmlEvent::kNoProcess : it->second;
}

bool PmlReader::parse(std::string& error)
{
    if (m_size < kHeaderSize || std::memcmp(m_data, "PML_", 4) != 0) {
        error = "not a Process Monitor log (no PML_ signature)";
        return false;
    }
    ByteCursor h(m_data, kHeaderSize);
    h.skip(4);
    m_header.version = h.u32();
    if (m_header.version != 9) {
        error = "unsupported Process Monitor log version " + std::to_string(m_header.version) + " (9 is known)";
        return false;
    }
    m_header.system64 = h.u32() != 0;
    h.utf16(m_header.computerName, 0x20);
    h.utf16(m_header.systemRoot, 0x208);
    m_header.eventCount = h.u32();
    h.skip(8);
    const std::uint64_t eventsOffset = h.u64();
    const std::uint64_t eventOffsetsOffset = h.u64();
    const std::uint64_t processesOffset = h.u64();
    const std::uint64_t stringsOffset = h.u64();
    const std::uint64_t iconsOffset = h.u64();
    h.seek(0x274);
    m_header.windowsMajor = h.u32();
    m_header.windowsMinor = h.u32();
    m_header.windowsBuild = h.u32();
    h.u32(); // platform id
    h.utf16(m_header.servicePack, 0x32);
    h.seek(0x38C);
    m_header.processors = h.u32();
    m_header.memoryBytes = h.u64();
    const std::uint64_t headerSize = h.u64();
    const std::uint64_t hostsOffset = h.u64();
    if (eventsOffset == 0 || eventOffsetsOffset == 0 || processesOffset == 0 || stringsOffset == 0
        || iconsOffset == 0) {
        error = "the log was not closed cleanly by Process Monitor: its tables are missing";
        return false;
    }
    if (headerSize != kHeaderSize) {
        error = "damaged Process Monitor log: header size " + hex(headerSize) + " (expected " + hex(kHeaderSize) + ")";
        return false;
    }
    return parseStrings(stringsOffset, error) && parseProcesses(processesOffset, error)
        && parseHostsAndPorts(hostsOffset, error) && parseEventOffsets(eventOffsetsOffset, m_header.eventCount, error);
}

bool PmlReader::parseStrings(std::uint64_t offset, std::string& error)
{
    if (offset >= m_size) {
        error = "truncated or damaged log: the string table at " + hex(offset) + " lies past the end ("
            + std::to_string(m_size) + " bytes)";
        return false;
    }
    ByteCursor table(m_data + offset, m_size - offset);
    const std::uint32_t count = table.u32();
    // Each string costs at least its 4-byte offset and its 4-byte size: a count the file cannot
    // hold is a lie, refused before anything is allocated for it.
    if (!table.ok() || count > table.remaining() / 8) {
        error = "damaged log: the string table claims " + std::to_string(count) + " strings";
        return false;
    }
    m_strings.assign(count, std::string());
    for (std::uint32_t i = 0; i < count; ++i) {
        ByteCursor entry(m_data + offset, m_size - offset);
        entry.seek(4 + 4ULL * i);
        const std::uint32_t relative = entry.u32();
        if (!entry.seek(relative)) {
            error = "damaged log: string " + std::to_string(i) + " points past the end";
            return false;
        }
        const std::uint32_t bytes = entry.u32();
        entry.utf16(m_strings[i], bytes);
        if (!entry.ok()) {
            error = "damaged log: string " + std::to_string(i) + " runs past the end";
            return false;
        }
    }
    return true;
}

bool PmlReader::parseProcesses(std::uint64_t offset, std::string& error)
{
    if (offset >= m_size) {
        error = "truncated or damaged log: the process table at " + hex(offset) + " lies past the end ("
            + std::to_string(m_size) + " bytes)";
        return false;
    }
    const bool wide = m_header.system64;
    const std::uint64_t pointer = wide ? 8 : 4;
    const std::uint64_t processFixed = 0x60 + pointer + 4;
    const std::uint64_t moduleSize = 2 * pointer + 4 * 6 + 0x18;
    ByteCursor table(m_data + offset, m_size - offset);
    const std::uint32_t count = table.u32();
    if (!table.ok() || count > table.remaining() / (8 + processFixed)) {
        error = "damaged log: the process table claims " + std::to_string(count) + " processes";
        return false;
    }
    m_processes.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        ByteCursor entry(m_data + offset, m_size - offset);
        entry.seek(4 + 4ULL * count + 4ULL * i);
        const std::uint32_t relative = entry.u32();
        if (!entry.seek(relative) || entry.remaining() < processFixed) {
            error = "damaged log: process " + std::to_string(i) + " lies past the end";
            return false;
        }
        PmlProcess p;
        p.index = entry.u32();
        p.pid = entry.u32();
        p.parentPid = entry.u32();
        p.parentIndex = entry.u32();
        p.authenticationId = entry.u64();
        p.session = entry.u32();
        entry.u32();
        p.startTime = entry.u64();
        p.endTime = entry.u64();
        p.virtualized = entry.u32() != 0;
        p.is64Bit = entry.u32() != 0;
        p.integrity = stringAt(entry.u32());
        p.user = stringAt(entry.u32());
        p.name = stringAt(entry.u32());
        p.imagePath = stringAt(entry.u32());
        p.commandLine = stringAt(entry.u32());
        p.company = stringAt(entry.u32());
        p.version = stringAt(entry.u32());
        p.description = stringAt(entry.u32());
        entry.u32(); // small icon
        entry.u32(); // big icon
        entry.pointer(wide);
        const std::uint32_t modules = entry.u32();
        if (!entry.ok() || modules > entry.remaining() / moduleSize) {
            error = "damaged log: process " + std::to_string(p.pid) + " claims " + std::to_string(modules) + " modules";
            return false;
        }
        p.modules.resize(modules);
        for (PmlModule& m : p.modules) {
            entry.pointer(wide);
            m.base = entry.pointer(wide);
            m.size = entry.u32();
            m.path = stringAt(entry.u32());
            m.version = stringAt(entry.u32());
            m.company = stringAt(entry.u32());
            m.description = stringAt(entry.u32());
            entry.u32(); // time stamp
            entry.skip(0x18);
        }
        if (m_slotByIndex.emplace(p.index, static_cast<std::uint32_t>(m_processes.size())).second)
            m_processes.push_back(std::move(p));
    }
    return true;
}

bool PmlReader::parseHostsAndPorts(std::uint64_t offset, std::string& error)
{
    if (offset == 0 || offset >= m_size) {
        error = "truncated or damaged log: the host and port tables at " + hex(offset) + " lie past the end";
        return false;
    }
    ByteCursor c(m_data + offset, m_size - offset);
    const std::uint32_t hosts = c.u32();
    if (!c.ok() || hosts > c.remaining() / 20) {
        error = "damaged log: the host table claims " + std::to_string(hosts) + " hosts";
        return false;
    }
    for (std::uint32_t i = 0; i < hosts; ++i) {
        std::array<std::uint8_t, 16> address {};
        if (const std::uint8_t* p = c.bytes(16))
            std::copy(p, p + 16, address.begin());
        const std::uint32_t bytes = c.u32();
        std::string name;
        c.utf16(name, bytes);
        if (!c.ok()) {
            error = "damaged log: host " + std::to_string(i) + " runs past the end";
            return false;
        }
        m_hosts[address] = std::move(name);
    }
    const std::uint32_t ports = c.u32();
    if (!c.ok() || ports > c.remaining() / 8) {
        error = "damaged log: the port table claims " + std::to_string(ports) + " ports";
        return false;
    }
    for (std::uint32_t i = 0; i < ports; ++i) {
        const std::uint16_t number = c.u16();
        const bool tcp = c.u16() != 0;
        const std::uint32_t bytes = c.u32();
        std::string name;
        c.utf16(name, bytes);
        if (!c.ok()) {
            error = "damaged log: port " + std::to_string(i) + " runs past the end";
            return false;
        }
        m_ports[number | (tcp ? 0x10000u : 0u)] = std::move(name);
    }
    return true;
}

bool PmlReader::parseEventOffsets(std::uint64_t offset, std::uint32_t count, std::string& error)
{
    if (offset >= m_size) {
        error = "truncated or damaged log: the event index at " + hex(offset) + " lies past the end";
        return false;
    }
    const std::uint64_t fits = (m_size - offset) / kEventOffsetEntry;
    const std::uint32_t kept = static_cast<std::uint32_t>(std::min<std::uint64_t>(count, fits));
    m_missingEvents = count - kept;
    m_eventOffsets.resize(kept);
    const std::uint8_t* p = m_data + offset;
    for (std::uint32_t i = 0; i < kept; ++i, p += kEventOffsetEntry)
        m_eventOffsets[i] = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8)
            | (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    return true;
}

bool PmlReader::readEvent(std::uint32_t index, PmlEvent& out, std::string& error) const
{
    if (index >= m_eventOffsets.size()) {
        error = "no event " + std::to_string(index);
        return false;
    }
    const std::uint64_t start = m_eventOffsets[index];
    if (start >= m_size || m_size - start < kEventHeaderSize) {
        error = "event " + std::to_string(index) + " at " + hex(start) + " lies past the end of the file";
        return false;
    }
    ByteCursor c(m_data + start, m_size - start);
    const std::uint32_t processIndex = c.u32();
    out.processSlot = processSlot(processIndex);
    out.tid = c.u32();
    const std::uint32_t cls = c.u32();
    out.cls = cls <= 5 ? static_cast<PmlClass>(cls) : PmlClass::Unknown;
    out.operationCode = c.u16();
    c.skip(6);
    out.duration = c.u64();
    out.time = c.u64();
    out.result = c.u32();
    const std::uint16_t depth = c.u16();
    c.u16();
    const std::uint32_t detailSize = c.u32();
    const std::uint32_t extraOffset = c.u32();
    const std::uint64_t pointer = m_header.system64 ? 8 : 4;
    out.stack.clear();
    if (depth > 0) {
        if (c.remaining() < depth * pointer) {
            error = "event " + std::to_string(index) + ": its stack runs past the end of the file";
            return false;
        }
        out.stack.resize(depth);
        for (auto& frame : out.stack)
            frame = c.pointer(m_header.system64);
    }
    if (c.remaining() < detailSize) {
        error = "event " + std::to_string(index) + ": its detail runs past the end of the file";
        return false;
    }
    ByteCursor detail(c.here(), detailSize);
    ByteCursor extra;
    bool hasExtra = false;
    if (extraOffset != 0) {
        ByteCursor e(m_data + start, m_size - start);
        if (e.seek(extraOffset)) {
            const std::uint16_t size = e.u16();
            if (e.ok() && e.remaining() >= size) {
                extra = ByteCursor(e.here(), size);
                hasExtra = true;
            }
        }
    }
    out.path.clear();
    out.detail.clear();
    out.commandLine.clear();
    out.currentDirectory.clear();
    out.detailDecoded = false;
    out.subOperation = 0;
    out.relatedPid = 0;
    out.exitStatus = 0;
    decodeDetail(*this, detail, extra, hasExtra, out);
    return true;
}

std::string PmlReader::hostName(const std::uint8_t* address16, bool ipv4) const
{
    std::array<std::uint8_t, 16> key {};
    std::copy(address16, address16 + 16, key.begin());
    if (const auto it = m_hosts.find(key); it != m_hosts.end() && !it->second.empty())
        return it->second;
    char buffer[64];
    if (ipv4) {
        std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", address16[0], address16[1], address16[2], address16[3]);
        return buffer;
    }
    // RFC 5952 text: the longest run (two or more) of zero groups becomes "::".
    std::uint16_t groups[8];
    for (int i = 0; i < 8; ++i)
        groups[i] = static_cast<std::uint16_t>((address16[2 * i] << 8) | address16[2 * i + 1]);
    int bestStart = -1, bestLength = 0;
    for (int i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && groups[j] == 0)
            ++j;
        if (j - i > bestLength && j - i >= 2) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j;
    }
    std::string text;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            text += "::";
            i += bestLength - 1;
            continue;
        }
        if (!text.empty() && text.back() != ':')
            text += ':';
        std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
        text += buffer;
    }
    return text;
}

std::string PmlReader::portName(std::uint16_t port, bool tcp) const
{
    if (const auto it = m_ports.find(port | (tcp ? 0x10000u : 0u)); it != m_ports.end() && !it->second.empty())
        return it->second;
    return std::to_string(port);
}

} // namespace exitlens::pml
