#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace exitlens {

// The parsed form of a filter expression (docs/filters.md): `field op value` comparisons combined
// with and/or/not and parentheses. Produced by FilterParser, evaluated by CompiledFilter.
enum class FilterField {
    Seq,
    Time,
    Pid,
    Tid,
    Ppid,
    Process,
    Exe,
    Op,
    Class,
    Kind,
    Path,
    Detail,
    Result,
    Errno,
    Ok,
    Failed,
    Duration,
    Stream,
    Text,
    Signal,
    Noise, // the Go runtime's housekeeping, boolean like ok/failed: see isRuntimeNoise() in RuntimeNoise.h
};

enum class FilterOp {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    In,
    IsTrue
};

struct FilterNode {
    enum class Type { And, Or, Not, Compare };
    Type type = Type::Compare;
    std::vector<std::unique_ptr<FilterNode>> children; // And/Or: 2+, Not: 1
    // Compare:
    FilterField field = FilterField::Path;
    FilterOp op = FilterOp::Equal;
    std::vector<std::string> values; // one, or several for `in`
    std::vector<double> numbers; // values as numbers (durations in ns, time in ns), when numeric
    std::shared_ptr<const re2::RE2> regex; // for `matches`: RE2, linear in the text whatever the pattern
    int slot = -1; // index of this comparison's caches in the CompiledFilter
};

struct FilterFieldInfo {
    FilterField field;
    const char* name;
    bool numeric;
    const char* description;
};

// Every field the language knows, in the order docs and completion show them.
const std::vector<FilterFieldInfo>& filterFields();

} // namespace exitlens
