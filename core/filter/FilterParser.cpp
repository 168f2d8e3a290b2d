#include "FilterParser.h"

#include "Event.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <re2/re2.h>
#include <vector>

namespace exitlens {

namespace {
struct Token {
    enum class Type { Word, String, Compare, LParen, RParen, Comma, End, Bad };
    Type type = Type::End;
    std::string text;
    std::size_t position = 0;
    std::size_t length = 0;
};

bool isWordChar(char c)
{
    return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != ',' && c != '"' && c != '\''
        && c != '=' && c != '!' && c != '<' && c != '>' && c != '&' && c != '|';
}

std::vector<Token> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        Token token;
        token.position = i;
        if (c == '(' || c == ')' || c == ',') {
            token.type = c == '(' ? Token::Type::LParen : c == ')' ? Token::Type::RParen : Token::Type::Comma;
            token.text = std::string(1, c);
            ++i;
        } else if (c == '"' || c == '\'') {
            // Quoted string; an unterminated one is "still typing". A backslash escapes only a
            // quote or a backslash, and stays as typed before anything else, so a regular
            // expression reads the same quoted or bare: '\.json$' is the pattern \.json$.
            token.type = Token::Type::String;
            std::size_t j = i + 1;
            bool closed = false;
            while (j < text.size()) {
                if (text[j] == '\\' && j + 1 < text.size()) {
                    const char escaped = text[j + 1];
                    if (escaped != '"' && escaped != '\'' && escaped != '\\')
                        token.text += '\\';
                    token.text += escaped;
                    j += 2;
                    continue;
                }
                if (text[j] == c) {
                    closed = true;
                    ++j;
                    break;
                }
                token.text += text[j++];
            }
            if (!closed)
                token.type = Token::Type::Bad;
            i = j;
        } else if (c == '=' || c == '!' || c == '<' || c == '>' || c == '&' || c == '|') {
            std::size_t j = i + 1;
            if (j < text.size() && (text[j] == '=' || (c == '&' && text[j] == '&') || (c == '|' && text[j] == '|')))
                ++j;
            token.text = std::string(text.substr(i, j - i));
            token.type = Token::Type::Compare;
            if (token.text == "&&" || token.text == "||" || token.text == "!")
                token.type = Token::Type::Word; // logical operators are handled like the keywords
            i = j;
        } else {
            std::size_t j = i;
            while (j < text.size() && isWordChar(text[j]))
                ++j;
            token.type = Token::Type::Word;
            token.text = std::string(text.substr(i, j - i));
            i = j;
        }
        token.length = i - token.position;
        tokens.push_back(std::move(token));
    }
    Token end;
    end.type = Token::Type::End;
    end.position = text.size();
    tokens.push_back(end);
    return tokens;
}

