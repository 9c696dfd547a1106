#include "ElasticsearchSource.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/http/RangeStep.h"
#include "connectors/http/Url.h"
#include "models/BucketRates.h"
#include "models/Error.h"
#include <algorithm>
#include <limits>
#include <unordered_set>

namespace fd {

namespace {

constexpr std::size_t kMaxRows = 1'000'000; // a query without a limit

// The index in a path: a pattern's "*" and a list's "," stay as they are.
std::string indexPath(const std::string &index)
{
    std::string out;
    for (const char c : index)
        out += c == '*' || c == ',' ? std::string(1, c) : urlEncode(std::string(1, c));
    return out;
}

void addNotes(Frame &f, const std::vector<std::string> &notes)
{
    for (const std::string &n : notes)
        if (std::find(f.notes.begin(), f.notes.end(), n) == f.notes.end())
            f.notes.push_back(n);
}

// A hit's document: its index and id (an id is unique within its index only).
std::string documentKey(const Json &hit)
{
    return hit.value("_index", std::string()) + '\0' + hit.value("_id", std::string());
}

// The search_after value that takes `last` in again: one unit of the sort value past it, against the order.
std::int64_t searchAfterIncluding(const Json &last, bool oldestFirst)
{
    if (!last.is_number_integer())
        throw Error("Elasticsearch: a document's sort value " + last.dump() + " is no time to page after");
    using Limits = std::numeric_limits<std::int64_t>;
    const std::int64_t end = oldestFirst ? Limits::min() : Limits::max();
    if ((last.is_number_unsigned() && last.get<std::uint64_t>() > std::uint64_t(Limits::max()))
        || last.get<std::int64_t>() == end)
        throw Error("Elasticsearch: a document's sort value " + last.dump() + " is out of range");
    return last.get<std::int64_t>() + (oldestFirst ? -1 : 1);
}

} // namespace

ElasticsearchSource::ElasticsearchSource(std::string id, ElasticsearchConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_builder(m_config.fields)
    , m_http(m_id, m_config)
{
    if (m_config.index.empty())
        throw Error("source \"" + m_id + "\": an elasticsearch source needs an index (pattern)");
    m_config.pageSize = std::max<std::size_t>(m_config.pageSize, 1);
}

std::string ElasticsearchSource::compile(const Query &q, const TimeRange &range) const
{
    if (EsQueryBuilder::isAggregate(q))
        return m_builder.aggregateBody(q, range, q.interval > 0 ? chooseRangeStep(range.length(), q.interval) : 0)
            .dump();
    const std::size_t wanted = q.limit > 0 ? std::size_t(q.limit) : kMaxRows;
    return m_builder.logsBody(q, range, std::min(m_config.pageSize, wanted + 1), nullptr).dump();
}

Frame ElasticsearchSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    requireNonEmpty(range);
    try {
        return EsQueryBuilder::isAggregate(q) ? aggregate(q, range, cancel) : logs(q, range, cancel);
    } catch (const Json::exception &e) {
        throw Error("source \"" + m_id + "\": unexpected Elasticsearch answer: " + jsonProblem(e));
    }
}

Frame ElasticsearchSource::logs(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::size_t wanted = q.limit > 0 ? std::size_t(q.limit) : kMaxRows;
    std::vector<Json> rows;
    // The documents kept at the last sort value (the oldest, or newest ascending), by index and id (an index
    // pattern's indices may each hold an id): a set, as a crowded time fills a page.
    std::unordered_set<std::string> boundary;
    Json searchAfter = nullptr;
    EsTotal total;
    bool truncated = false;
    std::vector<Json> crowded; // sort values with more documents than a page holds: the rest is left out
    Frame f;
    for (bool firstPage = true;; firstPage = false) {
        // Room for a page of new documents past those already kept at the boundary time.
        const std::size_t size = std::min({ m_config.pageSize + boundary.size(), wanted - rows.size() + boundary.size() + 1,
            std::size_t(10'000) });
        const Json body = m_builder.logsBody(q, range, size, searchAfter);
        if (firstPage)
            f.nativeQuery = body.dump();
        const Json answer = call(searchPath("ignore_unavailable=true"), body, cancel);
        if (firstPage)
            total = esTotal(answer);
        addNotes(f, esWarnings(answer));
        const Json hits = answer.contains("hits") ? answer["hits"].value("hits", Json()) : Json();
        if (!hits.is_array())
            throw Error("source \"" + m_id + "\": Elasticsearch: the answer has no list of hits");
        std::size_t added = 0;
        for (const Json &hit : hits) {
            if (boundary.count(documentKey(hit)))
                continue;
            if (rows.size() == wanted) {
                truncated = true;
                break;
            }
            rows.push_back(hit);
            ++added;
        }
        if (truncated || hits.size() < size)
            break;
        const Json last = rows.back().at("sort").at(0);
        if (added == 0) { // more documents at one time than a page holds: on past it (search_after is exclusive)
            crowded.push_back(last);
            boundary.clear();
            searchAfter = Json::array({ last });
            continue;
        }
        // search_after is exclusive: step one unit of the sort value back over the last time, whose documents
        // already kept are skipped. The unit is the field's: milliseconds, or nanoseconds for date_nanos.
        boundary.clear();
        for (auto it = rows.rbegin(); it != rows.rend() && it->at("sort").at(0) == last; ++it)
            boundary.insert(documentKey(*it));
        searchAfter = Json::array({ searchAfterIncluding(last, q.oldestFirst) });
    }
    Frame out = esLogsFrame(rows, m_config.fields);
    out.nativeQuery = f.nativeQuery;
    out.notes = f.notes;
    out.truncated = truncated || !crowded.empty();
    if (!crowded.empty())
        out.notes.push_back("Elasticsearch returns at most 10,000 documents a request, and " + std::to_string(crowded.size())
                            + " time(s) held more, from sort value " + crowded.front().dump()
                            + ": the documents past those at each are left out");
    out.total = std::max<std::int64_t>(total.value, std::int64_t(rows.size()));
    if (out.truncated && !total.exact) { // track_total_hits stops counting at 10,000: "of 10000" would be wrong
        out.notes.push_back("Elasticsearch: at least " + std::to_string(total.value) + " documents match");
        out.total = std::int64_t(rows.size()); // unknown: the event table counts them exactly
    }
    return out;
}

Frame ElasticsearchSource::aggregate(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    EsAggregateShape shape;
    shape.groupFields = q.groupBy;
    shape.agg = q.agg;
    shape.step = q.interval > 0 ? chooseRangeStep(range.length(), q.interval) : 0;
    shape.rangeLength = rateSpan(range, 0);
    shape.limit = q.interval > 0 || q.limit <= 0 ? 0 : std::size_t(q.limit);
    const Json body = m_builder.aggregateBody(q, range, shape.step);
    const Json answer = call(searchPath("rest_total_hits_as_int=true&ignore_unavailable=true"), body, cancel);
    Frame f = esAggregateFrame(answer, shape);
    rescalePartialBucketRates(f, q.agg, shape.step, range);
    f.nativeQuery = body.dump();
    if (q.interval > 0)
        keepRangeStep(f, q.interval, shape.step, "Elasticsearch");
    addNotes(f, esWarnings(answer));
    return f;
}

std::vector<std::string> ElasticsearchSource::fieldNames(Signal signal, const std::string &, const TimeRange &, const CancelTokenPtr &cancel)
{
    return esMappingFields(call("/" + indexPath(m_config.index) + "/_mapping", nullptr, cancel));
}

std::vector<FieldValue> ElasticsearchSource::fieldValues(
    Signal signal, const std::string &field, const std::string &, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const Json body = m_builder.valuesBody(m_config.fields.of(field).front(), range, 50);
    return esTermsValues(call(searchPath("ignore_unavailable=true"), body, cancel));
}

Frame ElasticsearchSource::recentTraces(const TimeRange &, int, const CancelTokenPtr &)
{
    throw Error("traces are not read from Elasticsearch (source \"" + m_id + "\"): open them from a Tempo or Jaeger source");
}

std::string ElasticsearchSource::searchPath(const std::string &params) const
{
    return "/" + indexPath(m_config.index) + "/_search?" + params;
}

Json ElasticsearchSource::call(const std::string &path, const Json &body, const CancelTokenPtr &cancel)
{
    const HttpReply r = body.is_null() ? m_http.get(path, cancel) : m_http.post(path, body.dump(), "application/json", cancel);
    try {
        return esAnswer(r.status, r.body);
    } catch (const Error &e) {
        throw Error("source \"" + m_id + "\": " + e.what());
    }
}

} // namespace fd
