#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The contents of a Process Monitor log (.PML) as the reader gives them: plain values, no Qt.
// Layout: docs/procmon.md (learned from the reverse-engineered description in procmon-parser's
// "PML Format.md"; this is our own code).
namespace exitlens::pml {

// 100 ns ticks between 1601-01-01 (FILETIME's epoch) and 1970-01-01.
inline constexpr std::uint64_t kFiletimeUnixEpoch = 116444736000000000ULL;

enum class PmlClass : std::uint8_t {
    Unknown = 0,
    Process = 1,
    Registry = 2,
    FileSystem = 3,
    Profiling = 4,
    Network = 5
};

// Process Monitor's "Event Class" column: "Process", "Registry", "File System", "Profiling", "Network".
std::string_view pmlClassName(PmlClass cls);

struct PmlHeader {
    std::uint32_t version = 0;
    bool system64 = false; // the capturing system is 64-bit: pointers in the file are 8 bytes
    std::string computerName;
    std::string systemRoot; // "C:\Windows"
    std::uint32_t eventCount = 0;
    std::uint32_t windowsMajor = 0;
    std::uint32_t windowsMinor = 0;
    std::uint32_t windowsBuild = 0;
    std::string servicePack; // "Service Pack 1", often empty
    std::uint32_t processors = 0;
    std::uint64_t memoryBytes = 0;
};

// "Windows 10 (build 18362)", "Windows 7, Service Pack 1 (build 7601)"
std::string windowsVersionText(const PmlHeader& header);

struct PmlModule {
    std::uint64_t base = 0;
    std::uint32_t size = 0;
    std::string path;
    std::string version;
    std::string company;
    std::string description;
};

struct PmlProcess {
    std::uint32_t index = 0; // what events name it by
    std::uint32_t pid = 0;
    std::uint32_t parentPid = 0;
    std::uint32_t parentIndex = 0;
    std::uint64_t authenticationId = 0; // the logon session (LUID)
    std::uint32_t session = 0;
    std::uint64_t startTime = 0; // FILETIME (UTC), 0 when unknown
    std::uint64_t endTime = 0; // FILETIME, 0 while it ran past the capture
    bool virtualized = false;
    bool is64Bit = false; // false: a 32-bit (WOW64 on a 64-bit system) process
    std::string integrity; // "Medium", "High", "System"
    std::string user; // "DESKTOP\\test", "NT AUTHORITY\\SYSTEM"
    std::string name; // "svchost.exe"
    std::string imagePath;
    std::string commandLine;
    std::string company;
    std::string version;
    std::string description;
    std::vector<PmlModule> modules;
};

// One event. The reader reuses one of these per call: its strings keep their capacity.
struct PmlEvent {
    static constexpr std::uint32_t kNoProcess = 0xFFFFFFFFu;
    std::uint32_t processSlot = kNoProcess; // index into PmlReader::processes()
    std::uint32_t tid = 0;
    PmlClass cls = PmlClass::Unknown;
    std::uint16_t operationCode = 0;
    std::uint8_t subOperation = 0; // file-system events: the IRP minor function / information class
    std::string_view operation; // Process Monitor's name: "CreateFile", "RegOpenKey", "TCP Connect"
    std::uint64_t time = 0; // FILETIME (UTC)
    std::uint64_t duration = 0; // 100 ns ticks
    std::uint32_t result = 0; // NTSTATUS (Process Monitor's Result column)
    std::string path;
    std::string detail; // Process Monitor's Detail text, when detailDecoded
    bool detailDecoded = false; // false: this operation's detail layout is not decoded (detail is empty)
    std::vector<std::uint64_t> stack; // return addresses, innermost first, when the capture kept them
    // Facts the importer builds the process table from.
    std::uint32_t relatedPid =
        0; // Process Create: the child; Process Start: the parent; Thread Create/Exit: the thread
    std::uint32_t exitStatus = 0; // Process Exit
    std::string commandLine; // Process Create / Process Start
    std::string currentDirectory; // Process Start
};

} // namespace exitlens::pml