std::string lower(std::string text)
{
    std::transform(
        text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "5ms" -> 5e6 (ns); "1.5s" -> 1.5e9; "42" -> 42 (unitless: the field's own unit).
std::optional<double> parseNumber(const std::string& text, bool duration)
{
    double value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin)
        return std::nullopt;
    const std::string unit(ptr, end);
    if (unit.empty())
        return duration ? value * 1e9 : value; // durations and times default to seconds
    if (!duration)
        return std::nullopt;
    if (unit == "ns")
        return value;
    if (unit == "us" || unit == "µs")
        return value * 1e3;
    if (unit == "ms")
        return value * 1e6;
    if (unit == "s")
        return value * 1e9;
    if (unit == "m" || unit == "min")
        return value * 60e9;
    return std::nullopt;
}

// `matches` patterns are RE2's syntax (docs/filters.md): matching takes time linear in the text
// whatever the pattern, so `(a+)+$` over a long path cannot hang a scan or the tracer thread.
std::shared_ptr<const re2::RE2> compileRegex(const std::string& pattern)
{
    re2::RE2::Options options;
    options.set_case_sensitive(false); // like every text comparison of the language
    options.set_log_errors(false); // the error goes to the user, not to stderr
    return std::make_shared<const re2::RE2>(pattern, options);
}

// RE2 refuses back-references and lookaround outright: say that they are not supported, rather
// than RE2's own "invalid escape sequence: \1", which reads like a typo.
std::string regexError(const re2::RE2& regex)
{
    const std::string& argument = regex.error_arg();
    std::string message = "invalid regular expression: ";
    const bool backReference = regex.error_code() == re2::RE2::ErrorBadEscape && argument.size() >= 2
        && (std::isdigit(static_cast<unsigned char>(argument[1])) != 0 || argument[1] == 'k');
    // RE2 names only the start of a lookbehind ("(?<"), so the pattern itself is searched for the
    // opener of the first lookaround that is not an escaped parenthesis.
    const std::string& pattern = regex.pattern();
    std::string_view lookaround;
    for (std::size_t i = 0; i < pattern.size() && lookaround.empty(); ++i) {
        if (pattern[i] == '\\') {
            ++i;
            continue;
        }
        for (const std::string_view opener : { "(?<=", "(?<!", "(?=", "(?!" }) {
            if (lookaround.empty() && std::string_view(pattern).substr(i).starts_with(opener))
                lookaround = opener;
        }
    }
    if (backReference)
        message += "back-references (" + argument + ") are not supported";
    else if (!lookaround.empty())
        message += "lookaround (" + std::string(lookaround) + "...) is not supported";
    else
        return message + regex.error();
    return message + " (RE2 syntax: see docs/filters.md)";
}

class Parser {
public:
    explicit Parser(std::string_view text)
        : m_tokens(tokenize(text))
    {
    }

    FilterParseResult run()
    {
        FilterParseResult result;
        if (m_tokens.size() == 1) {
            result.state = FilterParseResult::State::Empty;
            return result;
        }
        auto root = parseOr();
        if (root && peek().type != Token::Type::End)
            fail(peek(),
                peek().type == Token::Type::RParen ? "unbalanced ')'"
                                                   : "expected 'and', 'or' or the end, found '" + peek().text + "'");
        if (m_failed) {
            result.state = m_incomplete ? FilterParseResult::State::Incomplete : FilterParseResult::State::Invalid;
            result.error = m_error;
            result.errorPosition = m_errorPosition;
            result.errorLength = m_errorLength;
            return result;
        }
        result.state = FilterParseResult::State::Valid;
        result.root = std::move(root);
        return result;
    }

private:
    const Token& peek() const { return m_tokens[m_index]; }
    const Token& next() { return m_tokens[std::min(m_index++, m_tokens.size() - 1)]; }
    bool isKeyword(const Token& token, std::initializer_list<const char*> words) const
    {
        if (token.type != Token::Type::Word)
            return false;
        const std::string text = lower(token.text);
        return std::any_of(words.begin(), words.end(), [&](const char* word) { return text == word; });
    }

    std::nullptr_t fail(const Token& token, const std::string& message, bool incomplete = false)
    {
        if (!m_failed) {
            m_failed = true;
            m_incomplete = incomplete || token.type == Token::Type::End;
            m_error = message;
            m_errorPosition = token.position;
            m_errorLength = token.length;
        }
        return nullptr;
    }

    std::unique_ptr<FilterNode> parseOr()
    {
        return parseChain(FilterNode::Type::Or, { "or", "||" }, [this] { return parseAnd(); });
    }

    std::unique_ptr<FilterNode> parseAnd()
    {
        return parseChain(FilterNode::Type::And, { "and", "&&" }, [this] { return parseUnary(); });
    }

    // `a and b and c` is one node with three children, not a chain of two-child nodes: a long
    // expression (thousands of alternatives) then stays shallow, so compiling, evaluating and
    // destroying it never recurse deeper than its parentheses and `not`s do.
    template<typename Operand>
    std::unique_ptr<FilterNode> parseChain(
        FilterNode::Type type, std::initializer_list<const char*> keywords, const Operand& operand)
    {
        auto first = operand();
        if (!first || !isKeyword(peek(), keywords))
            return first;
        auto node = std::make_unique<FilterNode>();
        node->type = type;
        node->children.push_back(std::move(first));
        while (isKeyword(peek(), keywords)) {
            next();
            auto right = operand();
            if (!right)
                return nullptr;
            node->children.push_back(std::move(right));
        }
        return node;
    }

    // One level of `not` or `(`, counted for as long as its operand is being parsed.
    struct Nesting {
        explicit Nesting(std::size_t& counter)
            : depth(++counter)
        {
        }
        ~Nesting() { --depth; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;
        std::size_t& depth;
    };

    std::unique_ptr<FilterNode> parseUnary()
    {
        const Token& token = peek();
        const bool negation = isKeyword(token, { "not", "!" });
        if (!negation && token.type != Token::Type::LParen)
            return parseComparison();
        // Each level recurses here; an expression nested deeper than anyone writes by hand
        // (`!!!!...` or `((((...` thousands of times) is refused before it can exhaust the stack.
        const Nesting level(m_depth);
        if (m_depth > FilterParser::kMaxNesting)
            return fail(token,
                "nested too deeply: more than " + std::to_string(FilterParser::kMaxNesting)
                    + " levels of parentheses and 'not'");
        if (negation) {
            next();
            auto operand = parseUnary();
            if (!operand)
                return nullptr;
            auto node = std::make_unique<FilterNode>();
            node->type = FilterNode::Type::Not;
            node->children.push_back(std::move(operand));
            return node;
        }
        next();
        auto inner = parseOr();
        if (!inner)
            return nullptr;
        if (peek().type != Token::Type::RParen)
            return fail(peek(), "missing ')'");
        next();
        return inner;
    }

    std::optional<FilterFieldInfo> field(const Token& token)
    {
        const std::string name = lower(token.text);
        for (const auto& info : filterFields()) {
            if (name == info.name)
                return info;
        }
        return std::nullopt;
    }

    std::unique_ptr<FilterNode> unknownField(const Token& token)
    {
        const std::string name = lower(token.text);
        std::string best;
        std::size_t bestDistance = 3;
        bool prefix = false;
        for (const auto& info : filterFields()) {
            const std::string candidate = info.name;
            prefix = prefix || candidate.rfind(name, 0) == 0;
            const std::size_t distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        // Still typing a field name at the end of the text: not an error yet.
        const bool atEnd = m_tokens[m_index + 1].type == Token::Type::End;
        std::string message = "unknown field '" + token.text + "'";
        if (!best.empty())
            message += " — did you mean '" + best + "'?";
        return fail(token, message, prefix && atEnd);
    }

    std::unique_ptr<FilterNode> parseComparison()
    {
        const Token& name = peek();
        if (name.type == Token::Type::End)
            return fail(name, "expected a field name");
        if (name.type != Token::Type::Word)
            return fail(name, "expected a field name, found '" + name.text + "'", name.type == Token::Type::Bad);
        const auto info = field(name);
        if (!info)
            return unknownField(name);
        next();
        auto node = std::make_unique<FilterNode>();
        node->field = info->field;

        const Token& opToken = peek();
        const std::string op = lower(opToken.text);
        static const std::pair<const char*, FilterOp> kOps[] = {
            { "==", FilterOp::Equal },
            { "=", FilterOp::Equal },
            { "!=", FilterOp::NotEqual },
            { "<", FilterOp::Less },
            { "<=", FilterOp::LessEqual },
            { ">", FilterOp::Greater },
            { ">=", FilterOp::GreaterEqual },
            { "contains", FilterOp::Contains },
            { "startswith", FilterOp::StartsWith },
            { "endswith", FilterOp::EndsWith },
            { "matches", FilterOp::Matches },
            { "in", FilterOp::In },
        };
        std::optional<FilterOp> found;
        for (const auto& [text, value] : kOps) {
            if (op == text && (opToken.type == Token::Type::Compare || opToken.type == Token::Type::Word))
                found = value;
        }
        if (!found) {
            const bool boolean = info->field == FilterField::Ok || info->field == FilterField::Failed
                || info->field == FilterField::Noise;
            if (boolean) {
                node->op = FilterOp::IsTrue;
                return node;
            }
            if (opToken.type == Token::Type::End)
                return fail(opToken, "expected an operator after '" + name.text + "'");
            return fail(opToken,
                "expected an operator (== != < <= > >= contains startswith endswith matches in) after '" + name.text
                    + "', found '" + opToken.text + "'");
        }
        next();
        node->op = *found;
        if (node->op == FilterOp::In) {
            if (peek().type != Token::Type::LParen)
                return fail(peek(), "expected '(' and a list of values after 'in'");
            next();
            for (;;) {
                if (!value(*node, *info))
                    return nullptr;
                if (peek().type == Token::Type::Comma) {
                    next();
                    continue;
                }
                if (peek().type == Token::Type::RParen) {
                    next();
                    break;
                }
                return fail(peek(), "expected ',' or ')' in the list");
            }
            return node;
        }
        if (!value(*node, *info))
            return nullptr;
        return node;
    }

    bool value(FilterNode& node, const FilterFieldInfo& info)
    {
        const Token& token = peek();
        if (token.type == Token::Type::End) {
            fail(token, "expected a value");
            return false;
        }
        if (token.type == Token::Type::Bad) {
            fail(token, "unterminated string", true);
            return false;
        }
        if (token.type != Token::Type::Word && token.type != Token::Type::String) {
            fail(token, "expected a value, found '" + token.text + "'");
            return false;
        }
        next();
        std::string text = token.text;
        const bool numericOp = node.op == FilterOp::Less || node.op == FilterOp::LessEqual
            || node.op == FilterOp::Greater || node.op == FilterOp::GreaterEqual;
        if (info.numeric) {
            const bool duration = info.field == FilterField::Duration || info.field == FilterField::Time;
            const auto number = parseNumber(text, duration);
            if (!number && node.op != FilterOp::Contains && node.op != FilterOp::Matches) {
                fail(token, "'" + text + "' is not a " + (duration ? "duration (like 5ms or 1.5s)" : "number"));
                return false;
            }
            node.numbers.push_back(number.value_or(NAN));
        } else if (numericOp) {
            fail(token,
                std::string("'") + info.name
                    + "' is text: compare it with == != contains startswith endswith matches in");
            return false;
        }
        if (info.field == FilterField::Class) {
            EventClass cls {};
            if (!eventClassFromName(lower(text), cls)) {
                fail(token,
                    "unknown class '" + text + "' (process, thread, file, network, signal, memory, output, runtime)");
                return false;
            }
            text = lower(text);
        }
        if (node.op == FilterOp::Matches) {
            auto regex = compileRegex(text);
            if (!regex->ok()) {
                fail(token, regexError(*regex));
                return false;
            }
            node.regex = std::move(regex);
        }
        node.values.push_back(std::move(text));
        return true;
    }

    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
    std::size_t m_depth = 0; // levels of `not` and `(` open at the token being parsed
    bool m_failed = false;
    bool m_incomplete = false;
    std::string m_error;
    std::size_t m_errorPosition = 0;
    std::size_t m_errorLength = 0;
};
} // namespace

const std::vector<FilterFieldInfo>& filterFields()
{
    static const std::vector<FilterFieldInfo> fields = {
        { FilterField::Seq, "seq", true, "event sequence number" },
        { FilterField::Time, "time", true, "time since the capture started (1.5s, 200ms)" },
        { FilterField::Pid, "pid", true, "process id" },
        { FilterField::Tid, "tid", true, "thread id" },
        { FilterField::Ppid, "ppid", true, "parent's process id" },
        { FilterField::Process, "process", false, "executable name of the process (app)" },
        { FilterField::Exe, "exe", false, "full path of the process's executable" },
        { FilterField::Op, "op", false, "operation: openat, execve, SIGTERM, process_exit, ..." },
        { FilterField::Class, "class", false, "process thread file network signal memory output runtime" },
        { FilterField::Kind, "kind", false, "syscall, signal, output, process_start, process_exit, ..." },
        { FilterField::Path, "path", false, "path, socket address or stream" },
        { FilterField::Detail, "detail", false, "decoded arguments" },
        { FilterField::Result, "result", true, "return value, exit code, signal number" },
        { FilterField::Errno, "errno", false, "error name of a failed call: ENOENT, EACCES, ..." },
        { FilterField::Ok, "ok", false, "the call succeeded" },
        { FilterField::Failed, "failed", false, "the call failed (or the process did)" },
        { FilterField::Duration, "duration", true, "time the call took (5ms)" },
        { FilterField::Stream, "stream", false, "stdout or stderr, for output" },
        { FilterField::Text, "text", false, "operation, path and detail together" },
        { FilterField::Signal, "signal", false, "signal name, for signal deliveries and kill calls" },
        { FilterField::Noise, "noise", false, "Go runtime housekeeping: SIGURG preemption, futex and scheduler churn" },
    };
    return fields;
}

FilterParseResult FilterParser::parse(std::string_view text)
{
    return Parser(text).run();
}

std::string FilterParser::describeError(std::string_view text, const FilterParseResult& result)
{
    if (result.state == FilterParseResult::State::Empty)
        return "the filter expression is empty";
    const auto isContinuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    const auto characters = [&](std::string_view part) {
        return static_cast<std::size_t>(
            std::count_if(part.begin(), part.end(), [&](char c) { return !isContinuation(c); }));
    };
    const std::size_t position = std::min(result.errorPosition, text.size());
    std::string message = result.state == FilterParseResult::State::Incomplete ? "incomplete filter: " : "";
    message += result.error;
    // A long expression (a generated one, thousands of terms) is shown around the error only, with
    // the error's column in words, so a terminal gets two short lines rather than two huge ones.
    constexpr std::size_t kLongText = 160;
    constexpr std::size_t kContext = 60;
    std::size_t begin = 0;
    std::size_t end = text.size();
    if (text.size() > kLongText) {
        message += " (at character " + std::to_string(characters(text.substr(0, position)) + 1) + " of "
            + std::to_string(characters(text)) + ")";
        begin = position > kContext ? position - kContext : 0;
        while (begin > 0 && isContinuation(text[begin]))
            --begin;
        end = std::min(text.size(), position + std::max<std::size_t>(1, result.errorLength) + kContext);
        while (end < text.size() && isContinuation(text[end]))
            ++end;
    }
    const std::string_view prefix = begin > 0 ? "… " : "";
    message += "\n  ";
    message += prefix;
    // One line, so the caret lines up: tabs and newlines become spaces.
    for (const char c : text.substr(begin, end - begin))
        message += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    if (end < text.size())
        message += " …";
    message += "\n  ";
    // Columns count characters, not UTF-8 continuation bytes.
    message.append(characters(prefix) + characters(text.substr(begin, position - begin)), ' ');
    message.append(std::max<std::size_t>(1, std::min(result.errorLength, end - position)), '^');
    return message;
}

} // namespace exitlens
