#include "TraceJson.h"
#include "Frame.h"
#include <cstdio>

namespace fd {

Json spanToJson(const Span &s)
{
    Json events = Json::array(), links = Json::array();
    for (const SpanEvent &e : s.events)
        events.push_back({{"time", formatRfc3339Std(e.time)}, {"name", e.name}, {"attributes", e.attributes}});
    for (const SpanLink &l : s.links)
        links.push_back({{"trace_id", l.traceId}, {"span_id", l.spanId}, {"attributes", l.attributes}});
    return {{"trace_id", s.traceId},
            {"span_id", s.spanId},
            {"parent_span_id", s.parentSpanId},
            {"service", s.service},
            {"name", s.name},
            {"kind", spanKindName(s.kind)},
            {"start", formatRfc3339Std(s.start)},
            {"duration_ns", s.duration()},
            {"status", {{"code", statusCodeName(s.statusCode)}, {"message", s.statusMessage}}},
            {"attributes", s.attributes},
            {"resource", s.resource},
            {"events", events},
            {"links", links}};
}

Json traceToJson(const std::string &traceId, const TraceTree &tree)
{
    Json spans = Json::array(), orphans = Json::array();
    for (const TraceTree::Row &row : tree.rows)
        if (!row.placeholder)
            spans.push_back(spanToJson(tree.span(row.span)));
    for (std::size_t i : tree.orphans)
        orphans.push_back(spanToJson(tree.span(i)));
    Json critical = Json::array();
    for (const TraceTree::Row &row : tree.rows)
        if (!row.placeholder && tree.critical[row.span]) // a missing parent is on the path of a rootless trace
            critical.push_back(tree.span(row.span).spanId);
    Json out = {{"trace_id", traceId}, {"spans", spans}, {"orphans", orphans}, {"critical_path", critical}};
    if (tree.repeatedSpans > 0)
        out["repeated_spans"] = tree.repeatedSpans; // sent more than once, listed once
    if (!tree.cycles.empty()) {
        Json cycles = Json::array();
        for (std::size_t i : tree.cycles)
            cycles.push_back(tree.span(i).spanId);
        out["parent_cycles"] = cycles; // a span of each loop of parents, the one shown at the top
    }
    return out;
}

namespace {
// One row's text after its times and indent, without its line end.
std::string rowText(const TraceTree &tree, const TraceTree::Row &row)
{
    const Span &s = tree.span(row.span);
    if (row.placeholder)
        return "[missing parent " + s.spanId + ": never arrived]";
    std::string out = s.service + "  " + s.name;
    if (s.statusCode == 2)
        out += "  [error" + (s.statusMessage.empty() ? std::string() : ": " + s.statusMessage) + "]";
    if (row.orphan)
        out += "  (missing parent " + s.parentSpanId + ")";
    if (row.cycle)
        out += "  (its parent " + s.parentSpanId + " descends from it: a loop of parents)";
    if (row.skewed)
        out += "  (starts before its parent: clock skew?)";
    if (tree.critical[row.span])
        out += "  *";
    return out + "  " + s.spanId;
}
} // namespace

// Span data is any service's text: on a terminal it could set the title, clear the screen or start a false row
// (exploratory test). Spans deeper than kMaxIndent say their depth instead of growing each line with it.
std::string traceToTable(const TraceTree &tree)
{
    constexpr int kMaxIndent = 40;
    std::string out;
    char buf[64];
    for (const TraceTree::Row &row : tree.rows) {
        const Span &s = tree.span(row.span);
        std::snprintf(buf, sizeof buf, "%10.3f ms %10.3f ms  ", static_cast<double>(spanBetween(tree.start, s.start)) / 1e6,
                      static_cast<double>(s.duration()) / 1e6);
        out += buf + std::string(static_cast<std::size_t>(std::min(row.depth, kMaxIndent)) * 2, ' ');
        if (row.depth > kMaxIndent)
            out += "[depth " + std::to_string(row.depth) + "] ";
        out += terminalText(rowText(tree, row));
        out += '\n';
    }
    if (tree.repeatedSpans > 0)
        out += "(" + std::to_string(tree.repeatedSpans) + " spans arrived more than once, shown once)\n";
    return out;
}

} // namespace fd
