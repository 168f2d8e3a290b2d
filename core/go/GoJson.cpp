#include "GoJson.h"

#include <unordered_map>

namespace exitlens {

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QJsonArray strings(const std::vector<std::string>& values)
{
    QJsonArray array;
    for (const auto& value : values)
        array.append(qs(value));
    return array;
}

QString hex(std::uint64_t value)
{
    return QStringLiteral("0x") + QString::number(value, 16);
}

QJsonObject module(const GoModule& m)
{
    QJsonObject object { { "path", qs(m.path) }, { "version", qs(m.version) }, { "sum", qs(m.sum) } };
    if (m.replaced)
        object["replace"] = QJsonObject { { "path", qs(m.replacePath) }, { "version", qs(m.replaceVersion) },
            { "sum", qs(m.replaceSum) } };
    return object;
}
} // namespace

QJsonObject GoJson::elf(const BinaryFacts& facts)
{
    return QJsonObject {
        { "format", qs(facts.format) },
        { "architecture", qs(facts.architecture) },
        { "bits", facts.bits },
        { "endian", facts.littleEndian ? "little" : "big" },
        { "type", qs(facts.fileType) },
        { "static", facts.isStatic },
        { "pie", facts.pie },
        { "interpreter", facts.interpreter.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(facts.interpreter)) },
        { "needed", strings(facts.needed) },
        { "rpath", strings(facts.rpath) },
        { "runpath", strings(facts.runpath) },
        { "stripped", facts.stripped },
        { "debug_info", facts.debugInfo },
        { "entry", hex(facts.entry) },
        { "go_build_id", facts.goBuildId.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(facts.goBuildId)) },
    };
}

QJsonObject GoJson::buildInfo(const GoBuildInfo& info)
{
    QJsonArray deps;
    for (const auto& dep : info.deps)
        deps.append(module(dep));
    QJsonObject settings;
    QJsonArray settingList;
    for (const auto& [key, value] : info.settings) {
        settings[qs(key)] = qs(value);
        settingList.append(QJsonObject { { "key", qs(key) }, { "value", qs(value) } });
    }
    return QJsonObject {
        { "go_version", qs(info.goVersion) },
        { "path", qs(info.path) },
        { "main", info.main ? QJsonValue(module(*info.main)) : QJsonValue(QJsonValue::Null) },
        { "own_module", qs(info.ownModule()) },
        { "deps", deps },
        { "settings", settings },
        { "settings_in_order", settingList },
        { "cgo_enabled",
            info.hasSetting("CGO_ENABLED") ? QJsonValue(info.setting("CGO_ENABLED") == "1")
                                           : QJsonValue(QJsonValue::Null) },
        { "goos", qs(info.setting("GOOS")) },
        { "goarch", qs(info.setting("GOARCH")) },
        { "ldflags", qs(info.setting("-ldflags")) },
        { "trimpath", info.setting("-trimpath") == "true" },
        { "race", info.setting("-race") == "true" },
        { "vcs_revision", qs(info.setting("vcs.revision")) },
        { "vcs_modified",
            info.hasSetting("vcs.modified") ? QJsonValue(info.setting("vcs.modified") == "true")
                                            : QJsonValue(QJsonValue::Null) },
        { "legacy_layout", info.legacyLayout },
    };
}

QJsonObject GoJson::go(const BinaryInspection& inspection)
{
    QJsonObject object {
        { "is_go", inspection.isGo },
        { "cgo_linked", inspection.isGo ? QJsonValue(inspection.cgo) : QJsonValue(QJsonValue::Null) },
        { "pclntab", inspection.pclntabFormat.empty() ? QJsonValue(QJsonValue::Null) : qs(inspection.pclntabFormat) },
        { "functions", static_cast<qint64>(inspection.goFunctions) },
        { "build_info",
            inspection.buildInfo ? QJsonValue(buildInfo(*inspection.buildInfo)) : QJsonValue(QJsonValue::Null) },
    };
    if (!inspection.isGo)
        object["reason"] = qs(inspection.notGoReason);
    else if (!inspection.buildInfo)
        object["reason"] = qs(inspection.buildInfoError);
    return object;
}

QJsonObject GoJson::inspection(const BinaryInspection& inspection)
{
    QJsonObject object { { "path", qs(inspection.path) }, { "readable", inspection.readable } };
    if (!inspection.readable) {
        object["error"] = qs(inspection.error);
        return object;
    }
    object["elf"] = elf(inspection.facts);
    object["go"] = go(inspection);
    return object;
}

