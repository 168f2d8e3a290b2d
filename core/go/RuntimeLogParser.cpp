#include "RuntimeLogParser.h"

#include <charconv>
#include <cstdlib>

namespace exitlens {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

template<typename T> bool number(std::string_view text, T& out)
{
    if (text.empty())
        return false;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// std::from_chars for double is in GCC 11+, fine; kept in one place for clarity.
bool decimal(std::string_view text, double& out)
{
    return number(text, out);
}

// Splits "a, b, c" on ", ".
std::vector<std::string_view> splitComma(std::string_view text)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto comma = text.find(", ");
        parts.push_back(text.substr(0, comma));
        if (comma == std::string_view::npos)
            return parts;
        text.remove_prefix(comma + 2);
    }
}

bool suffixNumber(std::string_view part, std::string_view suffix, std::int64_t& out)
{
    return part.ends_with(suffix) && number(part.substr(0, part.size() - suffix.size()), out);
}

// "  G12: status=4(chan receive) m=-1 lockedm=-1" and its P/M siblings (scheddetail=1).
bool isDetailLine(std::string_view line, char kind)
{
    if (line.size() < 6 || line[0] != ' ' || line[1] != ' ' || line[2] != kind || !isDigit(line[3]))
        return false;
    const auto colon = line.find(": ");
    return colon != std::string_view::npos && line.find('=', colon) != std::string_view::npos;
}

} // namespace

bool RuntimeLogParser::parseGc(std::string_view line, GcTraceRecord& out)
{
    // gc N @Ts P%: A+B+C ms clock, ...cpu, S->E->L MB, G MB goal, [X MB stacks, Y MB globals,] N P[ (forced)]
    if (!line.starts_with("gc ") || line.size() < 6 || !isDigit(line[3]))
        return false;
    const auto at = line.find(" @");
    const auto percent = line.find("%: ");
    if (at == std::string_view::npos || percent == std::string_view::npos || percent < at)
        return false;
    GcTraceRecord record;
    if (!number(line.substr(3, at - 3), record.number))
        return false;
    const std::string_view when = line.substr(at + 2, line.find(' ', at + 2) - at - 2);
    if (!when.ends_with("s") || !decimal(when.substr(0, when.size() - 1), record.atSeconds))
        return false;
    const auto percentStart = line.rfind(' ', percent);
    if (!number(line.substr(percentStart + 1, percent - percentStart - 1), record.cpuPercent))
        return false;
    std::string_view rest = line.substr(percent + 3);
    if (rest.ends_with(" (forced)")) {
        record.forced = true;
        rest.remove_suffix(9);
    }
    const auto parts = splitComma(rest);
    if (parts.size() < 5)
        return false;
    // "0.057+0.49+0.003 ms clock": sweep termination + concurrent mark + mark termination.
    if (parts[0].ends_with(" ms clock")) {
        std::string_view clock = parts[0].substr(0, parts[0].size() - 9);
        double phases[3] = {};
        for (double& phase : phases) {
            const auto plus = clock.find('+');
            if (!decimal(clock.substr(0, plus), phase))
                return false;
            clock = plus == std::string_view::npos ? std::string_view() : clock.substr(plus + 1);
        }
        record.pauseMs = phases[0] + phases[2];
        record.concurrentMs = phases[1];
    }
    bool heapSeen = false;
    for (std::string_view part : parts) {
        if (part.ends_with(" MB") && part.find("->") != std::string_view::npos) {
            std::string_view sizes = part.substr(0, part.size() - 3);
            std::int64_t values[3] = {};
            for (std::int64_t& value : values) {
                const auto arrow = sizes.find("->");
                if (!number(sizes.substr(0, arrow), value))
                    return false;
                sizes = arrow == std::string_view::npos ? std::string_view() : sizes.substr(arrow + 2);
            }
            record.heapStartMB = values[0];
            record.heapEndMB = values[1];
            record.heapLiveMB = values[2];
            heapSeen = true;
        } else if (suffixNumber(part, " MB goal", record.heapGoalMB)) {
        } else if (suffixNumber(part, " MB stacks", record.stacksMB)) {
        } else if (suffixNumber(part, " MB globals", record.globalsMB)) {
        } else if (part.ends_with(" P")) {
            number(part.substr(0, part.size() - 2), record.procs);
        }
    }
    if (!heapSeen)
        return false;
    out = record;
    return true;
}

bool RuntimeLogParser::parseSched(std::string_view line, SchedTraceRecord& out)
{
    if (!line.starts_with("SCHED "))
        return false;
    const auto ms = line.find("ms: ");
    if (ms == std::string_view::npos)
        return false;
    SchedTraceRecord record;
    if (!number(line.substr(6, ms - 6), record.atMs))
        return false;
    std::string_view rest = line.substr(ms + 4);
    const auto open = rest.find('[');
    if (open != std::string_view::npos && rest.ends_with("]")) {
        std::string_view queues = rest.substr(open + 1, rest.size() - open - 2);
        while (!queues.empty()) {
            const auto space = queues.find(' ');
            int value = 0;
            if (number(queues.substr(0, space), value))
                record.localRunQueues.push_back(value);
            queues = space == std::string_view::npos ? std::string_view() : queues.substr(space + 1);
        }
        rest = rest.substr(0, open);
    }
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        const std::string_view field = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        const auto equals = field.find('=');
        if (equals == std::string_view::npos)
            continue;
        const std::string_view key = field.substr(0, equals);
        int value = 0;
        if (!number(field.substr(equals + 1), value))
            continue;
        if (key == "gomaxprocs")
            record.gomaxprocs = value;
        else if (key == "idleprocs")
            record.idleProcs = value;
        else if (key == "threads")
            record.threads = value;
        else if (key == "spinningthreads")
            record.spinningThreads = value;
        else if (key == "idlethreads")
            record.idleThreads = value;
        else if (key == "runqueue")
            record.runQueue = value;
    }
    if (record.gomaxprocs < 0)
        return false;
    out = std::move(record);
    return true;
}

