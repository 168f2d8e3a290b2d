#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// Reading what a program said, for the verdict rules: which line is its reason, which line of
// which file it blames, which environment variable it misses. Plain string scanning, linear in
// the text (no std::regex: its recursive matcher overflows the stack on a 100 kB token).
class MessageText {
public:
    // Of the lines a program printed, the one that carries its reason: an error line (error,
    // failed, cannot, invalid, not found, denied, ...) that names something concrete (a path, a
    // number, a quoted value) beats a generic one ("one or more errors occurred"); tracebacks,
    // goroutine headers, usage text, flag lists and bug-tracker boilerplate are never the reason.
    // Among equals the last wins. Cut to kMaxQuote bytes. Empty when there are no lines.
    static std::string reasonLine(const std::vector<std::string>& lines);
    static constexpr std::size_t kMaxQuote = 400;

    // Is this line boilerplate rather than a reason (usage/help text, traceback, goroutine header)?
    static bool isBoilerplate(std::string_view line);
    // Does the line speak of a failure (error, failed, cannot, invalid, ...)?
    static bool soundsLikeFailure(std::string_view line);
    // Does the line paraphrase a failed operation without naming it ("could not initialise storage")?
    static bool paraphrasesFailure(std::string_view line);
    // Does the line reject input (parse, syntax, invalid, unexpected, expected, must be, ...)?
    static bool rejectsInput(std::string_view text);
    // Does the text reject the command line (flag errors, usage)?
    static bool rejectsArguments(std::string_view text);

    // The line number the message attaches to FILE_NAME ("name:12", "name:12:5", "name line 12",
    // "name, line 12", or a "line 12" in a message about that file when ANY_LINE); never a
    // timestamp ("23:53:32") or a column. 0 when none.
    static int lineFor(std::string_view message, std::string_view fileName, bool anyLine);

    // An UPPER_SNAKE environment variable the line says is missing, empty or required
    // ("DATABASE_URL is not set", "missing environment variable API_TOKEN"); empty when none.
    static std::string missingVariable(std::string_view line);

    // "2006/01/02 15:04:05 msg" (the log package's default prefix, with optional .micro) -> "msg";
    // nullopt when the line has no such prefix.
    static std::optional<std::string> withoutLogPrefix(std::string_view line);

    // Case-insensitive: does TEXT contain any of NEEDLES (given in lower case)?
    static bool containsAny(std::string_view text, const std::vector<std::string_view>& needles);
    static std::string lower(std::string_view text);
    // The text after PREFIX at AT up to the first of STOP (or the end), and where it ended.
    static std::string_view token(std::string_view text, std::size_t at, std::string_view stop);
};

} // namespace exitlens
