#pragma once
#include "connectors/http/SourceHttp.h"
#include "models/DataSource.h"

namespace fd {

struct TempoConfig {
    HttpSourceConfig http;
    std::string tenant; // sent as X-Scope-OrgID when set
};

// Grafana Tempo through its HTTP API: TraceQL search for spans and traces, traces by id (v2),
// tags and tag values (v2) for completion, TraceQL metrics for raw metrics queries. Safe to use from
// several threads: each call is its own request.
class TempoSource : public DataSource
{
public:
    TempoSource(std::string id, TempoConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override { return { "TraceQL", false, true, true, false, false }; }
    // The TraceQL query() sends.
    std::string compile(const Query &q, const TimeRange &range) const override;
    // Scoped attribute names (span.x, resource.x) and intrinsics, as TraceQL and the query form take them.
    std::vector<std::string> fieldNames(Signal signal, const std::string &metricName, const TimeRange &range,
        const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    // Spans: /api/search, the matched spans newest first. Metrics: a raw TraceQL metrics query through
    // /api/metrics/query_range with the interval as step (or about 200 points), as a Prometheus-like matrix.
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

private:
    // The JSON of GET target; plain-text errors become fd::Error with Tempo's message.
    Json get(const std::string &target, const CancelTokenPtr &cancel);
    // spansPerSet: Tempo's spss, the matching spans returned a trace (0: the server's default, 3).
    Json search(const std::string &traceQl, const TimeRange &range, int limit, const CancelTokenPtr &cancel,
                int spansPerSet = 0);
    static constexpr int kMaxSpansPerSet = 100; // Tempo's default max_spans_per_span_set

    std::string m_id;
    TempoConfig m_config;
    SourceHttp m_http;
};

} // namespace fd
