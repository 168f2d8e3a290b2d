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

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAsciiAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The top-level package paths of the standard library (GOROOT/src of Go 1.24; "vendor" holds
// GOROOT's vendored golang.org/x packages, "cmd" the toolchain). Sorted for binary search.
constexpr std::string_view kStandardRoots[] = { "archive", "arena", "bufio", "builtin", "bytes", "cmd", "cmp",
    "compress", "container", "context", "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag",
    "fmt", "go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime", "net", "os",
    "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings", "structs", "sync",
    "syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "vendor", "weak" };

// Where Go distributions install GOROOT: a dot-less package not in the table (a release newer than
// it) whose file is under one of these is still the standard library.
constexpr std::string_view kGorootMarks[] = { "/usr/local/go/src/", "/usr/lib/go/src/", "/usr/lib/go-1.",
    "/usr/local/Cellar/go/", "/usr/local/opt/go/", "/hostedtoolcache/go/", "/snap/go/", "/.gimme/versions/go",
    "/goroot/src/", "C:/Go/src/", "c:/go/src/", "/sdk/go1.", "-go-1.", "/go/src/runtime/" };

// Signal numbers as old releases printed them ("[signal 0xb code=0x1 ...]"), Linux numbering.
struct SignalName {
    int number;
    std::string_view name;
    std::string_view description;
};
constexpr SignalName kSignals[] = { { 1, "SIGHUP", "terminal line hangup" }, { 2, "SIGINT", "interrupt" },
    { 3, "SIGQUIT", "quit" }, { 4, "SIGILL", "illegal instruction" }, { 5, "SIGTRAP", "trace trap" },
    { 6, "SIGABRT", "abort" }, { 7, "SIGBUS", "bus error" }, { 8, "SIGFPE", "floating-point exception" },
    { 9, "SIGKILL", "kill" }, { 10, "SIGUSR1", "user-defined signal 1" }, { 11, "SIGSEGV", "segmentation violation" },
    { 12, "SIGUSR2", "user-defined signal 2" }, { 13, "SIGPIPE", "write to broken pipe" },
    { 14, "SIGALRM", "alarm clock" }, { 15, "SIGTERM", "termination" } };

// A prefix repeated on every line of a paste (indentation, "2024-08-09T01:45:13.2083163Z ",
// "[12:00:01] ", "Mar 12 22:12:09  ", "app-1  | "), as a shape: every run of digits becomes one
// '\x01' that matches any run of digits, so the varying timestamps match one shape.
std::string prefixShape(std::string_view prefix)
{
    std::string shape;
    for (char c : prefix) {
        if (!isDigit(c))
            shape += c;
        else if (shape.empty() || shape.back() != '\x01')
            shape += '\x01';
    }
    return shape;
}

// The length of LINE's prefix that matches SHAPE, or npos. A line that ends where only whitespace
// is left of the shape matches whole (a blank line of a timestamped log, trimmed).
std::size_t matchShape(std::string_view line, std::string_view shape)
{
    std::size_t at = 0;
    for (std::size_t k = 0; k < shape.size(); ++k) {
        if (at == line.size()) {
            for (; k < shape.size(); ++k)
                if (!isSpace(shape[k]))
                    return std::string_view::npos;
            return at;
        }
        if (shape[k] == '\x01') {
            if (!isDigit(line[at]))
                return std::string_view::npos;
            while (at < line.size() && isDigit(line[at]))
                ++at;
        } else if (line[at++] != shape[k]) {
            return std::string_view::npos;
        }
    }
    return at;
}

// What a terminal or a paste leaves before a header on its line: the "^\" echoed for Ctrl-\, the
// remains of a progress spinner, a stray backtick. Short and without letters or digits.
bool looksLikeGarbage(std::string_view text)
{
    // Characters, not bytes: a spinner's "⠋" or a test runner's "•" is three bytes of UTF-8.
    const auto characters =
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; });
    return characters <= 16 && std::none_of(text.begin(), text.end(), isAsciiAlnum);
}