QJsonObject GoJson::frame(const GoFrame& frame)
{
    QJsonObject object {
        { "function", qs(frame.function) },
        { "package", qs(frame.packagePath()) },
        { "args", qs(frame.args) },
        { "file", qs(frame.file) },
        { "line", frame.line },
        { "inlined", frame.inlined() },
        { "kind",
            frame.isRuntime()               ? "runtime"
                : frame.isStandardLibrary() ? "stdlib"
                                            : "program_or_dependency" },
    };
    object["pc_offset"] = frame.pcOffset ? QJsonValue(hex(*frame.pcOffset)) : QJsonValue(QJsonValue::Null);
    if (frame.pc)
        object["pc"] = hex(*frame.pc);
    return object;
}

QJsonObject GoJson::traceback(const GoTraceback& traceback, int maxGoroutines, bool collapse)
{
    auto frames = [](const std::vector<GoFrame>& list) {
        QJsonArray array;
        for (const auto& item : list)
            array.append(frame(item));
        return array;
    };
    QJsonArray panics;
    for (const auto& panic : traceback.panics)
        panics.append(QJsonObject {
            { "message", qs(panic.message) }, { "recovered", panic.recovered }, { "repanicked", panic.repanicked } });
    QJsonValue signal(QJsonValue::Null);
    if (traceback.signal)
        signal = QJsonObject { { "name", qs(traceback.signal->name) },
            { "description", qs(traceback.signal->description) }, { "code", qs(traceback.signal->code) },
            { "addr", qs(traceback.signal->address) }, { "pc", qs(traceback.signal->pc) } };
    // Collapsed: a bucketed goroutine is listed when it is the first of its bucket (by id).
    std::unordered_map<long long, std::size_t> firstOfBucket;
    if (collapse)
        for (std::size_t i = 0; i < traceback.buckets.size(); ++i)
            firstOfBucket.try_emplace(traceback.buckets[i].ids.front(), i);
    QJsonArray goroutines;
    qint64 emitted = 0;
    qint64 collapsed = 0;
    for (const auto& goroutine : traceback.goroutines) {
        if (maxGoroutines >= 0 && emitted >= maxGoroutines)
            break;
        std::optional<std::size_t> bucket;
        if (collapse && !goroutine.systemStack() && goroutine.section == 0) {
            const auto first = firstOfBucket.find(goroutine.id);
            if (first == firstOfBucket.end()) {
                ++collapsed;
                continue;
            }
            bucket = first->second;
            firstOfBucket.erase(first);
        }
        ++emitted;
        QJsonObject object {
            { "id", goroutine.systemStack() ? QJsonValue(QJsonValue::Null) : QJsonValue(goroutine.id) },
            { "system_stack", goroutine.systemStack() },
            { "state", qs(goroutine.state) },
            { "wait_minutes", goroutine.waitMinutes < 0 ? QJsonValue(QJsonValue::Null) : goroutine.waitMinutes },
            { "locked_to_thread", goroutine.lockedToThread },
            { "frames", frames(goroutine.frames) },
            { "frames_omitted", static_cast<qint64>(goroutine.framesOmitted) },
            { "frames_elided", goroutine.framesElided },
            { "truncated", goroutine.truncated },
            { "section", goroutine.section },
        };
        if (!goroutine.extras.empty())
            object["header_extras"] = strings(goroutine.extras);
        if (bucket)
            object["identical"] = static_cast<qint64>(traceback.buckets[*bucket].ids.size() - 1);
        if (goroutine.createdBy) {
            QJsonObject creator = frame(*goroutine.createdBy);
            creator["in_goroutine"] =
                goroutine.createdByGoroutine < 0 ? QJsonValue(QJsonValue::Null) : goroutine.createdByGoroutine;
            object["created_by"] = creator;
        }
        goroutines.append(object);
    }
    QJsonArray buckets;
    qint64 bucketsOmitted = 0;
    for (const auto& bucket : traceback.buckets) {
        if (collapse && maxGoroutines >= 0 && buckets.size() >= maxGoroutines) {
            ++bucketsOmitted;
            continue;
        }
        QJsonArray ids;
        for (long long id : bucket.ids)
            ids.append(id);
        buckets.append(QJsonObject { { "count", static_cast<qint64>(bucket.ids.size()) }, { "ids", ids },
            { "state", qs(bucket.state) },
            { "frames",
                frames(bucket.frames.empty() && bucket.goroutine < traceback.goroutines.size()
                        ? traceback.goroutines[bucket.goroutine].frames
                        : bucket.frames) },
            { "frames_omitted", static_cast<qint64>(bucket.framesOmitted) },
            { "created_by", bucket.createdBy ? QJsonValue(frame(*bucket.createdBy)) : QJsonValue(QJsonValue::Null) } });
    }
    QJsonArray other;
    for (const auto& [number, text] : traceback.otherLines)
        other.append(QJsonObject { { "line", static_cast<qint64>(number) }, { "text", qs(text) } });
    QJsonValue own(QJsonValue::Null);
    if (const GoFrame* ownFrame = traceback.ownFrameFrame())
        own = frame(*ownFrame);
    QJsonObject document {
        { "found", traceback.found() },
        { "kind", qs(GoTraceback::kindName(traceback.kind)) },
        { "report", qs(GoTraceback::reportName(traceback.report)) },
        { "reason", qs(traceback.reason) },
        { "panics", panics },
        { "fatal_error", traceback.fatalError.empty() ? QJsonValue(QJsonValue::Null) : qs(traceback.fatalError) },
        { "runtime_lines", strings(traceback.runtimeLines) },
        { "signal", signal },
        { "panicking_goroutine",
            traceback.panicking ? QJsonValue(traceback.goroutines[*traceback.panicking].id)
                                : QJsonValue(QJsonValue::Null) },
        { "own_frame", own },
        { "goroutine_count", static_cast<qint64>(traceback.goroutines.size()) },
        { "goroutines", goroutines },
        { "goroutines_omitted", static_cast<qint64>(traceback.goroutines.size()) - emitted - collapsed },
        { "buckets", buckets },
        { "exit_status", traceback.exitStatus ? QJsonValue(*traceback.exitStatus) : QJsonValue(QJsonValue::Null) },
        { "repeats", traceback.repeats },
        { "truncated", traceback.truncated },
        { "other_lines", other },
        { "runtime_log_lines", static_cast<qint64>(traceback.runtimeLogLines) },
    };
    if (traceback.otherLinesOmitted > 0)
        document["other_lines_omitted"] = static_cast<qint64>(traceback.otherLinesOmitted);
    if (collapse) {
        document["goroutines_collapsed"] = collapsed;
        document["buckets_omitted"] = bucketsOmitted;
    }
    return document;
}

