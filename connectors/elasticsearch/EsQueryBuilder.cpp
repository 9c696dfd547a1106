#include "EsQueryBuilder.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Telemetry.h"
#include "models/Unexpressible.h"
#include <algorithm>
#include <cctype>
#include <functional>

namespace fd {

namespace {

using K = Aggregate::Kind;

// The level names documents use for each OpenTelemetry severity band (TRACE ... FATAL), in both cases.
const std::vector<std::vector<std::string>> kLevelNames = { { "trace" }, { "debug" }, { "info", "information" },
    { "warn", "warning" }, { "error", "err" }, { "fatal", "critical" } };

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

// The clause on each of the fields, any of them matching.
Json anyOf(const std::vector<std::string> &fields, const std::function<Json(const std::string &)> &clause)
{
    if (fields.size() == 1)
        return clause(fields.front());
    Json should = Json::array();
    for (const std::string &f : fields)
        should.push_back(clause(f));
    return { { "bool", { { "should", should }, { "minimum_should_match", 1 } } } };
}

// query_string syntax: the text as one quoted phrase.
std::string phrase(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

class Compilation
{
public:
    Compilation(const Query &q, const EsFields &fields)
        : m_q(q)
        , m_fields(fields)
    {
    }

    Json run(const TimeRange &range)
    {
        if (m_q.signal != Signal::Logs)
            m_unsupported.addSignal(m_q.signal, "this source reads log documents");
        if (!m_q.raw.empty())
            addRaw();
        for (const Condition &c : m_q.raw.empty() ? m_q.where : std::vector<Condition>())
            addCondition(c);
        if (!m_q.search.empty() && m_q.raw.empty())
            m_filter.push_back({ { "query_string", { { "query", phrase(m_q.search) }, { "fields", m_fields.body } } } });
        m_unsupported.throwIfAny();
        m_filter.push_back({ { "range",
            { { m_fields.time,
                { { "format", "epoch_millis" }, { "gte", EsQueryBuilder::firstMs(range) },
                    { "lte", EsQueryBuilder::lastMs(range) } } } } } });
        Json boolQuery = { { "filter", m_filter } };
        if (!m_mustNot.empty())
            boolQuery["must_not"] = m_mustNot;
        return { { "bool", boolQuery } };
    }

private:
    // Lucene query_string syntax, or a Query DSL clause in JSON.
    void addRaw()
    {
        if (!m_q.raw.starts_with('{')) {
            m_filter.push_back({ { "query_string", { { "query", m_q.raw } } } });
            return;
        }
        QString error;
        Json clause = parseJson(m_q.raw, &error);
        if (clause.is_discarded() || !clause.is_object())
            throw Error("the raw query is not a Query DSL object: " + error.toStdString());
        m_filter.push_back(std::move(clause));
    }

    void addCondition(const Condition &c)
    {
        if (c.field == "time" || c.field == m_fields.time) {
            m_unsupported.addCondition(c, "the time range sets the time");
            return;
        }
        const std::vector<std::string> fields = m_fields.of(c.field);
        if (c.field == "severity" && c.op != Op::Regex && c.op != Op::NotRegex && c.op != Op::Exists
            && c.op != Op::NotExists) {
            addSeverity(c, fields);
            return;
        }
        const Json value = c.value;
        switch (c.op) {
        case Op::Eq: m_filter.push_back(anyOf(fields, [&](const std::string &f) { return terms(f, Json::array({ value })); })); return;
        case Op::Ne: m_mustNot.push_back(anyOf(fields, [&](const std::string &f) { return terms(f, Json::array({ value })); })); return;
        case Op::Regex: m_filter.push_back(anyOf(fields, [&](const std::string &f) { return regexp(f, value); })); return;
        case Op::NotRegex: m_mustNot.push_back(anyOf(fields, [&](const std::string &f) { return regexp(f, value); })); return;
        case Op::Exists: m_filter.push_back(anyOf(fields, exists)); return;
        case Op::NotExists: m_mustNot.push_back(anyOf(fields, exists)); return;
        default: break;
        }
        const char *op = c.op == Op::Gt ? "gt" : c.op == Op::Ge ? "gte" : c.op == Op::Lt ? "lt" : "lte";
        m_filter.push_back(anyOf(fields, [&](const std::string &f) { return Json { { "range", { { f, { { op, value } } } } } }; }));
    }

    void addSeverity(const Condition &c, const std::vector<std::string> &fields)
    {
        const int number = severityOfValue(c.value); // "13" as 13, as the store reads it
        if (number < 1 || number > 24) {
            m_unsupported.addCondition(c, "use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24");
            return;
        }
        const int band = (number - 1) / 4;
        int low = band, high = band;
        if (c.op == Op::Gt || c.op == Op::Ge)
            low = c.op == Op::Gt ? band + 1 : band, high = 5;
        if (c.op == Op::Lt || c.op == Op::Le)
            low = 0, high = c.op == Op::Lt ? band - 1 : band;
        Json names = Json::array();
        for (int b = low; b <= high; ++b)
            for (const std::string &n : kLevelNames[std::size_t(b)])
                names.push_back(n), names.push_back(upper(n));
        Json clause = anyOf(fields, [&](const std::string &f) { return terms(f, names); });
        (c.op == Op::Ne ? m_mustNot : m_filter).push_back(std::move(clause));
    }

    static Json terms(const std::string &field, const Json &values) { return { { "terms", { { field, values } } } }; }
    static Json regexp(const std::string &field, const Json &value)
    {
        // `~` as Lucene reads it. Lucene matches whole values and has no anchors: the pattern is found anywhere,
        // unless it starts with ^ or ends with $ (which go, with the .* on that side); (?i) becomes
        // case_insensitive; flags NONE keeps @ & ~ # < > the characters they are in PCRE.
        std::string pattern = jsonValueText(value);
        requireValidPattern(pattern);
        const bool caseInsensitive = pattern.rfind("(?i)", 0) == 0;
        if (caseInsensitive)
            pattern.erase(0, 4);
        const bool fromStart = !pattern.empty() && pattern.front() == '^';
        if (fromStart)
            pattern.erase(0, 1);
        const bool toEnd = !pattern.empty() && pattern.back() == '$' && (pattern.size() < 2 || pattern[pattern.size() - 2] != '\\');
        if (toEnd)
            pattern.pop_back();
        Json query = { { "value", (fromStart ? "" : ".*") + ("(" + pattern + ")") + (toEnd ? "" : ".*") }, { "flags", "NONE" } };
        if (caseInsensitive)
            query["case_insensitive"] = true;
        return { { "regexp", { { field, query } } } };
    }
    static Json exists(const std::string &field) { return { { "exists", { { "field", field } } } }; }

    const Query &m_q;
    const EsFields &m_fields;
    Json m_filter = Json::array();
    Json m_mustNot = Json::array();
    Unexpressible m_unsupported{"Elasticsearch"};
};

// The metric aggregation inside the innermost bucket; null for count and rate (doc_count).
Json metricAggregation(Aggregate a, const EsFields &fields)
{
    if (!a.field.empty())
        a.field = fields.of(a.field).front();
    switch (a.kind) {
    case K::Sum: return { { "sum", { { "field", a.field } } } };
    case K::Avg: return { { "avg", { { "field", a.field } } } };
    case K::Min: return { { "min", { { "field", a.field } } } };
    case K::Max: return { { "max", { { "field", a.field } } } };
    case K::Percentile: return { { "percentiles", { { "field", a.field }, { "percents", Json::array({ a.percentile }) } } } };
    case K::CountDistinct: return { { "cardinality", { { "field", a.field } } } };
    default: return nullptr;
    }
}

// The bucket path of the "value" sub-aggregation for a terms order; a percentile is one value of several.
std::string metricOrderPath(const Aggregate &a)
{
    return a.kind == K::Percentile ? "value[" + Json(a.percentile).dump() + "]" : "value";
}

} // namespace

std::vector<std::string> EsFields::of(const std::string &field) const
{
    if (field == "body")
        return body;
    if (field == "severity" || field == "severity_text")
        return level;
    if (field == "service.name" || field == "service")
        return service;
    if (field == "trace_id")
        return traceId;
    if (field == "span_id")
        return spanId;
    return { field };
}

std::int64_t EsQueryBuilder::firstMs(const TimeRange &range)
{
    return alignDown(range.from, kMillisecond) / kMillisecond;
}

std::int64_t EsQueryBuilder::lastMs(const TimeRange &range)
{
    return alignDown(range.to - 1, kMillisecond) / kMillisecond;
}

Json EsQueryBuilder::query(const Query &q, const TimeRange &range) const
{
    return Compilation(q, m_fields).run(range);
}

Json EsQueryBuilder::logsBody(const Query &q, const TimeRange &range, std::size_t size, const Json &searchAfter) const
{
    Json body = { { "size", size }, { "query", query(q, range) },
        { "sort", Json::array({ { { m_fields.time, { { "order", q.oldestFirst ? "asc" : "desc" } } } } }) },
        // The time as the index maps it (epoch_second, a custom format, date_nanos) comes back in one form.
        { "docvalue_fields", Json::array({ { { "field", m_fields.time }, { "format", "epoch_millis" } } }) } };
    if (!searchAfter.is_null())
        body["search_after"] = searchAfter;
    return body;
}

Json EsQueryBuilder::aggregateBody(const Query &q, const TimeRange &range, DurationNs step) const
{
    const std::size_t groupSize = q.limit > 0 ? std::size_t(std::min(q.limit, 10'000)) : 100;
    Json inner = Json::object();
    const Json metric = metricAggregation(q.agg, m_fields);
    if (!metric.is_null())
        inner["value"] = metric;
    // Terms keep their largest buckets by count unless told otherwise: the top groups by a metric need its order.
    // An outer level is ordered by the metric over its whole bucket, so it needs the metric too (as Grafana does).
    const bool topByMetric = step <= 0 && !metric.is_null();
    for (std::size_t i = q.groupBy.size(); i-- > 0;) {
        Json terms = { { "terms", { { "field", m_fields.of(q.groupBy[i]).front() }, { "size", groupSize } } } };
        if (topByMetric) {
            terms["terms"]["order"] = { { metricOrderPath(q.agg), "desc" } };
            inner["value"] = metric;
        }
        if (!inner.empty())
            terms["aggregations"] = inner;
        inner = { { "group_" + std::to_string(i), terms } };
    }
    Json body = Json::object();
    if (step > 0) {
        // empty buckets up to now, none in the future (nor any for a range wholly in it)
        Json dateHistogram = Json::object();
        if (const TimeRange past = pastPart(range); past.length() > 0)
            dateHistogram["extended_bounds"] = { { "max", lastMs(past) }, { "min", firstMs(range) } };
        dateHistogram["field"] = m_fields.time;
        dateHistogram["fixed_interval"] = std::to_string(step / kMillisecond) + "ms";
        dateHistogram["min_doc_count"] = 0;
        Json histogram = { { "date_histogram", dateHistogram } };
        if (!inner.empty())
            histogram["aggregations"] = inner;
        body["aggregations"] = { { "time", histogram } };
    } else if (!inner.empty()) {
        body["aggregations"] = inner;
    }
    body["query"] = query(q, range);
    body["size"] = 0;
    if (step <= 0 && q.groupBy.empty())
        body["track_total_hits"] = true; // count and rate of the whole range read hits.total
    return body;
}

Json EsQueryBuilder::valuesBody(const std::string &field, const TimeRange &range, int size) const
{
    Query q;
    return { { "aggregations", { { "values", { { "terms", { { "field", field }, { "size", size } } } } } } },
        { "query", query(q, range) }, { "size", 0 } };
}

bool EsQueryBuilder::isAggregate(const Query &q)
{
    return q.agg.kind != K::None || q.interval > 0 || !q.groupBy.empty();
}

} // namespace fd
