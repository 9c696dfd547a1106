#include "JaegerSource.h"
#include "JaegerResponse.h"
#include "JaegerTraceDecoder.h"
#include "connectors/http/JsonAnswer.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/SideBySide.h"
#include "models/Time.h"
#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace fd {

namespace {

using Api = JaegerConfig::Api;

bool hasMember(const std::string &body, const char *key)
{
    try {
        const Json j = parseAnswerJson(body);
        return j.is_object() && j.contains(key);
    } catch (const Error &) { // nested too deep: no such answer
        return false;
    }
}

// Why a probe's answer is no list of services under key: "" when it is one.
std::string notAServiceList(const HttpReply &r, const char *key)
{
    const std::string status = "HTTP " + std::to_string(r.status) + ": ";
    if (!r.ok())
        return status + bodyExcerpt(r.body);
    try {
        const Json j = parseAnswerJson(r.body);
        if (j.is_discarded())
            return status + notJsonAnswer(r.body, "Jaeger query service");
        return j.is_object() && j.contains(key) ? "" : status + "no \"" + key + "\" in " + bodyExcerpt(r.body);
    } catch (const Error &e) { // nested too deep
        return status + e.what();
    }
}

// The spans of one OTLP answer, one list per trace, in order of first appearance.
std::vector<std::vector<Span>> byTrace(std::vector<Span> spans)
{
    std::vector<std::vector<Span>> traces;
    std::map<std::string, std::size_t> index;
    for (Span &s : spans) {
        const auto [it, added] = index.emplace(s.traceId, traces.size());
        if (added)
            traces.emplace_back();
        traces[it->second].push_back(std::move(s));
    }
    return traces;
}

} // namespace

JaegerSource::JaegerSource(std::string id, JaegerConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_http(m_id, m_config.http)
{
    if (m_config.api != Api::Auto)
        m_api = m_config.api;
}

std::optional<Json> JaegerSource::get(const std::string &target, const CancelTokenPtr &cancel)
{
    const HttpReply r = m_http.get(target, cancel);
    return jaegerAnswer(r.status, r.body, m_http.where(target));
}

Api JaegerSource::api(const CancelTokenPtr &cancel)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_api)
            return *m_api;
    }
    Api found = Api::V1;
    const HttpReply v1 = m_http.get("/api/services", cancel);
    if (!v1.ok() && v1.status != 404)
        jaegerAnswer(v1.status, v1.body, m_http.where("/api/services")); // throws the engine's own error
    if (const std::string v1Problem = notAServiceList(v1, "data"); !v1Problem.empty()) {
        const HttpReply v3 = m_http.get("/api/v3/services", cancel);
        if (!v3.ok() && v3.status != 404)
            jaegerAnswer(v3.status, v3.body, m_http.where("/api/v3/services"));
        if (!notAServiceList(v3, "services").empty())
            throw Error("source \"" + m_id + "\": " + m_http.baseUrl()
                + " does not answer as a Jaeger query service (neither /api/services nor /api/v3/services); "
                  "/api/services answered " + v1Problem);
        found = Api::V3;
    }
    const std::lock_guard lock(m_mutex);
    m_api = found;
    return found;
}

std::vector<std::string> JaegerSource::services(const CancelTokenPtr &cancel)
{
    const auto now = std::chrono::steady_clock::now();
    {
        const std::lock_guard lock(m_mutex);
        if (m_services && now - m_servicesRead < kServicesKept)
            return *m_services;
    }
    const std::string target = api(cancel) == Api::V3 ? "/api/v3/services" : "/api/services";
    const std::optional<Json> answer = get(target, cancel);
    std::vector<std::string> names = answer ? jaegerNames(*answer, m_http.where(target)) : std::vector<std::string>();
    std::sort(names.begin(), names.end());
    const std::lock_guard lock(m_mutex);
    if (!names.empty()) // a Jaeger that has no traces yet has its first service soon
        m_services = names;
    m_servicesRead = now;
    return names;
}

