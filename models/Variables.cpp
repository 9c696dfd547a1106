#include "Variables.h"
#include <cctype>

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

std::string expandVariables(const std::string &text, const Variables &vars)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] != '$') {
            out += text[i++];
            continue;
        }
        const bool braced = i + 1 < text.size() && text[i + 1] == '{';
        std::size_t end = i + (braced ? 2 : 1);
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' || text[end] == '.'))
            ++end;
        const std::string name = text.substr(i + (braced ? 2 : 1), end - i - (braced ? 2 : 1));
        const bool closed = !braced || (end < text.size() && text[end] == '}');
        const auto found = vars.find(name);
        if (name.empty() || !closed || found == vars.end()) {
            out += text[i++];
            continue;
        }
        out += found->second;
        i = end + (braced ? 1 : 0);
    }
    return out;
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