// "Read at 0x00c000014100 by goroutine 8:", "Previous write at 0x... by main goroutine:", "Read by
// goroutine 13:" (old race detectors), "Atomic write at ...": one access of a race report.
bool parseRaceAccess(std::string_view line, std::string& state, long long& id)
{
    if (!line.ends_with(':'))
        return false;
    const bool known = line.starts_with("Read ") || line.starts_with("Write ") || line.starts_with("Previous ")
        || line.starts_with("Atomic ");
    if (!known)
        return false;
    std::string_view who;
    const auto by = line.find(" by ");
    if (by == std::string_view::npos)
        return false;
    who = line.substr(by + 4, line.size() - by - 5);
    if (who == "main goroutine") {
        id = 1;
    } else if (!who.starts_with("goroutine ") || !parseNumber(who.substr(10), id)) {
        return false;
    }
    state = std::string(line.substr(0, by));
    state[0] = static_cast<char>(state[0] - 'A' + 'a');
    return true;
}

// Arguments as the runtime prints them: balanced braces nested at most 5 deep (deeper is "{...}"),
// words that fit in 64 bits ("0x4b2f40", "0xc000010000?", "..."). panicparse rejects the rest too.
bool wellFormedArgs(std::string_view args)
{
    int depth = 0;
    for (std::size_t i = 0; i < args.size();) {
        const char c = args[i];
        if (c == '{' && ++depth > 5)
            return false;
        if (c == '}' && --depth < 0)
            return false;
        if (!isAsciiAlnum(c)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < args.size() && isAsciiAlnum(args[end]))
            ++end;
        const std::string_view word = args.substr(i, end - i);
        std::uint64_t value = 0;
        if (word.starts_with("0x") && !parseHex(word, value))
            return false;
        if (std::all_of(word.begin(), word.end(), isDigit) && !parseNumber(word, value))
            return false;
        i = end;
    }
    return depth == 0;
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
        // Releases before Go 1.3 printed Unix signals by number ("[signal 0xb code=0x1 ...]").
        std::uint64_t number = 0;
        if (out.name.size() <= 4 && parseHex(out.name, number)) {
            for (const auto& known : kSignals) {
                if (static_cast<std::uint64_t>(known.number) == number) {
                    out.name = std::string(known.name);
                    out.description = std::string(known.description);
                }
            }
        }
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

// Where the first header of a traceback starts on LINE (npos when there is none): "panic: ",
// "fatal error: ", "goroutine N [...]:", "SIGQUIT: quit", "WARNING: DATA RACE", "runtime stack:".
std::size_t findHeader(std::string_view line)
{
    std::size_t best = std::string_view::npos;
    for (std::string_view anchor : { "panic: ", "fatal error: ", "WARNING: DATA RACE", "runtime stack:" })
        best = std::min(best, line.find(anchor));
    if (line.ends_with("]:")) {
        for (auto at = line.find("goroutine "); at != std::string_view::npos && at < best;
             at = line.find("goroutine ", at + 1)) {
            GoGoroutine header;
            if (parseGoroutineHeader(line.substr(at), header)) {
                best = at;
                break;
            }
        }
    }
    GoSignalInfo signal;
    for (auto at = line.find("SIG"); at != std::string_view::npos && at < best; at = line.find("SIG", at + 1)) {
        if (parseSignalHeader(line.substr(at), signal)) {
            best = at;
            break;
        }
    }
    return best;
}

// Whether LINE (its prefix removed) can come right after a header: blank, indented (a panic
// value's next line, a nested panic, a frame's position), a call, a goroutine header, a signal
// line, "PC=...", a race access, another header.
bool followsHeader(std::string_view line)
{
    if (line.empty() || isSpace(line.front()))
        return true;
    GoFrame call;
    GoGoroutine goroutine;
    std::string state;
    long long id = 0;
    return line.starts_with("[signal ") || line.starts_with("PC=") || line == "runtime stack:"
        || line.starts_with("panic: ") || line.starts_with("fatal error: ") || parseCall(line, call)
        || parseGoroutineHeader(line, goroutine) || parseRaceAccess(line, state, id);
}

// The first line after TEXT's start that is not blank.
std::string_view nextNonBlankLine(std::string_view text)
{
    while (!text.empty()) {
        const auto newline = text.find('\n');
        const std::string_view line = trimRight(text.substr(0, newline));
        if (!line.empty())
            return line;
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    }
    return {};
}

// A frame of a release before Go 1, on one line: "main.main+0x54 /tmp/x.go:6",
// "runtime.goexit /go/src/pkg/runtime/proc.c:178" (its "\tmain.main()" follows on the next line).
bool parseOneLineFrame(std::string_view line, GoFrame& out)
{
    if (line.empty() || isSpace(line.front()) || line.back() == ')' || line.back() == ':')
        return false;
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0)
        return false;
    std::string_view function = line.substr(0, space);
    if (function.find(' ') != std::string_view::npos)
        return false;
    GoFrame frame;
    if (!parsePosition(line.substr(space + 1), false, frame))
        return false;
    if (const auto plus = function.rfind("+0x"); plus != std::string_view::npos) {
        std::uint64_t offset = 0;
        if (!parseHex(function.substr(plus + 1), offset))
            return false;
        frame.pcOffset = offset;
        function = function.substr(0, plus);
    }
    frame.function = std::string(function);
    out = std::move(frame);
    return true;
}

