#include "FilterRules.h"

#include "filter/FilterParser.h"

#include <algorithm>
#include <cctype>

namespace exitlens {

namespace {
bool isBoolean(FilterField field)
{
    return field == FilterField::Ok || field == FilterField::Failed || field == FilterField::Noise;
}

const FilterFieldInfo* fieldInfo(std::string_view name)
{
    for (const auto& info : filterFields()) {
        if (name == info.name)
            return &info;
    }
    return nullptr;
}

const char* fieldName(FilterField field)
{
    for (const auto& info : filterFields()) {
        if (info.field == field)
            return info.name;
    }
    return "";
}

const char* relationName(FilterOp op)
{
    switch (op) {
    case FilterOp::Equal:
        return "==";
    case FilterOp::NotEqual:
        return "!=";
    case FilterOp::Less:
        return "<";
    case FilterOp::LessEqual:
        return "<=";
    case FilterOp::Greater:
        return ">";
    case FilterOp::GreaterEqual:
        return ">=";
    case FilterOp::Contains:
        return "contains";
    case FilterOp::StartsWith:
        return "startswith";
    case FilterOp::EndsWith:
        return "endswith";
    case FilterOp::Matches:
        return "matches";
    case FilterOp::In:
        return "in";
    case FilterOp::IsTrue:
        return "is";
    }
    return "==";
}

std::string trimmed(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return std::string(text);
}

// A bare word when the tokenizer would read it back as one word that is not a keyword.
std::string quoted(std::string_view value)
{
    std::string lower(value);
    std::transform(
        lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool keyword = lower == "and" || lower == "or" || lower == "not" || lower == "in";
    const bool plain = !value.empty() && !keyword && std::none_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c))
            || std::string_view("()\",'=!<>&|\\").find(c) != std::string_view::npos;
    });
    if (plain)
        return std::string(value);
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::vector<std::string> splitList(std::string_view value)
{
    std::vector<std::string> items;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = value.find(',', start);
        std::string item = trimmed(value.substr(start, comma == std::string_view::npos ? value.npos : comma - start));
        if (!item.empty())
            items.push_back(std::move(item));
        if (comma == std::string_view::npos)
            return items;
        start = comma + 1;
    }
}

void flatten(const FilterNode& node, FilterNode::Type type, std::vector<const FilterNode*>& out)
{
    if (node.type == type) {
        for (const auto& child : node.children)
            flatten(*child, type, out);
    } else {
        out.push_back(&node);
    }
}

std::optional<FilterRule> ruleOf(const FilterNode& node, bool include)
{
    if (node.type != FilterNode::Type::Compare)
        return std::nullopt;
    FilterRule rule;
    rule.field = fieldName(node.field);
    rule.relation = relationName(node.op);
    rule.include = include;
    if (node.op == FilterOp::In) {
        for (const auto& value : node.values) {
            if (value.find(',') != std::string::npos)
                return std::nullopt; // would not survive the comma-separated form
            rule.value += (rule.value.empty() ? "" : ", ") + value;
        }
    } else if (node.op != FilterOp::IsTrue && !node.values.empty()) {
        rule.value = node.values.front();
    }
    return rule;
}
} // namespace

std::string FilterRules::comparison(const FilterRule& rule)
{
    if (rule.raw())
        return "(" + rule.value + ")";
    const FilterFieldInfo* info = fieldInfo(rule.field);
    if ((info && isBoolean(info->field)) || rule.relation == "is")
        return rule.field;
    if (rule.relation == "in") {
        std::string list;
        for (const auto& item : splitList(rule.value))
            list += (list.empty() ? "" : ", ") + quoted(item);
        return rule.field + " in (" + list + ")";
    }
    return rule.field + " " + rule.relation + " " + quoted(rule.value);
}

std::string FilterRules::toExpression(const std::vector<FilterRule>& rules)
{
    // Include rules grouped by field, in the order each field first appears; raw rows stand alone.
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    std::vector<std::string> excludes;
    for (const auto& rule : rules) {
        if (!rule.enabled || (rule.raw() && trimmed(rule.value).empty()))
            continue;
        if (!rule.include) {
            excludes.push_back("not " + comparison(rule));
            continue;
        }
        auto group = std::find_if(groups.begin(), groups.end(),
            [&](const auto& existing) { return !rule.raw() && existing.first == rule.field; });
        if (group == groups.end())
            groups.push_back({ rule.field, { comparison(rule) } });
        else
            group->second.push_back(comparison(rule));
    }
    std::vector<std::string> conjuncts;
    for (const auto& [field, alternatives] : groups) {
        if (alternatives.size() == 1) {
            conjuncts.push_back(alternatives.front());
            continue;
        }
        std::string joined;
        for (const auto& alternative : alternatives)
            joined += (joined.empty() ? "" : " or ") + alternative;
        conjuncts.push_back("(" + joined + ")");
    }
    conjuncts.insert(conjuncts.end(), excludes.begin(), excludes.end());
    std::string expression;
    for (const auto& conjunct : conjuncts)
        expression += (expression.empty() ? "" : " and ") + conjunct;
    return expression;
}

std::optional<std::vector<FilterRule>> FilterRules::fromExpression(std::string_view expression)
{
    const FilterParseResult parsed = FilterParser::parse(expression);
    if (parsed.state == FilterParseResult::State::Empty)
        return std::vector<FilterRule> {};
    if (!parsed.valid())
        return std::nullopt;
    std::vector<const FilterNode*> conjuncts;
    flatten(*parsed.root, FilterNode::Type::And, conjuncts);
    std::vector<FilterRule> rules;
    std::vector<std::string> includedFields; // a field's includes must be one group of alternatives
    for (const FilterNode* conjunct : conjuncts) {
        if (conjunct->type == FilterNode::Type::Not) {
            // not (a or b) is "exclude a" and "exclude b".
            std::vector<const FilterNode*> excluded;
            flatten(*conjunct->children.front(), FilterNode::Type::Or, excluded);
            for (const FilterNode* node : excluded) {
                auto rule = ruleOf(*node, false);
                if (!rule)
                    return std::nullopt;
                rules.push_back(*rule);
            }
            continue;
        }
        std::vector<const FilterNode*> alternatives;
        flatten(*conjunct, FilterNode::Type::Or, alternatives);
        std::string field;
        for (const FilterNode* node : alternatives) {
            auto rule = ruleOf(*node, true);
            if (!rule || (!field.empty() && rule->field != field))
                return std::nullopt; // an `or` across fields has no rule form
            field = rule->field;
            rules.push_back(*rule);
        }
        if (std::find(includedFields.begin(), includedFields.end(), field) != includedFields.end())
            return std::nullopt; // `path contains a and path contains b` would read back as `or`
        includedFields.push_back(field);
    }
    return rules;
}

std::vector<FilterRule> FilterRules::fromExpressionOrRaw(std::string_view expression)
{
    if (auto rules = fromExpression(expression))
        return *rules;
    FilterRule raw;
    raw.value = trimmed(expression);
    return { raw };
}

std::vector<std::string> FilterRules::relationsFor(std::string_view field)
{
    const FilterFieldInfo* info = fieldInfo(field);
    if (!info)
        return {};
    if (isBoolean(info->field))
        return { "is" };
    if (info->numeric)
        return { "==", "!=", "<", "<=", ">", ">=", "in" };
    return { "==", "!=", "contains", "startswith", "endswith", "matches", "in" };
}

} // namespace exitlens
