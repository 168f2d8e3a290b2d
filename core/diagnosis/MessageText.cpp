#include "MessageText.h"

#include <algorithm>
#include <cctype>

namespace exitlens {

namespace {
bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isUpperIdent(char c)
{
    return (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_';
}

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view trimLeft(std::string_view text)
{
    const std::size_t first = text.find_first_not_of(" \t");
    return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

// Digits at AT as a number, and how many there were (0 when none).
std::size_t digitsAt(std::string_view text, std::size_t at, int& value)
{
    std::size_t end = at;
    value = 0;
    while (end < text.size() && isDigit(text[end]) && end - at < 9)
        value = value * 10 + (text[end++] - '0');
    return end - at;
}

// Names something concrete: a path, a number, a quoted value, an assignment.
bool concrete(std::string_view line)
{
    return line.find_first_of("/\"'`=0123456789") != std::string_view::npos;
}

std::string cut(std::string line)
{
    if (line.size() <= MessageText::kMaxQuote)
        return line;
    std::size_t end = MessageText::kMaxQuote;
    while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80)
        --end; // not inside a UTF-8 sequence
    return line.substr(0, end) + "…";
}
} // namespace

std::string MessageText::lower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

bool MessageText::containsAny(std::string_view text, const std::vector<std::string_view>& needles)
{
    const std::string folded = lower(text);
    return std::any_of(needles.begin(), needles.end(),
        [&](std::string_view needle) { return folded.find(needle) != std::string::npos; });
}

std::string_view MessageText::token(std::string_view text, std::size_t at, std::string_view stop)
{
    if (at > text.size())
        return {};
    const std::size_t end = text.find_first_of(stop, at);
    return text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

bool MessageText::isBoilerplate(std::string_view line)
{
    const std::string_view trimmed = trimLeft(line);
    if (trimmed.empty())
        return true;
    // A traceback: frames ("\t/src/app/main.go:12 +0x1c5"), their functions ("main.main()"),
    // goroutine headers, "created by", the fault line; Go's flag descriptions are tab-indented too.
    if (line.front() == '\t'
        || (trimmed.find(".go:") != std::string_view::npos && trimmed.find("+0x") != std::string_view::npos))
        return true;
    if (startsWith(trimmed, "goroutine ") && trimmed.find(" [") != std::string_view::npos)
        return true;
    if (trimmed.back() == ')') {
        const std::size_t paren = trimmed.find('(');
        const std::string_view callee = trimmed.substr(0, paren);
        if (paren != std::string_view::npos && callee.find(' ') == std::string_view::npos
            && callee.find('.') != std::string_view::npos)
            return true; // "main.loadSettings(...)"
    }
    if (startsWith(trimmed, "created by ") || startsWith(trimmed, "[signal "))
        return true;
    // Usage and help text, flag lists, pointers to the help, bug trackers.
    if (trimmed.front() == '-' && trimmed.size() < line.size())
        return true;
    const std::string folded = lower(trimmed);
    static const std::vector<std::string_view> help = { "usage:", "usage of ",
        "flags:", "options:", "available commands", "global flags", "--help", "-h for help", "for more information",
        "report bugs", "report this", "file a bug", "please report", "bug report", "/issues", "report unexpected" };
    if (folded.find("report") != std::string::npos && folded.find("http") != std::string::npos)
        return true; // "report unexpected errors at https://..."
    return startsWith(folded, "usage") || containsAny(folded, help);
}

bool MessageText::soundsLikeFailure(std::string_view line)
{
    static const std::vector<std::string_view> words = { "error", "fail", "cannot", "can't", "could not", "couldn't",
        "unable", "invalid", "not found", "no such", "denied", "refused", "not allowed", "not permitted", "not set",
        "missing", "must ", "rejected", "fatal", "panic:", "unknown", "unexpected", "expired", "timeout", "timed out",
        "not defined", "illegal", "unsupported", "exceeded", "too many", "out of ", "no space", "not a ",
        "is a directory", "exists", "corrupt", "malformed", "mismatch", "wrong", "bad ", "none" };
    return containsAny(line, words);
}

bool MessageText::paraphrasesFailure(std::string_view line)
{
    static const std::vector<std::string_view> words = { "could not", "couldn't", "cannot", "can't", "failed",
        "unable to", "failure", "error initializing", "error initialising", "error opening", "error loading",
        "error reading", "error writing", "error creating" };
    return containsAny(line, words);
}

bool MessageText::rejectsInput(std::string_view text)
{
    static const std::vector<std::string_view> words = { "invalid", "parse", "parsing", "syntax", "unexpected",
        "unknown field", "unknown key", "cannot unmarshal", "unmarshal", "malformed", "bad value", "must be",
        "expected", "not allowed", "out of range", "not a valid", "unrecognized", "unrecognised" };
    return containsAny(text, words);
}

bool MessageText::rejectsArguments(std::string_view text)
{
    static const std::vector<std::string_view> words = { "flag provided but not defined", "usage of ",
        "usage: ", "unknown command", "unknown flag", "unknown option", "invalid argument", "invalid option",
        "required flag" };
    // "invalid value" is a command-line complaint only with a flag or option ("invalid value "x"
    // for flag -i"): a configuration file has invalid values too.
    const std::string folded = lower(text);
    const std::size_t invalidValue = folded.find("invalid value");
    if (invalidValue != std::string::npos) {
        const std::size_t lineEnd = folded.find('\n', invalidValue);
        const std::string_view line = std::string_view(folded).substr(invalidValue, lineEnd - invalidValue);
        if (line.find("flag") != std::string_view::npos || line.find("option") != std::string_view::npos)
            return true;
    }
    return containsAny(folded, words);
}

std::string MessageText::reasonLine(const std::vector<std::string>& lines)
{
    int bestScore = -1;
    const std::string* best = nullptr;
    bool inUsage = false;
    for (const auto& line : lines) {
        // After a "usage:" header comes help text ("If no arguments are given, ..."): only an
        // explicit error line there can be the reason.
        const std::string folded = lower(trimLeft(line));
        if (startsWith(folded, "usage"))
            inUsage = true;
        if (isBoilerplate(line))
            continue;
        if (inUsage && !startsWith(folded, "error") && !startsWith(folded, "fatal")
            && folded.find(": error") == std::string::npos)
            continue;
        const int score = (soundsLikeFailure(line) ? 2 : 0) + (concrete(line) ? 1 : 0);
        if (score >= bestScore) {
            bestScore = score;
            best = &line;
        }
    }
    if (!best && !lines.empty())
        best = &lines.back();
    return best ? cut(*best) : std::string();
}

int MessageText::lineFor(std::string_view message, std::string_view fileName, bool anyLine)
{
    const std::string text = lower(message);
    int value = 0;
    if (!fileName.empty()) {
        const std::string name = lower(fileName);
        for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
            std::size_t after = at + name.size();
            // "name:12" or "name:12:5" (a column), never "name:" followed by anything else.
            if (after < text.size() && text[after] == ':' && digitsAt(text, after + 1, value) > 0)
                return value;
            // "name line 12", "name, line 12", "name at line 12"
            for (std::string_view joint : { " line ", ", line ", " at line ", ": line " }) {
                if (text.compare(after, joint.size(), joint) == 0 && digitsAt(text, after + joint.size(), value) > 0)
                    return value;
            }
        }
    }
    if (anyLine) {
        for (std::size_t at = text.find("line "); at != std::string::npos; at = text.find("line ", at + 1)) {
            const bool wordStart = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
            if (wordStart && digitsAt(text, at + 5, value) > 0)
                return value;
        }
    }
    return 0;
}

std::string MessageText::missingVariable(std::string_view line)
{
    static const std::vector<std::string_view> missingAfter = { " is not set", " not set", " is empty", " is required",
        " must be set", " is missing", " is undefined", " is unset", " unset", " not defined", " is not defined",
        " was not set", " has not been set" };
    static const std::vector<std::string_view> missingBefore = { "missing environment variable ",
        "environment variable ", "missing env var ", "env var ", "missing ", "please set ", "must set ",
        "you must set ", "set the " };
    const std::string folded = lower(line);
    const bool speaksOfEnvironment =
        folded.find("environment") != std::string::npos || folded.find("env ") != std::string::npos;
    for (std::size_t at = 0; at < line.size();) {
        if (!(line[at] >= 'A' && line[at] <= 'Z')
            || (at > 0 && (isUpperIdent(line[at - 1]) || std::isalnum(static_cast<unsigned char>(line[at - 1]))))) {
            ++at;
            continue;
        }
        std::size_t end = at;
        while (end < line.size() && isUpperIdent(line[end]))
            ++end;
        const std::string_view name = line.substr(at, end - at);
        const bool identifierEnds = end == line.size() || !std::isalnum(static_cast<unsigned char>(line[end]));
        const bool looksLikeVariable = identifierEnds && name.size() >= 2
            && (name.find('_') != std::string_view::npos || (speaksOfEnvironment && name.size() >= 3));
        if (looksLikeVariable) {
            std::string_view rest = std::string_view(folded).substr(end);
            while (!rest.empty() && (rest.front() == '"' || rest.front() == '\'' || rest.front() == '`'))
                rest.remove_prefix(1);
            for (std::string_view filler : { " environment variable", " env var", " variable" }) {
                if (startsWith(rest, filler))
                    rest.remove_prefix(filler.size());
            }
            std::string_view before = std::string_view(folded).substr(0, at);
            while (!before.empty()
                && (before.back() == '"' || before.back() == '\'' || before.back() == '`' || before.back() == '$'))
                before.remove_suffix(1);
            const bool after = std::any_of(missingAfter.begin(), missingAfter.end(),
                [&](std::string_view phrase) { return startsWith(rest, phrase); });
            const bool ahead = std::any_of(missingBefore.begin(), missingBefore.end(),
                [&](std::string_view phrase) { return endsWith(before, phrase); });
            if (after || ahead)
                return std::string(name);
        }
        at = end;
    }
    return {};
}

std::optional<std::string> MessageText::withoutLogPrefix(std::string_view line)
{
    // 2006/01/02 15:04:05[.000000] message
    static constexpr std::string_view shape = "dddd/dd/dd dd:dd:dd";
    if (line.size() <= shape.size())
        return std::nullopt;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 'd' ? !isDigit(line[i]) : line[i] != shape[i])
            return std::nullopt;
    }
    std::size_t at = shape.size();
    if (line[at] == '.') {
        int ignored = 0;
        const std::size_t count = digitsAt(line, at + 1, ignored);
        if (count == 0)
            return std::nullopt;
        at += 1 + count;
        while (at < line.size() && isDigit(line[at]))
            ++at;
    }
    if (at >= line.size() || line[at] != ' ')
        return std::nullopt;
    return std::string(line.substr(at + 1));
}

} // namespace exitlens
