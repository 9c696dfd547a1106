#pragma once
#include "LogQlCompiler.h"
#include "LokiResponse.h"
#include "connectors/http/SourceHttp.h"
#include "connectors/http/Url.h"
#include "models/DataSource.h"

namespace fd {

struct LokiConfig : HttpSourceConfig {
    std::string tenant; // sent as X-Scope-OrgID when set
    LokiFields fields;
    // Lines per query_range request: at most the server's max_entries_limit_per_query (5000 by default).
    std::size_t pageLines = 5000;
};

// Grafana Loki through its HTTP API. Logs come newest first (or oldest first, direction=forward) from
// query_range, paged past the server's line limit; aggregates are LogQL metric queries; the answers' statistics become notes on the frame.
// Safe to use from several threads: each call is its own requests.
class LokiSource : public DataSource
{
public:
    LokiSource(std::string id, LokiConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override { return { "LogQL", true, false, false, false, false, true }; }
    std::string compile(const Query &q, const TimeRange &range) const override;
    // Label names (stream labels as their fields: service_name -> service.name).
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

private:
    // Pages backwards from the end of the range (end = the oldest line seen + 1 ns, the lines already kept
    // at that nanosecond dropped), or forwards from its start for Query::oldestFirst (start = the newest
    // line seen), until the query's limit; a raw metric query's matrix is returned as is.
    Frame logs(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel);
    Frame metric(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel);
    // A GET with the parameters; an error status throws with Loki's (plain text) message.
    Json call(const std::string &path, const FormFields &params, const CancelTokenPtr &cancel,
              std::vector<std::string> *warnings = nullptr);
    DurationNs step(const Query &q, const TimeRange &range) const;

    std::string m_id;
    LokiConfig m_config;
    LogQlCompiler m_compiler;
    SourceHttp m_http;
};

} // namespace fd
