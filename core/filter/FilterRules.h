#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exitlens {

// One row of the rules dialog, Process Monitor's way: "Path contains conf then Include".
// A row whose field is empty is a raw expression (value holds it): what an expression that has no
// rule shape becomes, so nothing the user typed is ever lost.
struct FilterRule {
    std::string field; // a field of the language ("path"); empty for a raw expression
    std::string
        relation; // "==", "!=", "<", "<=", ">", ">=", "contains", "startswith", "endswith", "matches", "in", "is"
    std::string value; // as the user typed it; for `in`, the values separated by commas; empty for "is"
    bool include = true;
    bool enabled = true;

    bool raw() const { return field.empty(); }
    bool operator==(const FilterRule&) const = default;
};

// Rules ↔ expression, both ways, so the dialog and the filter bar stay in sync.
// Rules → expression follows Process Monitor: include rules on the same field are alternatives
// (or), rules on different fields must all hold (and), every exclude rule removes what it matches:
//   (path contains conf or path contains json) and class == file and not op == close
// Expression → rules accepts exactly that shape (any order, any nesting of and), and answers
// nullopt for anything else (an `or` across fields, a `not` around an `and`, ...).
class FilterRules {
public:
    static std::string toExpression(const std::vector<FilterRule>& rules);
    static std::optional<std::vector<FilterRule>> fromExpression(std::string_view expression);
    // fromExpression, or one raw-expression row holding the text (nothing for an empty text).
    static std::vector<FilterRule> fromExpressionOrRaw(std::string_view expression);

    // One comparison as text: `path contains "my conf"`, `failed`. Values are quoted when needed.
    static std::string comparison(const FilterRule& rule);
    // The relations a field takes, in the order a dialog lists them.
    static std::vector<std::string> relationsFor(std::string_view field);
};

} // namespace exitlens
