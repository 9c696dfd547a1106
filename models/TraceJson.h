#pragma once
#include "TraceTree.h"

namespace fd {

// DESIGN.md's `trace --format json` shape: {"trace_id", "spans": [...], "orphans": [...]}.
Json spanToJson(const Span &s);
Json traceToJson(const std::string &traceId, const TraceTree &tree);
// An indented tree for people: offset, duration, service, name, status.
std::string traceToTable(const TraceTree &tree);

} // namespace fd
