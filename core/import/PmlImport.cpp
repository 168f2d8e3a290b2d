#include "import/PmlImport.h"

#include "NtStatus.h"
#include "diagnosis/Verdict.h"
#include "import/PmlReader.h"
#include "import/PmlText.h"
#include "model/CaptureData.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <vector>

namespace exitlens {

namespace {

using pml::PmlClass;
using pml::PmlEvent;

constexpr std::size_t kBatch = 8192;

EventClass classOf(const PmlEvent& e)
{
    switch (e.cls) {
    case PmlClass::Process:
        return e.operationCode == 3 || e.operationCode == 4 ? EventClass::Thread : EventClass::Process;
    case PmlClass::Registry:
        return EventClass::Registry;
    case PmlClass::FileSystem:
        return EventClass::File;
    case PmlClass::Network:
        return EventClass::Network;
    case PmlClass::Profiling:
        return EventClass::Profiling;
    case PmlClass::Unknown:
        break;
    }
    return EventClass::Process;
}

EventKind kindOf(const PmlEvent& e)
{
    if (e.cls != PmlClass::Process)
        return EventKind::Syscall;
    switch (e.operationCode) {
    case 7: // Process Start: in the new process, like the tracer's process_start
        return EventKind::ProcessStart;
    case 2: // Process Exit
        return EventKind::ProcessExit;
    case 3:
        return EventKind::ThreadStart;
    case 4:
        return EventKind::ThreadExit;
    default:
        return EventKind::Syscall; // Process Create (in the parent), Load Image, statistics
    }
}

struct SlotFacts {
    std::uint64_t firstSeq = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t exitSeq = 0;
    std::uint32_t exitStatus = 0;
    bool exited = false;
    std::uint64_t exitTime = 0;
    int threads = 0;
};

std::uint64_t relativeNs(std::uint64_t filetime, std::uint64_t origin)
{
    if (filetime <= origin)
        return 0;
    const std::uint64_t ticks = filetime - origin;
    return ticks > std::numeric_limits<std::uint64_t>::max() / 100 ? std::numeric_limits<std::uint64_t>::max()
                                                                   : ticks * 100;
}

} // namespace

bool PmlImport::looksLikePml(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char signature[4] = {};
    return in.read(signature, 4) && std::string_view(signature, 4) == "PML_";
}

std::shared_ptr<CaptureData> PmlImport::load(
    const std::string& path, PmlImportInfo& info, std::string& error, const Progress& progress)
{
    pml::PmlReader reader;
    if (!reader.open(path, error))
        return nullptr;
    const pml::PmlHeader& header = reader.header();
    info = PmlImportInfo {};
    info.computerName = header.computerName;
    info.windowsVersion = pml::windowsVersionText(header);
    info.systemRoot = header.systemRoot;
    info.system64 = header.system64;
    info.skipped = reader.missingEvents();
    if (info.skipped > 0)
        info.firstSkipReason =
            "the log is truncated: its event index lacks " + std::to_string(info.skipped) + " events";

    LaunchSpec spec;
    spec.program = path;
    auto data = std::make_shared<CaptureData>(std::move(spec));
    LaunchContext context;
    context.hostname = header.computerName;
    context.kernel = info.windowsVersion;
    context.machine = header.system64 ? "x64" : "x86";
    data->launchContext(context);

    const auto& processes = reader.processes();
    std::vector<SlotFacts> facts(processes.size());
    std::vector<Event> batch;
    batch.reserve(kBatch);
    PmlEvent e;
    std::string reason;
    std::uint64_t origin = 0;
    bool haveOrigin = false;
    std::uint64_t seq = 0;
    const std::uint32_t total = reader.eventCount();
    for (std::uint32_t i = 0; i < total; ++i) {
        if (!reader.readEvent(i, e, reason)) {
            if (info.firstSkipReason.empty())
                info.firstSkipReason = reason;
            ++info.skipped;
            continue;
        }
        if (!haveOrigin) {
            origin = e.time;
            haveOrigin = true;
        }
        const bool known = e.processSlot != PmlEvent::kNoProcess;
        Event event;
        event.timeNs = relativeNs(e.time, origin);
        event.pid = known ? static_cast<std::int32_t>(processes[e.processSlot].pid) : -1;
        event.tid = static_cast<std::int32_t>(e.tid);
        event.kind = kindOf(e);
        event.cls = classOf(e);
        event.op = data->intern(e.operation);
        event.path = data->intern(e.path);
        event.detail = data->intern(e.detail);
        event.flags = EventFlag::ResultNtStatus;
        if (event.kind == EventKind::ProcessExit) {
            event.result = e.exitStatus; // the exit code, as on Linux (unsigned: never a negative decimal)
        } else {
            event.result = e.result;
            if ((e.result >> 30) == 3) // NTSTATUS error severity
                event.flags |= EventFlag::Failed;
            if (e.result == 0x103) // STATUS_PENDING: Process Monitor never saw it complete
                event.flags |= EventFlag::ResultUnknown;
        }
        if (event.cls == EventClass::Profiling)
            event.flags |= EventFlag::RuntimeNoise;
        const std::uint64_t durationNs = e.duration > std::numeric_limits<std::uint32_t>::max() / 100
            ? std::numeric_limits<std::uint64_t>::max()
            : e.duration * 100;
        if (durationNs > std::numeric_limits<std::uint32_t>::max()) {
            event.durationNs = std::numeric_limits<std::uint32_t>::max();
            event.flags |= EventFlag::DurationSaturated;
        } else {
            event.durationNs = static_cast<std::uint32_t>(durationNs);
        }
        if (known) {
            SlotFacts& f = facts[e.processSlot];
            f.firstSeq = std::min(f.firstSeq, seq);
            if (event.kind == EventKind::ProcessExit) {
                f.exited = true;
                f.exitSeq = seq;
                f.exitStatus = e.exitStatus;
                f.exitTime = event.timeNs;
            } else if (event.kind == EventKind::ThreadStart) {
                ++f.threads;
            }
        }
        if (!e.stack.empty())
            data->stack(seq, event.pid, e.stack);
        batch.push_back(event);
        ++seq;
        if (batch.size() == kBatch) {
            data->append(batch);
            batch.clear();
            if (progress && !progress(i + 1ULL, total)) {
                error = "cancelled";
                return nullptr;
            }
        }
    }
    if (!batch.empty())
        data->append(batch);
    info.events = seq;
    info.firstEventFiletime = origin;
    info.captureStart = haveOrigin ? pml::formatIso(origin) : std::string();

    // The processes in the order they started, each with its Windows facts and how it ended.
    std::vector<std::size_t> order(processes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
        [&](std::size_t a, std::size_t b) { return processes[a].startTime < processes[b].startTime; });
    for (std::size_t slot : order) {
        const pml::PmlProcess& p = processes[slot];
        const SlotFacts& f = facts[slot];
        ProcessRecord record;
        record.pid = static_cast<int>(p.pid);
        record.ppid = static_cast<int>(p.parentPid);
        record.exe = p.imagePath;
        record.argv = { p.commandLine };
        record.startNs = relativeNs(p.startTime, origin);
        record.startSeq = f.firstSeq == std::numeric_limits<std::uint64_t>::max() ? 0 : f.firstSeq;
        record.threads = std::max(1, f.threads);
        if (f.exited) {
            record.status = ExitStatus::exitedWindows(f.exitStatus);
            record.endSeq = f.exitSeq;
            record.endNs = p.endTime != 0 ? relativeNs(p.endTime, origin) : f.exitTime;
        }
        WindowsProcessInfo& w = record.windows;
        w.present = true;
        w.integrity = p.integrity;
        w.user = p.user;
        w.sessionId = p.session;
        w.architecture = p.is64Bit ? "64-bit" : "32-bit";
        w.commandLine = p.commandLine;
        w.company = p.company;
        w.description = p.description;
        w.version = p.version;
        w.modules.reserve(p.modules.size());
        for (const pml::PmlModule& m : p.modules)
            w.modules.push_back(m.path);
        data->processChanged(record);
    }
    TraceSummary summary;
    summary.events = seq;
    summary.processes = processes.size();
    summary.dropped = info.skipped;
    data->setSummary(summary);
    // The verdict is about the process that failed most relevantly: a crash status first, then any
    // other non-zero exit, the earliest of each (a log holds the whole machine).
    const ProcessRecord* subject = nullptr;
    const auto snapshot = data->processes().snapshot();
    auto rank = [](const ProcessRecord& p) {
        if (!p.status.windows || p.status.kind != ExitStatus::Kind::Exited || p.status.code == 0)
            return 0;
        return isNtStatusFailure(p.status.windowsCode()) ? 2 : 1;
    };
    for (const ProcessRecord& p : snapshot) {
        if (rank(p) > 0
            && (subject == nullptr || rank(p) > rank(*subject)
                || (rank(p) == rank(*subject) && p.endSeq < subject->endSeq)))
            subject = &p;
    }
    if (subject != nullptr)
        data->setVerdict(describeProcessExit(*data, summary, subject->pid));
    if (progress)
        progress(total, total);
    return data;
}

} // namespace exitlens
