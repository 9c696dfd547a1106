#include "TraceFrames.h"
#include "TraceTree.h"
#include <algorithm>
#include <unordered_set>

namespace fd {

TraceSummary summarizeTrace(const std::vector<Span> &spans)
{
    TraceSummary t;
    if (spans.empty())
        return t;
    const auto root = std::find_if(spans.begin(), spans.end(), [](const Span &s) { return s.parentSpanId.empty(); });
    const auto earliest
        = std::min_element(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    const Span &r = root != spans.end() ? *root : *earliest;
    TimeNs end = spans.front().end;
    std::vector<std::string> services;
    const std::vector<char> repeated = markRepeatedSpans(spans); // counted once, as the waterfall shows them
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const Span &s = spans[i];
        if (repeated[i])
            continue;
        end = std::max(end, s.end);
        t.errors += s.statusCode == int(StatusCode::Error);
        services.push_back(s.service);
        ++t.spans;
    }
    t.services = joinedServices(std::move(services));
    t.traceId = r.traceId;
    t.start = earliest->start;
    t.rootService = r.service;
    t.rootName = r.name;
    t.duration = spanBetween(earliest->start, end);
    return t;
}

std::string joinedServices(std::vector<std::string> services)
{
    std::sort(services.begin(), services.end());
    services.erase(std::unique(services.begin(), services.end()), services.end());
    std::string joined;
    for (const std::string &s : services)
        joined += (joined.empty() ? "" : ", ") + s;
    return joined;
}

Frame traceSummariesFrame(std::vector<TraceSummary> traces, int limit, bool withServices)
{
    std::stable_sort(traces.begin(), traces.end(), [](const TraceSummary &a, const TraceSummary &b) {
        return a.start > b.start;
    });
    Frame f;
    f.total = std::int64_t(traces.size());
    if (limit >= 0 && traces.size() > std::size_t(limit)) {
        traces.resize(std::size_t(limit));
        f.truncated = true;
    }
    f.columns = { { "trace_id", ColumnType::String, {} }, { "time", ColumnType::Time, {} },
        { "root_service", ColumnType::String, {} }, { "root_name", ColumnType::String, {} },
        { "duration_ms", ColumnType::Double, {} }, { "spans", ColumnType::Int64, {} },
        { "errors", ColumnType::Int64, {} } };
    for (const TraceSummary &t : traces) {
        f.columns[0].cells.emplace_back(t.traceId);
        f.columns[1].cells.emplace_back(t.start);
        f.columns[2].cells.emplace_back(t.rootService);
        f.columns[3].cells.emplace_back(t.rootName);
        f.columns[4].cells.emplace_back(double(t.duration) / 1e6);
        f.columns[5].cells.emplace_back(t.spans);
        f.columns[6].cells.emplace_back(t.errors);
    }
    if (withServices) {
        f.columns.push_back({ "services", ColumnType::String, {} });
        for (TraceSummary &t : traces)
            f.columns.back().cells.emplace_back(std::move(t.services));
    }
    return f;
}

Frame spanRowsFrame(const std::vector<Span> &spans)
{
    Frame f;
    f.columns = { { "time", ColumnType::Time, {} }, { "trace_id", ColumnType::String, {} },
        { "span_id", ColumnType::String, {} }, { "parent_span_id", ColumnType::String, {} },
        { "service.name", ColumnType::String, {} }, { "name", ColumnType::String, {} },
        { "kind", ColumnType::String, {} }, { "duration_ms", ColumnType::Double, {} },
        { "status", ColumnType::String, {} }, { "status_message", ColumnType::String, {} },
        { "attributes", ColumnType::Json, {} }, { "resource", ColumnType::Json, {} } };
    for (const Span &s : spans) {
        const Cell cells[] = { s.start, s.traceId, s.spanId, s.parentSpanId, s.service, s.name, spanKindName(s.kind),
            double(s.duration()) / 1e6, statusCodeName(s.statusCode), s.statusMessage, s.attributes.dump(),
            s.resource.dump() };
        for (std::size_t i = 0; i < f.columns.size(); ++i)
            f.columns[i].cells.push_back(cells[i]);
    }
    f.total = std::int64_t(spans.size());
    return f;
}

void setOnTopSpans(std::vector<Span> &spans, const std::string &key, const Json &value)
{
    std::unordered_set<std::string> ids;
    for (const Span &s : spans)
        ids.insert(s.spanId);
    for (Span &s : spans)
        if (s.parentSpanId.empty() || !ids.contains(s.parentSpanId))
            s.attributes[key] = value;
}

} // namespace fd
