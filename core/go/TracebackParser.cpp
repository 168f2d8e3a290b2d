#include "TracebackParser.h"

#include "go/RuntimeLogParser.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace exitlens {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trimLeft(std::string_view text)
{
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    return text;
}

std::string_view trimRight(std::string_view text)
{
    while (!text.empty() && (isSpace(text.back()) || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

template<typename T> bool parseNumber(std::string_view text, T& out, int base = 10)
{
    if (text.empty())
        return false;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool parseHex(std::string_view text, std::uint64_t& out)
{
    if (!text.starts_with("0x"))
        return false;
    return parseNumber(text.substr(2), out, 16);
}

// "goroutine 18 [running]:", "goroutine 1 gp=0xc000002380 m=0 mp=0x5d1e40 [running, locked to thread]:"
bool parseGoroutineHeader(std::string_view line, GoGoroutine& out)
{
    if (!line.starts_with("goroutine ") || !line.ends_with("]:"))
        return false;
    std::string_view rest = line.substr(10);
    const auto space = rest.find(' ');
    if (space == std::string_view::npos || !parseNumber(rest.substr(0, space), out.id))
        return false;
    const auto open = rest.find('[');
    if (open == std::string_view::npos)
        return false;
    for (std::string_view extras = trimLeft(rest.substr(space, open - space)); !extras.empty();) {
        const auto next = extras.find(' ');
        out.extras.emplace_back(extras.substr(0, next));
        extras = next == std::string_view::npos ? std::string_view() : trimLeft(extras.substr(next));
    }
    std::string_view inside = rest.substr(open + 1, rest.size() - open - 3);
    bool first = true;
    while (!inside.empty()) {
        const auto comma = inside.find(", ");
        const std::string_view part = inside.substr(0, comma);
        inside = comma == std::string_view::npos ? std::string_view() : inside.substr(comma + 2);
        int minutes = 0;
        if (first) {
            out.state = std::string(part);
        } else if (part == "locked to thread") {
            out.lockedToThread = true;
        } else if (part.ends_with(" minutes") && parseNumber(part.substr(0, part.size() - 8), minutes)) {
            out.waitMinutes = minutes;
        } else {
            out.extras.emplace_back(part);
        }
        first = false;
    }
    return true;
}

// "main.(*Server).run(0xc000010000, {0x4b2f40, 0x3})": the argument list is the last balanced
// parenthesis group; function names contain parentheses of their own.
bool parseCall(std::string_view line, GoFrame& out)
{
    if (line.empty() || isSpace(line.front()) || line.back() != ')' || line.size() < 3)
        return false;
    int depth = 0;
    for (std::size_t i = line.size(); i-- > 0;) {
        if (line[i] == ')') {
            ++depth;
        } else if (line[i] == '(' && --depth == 0) {
            if (i == 0)
                return false;
            const std::string_view function = line.substr(0, i);
            if (function.find(' ') != std::string_view::npos || function.find('\t') != std::string_view::npos)
                return false;
            out.function = std::string(function);
            out.args = std::string(line.substr(i + 1, line.size() - i - 2));
            return true;
        }
    }
    return false;
}

// "\t/src/app/server.go:88 +0x1d5 fp=0xc000 sp=0xc000 pc=0x4a1b2c"; Windows paths have a colon
// of their own ("C:/Go/src/runtime/proc.go:250").
bool parsePosition(std::string_view line, bool requireIndent, GoFrame& out)
{
    if (requireIndent && (line.empty() || !isSpace(line.front())))
        return false;
    std::string_view text = trimLeft(line);
    std::string_view tail;
    const auto space = text.find(" +0x");
    const auto fp = text.find(" fp=");
    const auto cut = std::min(space, fp);
    if (cut != std::string_view::npos) {
        tail = text.substr(cut + 1);
        text = text.substr(0, cut);
    }
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    int lineNumber = 0;
    if (!parseNumber(text.substr(colon + 1), lineNumber))
        return false;
    const std::string_view file = text.substr(0, colon);
    if (!requireIndent && file.find('/') == std::string_view::npos && file.find('\\') == std::string_view::npos
        && !file.ends_with(".go") && !file.ends_with(".s"))
        return false;
    out.file = std::string(file);
    out.line = lineNumber;
    while (!tail.empty()) {
        const auto next = tail.find(' ');
        const std::string_view word = tail.substr(0, next);
        tail = next == std::string_view::npos ? std::string_view() : trimLeft(tail.substr(next));
        std::uint64_t value = 0;
        if (word.starts_with("+0x") && parseHex(word.substr(1), value))
            out.pcOffset = value;
        else if (word.starts_with("pc=") && parseHex(word.substr(3), value))
            out.pc = value;
    }
    return true;
}

// "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48343e]" (Windows: "[signal
// 0xc0000005 code=0x0 addr=0x18 pc=0xd36049]").
bool parseSignalLine(std::string_view line, GoSignalInfo& out)
{
    if (!line.starts_with("[signal ") || !line.ends_with("]"))
        return false;
    std::string_view inside = line.substr(8, line.size() - 9);
    const auto colon = inside.find(": ");
    const auto firstField = inside.find(" code=");
    if (colon != std::string_view::npos && colon < firstField) {
        out.name = std::string(inside.substr(0, colon));
        out.description = std::string(inside.substr(
            colon + 2, firstField == std::string_view::npos ? std::string_view::npos : firstField - colon - 2));
    } else {
        out.name = std::string(inside.substr(0, firstField));
    }
    for (std::string_view rest = firstField == std::string_view::npos ? std::string_view() : inside.substr(firstField);
         !rest.empty();) {
        rest = trimLeft(rest);
        const auto next = rest.find(' ');
        const std::string_view word = rest.substr(0, next);
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
        if (word.starts_with("code="))
            out.code = std::string(word.substr(5));
        else if (word.starts_with("addr="))
            out.address = std::string(word.substr(5));
        else if (word.starts_with("pc="))
            out.pc = std::string(word.substr(3));
    }
    return true;
}

// "SIGQUIT: quit" at the start of a line: the header of a signal dump.
bool parseSignalHeader(std::string_view line, GoSignalInfo& out)
{
    if (!line.starts_with("SIG"))
        return false;
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos || colon < 4)
        return false;
    for (char c : line.substr(3, colon - 3))
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    out.name = std::string(line.substr(0, colon));
    out.description = std::string(line.substr(colon + 2));
    return true;
}

// Register dump lines of a signal dump: "rax    0x0", "rflags 0x10246".
bool isRegisterLine(std::string_view line)
{
    const auto space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space > 6)
        return false;
    for (char c : line.substr(0, space))
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    return trimLeft(line.substr(space)).starts_with("0x");
}

void splitRecovered(GoPanic& panic)
{
    // "value [recovered]" (Go 1.x), "value [recovered, repanicked]" (newer releases).
    const auto open = panic.message.rfind(" [recovered");
    if (open == std::string::npos || panic.message.back() != ']')
        return;
    panic.recovered = true;
    panic.repanicked = panic.message.find("repanicked", open) != std::string::npos;
    panic.message.erase(open);
}

} // namespace

std::string_view GoTraceback::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Panic:
        return "panic";
    case Kind::FatalError:
        return "fatal_error";
    case Kind::Signal:
        return "signal";
    case Kind::None:
        break;
    }
    return "none";
}

