#include "TempoSource.h"
#include "TempoResponse.h"
#include "TraceQlCompiler.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/http/Url.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include <algorithm>

namespace fd {

namespace {

// Tempo takes Unix seconds; the range is widened to whole seconds.
FormFields rangeFields(const TimeRange &range)
{
    return { { "start", std::to_string(alignDown(range.from, kSecond) / kSecond) },
        { "end", std::to_string(alignDown(range.to + kSecond - 1, kSecond) / kSecond) } };
}

} // namespace

TempoSource::TempoSource(std::string id, TempoConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_http(m_id, withTenant(m_config.http, m_config.tenant))
{
}

Json TempoSource::get(const std::string &target, const CancelTokenPtr &cancel)
{
    const HttpReply r = m_http.get(target, cancel);
    return tempoAnswer(r.status, r.body, m_http.where(target));
}

std::string TempoSource::compile(const Query &q, const TimeRange &) const
{
    if (q.signal == Signal::Metrics && q.raw.empty())
        throw Error(std::string("Tempo metrics take a raw TraceQL metrics query, e.g. {} | rate() by (resource.service.name)"));
    return q.signal == Signal::Metrics ? q.raw : TraceQlCompiler::compile(q);
}

Json TempoSource::search(const std::string &traceQl, const TimeRange &range, int limit, const CancelTokenPtr &cancel,
                         int spansPerSet)
{
    FormFields f = { { "q", traceQl } };
    for (auto &field : rangeFields(range))
        f.push_back(std::move(field));
    if (limit > 0)
        f.emplace_back("limit", std::to_string(limit));
    if (spansPerSet > 0)
        f.emplace_back("spss", std::to_string(spansPerSet));
    return get("/api/search?" + formEncode(f), cancel);
}

Frame TempoSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::string traceQl = compile(q, range);
    if (q.signal == Signal::Metrics) {
        const DurationNs step = q.interval > 0 ? q.interval : std::max(kSecond, niceInterval(range.length(), 200));
        FormFields f = { { "q", traceQl } };
        for (auto &field : rangeFields(range))
            f.push_back(std::move(field));
        f.emplace_back("step", formatGoDuration(step));
        const std::string target = "/api/metrics/query_range?" + formEncode(f);
        const Json answer = get(target, cancel);
        Frame frame = decodeAt(m_http.where(target), [&] {
            return decodeTempoMetrics(answer, q.limit > 0 ? std::size_t(q.limit) : std::size_t(-1));
        });
        frame.nativeQuery = traceQl;
        return frame;
    }
    // Tempo returns 3 matching spans a trace unless asked (spss); its default server limit is 100.
    const int spansPerSet = std::clamp(q.limit > 0 ? q.limit : kMaxSpansPerSet, 3, kMaxSpansPerSet);
    const Json answer = search(traceQl, range, q.limit, cancel, spansPerSet);
    std::vector<Span> rows = decodeAt(m_http.where("/api/search"), [&] { return decodeTempoMatchedSpans(answer); });
    // Tempo searches whole seconds and answers traces that reach into the range: their spans outside it are none
    std::erase_if(rows, [&](const Span &span) { return !range.contains(span.start); });
    const std::int64_t leftOut = decodeAt(m_http.where("/api/search"), [&] { return tempoSpansLeftOut(answer); });
    std::stable_sort(rows.begin(), rows.end(), [](const Span &a, const Span &b) { return a.start > b.start; });
    const std::size_t total = rows.size();
    // Tempo's limit counts traces: as many traces as the limit may have left others out.
    const std::size_t traces = answer.contains("traces") && answer["traces"].is_array() ? answer["traces"].size() : 0;
    const bool truncated = (q.limit > 0 && (rows.size() > std::size_t(q.limit) || traces >= std::size_t(q.limit)))
                           || leftOut > 0;
    if (q.limit > 0 && rows.size() > std::size_t(q.limit))
        rows.resize(std::size_t(q.limit));
    Frame f = spanRowsFrame(rows);
    f.total = saturatedAdd(std::int64_t(total), leftOut);
    f.truncated = truncated;
    f.nativeQuery = traceQl;
    if (leftOut > 0)
        f.notes.push_back("Tempo: " + std::to_string(leftOut) + " more matching spans were not returned (at most "
                          + std::to_string(spansPerSet) + " a trace)");
    return f;
}

Frame TempoSource::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    const Json answer = search("{}", range, limit, cancel);
    return traceSummariesFrame(decodeAt(m_http.where("/api/search"), [&] { return decodeTempoSearch(answer); }), limit);
}

std::vector<Span> TempoSource::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    const std::string id = paddedHexId(traceId, 32);
    if (id.empty())
        throw Error("source \"" + m_id + "\": \"" + traceId + "\" is not a trace id (1 to 32 hex digits)");
    const std::string target = "/api/v2/traces/" + id;
    const HttpReply r = m_http.get(target, cancel);
    if (r.status == 404)
        return {};
    const Json answer = tempoAnswer(r.status, r.body, m_http.where(target));
    return decodeAt(m_http.where(target), [&] { return decodeTempoTrace(answer).spans; });
}

std::vector<std::string> TempoSource::fieldNames(Signal signal, const std::string &, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::string target = "/api/v2/search/tags?" + formEncode(rangeFields(range));
    const Json answer = get(target, cancel);
    std::vector<std::string> names = decodeAt(m_http.where(target), [&] { return decodeTempoTagNames(answer); });
    names.insert(names.begin(), "service.name");
    std::stable_sort(names.begin() + 1, names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::vector<FieldValue> TempoSource::fieldValues(
    Signal signal, const std::string &field, const std::string &, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::string target = "/api/v2/search/tag/" + urlEncode(TraceQlCompiler::field(field)) + "/values?"
        + formEncode(rangeFields(range));
    const Json answer = get(target, cancel);
    std::vector<FieldValue> values;
    for (std::string &v : decodeAt(m_http.where(target), [&] { return decodeTempoTagValues(answer); }))
        values.push_back({ std::move(v), 0 });
    return values;
}

} // namespace fd