std::vector<std::string> JaegerSource::operations(const std::string &service, const CancelTokenPtr &cancel)
{
    const std::string target = api(cancel) == Api::V3 ? "/api/v3/operations?service=" + urlEncode(service)
                                                       : "/api/services/" + urlEncode(service) + "/operations";
    const std::optional<Json> answer = get(target, cancel);
    std::vector<std::string> names = answer ? jaegerNames(*answer, m_http.where(target)) : std::vector<std::string>();
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::string JaegerSource::compile(const Query &q, const TimeRange &range) const
{
    const JaegerSearch s = JaegerSearch::compile(q);
    Api api = Api::V1;
    {
        const std::lock_guard lock(m_mutex);
        api = m_api.value_or(Api::V1);
    }
    const std::string text = "GET " + (api == Api::V3 ? s.v3Target(range) : s.v1Target(range));
    return s.service.empty() && s.raw.empty() ? text + "  (once per service)" : text;
}

std::vector<std::string> JaegerSource::servicesFor(const JaegerSearch &s, const CancelTokenPtr &cancel,
                                                   ServicesLeft *left)
{
    if (!s.service.empty() || !s.raw.empty())
        return { s.service };
    std::vector<std::string> all = services(cancel);
    if (all.size() > kMaxServices) {
        left->count = all.size() - kMaxServices;
        all.resize(kMaxServices);
    }
    return all;
}

bool JaegerSource::timeoutPassed(std::chrono::steady_clock::time_point started) const
{
    return std::chrono::steady_clock::now() - started >= m_config.http.http.totalTimeout;
}

std::vector<std::string> JaegerSource::leftNotes(const ServicesLeft &left) const
{
    std::vector<std::string> notes;
    if (left.count > 0) {
        const std::string why = left.outOfTime
            ? "Jaeger: the search stopped when the source's timeout (" + formatDuration(std::chrono::nanoseconds(m_config.http.http.totalTimeout).count()).toStdString()
                + ") had passed; "
            : "Jaeger: searched the first " + std::to_string(kMaxServices) + " services by name; ";
        notes.push_back(why + std::to_string(left.count)
                        + " more were not searched (filter by service.name to search one of them)");
    }
    if (!left.failed.empty()) {
        std::string names;
        for (const auto &[service, error] : left.failed)
            names += (names.empty() ? "" : ", ") + service;
        notes.push_back("Jaeger: " + std::to_string(left.failed.size()) + " of " + std::to_string(left.searched)
                        + " services could not be searched, and their traces are missing (" + names
                        + "); the first said: " + left.failed.front().second);
    }
    return notes;
}

std::vector<std::vector<Span>> JaegerSource::searchOne(
    const JaegerSearch &s, const TimeRange &range, const CancelTokenPtr &cancel, std::vector<std::string> *notes)
{
    const bool v3 = api(cancel) == Api::V3;
    const std::string target = v3 ? s.v3Target(range) : s.v1Target(range);
    const std::optional<Json> answer = get(target, cancel); // 404: "No traces found"
    // One note says it: a search over every service would add one per service (review)
    if (const std::string note = answer ? jaegerPartialNote(*answer, m_http.where(target)) : ""; !note.empty() && notes && notes->empty())
        notes->push_back(note);
    if (v3)
        return answer ? byTrace(decodeAt(m_http.where(target), [&] { return decodeJaegerOtlpTrace(*answer); }))
                      : std::vector<std::vector<Span>>();
    std::vector<std::vector<Span>> traces;
    const Json data = answer ? answer->value("data", Json()) : Json();
    if (!data.is_null() && !data.is_array())
        throw Error(m_http.where(target) + ": \"data\" is not a list of traces");
    for (const Json &t : data.is_array() ? data : Json::array())
        traces.push_back(decodeAt(m_http.where(target), [&] { return decodeJaegerTrace(t); }));
    return traces;
}

template<typename Found>
std::vector<std::optional<Found>> JaegerSource::searchEach(const std::vector<std::string> &services,
    std::chrono::steady_clock::time_point started, const std::function<Found(const std::string &)> &searchService,
    ServicesLeft *left) const
{
    std::vector<std::optional<Found>> found(services.size());
    std::vector<std::exception_ptr> failed(services.size());
    std::vector<std::string> why(services.size());
    std::atomic<std::size_t> answered{0}, failing{0};
    runSideBySide(services.size(), kServicesSideBySide, [&](std::size_t i) {
        // nor once the first services asked have all failed: a Jaeger down or refusing the credential (review)
        if (timeoutPassed(started) || (answered == 0 && failing >= kServicesSideBySide))
            return;
        try {
            found[i] = searchService(services[i]);
            ++answered;
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) { // the other services' traces are still worth showing (exploratory test)
            failed[i] = std::current_exception();
            why[i] = e.what();
            ++failing;
        }
    });
    std::size_t begun = 0, failures = 0;
    for (std::size_t i = 0; i < services.size(); ++i) {
        begun += found[i] || failed[i] ? 1 : 0;
        failures += failed[i] ? 1 : 0;
        if (failed[i])
            left->failed.emplace_back(services[i], why[i]);
    }
    if (failures > 0 && failures == begun) // no service answered: the search failed
        std::rethrow_exception(*std::find_if(failed.begin(), failed.end(), [](const auto &e) { return bool(e); }));
    left->searched += begun;
    if (begun < services.size())
        left->stoppedForTime(services.size() - begun);
    return found;
}

std::vector<std::vector<Span>> JaegerSource::search(const JaegerSearch &s, const TimeRange &range,
    const CancelTokenPtr &cancel, ServicesLeft *left, std::vector<std::string> *notes, bool *atLimit)
{
    std::mutex notesMutex;
    const auto one = [&](const std::string &service) {
        throwIfCancelled(cancel);
        JaegerSearch forService = s;
        forService.service = service;
        std::vector<std::string> itsNotes;
        std::vector<std::vector<Span>> traces = searchOne(forService, range, cancel, &itsNotes);
        const std::lock_guard lock(notesMutex);
        if (notes && notes->empty())
            *notes = std::move(itsNotes); // one note says it: a search over every service would add one per service
        if (atLimit && s.raw.empty() && traces.size() >= std::size_t(std::max(s.limit, 1)))
            *atLimit = true;
        return traces;
    };
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::vector<Span>> out;
    std::unordered_set<std::string> seen;
    for (std::optional<std::vector<std::vector<Span>>> &traces :
         searchEach<std::vector<std::vector<Span>>>(servicesFor(s, cancel, left), started, one, left)) {
        if (!traces)
            continue;
        for (std::vector<Span> &trace : *traces)
            if (!trace.empty() && seen.insert(trace.front().traceId).second)
                out.push_back(std::move(trace));
    }
    return out;
}

std::optional<std::vector<TraceSummary>> JaegerSource::summaries(
    const JaegerSearch &s, const TimeRange &range, const CancelTokenPtr &cancel, ServicesLeft *left)
{
    std::atomic<bool> noEndpoint{false};
    const auto one = [&](const std::string &service) {
        if (noEndpoint)
            return std::vector<TraceSummary>();
        JaegerSearch forService = s;
        forService.service = service;
        const std::string target = forService.v3Target(range, "/api/v3/trace-summaries");
        const HttpReply r = m_http.get(target, cancel);
        if (r.status == 404 && !hasMember(r.body, "error")) {
            noEndpoint = true;
            return std::vector<TraceSummary>();
        }
        const std::optional<Json> answer = jaegerAnswer(r.status, r.body, m_http.where(target));
        return answer ? decodeAt(m_http.where(target), [&] { return decodeJaegerSummaries(*answer); })
                      : std::vector<TraceSummary>();
    };
    const auto started = std::chrono::steady_clock::now();
    std::vector<TraceSummary> out;
    std::unordered_set<std::string> seen;
    for (std::optional<std::vector<TraceSummary>> &found :
         searchEach<std::vector<TraceSummary>>(servicesFor(s, cancel, left), started, one, left)) {
        if (!found)
            continue;
        for (TraceSummary &t : *found)
            if (seen.insert(t.traceId).second)
                out.push_back(std::move(t));
    }
    if (noEndpoint) {
        m_noSummaries = true; // an older Jaeger: summarize whole traces instead
        *left = {};
        return std::nullopt;
    }
    return out;
}

Frame JaegerSource::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    JaegerSearch s;
    s.limit = limit;
    std::optional<std::vector<TraceSummary>> found;
    ServicesLeft left;
    std::vector<std::string> notes;
    if (api(cancel) == Api::V3 && !m_noSummaries)
        found = summaries(s, range, cancel, &left);
    if (!found) {
        found.emplace();
        for (const std::vector<Span> &trace : search(s, range, cancel, &left, &notes))
            found->push_back(summarizeTrace(trace));
    }
    Frame f = traceSummariesFrame(std::move(*found), limit);
    f.notes = std::move(notes);
    for (std::string &note : leftNotes(left))
        f.notes.push_back(std::move(note));
    return f;
}