std::string GoFrame::packagePath() const
{
    // The package ends at the first '.' after the last '/' (before any receiver or generic
    // brackets): "gopkg.in/yaml.v3.Unmarshal" is ambiguous even to the Go runtime.
    std::string_view name = function;
    const auto bracket = name.find('[');
    const std::string_view plain = name.substr(0, bracket);
    const auto slash = plain.rfind('/');
    const auto dot = plain.find('.', slash == std::string_view::npos ? 0 : slash + 1);
    return std::string(plain.substr(0, dot));
}

bool GoFrame::isRuntime() const
{
    if (function == "panic" || function.find('.') == std::string::npos)
        return true; // "panic(...)" is runtime.gopanic; dot-less names are old C runtime frames
    const std::string package = packagePath();
    return package == "runtime" || package.starts_with("runtime/");
}

bool GoFrame::isStandardLibrary() const
{
    const std::string package = packagePath();
    if (package == "main" || package.empty())
        return false;
    const auto slash = package.find('/');
    return package.substr(0, slash).find('.') == std::string::npos;
}

bool TracebackParser::inModule(std::string_view function, std::string_view module)
{
    if (module.empty() || !function.starts_with(module) || function.size() == module.size())
        return false;
    const char next = function[module.size()];
    return next == '.' || next == '/';
}

bool TracebackParser::isOwnFrame(const GoFrame& frame, std::string_view ownModule)
{
    // The main package is "main" in function names whatever the module is called.
    return ownModule.empty() ? !frame.isRuntime() && !frame.isStandardLibrary()
                             : frame.packagePath() == "main" || inModule(frame.function, ownModule);
}

