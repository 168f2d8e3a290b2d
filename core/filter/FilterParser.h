#pragma once

#include "filter/FilterExpression.h"

#include <memory>
#include <string>
#include <string_view>

namespace exitlens {

// Parses the filter language. The result says whether the text is valid, invalid (with the
// offending token's position and a message), or just unfinished — what a filter bar needs to stay
// neutral while the user is still typing and turn red only for a real mistake.
struct FilterParseResult {
    enum class State { Empty, Valid, Incomplete, Invalid };
    State state = State::Empty;
    std::unique_ptr<FilterNode> root; // Valid only
    std::string error; // "unknown field 'pathh' — did you mean 'path'?"
    std::size_t errorPosition = 0; // byte offset of the offending token
    std::size_t errorLength = 0;

    bool valid() const { return state == State::Valid; }
};

class FilterParser {
public:
    // The deepest nesting of parentheses and `not` accepted. Parsing, compiling and evaluating
    // recurse once per level; far beyond anything written by hand, far below what exhausts a
    // thread's stack.
    static constexpr std::size_t kMaxNesting = 256;

    static FilterParseResult parse(std::string_view text);
    // For a terminal: the message, then the expression with a caret line under the offending token
    //   unknown field 'pathh' — did you mean 'path'?
    //     pathh == x
    //     ^^^^^
    static std::string describeError(std::string_view text, const FilterParseResult& result);
};

} // namespace exitlens
