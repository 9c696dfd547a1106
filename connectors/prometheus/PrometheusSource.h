#pragma once
#include "PromDeployMarkers.h"
#include "PromQlCompiler.h"
#include "PromResponse.h"
#include "connectors/http/SourceHttp.h"
#include "connectors/http/Url.h"
#include "models/Credential.h"
#include "models/DataSource.h"
#include <memory>

namespace fd {

struct PrometheusConfig {
    std::string url; // http(s)://host:port[/prefix]
    HttpHeaders headers; // e.g. Authorization, X-Scope-OrgID
    HttpOptions http;
    DurationNs scrapeInterval = 15 * kSecond; // sizes rate() windows
    std::string credentialId; // empty: no Authorization
    std::shared_ptr<SecretStore> secrets; // read once, at the first request that needs the credential
    PromDeploySpec deploys; // markers() follows this query's version label
};

// Anything that speaks the Prometheus HTTP API (Prometheus, VictoriaMetrics, Thanos, Mimir, Cortex).
// Safe to use from several threads: each call is its own request.
class PrometheusSource : public DataSource
{
public:
    PrometheusSource(std::string id, PrometheusConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override
    {
        return { "PromQL", false, false, true, true, !m_config.deploys.query.empty() };
    }
    std::string compile(const Query &q, const TimeRange &range) const override;
    // Label names (of one metric's series when metricName is given).
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    // Values of a label ("__name__": metric names), of one metric's series when metricName is given.
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    // With an interval: /api/v1/query_range with that step (widened to stay under kMaxRangePoints);
    // without: /api/v1/query at the end of the range.
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    // Deploys and rollbacks seen as changes of the deploy query's version label (none without one).
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

    std::vector<std::string> labelNames(const CancelTokenPtr &cancel);
    std::vector<std::string> labelValues(const std::string &label, const CancelTokenPtr &cancel);
    std::vector<PromLabels> series(const std::string &match, const TimeRange &range, const CancelTokenPtr &cancel);
    Json buildInfo(const CancelTokenPtr &cancel);
    // /api/v1/metadata: {"metric": [{"type", "help", "unit"}]}, of one metric when given.
    Json metadata(const std::string &metric, const CancelTokenPtr &cancel);

private:
    // GET without form fields, POST (form-encoded) with them; returns the answer's data.
    Json call(const std::string &path, const FormFields &form, const CancelTokenPtr &cancel,
              std::vector<std::string> *warnings = nullptr);
    // A query or query_range answer as a frame of at most seriesLimit series, read as it streams when it can.
    Frame queryFrame(const std::string &path, const FormFields &form, std::size_t seriesLimit,
                     const CancelTokenPtr &cancel, std::vector<std::string> &warnings);
    // The first and last buckets of a range that starts or ends inside them, counted over their part in the range
    // alone, as the store's and ClickHouse's are (exploratory test: 15 where 8 samples lay in the range).
    void keepPartialBucketsWithin(Frame &f, const Query &q, const TimeRange &range, DurationNs step,
                                  const CancelTokenPtr &cancel, std::vector<std::string> &warnings);
    HttpReply send(const std::string &path, const FormFields &form, const CancelTokenPtr &cancel);
    Json answerData(const HttpReply &r, std::vector<std::string> *warnings);

    std::string m_id;
    PrometheusConfig m_config;
    PromQlCompiler m_compiler;
    SourceHttp m_http;
};

} // namespace fd
