#pragma once
#include "DataSource.h"
#include "TraceSummarySource.h"
#include <memory>
#include <string>

namespace fd {

class SourceRouter;

// A workspace's sources as one view sees them when a person picks one source (the source picker of Events,
// Query, Traces and Metrics): a query that names no source runs on the picked one, and so do completion and
// the trace list, while the router still substitutes variables, merges every source's markers and looks a
// trace up in every source (the picked one first). Thread-safe as the router is.
class PinnedSource : public DataSource, public TraceSummarySource
{
public:
    PinnedSource(std::shared_ptr<SourceRouter> router, std::string id);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override;
    SourceCapabilities capabilitiesFor(const Query &q) const override;
    std::string compile(const Query &q, const TimeRange &range) const override;
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    bool queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                    const std::function<void(const Frame &)> &page) override;
    std::vector<FieldSummary> summarizeFields(const Query &q, const TimeRange &range,
        const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markersLeavingOut(const TimeRange &range, const CancelTokenPtr &cancel,
                                          std::vector<std::string> &leftOut) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;
    std::optional<std::vector<TraceSummary>> traceSummaries(const std::vector<std::string> &traceIds,
                                                            const CancelTokenPtr &cancel) override;

private:
    Query pinned(const Query &q) const; // q on the picked source unless it names its own
    DataSourcePtr picked() const;       // throws when the source cannot be made

    std::shared_ptr<SourceRouter> m_router;
    std::string m_id;
};

} // namespace fd
