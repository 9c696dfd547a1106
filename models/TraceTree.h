#pragma once
#include "Telemetry.h"
#include <string>
#include <vector>

namespace fd {

// 1 for each span that repeats one before it (an exporter's retry: the same id, times, parent, service, name, kind,
// status, attributes, events, links and resource). TraceTree::build drops them; summarizeTrace counts without them.
std::vector<char> markRepeatedSpans(const std::vector<Span> &spans);

// A trace laid out for display: spans in depth-first order (children by start time), each with its
// depth. Spans whose parent never arrived (orphans) are listed and shown under one placeholder row per
// missing parent id: siblings of one lost span stay together, and the id is there to look for.
struct TraceTree {
    struct Row {
        std::size_t span = 0;   // index into spans
        int depth = 0;
        bool orphan = false;    // its parent_span_id names a span that is not in the trace
        bool placeholder = false; // stands for a missing parent: its span is a placeholder
        bool cycle = false;     // its parents, all in the trace, lead back to it: shown at the top
        bool skewed = false;    // starts before its parent (clock skew between hosts)
        int serviceIndex = 0;   // index into services, for the colour; -1 for a placeholder
        int parentRow = -1;     // the row of its parent (a placeholder for an orphan); -1 for roots
        std::size_t subtreeEnd = 0; // one past its last descendant: rows (this, subtreeEnd) are its subtree
        // Copied from the span, so that a pass over 100k rows (filters, the minimap) stays in this array.
        TimeNs start = 0;
        TimeNs end = 0;
        bool error = false;
    };
    std::vector<Span> spans;            // the trace's spans
    std::size_t spanCount = 0;          // spans.size()
    // One per missing parent id (spanId = that id, no service or name, spanning its children). A row's
    // span index past the trace's spans names one of these; kept apart so that building never copies spans.
    std::vector<Span> placeholderSpans;
    std::vector<Row> rows;              // display order
    std::vector<std::string> services;  // distinct, in order of first appearance
    std::vector<std::size_t> orphans;   // indices into spans
    std::vector<std::size_t> cycles;    // indices into spans: one per loop of parents, the row it is shown from
    std::vector<char> critical;         // per span: on the critical path (what the trace's end waited for)
    TimeNs start = 0;
    TimeNs end = 0;
    int errorCount = 0;
    int skewCount = 0;                  // rows that start before their parent
    std::size_t repeatedSpans = 0;      // spans that arrived more than once (same id and times), kept once

    static TraceTree build(std::vector<Span> spans);
    const Span *root() const; // first root, or nullptr
    bool hasChildren(std::size_t row) const { return rows[row].subtreeEnd > row + 1; }
    bool isError(std::size_t row) const { return rows[row].error; }
    bool isCritical(std::size_t row) const;
    bool isPlaceholder(std::size_t span) const { return span >= spans.size(); }
    // A span or placeholder by the index rows use.
    const Span &span(std::size_t i) const { return i < spans.size() ? spans[i] : placeholderSpans[i - spans.size()]; }
    Span &span(std::size_t i) { return i < spans.size() ? spans[i] : placeholderSpans[i - spans.size()]; }
    std::size_t spanIndexCount() const { return spans.size() + placeholderSpans.size(); }
};

} // namespace fd
