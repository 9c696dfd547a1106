#include "JaegerQuery.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Unexpressible.h"
#include <algorithm>

namespace fd {

namespace {

bool isDurationField(const std::string &f)
{
    return f == "duration_ms" || f == "duration_ns";
}

FormFields rawFields(const std::string &raw)
{
    FormFields fields;
    std::size_t start = raw.front() == '?' ? 1 : 0;
    while (start <= raw.size()) {
        const std::size_t end = std::min(raw.find('&', start), raw.size());
        const std::string pair = raw.substr(start, end - start);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            fields.emplace_back(pair.substr(0, eq), eq == std::string::npos ? std::string() : pair.substr(eq + 1));
        }
        start = end + 1;
    }
    return fields;
}

bool hasField(const FormFields &fields, const std::string &name)
{
    return std::any_of(fields.begin(), fields.end(), [&](const auto &f) { return f.first == name; });
}

// A raw query keeps what it sets; the time range and limit fill in what it leaves out.
FormFields withDefaults(FormFields fields, const FormFields &defaults)
{
    for (const auto &d : defaults)
        if (!hasField(fields, d.first))
            fields.push_back(d);
    return fields;
}

std::string tagsJson(const std::map<std::string, std::string> &tags)
{
    Json j = Json::object();
    for (const auto &[key, value] : tags)
        j[key] = value;
    return j.dump();
}

class Compiler
{
public:
    explicit Compiler(JaegerSearch &out) : m_out(out) {}

    void condition(const Condition &c)
    {
        const bool eq = c.op == Op::Eq && !c.value.is_null();
        if (c.field == "time" || c.field == "start" || c.field == "end") // no tag (review: it had become one)
            m_unsupported.add("\"" + conditionToText(c) + "\" (the time range sets the time)");
        else if ((c.field == "service.name" || c.field == "service") && eq && c.value.is_string())
            set(m_out.service, c);
        else if (c.field == "name" && eq && c.value.is_string())
            set(m_out.operation, c);
        else if (const auto d = isDurationField(c.field) ? conditionDuration(c) : std::nullopt; d && (c.op == Op::Gt || c.op == Op::Ge))
            lowerBound(*d, c.op == Op::Gt);
        else if (d && (c.op == Op::Lt || c.op == Op::Le))
            upperBound(*d, c.op == Op::Lt);
        else if (c.field == "status" && eq && c.value == "error")
            m_out.tags["error"] = "true";
        else if (c.field == "kind" && eq)
            m_out.tags["span.kind"] = jsonValueText(c.value);
        else if (eq && c.field != "status" && !isDurationField(c.field))
            m_out.tags[c.field] = jsonValueText(c.value);
        else
            m_unsupported.add("\"" + conditionToText(c) + "\"" + reason(c));
    }

    void rest(const Query &q)
    {
        if (q.signal != Signal::Spans)
            m_unsupported.addSignal(q.signal, "Jaeger holds spans only");
        m_unsupported.addTraceSearchExtras(q, "Jaeger returns traces, not time series");
        m_unsupported.throwIfAny();
    }

private:
    // Two bounds on one side keep the tighter (they had kept the last)
    void lowerBound(DurationNs d, bool exclusive)
    {
        if (d > m_out.minDuration || (d == m_out.minDuration && exclusive)) {
            m_out.minDuration = d;
            m_out.minExclusive = exclusive;
        }
    }
    void upperBound(DurationNs d, bool exclusive)
    {
        if (!m_out.maxDuration || d < *m_out.maxDuration || (d == *m_out.maxDuration && exclusive)) {
            m_out.maxDuration = d;
            m_out.maxExclusive = exclusive;
        }
    }

    void set(std::string &slot, const Condition &c)
    {
        if (!slot.empty() && slot != c.value.get<std::string>())
            m_unsupported.add("\"" + conditionToText(c) + "\" (a second " + c.field + ")");
        else
            slot = c.value.get<std::string>();
    }

    static std::string reason(const Condition &c)
    {
        if (isDurationField(c.field))
            return " (durations take > >= < <= and a number of at most 292 years)";
        if (c.field == "status")
            return " (only status = error)";
        return " (Jaeger matches tags by equality only)";
    }

    JaegerSearch &m_out;
    Unexpressible m_unsupported{"Jaeger"};
};

} // namespace

JaegerSearch JaegerSearch::compile(const Query &q)
{
    JaegerSearch s;
    s.limit = q.limit > 0 ? q.limit : s.limit;
    if (!q.raw.empty()) {
        s.raw = rawFields(q.raw);
        return s;
    }
    Compiler c(s);
    for (const Condition &cond : q.where)
        c.condition(cond);
    c.rest(q);
    return s;
}

std::string JaegerSearch::v1Target(const TimeRange &range) const
{
    FormFields f;
    if (raw.empty()) {
        f.emplace_back("service", service);
        if (!operation.empty())
            f.emplace_back("operation", operation);
        if (!tags.empty())
            f.emplace_back("tags", tagsJson(tags));
    }
    FormFields rest = { { "start", std::to_string(alignDown(range.from, 1000) / 1000) },
        { "end", std::to_string(alignDown(range.to + 999, 1000) / 1000) } };
    if (raw.empty() && minDuration > 0)
        rest.emplace_back("minDuration", formatGoDuration(minDuration));
    if (raw.empty() && maxDuration > 0)
        rest.emplace_back("maxDuration", formatGoDuration(*maxDuration));
    rest.emplace_back("limit", std::to_string(limit));
    f.insert(f.end(), rest.begin(), rest.end());
    return "/api/traces?" + formEncode(raw.empty() ? f : withDefaults(raw, rest));
}

std::string JaegerSearch::v3Target(const TimeRange &range, const std::string &path) const
{
    FormFields f;
    if (raw.empty()) {
        if (!service.empty())
            f.emplace_back("query.service_name", service);
        if (!operation.empty())
            f.emplace_back("query.operation_name", operation);
        if (!tags.empty())
            f.emplace_back("query.attributes", tagsJson(tags));
    }
    FormFields rest = { { "query.start_time_min", formatRfc3339Std(range.from) },
        { "query.start_time_max", formatRfc3339Std(range.to) } };
    if (raw.empty() && minDuration > 0)
        rest.emplace_back("query.duration_min", formatGoDuration(minDuration));
    if (raw.empty() && maxDuration > 0)
        rest.emplace_back("query.duration_max", formatGoDuration(*maxDuration));
    rest.emplace_back("query.num_traces", std::to_string(limit));
    f.insert(f.end(), rest.begin(), rest.end());
    return path + "?" + formEncode(raw.empty() ? f : withDefaults(raw, rest));
}

bool JaegerSearch::matches(const Span &s) const
{
    if (!raw.empty())
        return true;
    if ((!service.empty() && s.service != service) || (!operation.empty() && s.name != operation))
        return false;
    const DurationNs d = s.duration();
    if (d < minDuration || (minExclusive && d == minDuration))
        return false;
    if (maxDuration && (d > *maxDuration || (maxExclusive && d == *maxDuration)))
        return false;
    for (const auto &[key, value] : tags) {
        if (key == "error" && value == "true" && s.statusCode == int(StatusCode::Error))
            continue;
        if (key == "span.kind" && spanKindName(s.kind) == value)
            continue;
        const auto a = s.attributes.find(key);
        const auto r = s.resource.find(key);
        const bool found = (a != s.attributes.end() && jsonValueText(*a) == value)
            || (r != s.resource.end() && jsonValueText(*r) == value);
        if (!found)
            return false;
    }
    return true;
}

} // namespace fd
