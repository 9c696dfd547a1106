#include "Variables.h"
#include <algorithm>
#include <cctype>
#include <vector>

namespace fd {

Variables variablesFromJson(const Json &view)
{
    Variables vars;
    const auto it = view.find("variables");
    if (it == view.end() || !it->is_object())
        return vars;
    for (const auto &[name, value] : it->items())
        if (value.is_string())
            vars[name] = value.get<std::string>();
    return vars;
}

namespace {
struct Reference {
    std::size_t begin = 0, end = 0; // [begin, end) of "$name" or "${name}"
    std::string name;
};

// The $name and ${name} references of the text, in order.
std::vector<Reference> references(const std::string &text)
{
    std::vector<Reference> out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] != '$') {
            ++i;
            continue;
        }
        const bool braced = i + 1 < text.size() && text[i + 1] == '{';
        std::size_t end = i + (braced ? 2 : 1);
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' || text[end] == '.'))
            ++end;
        std::string name = text.substr(i + (braced ? 2 : 1), end - i - (braced ? 2 : 1));
        const bool closed = !braced || (end < text.size() && text[end] == '}');
        if (name.empty() || !closed) {
            ++i;
            continue;
        }
        out.push_back({i, end + (braced ? 1 : 0), std::move(name)});
        i = out.back().end;
    }
    return out;
}
} // namespace

std::string expandVariables(const std::string &text, const Variables &vars)
{
    std::string out;
    std::size_t at = 0;
    for (const Reference &r : references(text)) {
        const auto found = vars.find(r.name);
        if (found == vars.end())
            continue;
        out.append(text, at, r.begin - at);
        out += found->second;
        at = r.end;
    }
    return out.append(text, at);
}

std::vector<std::string> unknownVariables(const Query &q, const Variables &vars)
{
    if (!q.raw.empty())
        return {}; // the raw query runs, not the conditions (review); '$.x' is a JSON path there
    std::vector<std::string> texts{q.search};
    for (const Condition &c : q.where)
        if (c.value.is_string())
            texts.push_back(c.value.get<std::string>());
    std::vector<std::string> unknown;
    for (const std::string &text : texts)
        for (const Reference &r : references(text)) {
            const bool named = std::isalpha(static_cast<unsigned char>(r.name[0])) || r.name[0] == '_';
            if (named && !vars.count(r.name) && std::find(unknown.begin(), unknown.end(), r.name) == unknown.end())
                unknown.push_back(r.name);
        }
    return unknown;
}

Query withVariables(Query q, const Variables &vars)
{
    if (vars.empty())
        return q;
    for (Condition &c : q.where) {
        if (!c.value.is_string())
            continue;
        const std::string expanded = expandVariables(c.value.get<std::string>(), vars);
        if (expanded == c.value.get_ref<const std::string &>())
            continue;
        c.value = expanded;
        // After > >= < <=, a number, as the query's JSON reads such text: "$limit" of 10.5 (review). (Equality keeps
        // the text, which = matches as the number too where it is not written as one.)
        if (const Json n = isOrdering(c.op) ? valueFromText(expanded, c.op) : Json(); n.is_number())
            c.value = n;
    }
    q.search = expandVariables(q.search, vars);
    q.raw = expandVariables(q.raw, vars);
    return q;
}

} // namespace fd
