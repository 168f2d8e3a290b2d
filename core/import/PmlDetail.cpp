#include "import/PmlDetail.h"

#include "import/PmlReader.h"
#include "import/PmlText.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

namespace exitlens::pml {

namespace {

using namespace std::string_view_literals;

constexpr std::array kProcessOps = { "Process Defined"sv, "Process Create"sv, "Process Exit"sv, "Thread Create"sv,
    "Thread Exit"sv, "Load Image"sv, "Thread Profile"sv, "Process Start"sv, "Process Statistics"sv,
    "System Statistics"sv };

constexpr std::array kRegistryOps = { "RegOpenKey"sv, "RegCreateKey"sv, "RegCloseKey"sv, "RegQueryKey"sv,
    "RegSetValue"sv, "RegQueryValue"sv, "RegEnumValue"sv, "RegEnumKey"sv, "RegSetInfoKey"sv, "RegDeleteKey"sv,
    "RegDeleteValue"sv, "RegFlushKey"sv, "RegLoadKey"sv, "RegUnloadKey"sv, "RegRenameKey"sv,
    "RegQueryMultipleValueKey"sv, "RegSetKeySecurity"sv, "RegQueryKeySecurity"sv };

// Network operations come with their protocol: "TCP Connect", "UDP Send".
constexpr std::array kTcpOps = { "TCP Unknown"sv, "TCP Other"sv, "TCP Send"sv, "TCP Receive"sv, "TCP Accept"sv,
    "TCP Connect"sv, "TCP Disconnect"sv, "TCP Reconnect"sv, "TCP Retransmit"sv, "TCP TCPCopy"sv };
constexpr std::array kUdpOps = { "UDP Unknown"sv, "UDP Other"sv, "UDP Send"sv, "UDP Receive"sv, "UDP Accept"sv,
    "UDP Connect"sv, "UDP Disconnect"sv, "UDP Reconnect"sv, "UDP Retransmit"sv, "UDP TCPCopy"sv };

constexpr std::array kProfilingOps = { "Thread Profiling"sv, "Process Profiling"sv, "Debug Output Profiling"sv };

// IRP major functions and fast-I/O callbacks as Process Monitor names them.
constexpr std::array kFileOps = { "VolumeDismount"sv, "VolumeMount"sv, "FASTIO_MDL_WRITE_COMPLETE"sv,
    "FASTIO_PREPARE_MDL_WRITE"sv, "FASTIO_MDL_READ_COMPLETE"sv, "FASTIO_MDL_READ"sv, "QueryOpen"sv,
    "FASTIO_CHECK_IF_POSSIBLE"sv, "IRP_MJ_12"sv, "IRP_MJ_11"sv, "IRP_MJ_10"sv, "IRP_MJ_9"sv, "IRP_MJ_8"sv,
    "FASTIO_NOTIFY_STREAM_FO_CREATION"sv, "FASTIO_RELEASE_FOR_CC_FLUSH"sv, "FASTIO_ACQUIRE_FOR_CC_FLUSH"sv,
    "FASTIO_RELEASE_FOR_MOD_WRITE"sv, "FASTIO_ACQUIRE_FOR_MOD_WRITE"sv, "FASTIO_RELEASE_FOR_SECTION_SYNCHRONIZATION"sv,
    "CreateFileMapping"sv, "CreateFile"sv, "CreatePipe"sv, "IRP_MJ_CLOSE"sv, "ReadFile"sv, "WriteFile"sv,
    "QueryInformationFile"sv, "SetInformationFile"sv, "QueryEAFile"sv, "SetEAFile"sv, "FlushBuffersFile"sv,
    "QueryVolumeInformation"sv, "SetVolumeInformation"sv, "DirectoryControl"sv, "FileSystemControl"sv,
    "DeviceIoControl"sv, "InternalDeviceIoControl"sv, "Shutdown"sv, "LockUnlockFile"sv, "CloseFile"sv,
    "CreateMailSlot"sv, "QuerySecurityFile"sv, "SetSecurityFile"sv, "Power"sv, "SystemControl"sv, "DeviceChange"sv,
    "QueryFileQuota"sv, "SetFileQuota"sv, "PlugAndPlay"sv };

enum FileOp : std::uint16_t {
    kCreateFile = 20,
    kReadFile = 23,
    kWriteFile = 24,
    kQueryInformationFile = 25,
    kSetInformationFile = 26,
    kQueryVolumeInformation = 30,
    kSetVolumeInformation = 31,
    kDirectoryControl = 32,
    kLockUnlockFile = 37,
    kPlugAndPlay = 47,
};

using SubOp = std::pair<std::uint8_t, std::string_view>;

constexpr SubOp kQueryVolumeSubOps[] = { { 1, "QueryInformationVolume" }, { 2, "QueryLabelInformationVolume" },
    { 3, "QuerySizeInformationVolume" }, { 4, "QueryDeviceInformationVolume" },
    { 5, "QueryAttributeInformationVolume" }, { 6, "QueryControlInformationVolume" },
    { 7, "QueryFullSizeInformationVolume" }, { 8, "QueryObjectIdInformationVolume" } };
constexpr SubOp kSetVolumeSubOps[] = { { 1, "SetControlInformationVolume" }, { 2, "SetLabelInformationVolume" },
    { 8, "SetObjectIdInformationVolume" } };
constexpr SubOp kQueryFileSubOps[] = { { 0x04, "QueryBasicInformationFile" }, { 0x05, "QueryStandardInformationFile" },
    { 0x06, "QueryFileInternalInformationFile" }, { 0x07, "QueryEaInformationFile" },
    { 0x09, "QueryNameInformationFile" }, { 0x0e, "QueryPositionInformationFile" }, { 0x12, "QueryAllInformationFile" },
    { 0x14, "QueryEndOfFile" }, { 0x16, "QueryStreamInformationFile" }, { 0x1c, "QueryCompressionInformationFile" },
    { 0x1d, "QueryId" }, { 0x1f, "QueryMoveClusterInformationFile" }, { 0x22, "QueryNetworkOpenInformationFile" },
    { 0x23, "QueryAttributeTagFile" }, { 0x25, "QueryIdBothDirectory" }, { 0x27, "QueryValidDataLength" },
    { 0x28, "QueryShortNameInformationFile" }, { 0x2b, "QueryIoPiorityHint" }, { 0x2e, "QueryLinks" },
    { 0x30, "QueryNormalizedNameInformationFile" }, { 0x31, "QueryNetworkPhysicalNameInformationFile" },
    { 0x32, "QueryIdGlobalTxDirectoryInformation" }, { 0x33, "QueryIsRemoteDeviceInformation" },
    { 0x34, "QueryAttributeCacheInformation" }, { 0x35, "QueryNumaNodeInformation" },
    { 0x36, "QueryStandardLinkInformation" }, { 0x37, "QueryRemoteProtocolInformation" },
    { 0x38, "QueryRenameInformationBypassAccessCheck" }, { 0x39, "QueryLinkInformationBypassAccessCheck" },
    { 0x3a, "QueryVolumeNameInformation" }, { 0x3b, "QueryIdInformation" }, { 0x3c, "QueryIdExtdDirectoryInformation" },
    { 0x3e, "QueryHardLinkFullIdInformation" }, { 0x3f, "QueryIdExtdBothDirectoryInformation" },
    { 0x43, "QueryDesiredStorageClassInformation" }, { 0x44, "QueryStatInformation" },
    { 0x45, "QueryMemoryPartitionInformation" } };
constexpr SubOp kSetFileSubOps[] = { { 0x04, "SetBasicInformationFile" }, { 0x0a, "SetRenameInformationFile" },
    { 0x0b, "SetLinkInformationFile" }, { 0x0d, "SetDispositionInformationFile" },
    { 0x0e, "SetPositionInformationFile" }, { 0x13, "SetAllocationInformationFile" },
    { 0x14, "SetEndOfFileInformationFile" }, { 0x16, "SetFileStreamInformation" }, { 0x17, "SetPipeInformation" },
    { 0x27, "SetValidDataLengthInformationFile" }, { 0x28, "SetShortNameInformation" },
    { 0x3d, "SetReplaceCompletionInformation" }, { 0x40, "SetDispositionInformationEx" },
    { 0x41, "SetRenameInformationEx" }, { 0x42, "SetRenameInformationExBypassAccessCheck" } };
constexpr SubOp kDirectorySubOps[] = { { 1, "QueryDirectory" }, { 2, "NotifyChangeDirectory" } };
constexpr SubOp kLockSubOps[] = { { 1, "LockFile" }, { 2, "UnlockFileSingle" }, { 3, "UnlockFileAll" },
    { 4, "UnlockFileByKey" } };
constexpr SubOp kPnpSubOps[] = { { 0x00, "StartDevice" }, { 0x01, "QueryRemoveDevice" }, { 0x02, "RemoveDevice" },
    { 0x03, "CancelRemoveDevice" }, { 0x04, "StopDevice" }, { 0x05, "QueryStopDevice" }, { 0x06, "CancelStopDevice" },
    { 0x07, "QueryDeviceRelations" }, { 0x08, "QueryInterface" }, { 0x09, "QueryCapabilities" },
    { 0x0a, "QueryResources" }, { 0x0b, "QueryResourceRequirements" }, { 0x0c, "QueryDeviceText" },
    { 0x0d, "FilterResourceRequirements" }, { 0x0f, "ReadConfig" }, { 0x10, "WriteConfig" }, { 0x11, "Eject" },
    { 0x12, "SetLock" }, { 0x13, "QueryId2" }, { 0x14, "QueryPnpDeviceState" }, { 0x15, "QueryBusInformation" },
    { 0x16, "DeviceUsageNotification" }, { 0x17, "SurpriseRemoval" }, { 0x18, "QueryLegacyBusInformation" } };

template<std::size_t N> std::string_view lookup(const SubOp (&table)[N], std::uint8_t code)
{
    for (const SubOp& entry : table) {
        if (entry.first == code)
            return entry.second;
    }
    return "<Unknown>";
}

template<std::size_t N> std::string_view opName(const std::array<std::string_view, N>& table, std::uint16_t code)
{
    return code < N ? table[code] : "<Unknown>"sv;
}

void appendHex(std::string& out, std::uint64_t value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
    out += buffer;
}

void field(std::string& out, std::string_view name)
{
    if (!out.empty())
        out += ", ";
    out += name;
    out += ": ";
}

// Access masks as Process Monitor spells them: generic rights first mapped to the object's specific
// rights, then the named combinations before the single bits, each bit named once.
using MaskName = std::pair<std::uint32_t, std::string_view>;
constexpr MaskName kRegistryAccess[] = { { 0xf003f, "All Access" }, { 0x2001f, "Read/Write" }, { 0x20019, "Read" },
    { 0x20006, "Write" }, { 0x1, "Query Value" }, { 0x2, "Set Value" }, { 0x4, "Create Sub Key" },
    { 0x8, "Enumerate Sub Keys" }, { 0x10, "Notify" }, { 0x20, "Create Link" }, { 0x300, "WOW64_Res" },
    { 0x200, "WOW64_32Key" }, { 0x100, "WOW64_64Key" }, { 0x10000, "Delete" }, { 0x20000, "Read Control" },
    { 0x40000, "Write DAC" }, { 0x80000, "Write Owner" }, { 0x100000, "Synchronize" },
    { 0x1000000, "Access System Security" }, { 0x2000000, "Maximum Allowed" } };

std::string registryAccess(std::uint32_t mask)
{
    // GENERIC_READ/WRITE/EXECUTE/ALL as the registry maps them.
    if (mask & 0x80000000u)
        mask |= 0x20019;
    if (mask & 0x40000000u)
        mask |= 0x20006;
    if (mask & 0x20000000u)
        mask |= 0x20019;
    if (mask & 0x10000000u)
        mask |= 0xf003f;
    std::string text;
    for (const auto& [bits, name] : kRegistryAccess) {
        if ((mask & bits) == bits) {
            if (!text.empty())
                text += ", ";
            text += name;
            mask &= ~bits;
        }
    }
    if (text.empty()) {
        text = "None ";
        appendHex(text, mask);
    }
    return text;
}

constexpr std::string_view kRegTypes[] = { "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD" };

std::string regTypeName(std::uint32_t type)
{
    if (type < std::size(kRegTypes))
        return std::string(kRegTypes[type]);
    return "<Unknown: " + std::to_string(type) + ">";
}

// Registry data as Process Monitor prints it in the Detail column. False for data whose printing is
// not understood (how much of a REG_BINARY value it shows varies; an odd-length REG_MULTI_SZ): the
// caller leaves the event's detail undecoded rather than show a guess.
bool appendRegistryData(std::string& out, ByteCursor& c, std::uint32_t type, std::uint32_t length)
{
    length = static_cast<std::uint32_t>(std::min<std::uint64_t>(length, c.remaining()));
    switch (type) {
    case 4: // REG_DWORD
        if (length >= 4) {
            field(out, "Data");
            out += std::to_string(c.u32());
        }
        return true;
    case 11: // REG_QWORD: Process Monitor's export leaves the value out
        if (length >= 8)
            field(out, "Data");
        return true;
    case 1: // REG_SZ
    case 2: { // REG_EXPAND_SZ
        field(out, "Data");
        std::string text;
        c.utf16(text, length & ~1u);
        // Process Monitor puts a ';' after each line break of a multi-line value.
        for (char ch : text) {
            out += ch;
            if (ch == '\n')
                out += ';';
        }
        return true;
    }
    case 7: { // REG_MULTI_SZ: the strings joined by ", "
        if (length % 2 != 0)
            return false;
        field(out, "Data");
        const std::uint8_t* p = c.bytes(length);
        if (p == nullptr)
            return false;
        bool first = true;
        std::size_t begin = 0;
        const std::size_t units = length / 2;
        for (std::size_t i = 0; i <= units; ++i) {
            const bool end = i == units || (p[2 * i] == 0 && p[2 * i + 1] == 0);
            if (!end)
                continue;
            if (i > begin) {
                if (!first)
                    out += ", ";
                appendUtf16(out, p + 2 * begin, i - begin);
                first = false;
            } else if (i < units) {
                break; // an empty string ends the list
            }
            begin = i + 1;
        }
        return true;
    }
    case 3: // REG_BINARY
        return false;
    default: // other types: Process Monitor names the field and prints no value
        field(out, "Data");
        return true;
    }
}

// ---- Process ----

void decodeProcess(const PmlReader& reader, ByteCursor& c, PmlEvent& e)
{
    e.operation = opName(kProcessOps, e.operationCode);
    std::string& d = e.detail;
    switch (e.operationCode) {
    case 0: // Process Defined
    case 1: { // Process Create
        c.skip(4);
        e.relatedPid = c.u32();
        c.skip(0x24);
        const std::uint8_t sidSize = c.u8();
        const std::uint8_t otherSize = c.u8();
        const std::uint16_t pathInfo = c.u16();
        const std::uint16_t commandInfo = c.u16();
        c.skip(2ULL + sidSize + otherSize);
        c.detailString(e.path, pathInfo);
        c.detailString(e.commandLine, commandInfo);
        field(d, "PID");
        d += std::to_string(e.relatedPid);
        field(d, "Command line");
        d += e.commandLine;
        break;
    }
    case 2: // Process Exit
    case 8: { // Process Statistics
        e.exitStatus = c.u32();
        const std::uint64_t kernel = c.u64();
        const std::uint64_t user = c.u64();
        const std::uint64_t workingSet = c.u64();
        const std::uint64_t peakWorkingSet = c.u64();
        const std::uint64_t privateBytes = c.u64();
        const std::uint64_t peakPrivateBytes = c.u64();
        field(d, "Exit Status");
        d += std::to_string(static_cast<std::int32_t>(e.exitStatus)); // Process Monitor prints it signed
        field(d, "User Time");
        d += formatTicks(user) + " seconds";
        field(d, "Kernel Time");
        d += formatTicks(kernel) + " seconds";
        field(d, "Private Bytes");
        appendGrouped(d, privateBytes);
        field(d, "Peak Private Bytes");
        appendGrouped(d, peakPrivateBytes);
        field(d, "Working Set");
        appendGrouped(d, workingSet);
        field(d, "Peak Working Set");
        appendGrouped(d, peakWorkingSet);
        break;
    }
    case 3: // Thread Create
        e.relatedPid = c.u32();
        field(d, "Thread ID");
        d += std::to_string(e.relatedPid);
        break;
    case 4: { // Thread Exit
        c.skip(4);
        const std::uint64_t kernel = c.u64();
        const std::uint64_t user = c.u64();
        e.relatedPid = e.tid;
        field(d, "Thread ID");
        d += std::to_string(e.tid);
        field(d, "User Time");
        d += formatTicks(user);
        field(d, "Kernel Time");
        d += formatTicks(kernel);
        break;
    }
    case 5: { // Load Image
        const std::uint64_t base = c.pointer(reader.header().system64);
        const std::uint32_t size = c.u32();
        const std::uint16_t pathInfo = c.u16();
        c.skip(2);
        c.detailString(e.path, pathInfo);
        field(d, "Image Base");
        appendHex(d, base);
        field(d, "Image Size");
        appendHex(d, size);
        break;
    }
    case 7: { // Process Start
        e.relatedPid = c.u32();
        const std::uint16_t commandInfo = c.u16();
        const std::uint16_t directoryInfo = c.u16();
        const std::uint32_t environmentChars = c.u32();
        c.detailString(e.commandLine, commandInfo);
        c.detailString(e.currentDirectory, directoryInfo);
        field(d, "Parent PID");
        d += std::to_string(e.relatedPid);
        field(d, "Command line");
        d += e.commandLine;
        field(d, "Current directory");
        d += e.currentDirectory;
        field(d, "Environment");
        // NUL-separated VAR=value strings; Process Monitor starts each on a new line after ";\t".
        const std::uint64_t bytes = std::min<std::uint64_t>(2ULL * environmentChars, c.remaining()) & ~1ULL;
        const std::uint8_t* p = c.bytes(bytes);
        if (p != nullptr) {
            std::size_t begin = 0;
            const std::size_t units = static_cast<std::size_t>(bytes / 2);
            for (std::size_t i = 0; i < units; ++i) {
                if (p[2 * i] != 0 || p[2 * i + 1] != 0)
                    continue;
                if (i == begin)
                    break;
                d += "\n;\t";
                appendUtf16(d, p + 2 * begin, i - begin);
                begin = i + 1;
            }
        }
        break;
    }
    default:
        return;
    }
    e.detailDecoded = c.ok();
}

// ---- Network ----

void decodeNetwork(const PmlReader& reader, ByteCursor& c, PmlEvent& e)
{
    const std::uint16_t flags = c.u16();
    const bool sourceV4 = (flags & 1) != 0;
    const bool destV4 = (flags & 2) != 0;
    const bool tcp = (flags & 4) != 0;
    e.operation = tcp ? opName(kTcpOps, e.operationCode) : opName(kUdpOps, e.operationCode);
    c.skip(2);
    const std::uint32_t length = c.u32();
    const std::uint8_t* source = c.bytes(16);
    const std::uint8_t* dest = c.bytes(16);
    const std::uint16_t sourcePort = c.u16();
    const std::uint16_t destPort = c.u16();
    if (!c.ok())
        return;
    e.path = reader.hostName(source, sourceV4) + ":" + reader.portName(sourcePort, tcp) + " -> "
        + reader.hostName(dest, destV4) + ":" + reader.portName(destPort, tcp);
    field(e.detail, "Length");
    e.detail += std::to_string(length); // Process Monitor groups no digits here, unlike file lengths
    // The rest: NUL-terminated UTF-16 strings, name and value in turn, ended by an empty one.
    std::string name;
    bool haveName = false;
    while (c.remaining() >= 2) {
        std::string text;
        const std::uint8_t* start = c.here();
        std::size_t units = 0;
        while (c.remaining() >= 2) {
            const std::uint16_t unit = c.u16();
            if (unit == 0)
                break;
            ++units;
        }
        appendUtf16(text, start, units);
        if (units == 0)
            break;
        if (!haveName) {
            name = std::move(text);
            haveName = true;
        } else {
            field(e.detail, name);
            e.detail += text;
            haveName = false;
        }
    }
    e.detailDecoded = true;
}

// ---- Registry ----

constexpr std::string_view kKeyInfoClasses[] = { "Basic", "Node", "Full", "Name", "Cached", "Flags", "Virtualization",
    "HandleTags", "Trust", "Layer" };

void keyInformation(ByteCursor& x, std::uint32_t infoClass, PmlEvent& e)
{
    std::string& d = e.detail;
    auto name = [&] {
        const std::uint32_t size = x.u32();
        field(d, "Name");
        x.utf16(d, size);
    };
    switch (infoClass) {
    case 0: // KEY_BASIC_INFORMATION: time, title index, name
        x.skip(12);
        name();
        break;
    case 1: // KEY_NODE_INFORMATION
        x.skip(20);
        name();
        break;
    case 2: { // KEY_FULL_INFORMATION
        x.skip(20);
        const std::uint32_t subKeys = x.u32();
        x.skip(8);
        const std::uint32_t values = x.u32();
        field(d, "SubKeys");
        appendGrouped(d, subKeys);
        field(d, "Values");
        appendGrouped(d, values);
        break;
    }
    case 3: // KEY_NAME_INFORMATION: Process Monitor shows no name for RegQueryKey's Name query
        if (e.operationCode != 3)
            name();
        break;
    case 4: { // KEY_CACHED_INFORMATION
        x.skip(12);
        const std::uint32_t subKeys = x.u32();
        x.skip(4);
        const std::uint32_t values = x.u32();
        field(d, "SubKeys");
        appendGrouped(d, subKeys);
        field(d, "Values");
        appendGrouped(d, values);
        break;
    }
    case 5:
        field(d, "UserFlags");
        appendHex(d, x.u32());
        break;
    case 7:
        field(d, "HandleTags");
        appendHex(d, x.u32());
        break;
    default:
        break;
    }
}

void decodeRegistry(ByteCursor& c, ByteCursor& extra, bool hasExtra, PmlEvent& e)
{
    e.operation = opName(kRegistryOps, e.operationCode);
    std::string& d = e.detail;
    const std::uint16_t pathInfo = c.u16();
    switch (e.operationCode) {
    case 0: // RegOpenKey
    case 1: { // RegCreateKey
        c.skip(2);
        const std::uint32_t access = c.u32();
        c.detailString(e.path, pathInfo);
        if (access == 0)
            break;
        const std::string accessText = registryAccess(access);
        field(d, "Desired Access");
        d += accessText;
        if (!hasExtra)
            break;
        const std::uint32_t granted = extra.u32();
        if (accessText == "Maximum Allowed") {
            field(d, "Granted Access");
            d += registryAccess(granted);
        }
        const std::uint32_t disposition = extra.u32();
        if (extra.ok() && (disposition == 1 || disposition == 2)) {
            field(d, "Disposition");
            d += disposition == 1 ? "REG_CREATED_NEW_KEY" : "REG_OPENED_EXISTING_KEY";
        }
        break;
    }
    case 3: // RegQueryKey
    case 7: { // RegEnumKey
        c.skip(2);
        const std::uint32_t length = c.u32();
        const std::uint32_t index = e.operationCode == 7 ? c.u32() : 0;
        const std::uint32_t infoClass = c.u32();
        c.detailString(e.path, pathInfo);
        if (e.operationCode == 7) {
            field(d, "Index");
            appendGrouped(d, index);
        } else {
            field(d, "Query");
            d += infoClass < std::size(kKeyInfoClasses) ? kKeyInfoClasses[infoClass] : "<Unknown>";
        }
        if (!hasExtra) {
            field(d, "Length");
            appendGrouped(d, length);
            break;
        }
        keyInformation(extra, infoClass, e);
        break;
    }
    case 5: // RegQueryValue
    case 6: { // RegEnumValue
        c.skip(2);
        const std::uint32_t length = c.u32();
        const std::uint32_t index = e.operationCode == 6 ? c.u32() : 0;
        const std::uint32_t infoClass = c.u32();
        c.detailString(e.path, pathInfo);
        if (e.operationCode == 6) {
            field(d, "Index");
            appendGrouped(d, index);
        }
        if (!hasExtra) {
            field(d, "Length");
            appendGrouped(d, length);
            break;
        }
        extra.skip(4);
        const std::uint32_t type = extra.u32();
        std::uint32_t valueLength = 0;
        if (infoClass == 1 || infoClass == 3) { // KEY_VALUE_FULL_INFORMATION
            const std::uint32_t dataOffset = extra.u32();
            valueLength = extra.u32();
            const std::uint32_t nameSize = extra.u32();
            std::string name;
            extra.utf16(name, nameSize);
            if (e.operationCode == 6) {
                field(d, "Name");
                d += name;
            }
            extra.seek(dataOffset);
        } else if (infoClass == 2 || infoClass == 4) { // KEY_VALUE_PARTIAL_INFORMATION
            valueLength = extra.u32();
        } else {
            field(d, "Type");
            d += regTypeName(type);
            break;
        }
        field(d, "Type");
        d += regTypeName(type);
        field(d, "Length");
        appendGrouped(d, valueLength);
        if (valueLength > 0 && !appendRegistryData(d, extra, type, valueLength))
            return; // left undecoded
        break;
    }
    case 4: { // RegSetValue: the data follows the path in the detail structure itself
        c.skip(2);
        const std::uint32_t type = c.u32();
        const std::uint32_t length = c.u32();
        const std::uint32_t dataLength = c.u32();
        c.detailString(e.path, pathInfo);
        field(d, "Type");
        d += regTypeName(type);
        field(d, "Length");
        appendGrouped(d, length);
        const std::uint32_t shown = std::min(length, dataLength);
        if (shown > 0 && type < std::size(kRegTypes) && !appendRegistryData(d, c, type, shown))
            return; // left undecoded
        break;
    }
    case 8: { // RegSetInfoKey
        c.skip(2);
        const std::uint32_t infoClass = c.u32();
        c.skip(4);
        const std::uint16_t length = c.u16();
        c.skip(2);
        c.detailString(e.path, pathInfo);
        field(d, "KeySetInformationClass");
        switch (infoClass) {
        case 0:
            d += "KeyWriteTimeInformation";
            break;
        case 1:
            d += "KeyWow64FlagsInformation";
            break;
        case 5:
            d += "KeySetHandleTagsInformation";
            break;
        default:
            d += "<Unknown: " + std::to_string(infoClass) + ">";
            break;
        }
        field(d, "Length");
        appendGrouped(d, length);
        if (length > 0 && infoClass == 0) {
            field(d, "LastWriteTime");
            d += formatDateTime(c.u64());
        } else if (length > 0 && infoClass == 1) {
            field(d, "Wow64Flags");
            appendHex(d, c.u32());
        } else if (length > 0 && infoClass == 5) {
            field(d, "HandleTags");
            appendHex(d, c.u32());
        }
        break;
    }
    case 12: // RegLoadKey
    case 14: { // RegRenameKey
        const std::uint16_t newInfo = c.u16();
        c.detailString(e.path, pathInfo);
        field(d, e.operationCode == 12 ? "Hive Path" : "New Name");
        c.detailString(d, newInfo);
        break;
    }
    default: // the rest carry the key's path only
        c.detailString(e.path, pathInfo);
        break;
    }
    e.detailDecoded = c.ok() && (!hasExtra || extra.ok());
}

// ---- File system ----

void decodeFileSystem(const PmlReader& reader, ByteCursor& c, ByteCursor& extra, bool hasExtra, PmlEvent& e)
{
    const bool wide = reader.header().system64;
    const std::uint64_t pointer = wide ? 8 : 4;
    e.subOperation = c.u8();
    c.skip(3);
    e.operation = opName(kFileOps, e.operationCode);
    if (e.subOperation != 0) {
        switch (e.operationCode) {
        case kQueryVolumeInformation:
            e.operation = lookup(kQueryVolumeSubOps, e.subOperation);
            break;
        case kSetVolumeInformation:
            e.operation = lookup(kSetVolumeSubOps, e.subOperation);
            break;
        case kQueryInformationFile:
            e.operation = lookup(kQueryFileSubOps, e.subOperation);
            break;
        case kSetInformationFile:
            e.operation = lookup(kSetFileSubOps, e.subOperation);
            break;
        case kDirectoryControl:
            e.operation = lookup(kDirectorySubOps, e.subOperation);
            break;
        case kLockUnlockFile:
            e.operation = lookup(kLockSubOps, e.subOperation);
            break;
        case kPlugAndPlay:
            e.operation = lookup(kPnpSubOps, e.subOperation);
            break;
        default:
            break;
        }
    }
    // The I/O parameters: five pointer-sized fields and 0x14 bytes; their meaning depends on the operation.
    const std::uint64_t parametersSize = pointer * 5 + 0x14;
    const std::uint8_t* parameters = c.bytes(parametersSize);
    const std::uint16_t pathInfo = c.u16();
    c.skip(2);
    c.detailString(e.path, pathInfo);
    if (!c.ok() || parameters == nullptr)
        return;
    ByteCursor p(parameters, parametersSize);
    std::string& d = e.detail;
    if (e.operation == "QueryDirectory") {
        const std::uint16_t filterInfo = c.u16();
        std::string filter;
        c.detailString(filter, filterInfo);
        if (!filter.empty()) {
            if (e.path.empty() || e.path.back() != '\\')
                e.path += '\\';
            e.path += filter;
        }
        return; // the listing is in the extra detail, not decoded
    }
    switch (e.operationCode) {
    case kReadFile:
    case kWriteFile: {
        p.skip(4);
        const std::uint32_t flagsAndPriority = p.u32();
        p.skip(4);
        std::uint32_t length = p.u32();
        p.skip(wide ? 8 : 4);
        p.skip(wide ? 4 : 0);
        const auto offset = static_cast<std::int64_t>(p.u64());
        if (hasExtra)
            length = extra.u32();
        field(d, "Offset");
        if (offset < 0) {
            d += '-';
            appendGrouped(d, static_cast<std::uint64_t>(-(offset + 1)) + 1);
        } else {
            appendGrouped(d, static_cast<std::uint64_t>(offset));
        }
        field(d, "Length");
        appendGrouped(d, length);
        const std::uint32_t ioFlags = flagsAndPriority & 0xe000ff;
        if (ioFlags != 0) {
            field(d, "I/O Flags");
            constexpr MaskName kFlags[] = { { 0x10, "Buffered" }, { 0x1, "Non-cached" }, { 0x2, "Paging I/O" },
                { 0x4, "Synchronous" }, { 0x40, "Synchronous Paging I/O" }, { 0x400000, "Write Through" } };
            bool first = true;
            for (const auto& [bit, name] : kFlags) {
                if ((ioFlags & bit) == bit) {
                    d += first ? "" : ", ";
                    d += name;
                    first = false;
                }
            }
        }
        const std::uint32_t priority = (flagsAndPriority >> 0x11) & 7;
        if (priority != 0) {
            constexpr std::string_view kPriorities[] = { "", "Very Low", "Low", "Normal", "High", "Critical" };
            field(d, "Priority");
            if (priority < std::size(kPriorities))
                d += kPriorities[priority];
            else
                appendHex(d, priority);
        }
        e.detailDecoded = p.ok() && (!hasExtra || extra.ok());
        return;
    }
    default:
        return;
    }
}

} // namespace

void decodeDetail(const PmlReader& reader, ByteCursor detail, ByteCursor extra, bool hasExtra, PmlEvent& event)
{
    switch (event.cls) {
    case PmlClass::Process:
        decodeProcess(reader, detail, event);
        break;
    case PmlClass::Registry:
        decodeRegistry(detail, extra, hasExtra, event);
        break;
    case PmlClass::FileSystem:
        decodeFileSystem(reader, detail, extra, hasExtra, event);
        break;
    case PmlClass::Profiling:
        event.operation = opName(kProfilingOps, event.operationCode);
        break;
    case PmlClass::Network:
        decodeNetwork(reader, detail, event);
        break;
    case PmlClass::Unknown:
        event.operation = "<Unknown>";
        break;
    }
    if (!event.detailDecoded)
        event.detail.clear();
}

} // namespace exitlens::pml