GoTraceback TracebackParser::parse(std::string_view text, std::string_view ownModule)
{
    GoTraceback result;
    GoGoroutine* current = nullptr;
    GoFrame* pending = nullptr; // a call line waiting for its position line
    bool inPanicMessage = false; // continuation lines of a multi-line panic value
    bool expectSignalPc = false; // the "PC=0x... m=0 sigcode=0" line after "SIGQUIT: quit"
    int section = 0;
    bool headerSeen = false;
    std::string runtimeLogFragment; // GODEBUG lines interleave across threads (RuntimeLogParser::consume)

    auto beginSection = [&] {
        // A second header after goroutines were printed: another thread's dump (GOTRACEBACK=crash).
        if (headerSeen && !result.goroutines.empty()) {
            ++section;
            ++result.repeats;
        }
        headerSeen = true;
        current = nullptr;
        pending = nullptr;
    };

    std::size_t lineNumber = 0;
    bool lastLineOpen = false; // the input ended without a newline: its last line may be cut
    while (!text.empty()) {
        const auto newline = text.find('\n');
        lastLineOpen = newline == std::string_view::npos;
        const std::string_view rawLine = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++lineNumber;
        const std::string_view line = trimRight(rawLine);

        if (RuntimeLogParser::consume(line, runtimeLogFragment) || RuntimeLogParser::isRuntimeLogLine(line)) {
            ++result.runtimeLogLines;
            continue;
        }
        if (line.empty()) {
            inPanicMessage = false;
            continue;
        }
        if (pending) {
            if (parsePosition(line, true, *pending) || parsePosition(line, false, *pending)) {
                pending = nullptr;
                continue;
            }
            pending = nullptr; // cut off or interleaved: keep the frame without a position
        }
        if (GoGoroutine header; line.starts_with("goroutine ") && parseGoroutineHeader(line, header)) {
            inPanicMessage = false;
            header.section = section;
            result.goroutines.push_back(std::move(header));
            current = &result.goroutines.back();
            continue;
        }
        if (line == "runtime stack:") {
            inPanicMessage = false;
            GoGoroutine stack;
            stack.state = "runtime stack";
            stack.section = section;
            result.goroutines.push_back(std::move(stack));
            current = &result.goroutines.back();
            continue;
        }
        if (line.starts_with("panic: ")) {
            if (result.kind != GoTraceback::Kind::Panic || !result.goroutines.empty())
                beginSection();
            if (result.kind == GoTraceback::Kind::None || result.kind == GoTraceback::Kind::Panic) {
                if (section == 0) {
                    result.kind = GoTraceback::Kind::Panic;
                    result.panics.push_back({ std::string(line.substr(7)), false, false });
                }
            }
            inPanicMessage = section == 0;
            continue;
        }
        if (const std::string_view nested = trimLeft(line); nested.starts_with("panic: ") && isSpace(line.front())
            && !result.panics.empty() && section == 0 && result.goroutines.empty()) {
            result.panics.push_back({ std::string(nested.substr(7)), false, false });
            inPanicMessage = true;
            continue;
        }
        if (line.starts_with("fatal error: ")) {
            inPanicMessage = false;
            if (result.kind == GoTraceback::Kind::None || (!result.goroutines.empty() && section == 0)) {
                if (!result.goroutines.empty())
                    beginSection();
                if (section == 0) {
                    result.kind = GoTraceback::Kind::FatalError;
                    result.fatalError = std::string(line.substr(13));
                }
                headerSeen = true;
            } else if (result.fatalError.empty()) {
                result.fatalError = std::string(line.substr(13)); // "panic: ...\nfatal error: panic during panic"
            }
            continue;
        }
        if (line.starts_with("runtime: ") && !current) {
            inPanicMessage = false;
            result.runtimeLines.emplace_back(line);
            continue;
        }
        GoSignalInfo signal;
        if (parseSignalLine(line, signal)) {
            inPanicMessage = false;
            if (!result.signal)
                result.signal = std::move(signal);
            continue;
        }
        if (parseSignalHeader(line, signal)) {
            inPanicMessage = false;
            beginSection();
            if (section == 0 && result.kind == GoTraceback::Kind::None) {
                result.kind = GoTraceback::Kind::Signal;
                result.signal = signal;
            }
            expectSignalPc = true;
            continue;
        }
        if (expectSignalPc && line.starts_with("PC=")) {
            expectSignalPc = false;
            if (section == 0 && result.signal) {
                for (std::string_view rest = line; !rest.empty();) {
                    const auto next = rest.find(' ');
                    const std::string_view word = rest.substr(0, next);
                    rest = next == std::string_view::npos ? std::string_view() : trimLeft(rest.substr(next));
                    if (word.starts_with("PC="))
                        result.signal->pc = std::string(word.substr(3));
                    else if (word.starts_with("sigcode="))
                        result.signal->code = std::string(word.substr(8));
                    else if (word.starts_with("addr="))
                        result.signal->address = std::string(word.substr(5));
                }
            }
            continue;
        }
        if (line.starts_with("exit status ")) {
            int status = 0;
            if (parseNumber(line.substr(12), status)) {
                result.exitStatus = status;
                continue;
            }
        }
        if (line == "-----" || isRegisterLine(line)) {
            continue; // the separator and register dumps of GOTRACEBACK=crash carry nothing we use
        }
        if (current) {
            const std::string_view trimmed = trimLeft(line);
            if (trimmed.starts_with("...") && trimmed.ends_with("...")
                && trimmed.find("elided") != std::string_view::npos) {
                current->framesElided = true;
                continue;
            }
            if (trimmed == "goroutine running on other thread; stack unavailable") {
                current->stackUnavailable = true;
                continue;
            }
            if (line.starts_with("[originating from goroutine ")) {
                long long id = -1;
                if (parseNumber(line.substr(28, line.size() - 28 - 2), id))
                    current->originatingGoroutine = id;
                continue;
            }
            if (line.starts_with("created by ")) {
                std::string_view creator = line.substr(11);
                const auto in = creator.find(" in goroutine ");
                if (in != std::string_view::npos) {
                    long long id = -1;
                    if (parseNumber(creator.substr(in + 14), id))
                        current->createdByGoroutine = id;
                    creator = creator.substr(0, in);
                }
                GoFrame frame;
                frame.function = std::string(creator);
                current->createdBy = std::move(frame);
                pending = &*current->createdBy;
                continue;
            }
            GoFrame frame;
            if (parseCall(line, frame)) {
                current->frames.push_back(std::move(frame));
                pending = &current->frames.back();
                continue;
            }
        }
        if (inPanicMessage && !result.panics.empty()) {
            result.panics.back().message += '\n';
            result.panics.back().message.append(rawLine.substr(0, trimRight(rawLine).size()));
            continue;
        }
        result.otherLines.emplace_back(lineNumber, std::string(line));
    }
    result.lines = lineNumber;

    // The input ended inside a goroutine: its last frame had no position line, or the input
    // stopped mid-line (the runtime ends every line with a newline, so the last one was cut).
    if ((pending || lastLineOpen) && current) {
        result.truncated = true;
        result.goroutines.back().truncated = true;
    }
    for (auto& panic : result.panics)
        splitRecovered(panic);

    switch (result.kind) {
    case GoTraceback::Kind::Panic: {
        // The original failure nobody handled: the first panic of the chain not recovered (a
        // deferred call's panic is a consequence; a recovered one was dealt with, then re-raised).
        const auto unrecovered = std::find_if(
            result.panics.begin(), result.panics.end(), [](const GoPanic& panic) { return !panic.recovered; });
        result.reason = unrecovered != result.panics.end() ? unrecovered->message
            : result.panics.empty()                        ? std::string()
                                                           : result.panics.back().message;
        break;
    }
    case GoTraceback::Kind::FatalError:
        result.reason = result.fatalError;
        break;
    case GoTraceback::Kind::Signal:
        result.reason = result.signal ? result.signal->name + ": " + result.signal->description : std::string();
        break;
    case GoTraceback::Kind::None:
        break;
    }

    // The goroutine that died is printed first (after the runtime stack of a fatal error).
    for (std::size_t i = 0; i < result.goroutines.size(); ++i) {
        if (!result.goroutines[i].systemStack() && result.goroutines[i].section == 0) {
            result.panicking = i;
            break;
        }
    }
    if (result.panicking) {
        const GoGoroutine& dying = result.goroutines[*result.panicking];
        for (std::size_t i = 0; i < dying.frames.size(); ++i) {
            if (isOwnFrame(dying.frames[i], ownModule)) {
                result.ownFrame = GoFrameRef { *result.panicking, i };
                break;
            }
        }
    }

    // Buckets: one hash lookup per goroutine, keyed by state and frame positions.
    std::unordered_map<std::string, std::size_t> bucketIndex;
    std::string key;
    for (const auto& goroutine : result.goroutines) {
        if (goroutine.systemStack() || goroutine.section != 0)
            continue;
        key.clear();
        key += goroutine.state;
        for (const auto& frame : goroutine.frames) {
            key += '\n';
            key += frame.function;
            key += '\t';
            key += frame.file;
            key += ':';
            key += std::to_string(frame.line);
        }
        if (goroutine.createdBy) {
            key += "\ncreated by ";
            key += goroutine.createdBy->function;
            key += ':';
            key += std::to_string(goroutine.createdBy->line);
        }
        auto [it, inserted] = bucketIndex.try_emplace(key, result.buckets.size());
        if (inserted)
            result.buckets.push_back({ goroutine.state, goroutine.frames, goroutine.createdBy, {} });
        result.buckets[it->second].ids.push_back(goroutine.id);
    }
    std::stable_sort(result.buckets.begin(), result.buckets.end(),
        [](const GoStackBucket& a, const GoStackBucket& b) { return a.ids.size() > b.ids.size(); });
    return result;
}

} // namespace exitlens
