#include "ClickHouseTraces.h"
#include "models/Error.h"
#include <algorithm>
#include <cctype>
#include <limits>

namespace fd {

namespace {

std::string column(const ChTable &t, const std::string &name, const char *fallback)
{
    return t.has(name) ? chColumnRef(name) : std::string(fallback);
}

// Event times as nanoseconds, whatever the element type of the array.
std::string eventTimes(const ChTable &t)
{
    const std::string type = t.type("Events.Timestamp");
    if (type.empty())
        return "[]";
    const std::string f = type.find("DateTime64") != std::string::npos ? "toUnixTimestamp64Nano(x)"
        : type.find("DateTime") != std::string::npos                   ? "toInt64(x) * 1000000000"
                                                                       : "toInt64(x)";
    return "arrayMap(x -> " + f + ", `Events.Timestamp`)";
}

// "Server", "SPAN_KIND_SERVER", "server" -> 2; 0 for anything else.
int enumIndex(const Json &v, const std::string &prefix, int count, std::string (*name)(int))
{
    return std::max(0, enumIndexOfName(v.is_string() ? v.get<std::string>() : std::string(), prefix, count, name));
}

std::string text(const Json &row, const char *key)
{
    const auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json object(const Json &row, const char *key)
{
    const auto it = row.find(key);
    return it != row.end() && it->is_object() ? *it : Json::object();
}

Json array(const Json &row, const char *key)
{
    const auto it = row.find(key);
    return it != row.end() && it->is_array() ? *it : Json::array();
}

} // namespace

ChSql chTraceSql(const ChTable &t, const std::string &traceId)
{
    for (const char *needed : { "Timestamp", "TraceId", "SpanId" })
        if (!t.has(needed))
            throw Error(
                "ClickHouse table " + t.database + "." + t.name + " has no " + needed + " column (needed for traces)");
    ChParams params;
    std::string lower = traceId;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const std::string sql = "SELECT TraceId AS trace_id, SpanId AS span_id, " + column(t, "ParentSpanId", "''")
        + " AS parent_span_id, " + column(t, "ServiceName", "''") + " AS service, " + column(t, "SpanName", "''")
        + " AS name, " + column(t, "SpanKind", "''") + " AS kind, " + t.nanoseconds("Timestamp") + " AS start, "
        + column(t, "Duration", "0") + " AS duration, " + column(t, "StatusCode", "''") + " AS status, "
        + column(t, "StatusMessage", "''") + " AS status_message, " + column(t, "SpanAttributes", "'{}'")
        + " AS attributes, " + column(t, "ResourceAttributes", "'{}'") + " AS resource, " + eventTimes(t)
        + " AS event_times, " + column(t, "Events.Name", "[]") + " AS event_names, "
        + column(t, "Events.Attributes", "[]") + " AS event_attributes, " + column(t, "Links.TraceId", "[]")
        + " AS link_trace_ids, " + column(t, "Links.SpanId", "[]") + " AS link_span_ids, "
        + column(t, "Links.Attributes", "[]") + " AS link_attributes FROM " + t.qualifiedName()
        + " WHERE TraceId = " + params.string(lower) + " ORDER BY Timestamp, SpanId";
    return { sql, params.take(), {}, 0 };
}

std::vector<Span> chSpans(const ChResult &rows)
{
    std::vector<Span> out;
    for (const Json &row : rows.data) {
        if (!row.is_object())
            throw Error(std::string("ClickHouse: a row of the trace is not a JSON object"));
        Span s;
        s.traceId = text(row, "trace_id");
        s.spanId = text(row, "span_id");
        s.parentSpanId = text(row, "parent_span_id");
        s.service = text(row, "service");
        s.name = text(row, "name");
        s.kind = enumIndex(row.value("kind", Json()), "span_kind_", 6, spanKindName);
        const auto start = jsonInt64(row.value("start", Json()));
        const auto duration = jsonInt64(row.value("duration", Json()));
        if (!start || !duration)
            throw Error("ClickHouse: span " + s.spanId + " has no start or duration as integers");
        s.start = *start;
        s.end = saturatedAdd(*start, *duration);
        s.statusCode = enumIndex(row.value("status", Json()), "status_code_", 3, statusCodeName);
        s.statusMessage = text(row, "status_message");
        s.attributes = object(row, "attributes");
        s.resource = object(row, "resource");
        const Json times = array(row, "event_times"), names = array(row, "event_names"),
                   eventAttrs = array(row, "event_attributes");
        for (std::size_t i = 0; i < times.size(); ++i)
            s.events.push_back({ jsonInt64(times[i]).value_or(0),
                i < names.size() && names[i].is_string() ? names[i].get<std::string>() : "",
                i < eventAttrs.size() && eventAttrs[i].is_object() ? eventAttrs[i] : Json::object() });
        const Json traces = array(row, "link_trace_ids"), spans = array(row, "link_span_ids"),
                   linkAttrs = array(row, "link_attributes");
        for (std::size_t i = 0; i < traces.size(); ++i)
            s.links.push_back({ traces[i].is_string() ? traces[i].get<std::string>() : "",
                i < spans.size() && spans[i].is_string() ? spans[i].get<std::string>() : "",
                i < linkAttrs.size() && linkAttrs[i].is_object() ? linkAttrs[i] : Json::object() });
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace fd
