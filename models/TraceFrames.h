#pragma once
#include "Frame.h"
#include "Telemetry.h"
#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// One trace in a list of traces (DataSource::recentTraces).
struct TraceSummary {
    std::string traceId;
    TimeNs start = 0;
    std::string rootService;
    std::string rootName;
    DurationNs duration = 0;
    std::int64_t spans = 0;
    std::int64_t errors = 0;
    std::string services; // distinct, sorted, ", " separated (where the source tells)
};

// Of one trace's spans: the root is the first span without a parent (else the earliest span).
TraceSummary summarizeTrace(const std::vector<Span> &spans);
// trace_id, time, root_service, root_name, duration_ms, spans, errors (and services when asked): newest
// first, at most limit rows.
Frame traceSummariesFrame(std::vector<TraceSummary> traces, int limit, bool withServices = false);
// Distinct, sorted, ", " separated.
std::string joinedServices(std::vector<std::string> services);
// One row per span in the columns the store gives span rows: time, trace_id, span_id, parent_span_id,
// service.name, name, kind, duration_ms, status, status_message, attributes, resource.
Frame spanRowsFrame(const std::vector<Span> &spans);
// A note about the whole trace (warnings, a partial answer) as an attribute of each span whose parent is
// not in the list: the roots, and the orphans of a trace that lacks its root.
void setOnTopSpans(std::vector<Span> &spans, const std::string &key, const Json &value);

} // namespace fd