// Whether the input's unterminated last line is whole: a position line ending in its offset (or
// in pc=0x... after fp= sp=), a goroutine header, "exit status N".
bool lastLineComplete(std::string_view line)
{
    line = trimLeft(line);
    if (line.ends_with("]:") || line.starts_with("exit status "))
        return true;
    const auto offset = line.find(" +0x");
    if (offset == std::string_view::npos || offset + 4 == line.size() || line[offset + 4] == ' ')
        return false;
    if (line.find(" fp=", offset) == std::string_view::npos)
        return line.find(' ', offset + 1) == std::string_view::npos;
    const auto pc = line.rfind(" pc=0x");
    if (pc == std::string_view::npos || pc + 6 == line.size())
        return false;
    return std::all_of(line.begin() + static_cast<std::ptrdiff_t>(pc + 6), line.end(),
        [](char c) { return isDigit(c) || (c >= 'a' && c <= 'f'); });
}

} // namespace

std::string_view GoTraceback::reportName(Report report)
{
    switch (report) {
    case Report::DataRace:
        return "data_race";
    case Report::HttpPanic:
        return "http_panic";
    case Report::None:
        break;
    }
    return "none";
}

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
    // Module paths without a dot ("myservice/internal/store", "tool") are the program's own: the
    // standard library is known by its package list, or by a file under a GOROOT.
    const std::string package = packagePath();
    if (package == "main" || package.empty())
        return false;
    const std::string_view root = std::string_view(package).substr(0, package.find('/'));
    if (root.find('.') != std::string_view::npos)
        return false;
    if (std::binary_search(std::begin(kStandardRoots), std::end(kStandardRoots), root))
        return true;
    return std::any_of(std::begin(kGorootMarks), std::end(kGorootMarks),
        [&](std::string_view mark) { return file.find(mark) != std::string::npos; });
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
    return parse(text, ownModule, Options {});
}

