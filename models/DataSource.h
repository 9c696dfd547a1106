#pragma once
#include "Cancel.h"
#include "FieldSummary.h"
#include "Frame.h"
#include "Query.h"
#include "Telemetry.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fd {

// What a backend can do, so views offer only that.
struct SourceCapabilities {
    std::string language; // of raw queries and compile(): "SQL", "PromQL" ...
    bool logs = false;
    bool spans = false;
    bool metrics = false;
    // Range queries cost per point (Prometheus): views ask for about one point per pixel.
    bool stepPerPixel = false;
    // markers() can return something (deploys, flags ...); a SourceRouter merges every such source's.
    bool markers = false;
    // query() returns rows oldest first when Query::oldestFirst asks (others return newest first only).
    bool oldestFirst = false;
    // fieldValues() counts values in at most this many of the newest events of the range (0: in all).
    std::int64_t valueSampleEvents = 0;
    // Row queries of logs and spans honour Query::arrivedAfter and arrivedUpTo and set Frame::arrivalMark
    // (but a query bounded by arrivedUpTo: a further page of a result whose mark is known).
    bool arrivalOrder = false;
    // Row queries of logs honour Query::sortField, sortDescending and rowOffset (the whole result ordered by
    // any field).
    bool sortByField = false;
    // queryPages() hands over every row of a row query (Query::limit 0), a page at a time.
    bool pagedRows = false;
    // How finely row queries order and bound rows by time: rows within one such step may come in any order,
    // and a range's ends are taken to the step (Elasticsearch: a millisecond, whatever the times' digits).
    DurationNs timeResolution = 1;
};

// A value of a field with how often it occurs (0 when the backend does not count).
struct FieldValue {
    std::string value;
    std::int64_t count = 0;
};

// What views and analysis need from a backend; connectors implement it, widgets only see this.
// Every call may run on a worker thread and throws fd::Error (or fd::Cancelled).
class DataSource
{
public:
    virtual ~DataSource() = default;
    virtual std::string id() const = 0;
    virtual SourceCapabilities capabilities() const { return { {}, true, true, true, false, true }; }
    // Of the source that would answer q: a SourceRouter sends queries on by signal and source id.
    virtual SourceCapabilities capabilitiesFor(const Query &q) const
    {
        (void)q;
        return capabilities();
    }
    // The native query that query() would run for q (shown to the user); throws what query() would.
    virtual std::string compile(const Query &q, const TimeRange &range) const
    {
        (void)q, (void)range;
        return {};
    }
    // Field names for completion of a query of `signal`: label names (metricName given: of that metric),
    // or intrinsic fields and attribute keys.
    virtual std::vector<std::string> fieldNames(Signal signal, const std::string &metricName,
                                                const TimeRange &range, const CancelTokenPtr &cancel)
    {
        (void)signal, (void)metricName, (void)range, (void)cancel;
        return {};
    }
    // Values of a field for completion, most frequent first where the backend counts them.
    virtual std::vector<FieldValue> fieldValues(Signal signal, const std::string &field,
                                                const std::string &metricName, const TimeRange &range,
                                                const CancelTokenPtr &cancel)
    {
        (void)signal, (void)field, (void)metricName, (void)range, (void)cancel;
        return {};
    }
    virtual Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) = 0;
    // The rows of a query a page at a time, each to `page`, for an export of a whole result: with
    // SourceCapabilities::pagedRows, a row query with Query::limit 0 gives every row, holding one page at a
    // time. Otherwise (the default) query() runs once and its frame is the one page. Returns whether rows
    // were left out (the limit).
    virtual bool queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                            const std::function<void(const Frame &)> &page)
    {
        const Frame f = query(q, range, cancel);
        page(f);
        return f.truncated;
    }
    // The most frequent values (at most topValues; none for 0) of each of `fields` over the whole result of q: by
    // default a count and a group-by query per field; a source that counts them all in one pass does.
    virtual std::vector<FieldSummary> summarizeFields(const Query &q, const TimeRange &range,
        const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
    {
        return summarizeFieldsByQueries(*this, q, range, fields, topValues, cancel);
    }
    virtual std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) = 0;
    // As markers(), but where markers() fails for a source that cannot answer, leaves its markers out and says why in
    // `leftOut` (a SourceRouter's other sources: a colleague's git clone or Prometheus not reachable from here).
    virtual std::vector<Marker> markersLeavingOut(const TimeRange &range, const CancelTokenPtr &cancel,
                                                  std::vector<std::string> &leftOut)
    {
        (void)leftOut;
        return markers(range, cancel);
    }
    // Every span of one trace, in start order; empty when unknown.
    virtual std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) = 0;
    // One row per trace: trace_id, time, root_service, root_name, duration_ms, spans, errors.
    virtual Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) = 0;
};
using DataSourcePtr = std::shared_ptr<DataSource>;

} // namespace fd
