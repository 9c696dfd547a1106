#pragma once
#include "models/Query.h"
#include <string>

namespace fd {

// Compiles the spans form of a Query to one TraceQL spanset, its conditions joined by &&:
//   service.name (or service)   resource.service.name
//   name, status, kind          the intrinsics (status = error|ok|unset, kind = server|client|...)
//   status_message              statusMessage
//   duration_ms / duration_ns   duration, written with a unit: duration > 200ms
//   trace_id / span_id          trace:id / span:id
//   span.x resource.x event.x link.x instrumentation.x   scoped attributes, as written
//   any other field             .field: a span or resource attribute
//   = != > >= < <= ~ !~         = != > >= < <= =~ !~;  exists / !exists: != nil / = nil
// Strings are quoted and escaped; attribute names with other characters than letters, digits, _ and .
// are quoted. A raw query wins. Full-text search, group by, aggregates, an interval, another signal and
// ops an intrinsic does not take raise fd::Error naming each part TraceQL cannot express here.
class TraceQlCompiler
{
public:
    static std::string compile(const Query &q);
    // The TraceQL name of a Query field ("service.name" -> "resource.service.name", "http.route" -> ".http.route").
    static std::string field(const std::string &name);
};

} // namespace fd