bool RuntimeLogParser::parseInit(std::string_view line, InitTraceRecord& out)
{
    // init PKG @T ms, C ms clock, B bytes, A allocs
    if (!line.starts_with("init "))
        return false;
    const auto at = line.find(" @", 5);
    if (at == std::string_view::npos)
        return false;
    InitTraceRecord record;
    record.package = std::string(line.substr(5, at - 5));
    if (record.package.empty() || record.package.find(' ') != std::string::npos)
        return false;
    const auto parts = splitComma(line.substr(at + 2));
    if (parts.size() != 4 || !parts[0].ends_with(" ms") || !parts[1].ends_with(" ms clock")
        || !decimal(parts[0].substr(0, parts[0].size() - 3), record.atMs)
        || !decimal(parts[1].substr(0, parts[1].size() - 9), record.clockMs)
        || !suffixNumber(parts[2], " bytes", record.bytes) || !suffixNumber(parts[3], " allocs", record.allocs))
        return false;
    out = std::move(record);
    return true;
}

std::vector<std::string_view> RuntimeLogParser::records(std::string_view line)
{
    GcTraceRecord gc;
    SchedTraceRecord sched;
    InitTraceRecord init;
    auto whole = [&](std::string_view piece) {
        return parseGc(piece, gc) || parseSched(piece, sched) || parseInit(piece, init);
    };
    if (whole(line))
        return { line };
    if (!line.starts_with("gc ") && !line.starts_with("SCHED ") && !line.starts_with("init "))
        return {};
    // Try each place where another record could start; a few pieces at most.
    for (std::string_view marker : { "SCHED ", "gc ", "init " }) {
        for (auto at = line.find(marker, 1); at != std::string_view::npos; at = line.find(marker, at + 1)) {
            const std::string_view head = line.substr(0, at);
            if (!whole(head))
                continue;
            auto rest = records(line.substr(at));
            if (rest.empty())
                continue;
            rest.insert(rest.begin(), head);
            return rest;
        }
    }
    return {};
}

bool RuntimeLogParser::consume(std::string_view line, std::string& fragment, std::vector<std::string>* out)
{
    auto emit = [out](const std::vector<std::string_view>& pieces) {
        if (out)
            for (std::string_view piece : pieces)
                out->emplace_back(piece);
    };
    if (!fragment.empty()) {
        const std::string joined = fragment + std::string(line);
        fragment.clear();
        if (const auto pieces = records(joined); !pieces.empty()) {
            emit(pieces);
            return true;
        }
    }
    if (line.empty() || (line[0] != 'g' && line[0] != 'S' && line[0] != 'i'))
        return false;
    if (const auto pieces = records(line); !pieces.empty()) {
        emit(pieces);
        return true;
    }
    if (!line.starts_with("gc ") && !line.starts_with("SCHED ") && !line.starts_with("init "))
        return false;
    // A record cut by another thread's whole record: keep the cut start for the next line.
    for (std::string_view marker : { "SCHED ", "gc ", "init " }) {
        for (auto at = line.find(marker, 1); at != std::string_view::npos; at = line.find(marker, at + 1)) {
            if (const auto pieces = records(line.substr(at)); !pieces.empty()) {
                emit(pieces);
                fragment = std::string(line.substr(0, at));
                return true;
            }
        }
    }
    return false;
}

bool RuntimeLogParser::isRuntimeLogLine(std::string_view line)
{
    if (line.empty())
        return false;
    switch (line[0]) {
    case 'g':
    case 'S':
    case 'i':
        return !records(line).empty();
    case 's':
        return line.starts_with("scvg") && line.find(" MB") != std::string_view::npos; // Go < 1.19 scavenger
    case ' ':
        return isDetailLine(line, 'P') || isDetailLine(line, 'M') || isDetailLine(line, 'G');
    default:
        return false;
    }
}

RuntimeLog RuntimeLogParser::parse(std::string_view text)
{
    RuntimeLog log;
    std::string fragment; // a record cut by another thread's line (see consume())
    while (!text.empty()) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        std::vector<std::string> pieces;
        bool recognised = consume(line, fragment, &pieces);
        for (const std::string& piece : pieces) {
            GcTraceRecord gc;
            SchedTraceRecord sched;
            InitTraceRecord init;
            if (parseGc(piece, gc))
                log.gc.push_back(gc);
            else if (parseSched(piece, sched))
                log.sched.push_back(std::move(sched));
            else if (parseInit(piece, init))
                log.init.push_back(std::move(init));
        }
        if (isDetailLine(line, 'G')) {
            // "  G7: status=4(chan receive) ...": status 6 is _Gdead (a free goroutine record).
            // Counted into the SCHED record the detail lines follow.
            if (!log.sched.empty() && line.find("status=6") == std::string_view::npos)
                log.sched.back().goroutines = std::max(log.sched.back().goroutines, 0) + 1;
            recognised = true;
        } else if (isDetailLine(line, 'P') || isDetailLine(line, 'M') || line.starts_with("scvg")) {
            recognised = true;
        }
        if (recognised)
            ++log.lines;
    }
    return log;
}

} // namespace exitlens
