#pragma once
#include "TraceTree.h"

namespace fd {

// DESIGN.md's `trace --format json` shape: {"trace_id", "spans": [...], "orphans": [...]}, plus
// "critical_path": the ids of the spans on it, in display order.
Json spanToJson(const Span &s);
Json traceToJson(const std::string &traceId, const TraceTree &tree);
// An indented tree for people: offset, duration, service, name, status; `*` marks the critical path.
std::string traceToTable(const TraceTree &tree);

} // namespace fd
