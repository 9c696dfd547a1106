#pragma once
#include "Telemetry.h"
#include <string>
#include <vector>

namespace fd {

// A trace laid out for display: spans in depth-first order (children by start time), each with its
// depth; spans whose parent never arrived (orphans) are kept as extra roots and listed.
struct TraceTree {
    struct Row {
        std::size_t span = 0;   // index into spans
        int depth = 0;
        bool orphan = false;    // its parent_span_id names a span that is not in the trace
        int serviceIndex = 0;   // index into services, for the colour
        int parentRow = -1;     // the row of its parent; -1 for roots and orphans
        std::size_t subtreeEnd = 0; // one past its last descendant: rows (this, subtreeEnd) are its subtree
        // Copied from the span, so that a pass over 100k rows (filters, the minimap) stays in this array.
        TimeNs start = 0;
        TimeNs end = 0;
        bool error = false;
    };
    std::vector<Span> spans;
    std::vector<Row> rows;              // display order
    std::vector<std::string> services;  // distinct, in order of first appearance
    std::vector<std::size_t> orphans;   // indices into spans
    std::vector<char> critical;         // per span: on the critical path (what the trace's end waited for)
    TimeNs start = 0;
    TimeNs end = 0;
    int errorCount = 0;

    static TraceTree build(std::vector<Span> spans);
    const Span *root() const; // first root, or nullptr
    bool hasChildren(std::size_t row) const { return rows[row].subtreeEnd > row + 1; }
    bool isError(std::size_t row) const { return rows[row].error; }
    bool isCritical(std::size_t row) const;
};

} // namespace fd
