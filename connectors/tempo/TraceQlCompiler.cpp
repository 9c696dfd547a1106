#include "TraceQlCompiler.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Time.h"
#include "models/Unexpressible.h"
#include <algorithm>
#include <array>
#include <cctype>

namespace fd {

namespace {

constexpr std::array kScopes = { "span.", "resource.", "event.", "link.", "instrumentation." };
constexpr std::array kStatuses = { "error", "ok", "unset" };
constexpr std::array kKinds = { "server", "client", "producer", "consumer", "internal", "unspecified" };

bool plainName(const std::string &name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '.';
    });
}

std::string attribute(const std::string &scope, const std::string &name)
{
    return scope + (plainName(name) ? name : quotedLiteral(name));
}

template <std::size_t N> bool oneOf(const Json &v, const std::array<const char *, N> &names)
{
    return v.is_string() && std::find(names.begin(), names.end(), v.get<std::string>()) != names.end();
}

std::string op(Op o)
{
    switch (o) {
    case Op::Eq: return "=";
    case Op::Ne: return "!=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Regex: return "=~";
    case Op::NotRegex: return "!~";
    case Op::Exists: return "!=";
    case Op::NotExists: return "=";
    }
    return "=";
}

std::string literal(const Json &v)
{
    if (v.is_string())
        return quotedLiteral(v.get<std::string>());
    return v.dump(); // numbers and true/false as TraceQL writes them
}

bool isEquality(Op o)
{
    return o == Op::Eq || o == Op::Ne;
}

bool isComparison(Op o)
{
    return o == Op::Gt || o == Op::Ge || o == Op::Lt || o == Op::Le || isEquality(o);
}

class Compiler
{
public:
    std::string condition(const Condition &c)
    {
        if (c.field == "time" || c.field == "start" || c.field == "end") // a span's time is no attribute (review)
            return unsupported(c, "the time range sets the time");
        const std::string f = TraceQlCompiler::field(c.field);
        if (c.op == Op::Exists || c.op == Op::NotExists)
            return f + " " + op(c.op) + " nil";
        if (c.field == "duration_ms" || c.field == "duration_ns") {
            const auto d = conditionDuration(c);
            if (!d || !isComparison(c.op))
                return unsupported(c, "durations compare with a number of at most 292 years");
            return f + " " + op(c.op) + " " + formatGoDuration(*d);
        }
        if (c.field == "status" || c.field == "kind") {
            const bool known = c.field == "status" ? oneOf(c.value, kStatuses) : oneOf(c.value, kKinds);
            if (!known || !isEquality(c.op))
                return unsupported(c, c.field == "status" ? "status = or != error, ok or unset" : "kind = or != server, client ...");
            return f + " " + op(c.op) + " " + c.value.get<std::string>();
        }
        if ((c.op == Op::Regex || c.op == Op::NotRegex) && !c.value.is_string())
            return unsupported(c, "a regular expression is text");
        if (c.op == Op::Regex || c.op == Op::NotRegex) // Tempo 3 matches whole values; older ones anywhere: both find it
            return f + " " + op(c.op) + " " + quotedLiteral(unanchoredPattern(c.value.get<std::string>()));
        // A number matches its text too, and a number's text the number ("1.50", "02134"), as the store has it
        const Json other = c.value.is_number() ? Json(c.value.dump()) : numberAlsoMatched(c);
        if (!other.is_null() && isEquality(c.op))
            return c.op == Op::Eq ? "(" + f + " = " + literal(c.value) + " || " + f + " = " + literal(other) + ")"
                                  : "(" + f + " != " + literal(c.value) + " && " + f + " != " + literal(other) + ")";
        return f + " " + op(c.op) + " " + literal(c.value);
    }

    void rest(const Query &q)
    {
        if (q.signal == Signal::Metrics)
            m_unsupported.addSignal(q.signal, "write TraceQL metrics as a raw query");
        else if (q.signal != Signal::Spans)
            m_unsupported.addSignal(q.signal, "Tempo holds spans only");
        m_unsupported.addTraceSearchExtras(q, "a search returns traces, not time series");
        m_unsupported.throwIfAny();
    }

private:
    std::string unsupported(const Condition &c, const std::string &why)
    {
        m_unsupported.addCondition(c, why);
        return {};
    }

    Unexpressible m_unsupported{"TraceQL"};
};

} // namespace

std::string TraceQlCompiler::field(const std::string &name)
{
    if (name == "service.name" || name == "service")
        return "resource.service.name";
    if (name == "name" || name == "status" || name == "kind")
        return name;
    if (name == "status_message")
        return "statusMessage";
    if (name == "duration_ms" || name == "duration_ns")
        return "duration";
    if (name == "trace_id")
        return "trace:id";
    if (name == "span_id")
        return "span:id";
    for (const char *scope : kScopes)
        if (name.starts_with(scope) && name.size() > std::string_view(scope).size())
            return attribute(scope, name.substr(std::string_view(scope).size()));
    return attribute(".", name);
}

std::string TraceQlCompiler::compile(const Query &q)
{
    if (!q.raw.empty())
        return q.raw;
    Compiler c;
    std::vector<std::string> parts;
    for (const Condition &cond : q.where)
        if (std::string part = c.condition(cond); !part.empty())
            parts.push_back(std::move(part));
    c.rest(q);
    return parts.empty() ? std::string("{}") : "{ " + joinText(parts, " && ") + " }";
}

} // namespace fd
