#pragma once
#include "connectors/http/Url.h"
#include "models/Query.h"
#include "models/Telemetry.h"
#include <map>
#include <optional>
#include <string>

namespace fd {

// A trace search as Jaeger takes it. Compiled from the spans form of a Query:
//   service.name (or service) = X    service           name = X               operation
//   duration_ms / duration_ns > >= < <=   minDuration / maxDuration
//   status = error                   tag error=true    kind = server          tag span.kind=server
//   any other field = X              tag field=X (a span tag or a process tag)
//   limit                            the number of traces
// Anything else (!=, ~, !~, exists, other comparisons, full-text search, group by, aggregates, an
// interval) raises fd::Error naming each part Jaeger cannot express. A raw query is a URL query string of
// the API's own parameters ("service=frontend&tags={...}"), sent as it is, the time range added.
struct JaegerSearch {
    std::string service;
    std::string operation;
    std::map<std::string, std::string> tags;
    DurationNs minDuration = 0;
    std::optional<DurationNs> maxDuration;
    // > and <: Jaeger's bounds are inclusive, so matches() leaves out a span of exactly the bound
    bool minExclusive = false;
    bool maxExclusive = false;
    int limit = 20;
    FormFields raw; // a raw query's parameters; the fields above are then unused

    static JaegerSearch compile(const Query &q);
    // GET /api/traces?service=&operation=&tags={json}&start=&end=&minDuration=&maxDuration=&limit= (microseconds).
    std::string v1Target(const TimeRange &range) const;
    // GET /api/v3/traces?query.service_name=...&query.start_time_min=<RFC 3339>... (or /api/v3/trace-summaries).
    std::string v3Target(const TimeRange &range, const std::string &path = "/api/v3/traces") const;
    // What a span of a returned trace must satisfy to be a row (Jaeger returns whole traces).
    bool matches(const Span &s) const;
};

} // namespace fd