GoTraceback TracebackParser::parse(std::string_view text, std::string_view ownModule, const Options& options)
{
    GoTraceback result;
    // Beyond the cap, the outermost half of the kept frames is a ring: slot innerFrames + (omitted
    // % outerFrames) holds the oldest of them, rotated into order once the input is read.
    const std::size_t innerFrames = options.maxFrames - options.maxFrames / 2;
    const std::size_t outerFrames = options.maxFrames / 2;
    GoFrame discarded; // where the position line of a frame not kept goes
    GoGoroutine* current = nullptr;
    GoFrame* pending = nullptr; // a call line waiting for its position line
    bool inPanicMessage = false; // continuation lines of a multi-line panic value
    bool expectSignalPc = false; // the "PC=0x... m=0 sigcode=0" line after "SIGQUIT: quit"
    int section = 0;
    bool headerSeen = false;
    std::string runtimeLogFragment; // GODEBUG lines interleave across threads (RuntimeLogParser::consume)
    // A prefix on every line of the paste (indentation, a log's timestamp), decided at the first
    // header: stripped from every line that has it; a line without it is someone else's output.
    bool prefixDecided = false;
    std::string prefix;
    bool raceReport = false; // inside a race detector's report: its frames are indented
    std::optional<std::size_t> raceCreated; // "Goroutine N (running) created at:": index of N
    bool raceCreatorSeen = false; // its first frame was taken (the rest of that stack is not kept)
    bool oneLineFrames = false; // a release before Go 1: "function+0xoff file:line" frames
    bool createdByNext = false; // "----- goroutine created by -----" (before Go 1)

    std::size_t lineNumber = 0;
    bool lastLineOpen = false; // the input ended without a newline: its last line may be cut
    std::string_view lastLine;
    auto beginSection = [&] {
        // A second header after goroutines were printed: another thread's dump (GOTRACEBACK=crash).
        if (headerSeen && !result.goroutines.empty() && result.goroutines.back().section >= 0) {
            ++section;
            ++result.repeats;
        }
        headerSeen = true;
        current = nullptr;
        pending = nullptr;
        raceCreated.reset();
    };
    // The frame a call line waits with: malformed when its position does not follow.
    // A crash after a report the program survived (a race report in `go test -race`, a panic
    // net/http logged): the crash is the traceback (section 0); the report's goroutines move to
    // section -1 and `report` still says there was one.
    auto crashAfterReport = [&] {
        if (result.report == GoTraceback::Report::None || result.kind != GoTraceback::Kind::None)
            return;
        for (auto& goroutine : result.goroutines)
            goroutine.section = -1;
        result.panics.clear();
        section = 0;
        result.repeats = 0;
        headerSeen = false;
        current = nullptr;
        pending = nullptr;
        raceReport = false;
    };
    auto pendingBroken = [&] {
        // (The input's cut-off last line is not a broken one: that is `truncated`.)
        if (current && pending != &discarded && !(text.empty() && lastLineOpen))
            current->malformed = true;
        pending = nullptr;
    };

    // One allocation for the goroutines (a vector that doubles holds up to twice their size, and
    // both copies while it moves): count the headers first, a fast scan.
    std::size_t headers = 1;
    for (auto at = text.find("goroutine "); at != std::string_view::npos; at = text.find("goroutine ", at + 10))
        ++headers;
    result.goroutines.reserve(headers);

    while (!text.empty()) {
        const auto newline = text.find('\n');
        lastLineOpen = newline == std::string_view::npos;
        const std::string_view rawLine = text.substr(0, newline);
        lastLine = rawLine;
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++lineNumber;
        std::string_view line = trimRight(rawLine);

        if (!prefix.empty() && !line.empty()) {
            const auto length = matchShape(line, prefix);
            if (length == std::string_view::npos) {
                // Not the paste's prefix: another writer's line, never part of the traceback.
                if (pending)
                    pendingBroken();
                if (options.maxOtherLines == 0 || result.otherLines.size() < options.maxOtherLines)
                    result.otherLines.emplace_back(lineNumber, std::string(line));
                else
                    ++result.otherLinesOmitted;
                continue;
            }
            line = line.substr(length);
        }
        if (const auto http = line.find("http: panic serving "); http != std::string_view::npos) {
            // net/http recovered a handler's panic and logged it with the stack; the program went on.
            const std::string_view rest = line.substr(http + 20);
            if (const auto colon = rest.find(": "); colon != std::string_view::npos) {
                if (!result.goroutines.empty() || result.kind != GoTraceback::Kind::None)
                    beginSection();
                headerSeen = true;
                if (section == 0 && result.kind == GoTraceback::Kind::None
                    && result.report == GoTraceback::Report::None) {
                    result.report = GoTraceback::Report::HttpPanic;
                    result.panics.push_back({ std::string(rest.substr(colon + 2)), true, false });
                }
                inPanicMessage = false;
                continue;
            }
        }
        if (!prefixDecided && !line.empty()) {
            if (const auto header = findHeader(line); header == 0) {
                prefixDecided = true;
            } else if (header != std::string_view::npos) {
                const std::string_view before = line.substr(0, header);
                std::string shape = prefixShape(before);
                const std::string_view next = nextNonBlankLine(text);
                // The paste may start inside the first line's prefix ("3.6367390Z panic: ..." under
                // "2024-10-09T09:16:43.6370024Z ..."): the next line's prefix ends with this one.
                // Only a timestamp (a shape with digits) is looked for inside the next line.
                const std::size_t leads = shape.find('\x01') == std::string::npos ? 1 : 64;
                std::size_t lead = 0;
                std::size_t matched = std::string_view::npos;
                for (; lead < std::min(next.size(), leads) && matched == std::string_view::npos; ++lead)
                    matched = matchShape(next.substr(lead), shape);
                lead = matched == std::string_view::npos ? 0 : lead - 1;
                // ... and what follows it there is what follows a header: "2024/01/01 12:00:00
                // panic: x" in a log is not a header when the next log line says something else.
                if (matched != std::string_view::npos && (lead == 0 || !isDigit(next[lead - 1]) || !isDigit(next[lead]))
                    && followsHeader(next.substr(lead + matched))) {
                    prefix = prefixShape(next.substr(0, lead)) + shape;
                    prefixDecided = true;
                    line = line.substr(header);
                } else if (looksLikeGarbage(before)) {
                    prefixDecided = true;
                    result.otherLines.emplace_back(lineNumber, std::string(before));
                    line = line.substr(header);
                }
            }
        }

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
            pendingBroken(); // cut off or interleaved: keep the frame without a position
        }
        if (line == "WARNING: DATA RACE") {
            // Each report is bracketed by "=================="; a later one counts as a repeat.
            inPanicMessage = false;
            if (!result.goroutines.empty() || result.kind != GoTraceback::Kind::None)
                beginSection();
            headerSeen = true;
            current = nullptr;
            if (section == 0 && result.kind == GoTraceback::Kind::None)
                result.report = GoTraceback::Report::DataRace;
            raceReport = true;
            continue;
        }
        if (raceReport) {
            std::string state;
            long long id = -1;
            if (parseRaceAccess(line, state, id)) {
                GoGoroutine access;
                access.id = id;
                access.state = std::move(state);
                access.section = section;
                result.goroutines.push_back(std::move(access));
                current = &result.goroutines.back();
                raceCreated.reset();
                continue;
            }
            // "Goroutine 8 (running) created at:" / "(finished)": the creator of an access's goroutine.
            if (line.starts_with("Goroutine ") && line.ends_with(" created at:")) {
                const std::string_view rest = line.substr(10);
                if (parseNumber(rest.substr(0, rest.find(' ')), id)) {
                    current = nullptr;
                    raceCreated.reset();
                    raceCreatorSeen = false;
                    for (std::size_t i = result.goroutines.size(); i-- > 0 && result.goroutines[i].section == section;)
                        if (result.goroutines[i].id == id && !result.goroutines[i].createdBy)
                            raceCreated = i;
                    continue;
                }
            }
            if (line == "==================" || trimLeft(line) == "[failed to restore the stack]"
                || (line.starts_with("Found ") && line.ends_with(" data race(s)"))) {
                if (line == "==================")
                    current = nullptr;
                continue;
            }
            GoFrame frame;
            if (raceCreated && parseCall(trimLeft(line), frame)) {
                GoGoroutine& created = result.goroutines[*raceCreated];
                if (!raceCreatorSeen) {
                    created.createdBy = std::move(frame);
                    pending = &*created.createdBy;
                    raceCreatorSeen = true;
                } else {
                    pending = &discarded;
                }
                continue;
            }
            if (current && isSpace(line.front()))
                line = trimLeft(line); // "  main.f()" under an access
        }
        if (GoGoroutine header; line.starts_with("goroutine ") && parseGoroutineHeader(line, header)) {
            inPanicMessage = false;
            raceReport = false;
            createdByNext = false;
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
        if (line.starts_with("panic PC=0x") || line == "----- goroutine created by -----") {
            // Before Go 1: the panicking goroutine's frames follow without a goroutine header.
            oneLineFrames = true;
            if (line.starts_with("panic PC=")) {
                GoGoroutine implicit;
                implicit.id = 0; // not printed by those releases
                implicit.state = "running";
                implicit.section = section;
                result.goroutines.push_back(std::move(implicit));
                current = &result.goroutines.back();
            } else {
                createdByNext = current != nullptr;
            }
            continue;
        }
        if (line.starts_with("panic: ")) {
            crashAfterReport();
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
            crashAfterReport();
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
            crashAfterReport();
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
            if (current->frames.empty() && !current->createdBy && isSpace(line.front())) {
                // A position where the first function was due: not the runtime's order.
                if (GoFrame position; parsePosition(line, true, position)) {
                    current->malformed = true;
                    continue;
                }
            }
            GoFrame frame;
            if (oneLineFrames) {
                if (parseOneLineFrame(line, frame)) {
                    if (createdByNext) {
                        current->createdBy = std::move(frame);
                        createdByNext = false;
                    } else {
                        current->frames.push_back(std::move(frame));
                    }
                    continue;
                }
                // "\tmain.main()": the arguments of the frame just read.
                if (isSpace(line.front()) && !current->frames.empty() && parseCall(trimLeft(line), frame)
                    && frame.function == current->frames.back().function) {
                    current->frames.back().args = std::move(frame.args);
                    continue;
                }
            }
            if (parseCall(line, frame)) {
                if (!wellFormedArgs(frame.args))
                    current->malformed = true;
                auto& frames = current->frames;
                if (options.maxFrames == 0 || frames.size() < options.maxFrames) {
                    frames.push_back(std::move(frame));
                    pending = &frames.back();
                } else if (outerFrames == 0) {
                    ++current->framesOmitted;
                    pending = &discarded;
                } else {
                    GoFrame& slot = frames[innerFrames + current->framesOmitted % outerFrames];
                    slot = std::move(frame);
                    ++current->framesOmitted;
                    pending = &slot;
                }
                continue;
            }
        }
        if (inPanicMessage && !result.panics.empty()) {
            result.panics.back().message += '\n';
            result.panics.back().message.append(line); // without the paste's prefix, indentation kept
            continue;
        }
        if (options.maxOtherLines == 0 || result.otherLines.size() < options.maxOtherLines)
            result.otherLines.emplace_back(lineNumber, std::string(line));
        else
            ++result.otherLinesOmitted;
    }
    result.lines = lineNumber;
    for (auto& goroutine : result.goroutines) {
        if (goroutine.framesOmitted > 0 && outerFrames > 0) {
            const auto tail = goroutine.frames.begin() + static_cast<std::ptrdiff_t>(innerFrames);
            std::rotate(tail, tail + static_cast<std::ptrdiff_t>(goroutine.framesOmitted % outerFrames),
                goroutine.frames.end());
        }
    }

    // The input ended inside a goroutine: its last frame had no position line, or the input
    // stopped mid-line (a paste without its last newline is whole when its last line is).
    if ((pending || (lastLineOpen && !lastLineComplete(lastLine))) && current) {
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
        if (result.report == GoTraceback::Report::HttpPanic && !result.panics.empty()) {
            result.reason = result.panics.front().message;
        } else if (result.report == GoTraceback::Report::DataRace) {
            // The two conflicting accesses: "read at 0x... by goroutine 8; previous write at ... by goroutine 7".
            std::string accesses;
            int count = 0;
            for (const auto& goroutine : result.goroutines) {
                if (goroutine.section != 0 || count == 2)
                    continue;
                accesses += count++ ? "; " : "";
                accesses += goroutine.state + " by goroutine " + std::to_string(goroutine.id);
            }
            result.reason = "data race: " + accesses;
        }
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

    // Buckets: one hash look-up per goroutine, keyed by state and frame positions (and arguments
    // when not aggressive). The map holds hashes, not keys: equal hashes are confirmed by comparing
    // the stacks, so the memory is a word per stack, not a copy of it.
    auto sameStack = [&](const GoGoroutine& a, const GoGoroutine& b) {
        if (a.state != b.state || a.framesOmitted != b.framesOmitted || a.frames.size() != b.frames.size()
            || a.createdBy.has_value() != b.createdBy.has_value())
            return false;
        for (std::size_t i = 0; i < a.frames.size(); ++i) {
            const GoFrame& x = a.frames[i];
            const GoFrame& y = b.frames[i];
            if (x.function != y.function || x.file != y.file || x.line != y.line
                || (!options.aggressive && x.args != y.args))
                return false;
        }
        return !a.createdBy
            || (a.createdBy->function == b.createdBy->function && a.createdBy->line == b.createdBy->line);
    };
    std::unordered_multimap<std::size_t, std::size_t> bucketsByHash; // hash -> bucket
    result.buckets.reserve(headers); // no doubling: at most one bucket per goroutine
    std::string key;
    for (std::size_t index = 0; index < result.goroutines.size(); ++index) {
        const GoGoroutine& goroutine = result.goroutines[index];
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
            if (!options.aggressive) {
                key += '(';
                key += frame.args;
            }
        }
        if (goroutine.framesOmitted > 0)
            key += "\n+" + std::to_string(goroutine.framesOmitted);
        if (goroutine.createdBy) {
            key += "\ncreated by ";
            key += goroutine.createdBy->function;
            key += ':';
            key += std::to_string(goroutine.createdBy->line);
        }
        const std::size_t hash = std::hash<std::string> {}(key);
        std::optional<std::size_t> bucket;
        for (auto [it, end] = bucketsByHash.equal_range(hash); it != end && !bucket; ++it)
            if (sameStack(result.goroutines[result.buckets[it->second].goroutine], goroutine))
                bucket = it->second;
        if (!bucket) {
            bucket = result.buckets.size();
            bucketsByHash.emplace(hash, *bucket);
            result.buckets.push_back({ goroutine.state, {}, goroutine.createdBy, {}, goroutine.framesOmitted, index });
        }
        result.buckets[*bucket].ids.push_back(goroutine.id);
    }
    // Largest first, in order of appearance among equals (sorted in place: no second copy). The
    // frames are copied into the largest buckets only (a traceback of a million different stacks
    // keeps one copy of each, in its goroutine).
    bucketsByHash = {}; // (the reserved but unused buckets were never touched: no memory)
    std::sort(result.buckets.begin(), result.buckets.end(), [](const GoStackBucket& a, const GoStackBucket& b) {
        return a.ids.size() != b.ids.size() ? a.ids.size() > b.ids.size() : a.goroutine < b.goroutine;
    });
    for (std::size_t rank = 0; rank < result.buckets.size(); ++rank)
        if (options.maxBucketFrames == 0 || rank < options.maxBucketFrames)
            result.buckets[rank].frames = result.goroutines[result.buckets[rank].goroutine].frames;
    return result;
}

} // namespace exitlens