Frame JaegerSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const JaegerSearch s = JaegerSearch::compile(q);
    std::vector<Span> rows;
    ServicesLeft left;
    bool atLimit = false;
    std::vector<std::string> notes;
    for (std::vector<Span> &trace : search(s, range, cancel, &left, &notes, &atLimit))
        for (Span &span : trace)
            // whole traces come: their spans outside the range are none (a raw query's own start and end rule)
            if (s.matches(span) && (!s.raw.empty() || range.contains(span.start)))
                rows.push_back(std::move(span));
    std::stable_sort(rows.begin(), rows.end(), [](const Span &a, const Span &b) { return a.start > b.start; });
    const std::size_t total = rows.size();
    const bool cut = q.limit > 0 && rows.size() > std::size_t(q.limit);
    if (cut)
        rows.resize(std::size_t(q.limit));
    Frame f = spanRowsFrame(rows);
    f.total = std::int64_t(total);
    // as many traces as the limit may have left others out, even when the range kept fewer rows (review)
    f.truncated = cut || atLimit;
    f.nativeQuery = compile(q, range);
    f.notes = std::move(notes);
    for (std::string &note : leftNotes(left))
        f.notes.push_back(std::move(note));
    return f;
}

std::vector<Span> JaegerSource::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    const std::string id = paddedHexId(traceId, 32);
    if (id.empty())
        throw Error("source \"" + m_id + "\": \"" + traceId + "\" is not a trace id (1 to 32 hex digits)");
    if (api(cancel) == Api::V3) {
        const std::string target = "/api/v3/traces/" + id;
        const std::optional<Json> answer = get(target, cancel);
        return answer ? decodeAt(m_http.where(target), [&] { return decodeJaegerOtlpTrace(*answer); }) : std::vector<Span>();
    }
    const std::string target = "/api/traces/" + id;
    const std::optional<Json> answer = get(target, cancel);
    const Json data = answer ? answer->value("data", Json()) : Json();
    std::vector<Span> spans;
    for (const Json &t : data.is_array() ? data : Json::array())
        for (Span &s : decodeAt(m_http.where(target), [&] { return decodeJaegerTrace(t); }))
            spans.push_back(std::move(s));
    std::stable_sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    return spans;
}

std::vector<std::string> JaegerSource::fieldNames(Signal signal, const std::string &, const TimeRange &, const CancelTokenPtr &)
{
    return { "service.name", "name", "duration_ms", "status", "kind" };
}

std::vector<FieldValue> JaegerSource::fieldValues(
    Signal signal, const std::string &field, const std::string &metricName, const TimeRange &, const CancelTokenPtr &cancel)
{
    std::vector<std::string> names;
    if (field == "service.name" || field == "service") {
        names = services(cancel);
    } else if (field == "name") {
        std::set<std::string> all;
        ServicesLeft left; // operation names for completion: those of the first services will do
        for (const std::string &service :
            metricName.empty() ? servicesFor(JaegerSearch {}, cancel, &left) : std::vector<std::string> { metricName }) {
            throwIfCancelled(cancel);
            for (std::string &op : operations(service, cancel))
                all.insert(std::move(op));
        }
        names.assign(all.begin(), all.end());
    } else if (field == "status") {
        names = { "error" };
    } else if (field == "kind") {
        names = { "server", "client", "producer", "consumer", "internal" };
    }
    std::vector<FieldValue> values;
    for (std::string &n : names)
        values.push_back({ std::move(n), 0 });
    return values;
}

} // namespace fd
