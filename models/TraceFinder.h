#pragma once
#include "DataSource.h"

namespace fd {

// The traces with a span starting in range that meets every condition (service.name, name,
// duration_ms, status or any attribute), newest first, at most limit: the columns of
// DataSource::recentTraces plus services (the trace's distinct services, sorted, ", " separated).
// Works with every source that answers a spans query grouped by trace_id: it asks for the matching
// trace ids (newest matching span first), then summarizes them in one go where the source is a
// TraceSummarySource, else each from its trace().
Frame findTraces(DataSource &source, const std::vector<Condition> &where, const TimeRange &range, int limit,
                 const CancelTokenPtr &cancel);

// The ids of at most `limit` traces in range (newest first) whose root span is `operation` of `service`,
// leaving out `except`.
std::vector<std::string> findSimilarTraces(DataSource &source, const std::string &service,
                                           const std::string &operation, const TimeRange &range, int limit,
                                           const std::string &except, const CancelTokenPtr &cancel);

} // namespace fd
