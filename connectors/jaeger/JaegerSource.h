#pragma once
#include "JaegerQuery.h"
#include "connectors/http/SourceHttp.h"
#include "models/DataSource.h"
#include "models/TraceFrames.h"
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

namespace fd {

struct JaegerConfig {
    HttpSourceConfig http;
    enum class Api { Auto, V1, V3 };
    Api api = Api::Auto; // Auto: the internal API when /api/services answers, else v3
};

// A Jaeger query service (1.x or 2.x) through its internal HTTP API (/api/...) or its v3 API
// (/api/v3/..., OTLP/JSON). Which one the server speaks is probed once. A search without a service
// runs once per service (Jaeger requires one). Safe to use from several threads.
class JaegerSource : public DataSource
{
public:
    // A search without a service asks at most this many services.
    static constexpr std::size_t kMaxServices = 50;
    // A search over all services asks this many at once (50 one after another had taken 50 round trips).
    static constexpr std::size_t kServicesSideBySide = 4;
    // The list of services is asked again after this long (a search, then completion, had each asked for it).
    static constexpr std::chrono::seconds kServicesKept{60};

    JaegerSource(std::string id, JaegerConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override { return { "Jaeger", false, true, false, false, false }; }
    // The request query() sends (the first one, when it asks every service).
    std::string compile(const Query &q, const TimeRange &range) const override;
    // service.name, name, duration_ms, status, kind: what a search can filter on.
    std::vector<std::string> fieldNames(Signal signal, const std::string &metricName, const TimeRange &range,
        const CancelTokenPtr &cancel) override;
    // Services for service.name; operations for name (of the service given as metricName, else of all).
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
        const TimeRange &range, const CancelTokenPtr &cancel) override;
    // The matching spans of the traces found, newest first, at most q.limit rows.
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

    // Probes once (then remembers) unless the config forces an API; throws when neither answers.
    JaegerConfig::Api api(const CancelTokenPtr &cancel);
    std::vector<std::string> services(const CancelTokenPtr &cancel);
    std::vector<std::string> operations(const std::string &service, const CancelTokenPtr &cancel);

private:
    // The parsed answer of GET target; nullopt for a 404.
    std::optional<Json> get(const std::string &target, const CancelTokenPtr &cancel);
    // The services a search over all of them left out: past kMaxServices, or once the source's timeout had passed
    // (a search per service, each within the timeout, had taken 50 times as long: exploratory test).
    struct ServicesLeft {
        std::size_t count = 0;
        bool outOfTime = false;
        std::vector<std::pair<std::string, std::string>> failed; // a service whose search failed, and why
        std::size_t searched = 0; // the services asked
        void stoppedForTime(std::size_t remaining)
        {
            count += remaining;
            outOfTime = true;
        }
    };
    // Every trace the search finds, over all services when it names none.
    // *left: the services left out of a search over all of them; *atLimit, when given:
    // whether a service's search returned as many traces as the limit (Jaeger's limit counts traces: more may be).
    // *notes gets the answers that came with errors beside their traces.
    std::vector<std::vector<Span>> search(const JaegerSearch &s, const TimeRange &range, const CancelTokenPtr &cancel,
                                          ServicesLeft *left, std::vector<std::string> *notes, bool *atLimit = nullptr);
    std::vector<std::vector<Span>> searchOne(
        const JaegerSearch &s, const TimeRange &range, const CancelTokenPtr &cancel, std::vector<std::string> *notes);
    // Over every service, from /api/v3/trace-summaries; nullopt when the server has no such endpoint.
    std::optional<std::vector<TraceSummary>> summaries(
        const JaegerSearch &s, const TimeRange &range, const CancelTokenPtr &cancel, ServicesLeft *left);
    // searchService(service) for each service, kServicesSideBySide at once, in the services' order; nullopt for a service
    // not begun before the source's timeout, counted from `started`, had passed, and for one whose search failed
    // (both said in *left). Throws the first service's error when every service asked failed.
    template<typename Found>
    std::vector<std::optional<Found>> searchEach(const std::vector<std::string> &services,
        std::chrono::steady_clock::time_point started, const std::function<Found(const std::string &)> &searchService,
        ServicesLeft *left) const;
    std::vector<std::string> servicesFor(const JaegerSearch &s, const CancelTokenPtr &cancel, ServicesLeft *left);
    // Whether a fan-out over the services that started at `started` has run past the source's timeout.
    bool timeoutPassed(std::chrono::steady_clock::time_point started) const;
    // The notes of a result that searched only some services, or of which some failed; none when all answered.
    std::vector<std::string> leftNotes(const ServicesLeft &left) const;

    std::string m_id;
    JaegerConfig m_config;
    SourceHttp m_http;
    mutable std::mutex m_mutex;
    std::optional<JaegerConfig::Api> m_api; // probed
    std::optional<std::vector<std::string>> m_services; // as read at m_servicesRead
    std::chrono::steady_clock::time_point m_servicesRead;
    std::atomic<bool> m_noSummaries { false }; // the v3 server has no /api/v3/trace-summaries
};

} // namespace fd
