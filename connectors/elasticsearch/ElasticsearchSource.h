#pragma once
#include "EsQueryBuilder.h"
#include "EsResponse.h"
#include "connectors/http/SourceHttp.h"
#include "models/DataSource.h"

namespace fd {

struct ElasticsearchConfig : HttpSourceConfig {
    std::string index = "logs-*"; // an index, a pattern or a comma-separated list
    EsFields fields;
    std::size_t pageSize = 1000; // hits per _search request (at most index.max_result_window, 10000)
};

// Elasticsearch or OpenSearch through _search: documents newest first (or oldest first), paged with search_after;
// aggregates as date_histogram and terms aggregations; fields from _mapping. A raw query is Lucene
// query_string syntax, or a Query DSL clause when it starts with "{"; the time range still applies.
// Safe to use from several threads: each call is its own requests.
class ElasticsearchSource : public DataSource
{
public:
    ElasticsearchSource(std::string id, ElasticsearchConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override
    {
        SourceCapabilities c { "Elasticsearch", true, false, false, false, false, true };
        c.timeResolution = kMillisecond; // it sorts a date to the millisecond (a row's time keeps its digits)
        return c;
    }
    // The _search body that query() sends first.
    std::string compile(const Query &q, const TimeRange &range) const override;
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

private:
    // Pages with search_after [oldest sort value + 1] (ascending: [newest - 1]), so that documents sharing
    // the boundary millisecond are not lost, dropping the ids already kept, until the query's limit.
    Frame logs(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel);
    Frame aggregate(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel);
    // POST a _search body (GET without one); the answer, or an error with ES's reason.
    Json call(const std::string &path, const Json &body, const CancelTokenPtr &cancel);
    std::string searchPath(const std::string &params) const;

    std::string m_id;
    ElasticsearchConfig m_config;
    EsQueryBuilder m_builder;
    SourceHttp m_http;
};

} // namespace fd
