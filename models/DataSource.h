#pragma once
#include "Cancel.h"
#include "Frame.h"
#include "Query.h"
#include "Telemetry.h"
#include <memory>
#include <string>
#include <vector>

namespace fd {

// What views and analysis need from a backend; connectors implement it, widgets only see this.
// Every call may run on a worker thread and throws fd::Error (or fd::Cancelled).
class DataSource
{
public:
    virtual ~DataSource() = default;
    virtual std::string id() const = 0;
    virtual Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) = 0;
    virtual std::vector<Marker> markers(const TimeRange &range) = 0;
    // Every span of one trace, in start order; empty when unknown.
    virtual std::vector<Span> trace(const std::string &traceId) = 0;
    // One row per trace: trace_id, time, root_service, root_name, duration_ms, spans, errors.
    virtual Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) = 0;
};
using DataSourcePtr = std::shared_ptr<DataSource>;

} // namespace fd
