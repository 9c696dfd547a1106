#pragma once
#include "DataSource.h"
#include "TraceSummarySource.h"
#include "Variables.h"
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace fd {

// The sources of a workspace behind one DataSource: a query runs on its own `source` (a board's tiles
// may read Prometheus and the store side by side); one that names none runs on the default source, or
// on the first source that holds its signal when the default does not (logs in Loki, traces in Tempo).
// A trace is looked up in every source that holds spans, so a trace id found in Loki opens from Tempo.
// Sources are made on first use, so a workspace with a source that is down still opens. Thread-safe.
class SourceRouter : public DataSource, public TraceSummarySource
{
public:
    using Factory = std::function<DataSourcePtr(const std::string &id)>;

    // ids in workspace order; defaultId answers markers, traces and queries that name no source.
    SourceRouter(std::vector<std::string> ids, std::string defaultId, Factory factory);

    // Throws fd::Error for an unknown id or a source that cannot be made.
    DataSourcePtr source(const std::string &id);
    const std::vector<std::string> &ids() const { return m_ids; }
    const std::string &defaultId() const { return m_defaultId; }
    // The default source when it holds the signal, else the first that does, else the default.
    DataSourcePtr sourceForSignal(Signal signal) const;

    // Markers kept by the workspace itself (its incidents), merged into markers(); a source's marker of
    // the same kind, service and time wins, so an incident also marked in the store counts once.
    void setWorkspaceMarkers(std::vector<Marker> markers);
    // Values for `$name` in every query (see Variables.h).
    void setVariables(Variables variables);
    Variables variables() const;

    std::string id() const override { return m_defaultId; }
    SourceCapabilities capabilities() const override;
    SourceCapabilities capabilitiesFor(const Query &q) const override;
    std::string compile(const Query &q, const TimeRange &range) const override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldSummary> summarizeFields(const Query &q, const TimeRange &range,
        const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel) override;
    bool queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                    const std::function<void(const Frame &)> &page) override;
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    // The default source's markers fail all the same: they are the workspace's own.
    std::vector<Marker> markersLeavingOut(const TimeRange &range, const CancelTokenPtr &cancel,
                                          std::vector<std::string> &leftOut) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    // As trace(), asking `firstId` first (a source picked in a view) instead of the default source.
    std::vector<Span> traceFrom(const std::string &firstId, const std::string &traceId, const CancelTokenPtr &cancel);
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    // From the source that answers spans queries, when it is a TraceSummarySource.
    std::optional<std::vector<TraceSummary>> traceSummaries(const std::vector<std::string> &traceIds,
                                                            const CancelTokenPtr &cancel) override;

private:
    // Every source's markers and the workspace's; a source that fails fails them all when leftOut is null.
    std::vector<Marker> allMarkers(const TimeRange &range, const CancelTokenPtr &cancel, std::vector<std::string> *leftOut);
    DataSourcePtr sourceFor(const Query &q) const;
    DataSourcePtr rowSourceFor(const Query &q) const; // throws when it cannot order the rows as asked
    DataSourcePtr made(const std::string &id) const;
    void addWorkspaceMarkers(std::vector<Marker> &all, const TimeRange &range) const;

    std::vector<std::string> m_ids;
    std::string m_defaultId;
    Factory m_factory;
    mutable std::mutex m_mutex;
    mutable std::map<std::string, DataSourcePtr> m_made;
    std::vector<Marker> m_workspaceMarkers; // guarded by m_mutex
    Variables m_variables; // guarded by m_mutex
};

} // namespace fd