QJsonObject GoJson::runtimeLog(const RuntimeLog& log)
{
    QJsonArray gc;
    for (const auto& r : log.gc)
        gc.append(QJsonObject { { "gc", r.number }, { "at_s", r.atSeconds }, { "cpu_percent", r.cpuPercent },
            { "pause_ms", r.pauseMs }, { "concurrent_ms", r.concurrentMs },
            { "heap_start_mb", static_cast<qint64>(r.heapStartMB) },
            { "heap_end_mb", static_cast<qint64>(r.heapEndMB) }, { "heap_live_mb", static_cast<qint64>(r.heapLiveMB) },
            { "heap_goal_mb", static_cast<qint64>(r.heapGoalMB) }, { "procs", r.procs }, { "forced", r.forced } });
    QJsonArray sched;
    for (const auto& r : log.sched)
        sched.append(QJsonObject { { "at_ms", static_cast<qint64>(r.atMs) }, { "gomaxprocs", r.gomaxprocs },
            { "idle_procs", r.idleProcs }, { "threads", r.threads }, { "idle_threads", r.idleThreads },
            { "run_queue", r.runQueue },
            { "goroutines", r.goroutines < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(r.goroutines) } });
    QJsonArray init;
    for (const auto& r : log.init)
        init.append(QJsonObject { { "package", qs(r.package) }, { "at_ms", r.atMs }, { "clock_ms", r.clockMs },
            { "bytes", static_cast<qint64>(r.bytes) }, { "allocs", static_cast<qint64>(r.allocs) } });
    return QJsonObject { { "gc", gc }, { "sched", sched }, { "init", init } };
}

QJsonArray GoJson::stack(const std::vector<SymbolizedFrame>& frames)
{
    QJsonArray array;
    for (const auto& f : frames) {
        QJsonObject object { { "pc", hex(f.pc) },
            { "function", f.function.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(f.function)) } };
        if (!f.file.empty()) {
            object["file"] = qs(f.file);
            object["line"] = f.line;
        }
        if (!f.function.empty())
            object["offset"] = hex(f.offset);
        array.append(object);
    }
    return array;
}

} // namespace exitlens
