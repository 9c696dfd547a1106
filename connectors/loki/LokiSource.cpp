#include "LokiSource.h"
#include "models/BucketRates.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/http/RangeStep.h"
#include "connectors/http/Url.h"
#include "connectors/prometheus/PromQlCompiler.h"
#include "connectors/prometheus/PromResponse.h"
#include "models/Error.h"
#include <algorithm>
#include <limits>

namespace fd {

namespace {

constexpr std::size_t kMaxRows = 1'000'000; // a query without a limit

std::string ns(TimeNs t)
{
    return std::to_string(t);
}

} // namespace

LokiSource::LokiSource(std::string id, LokiConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_compiler(m_config.fields)
    , m_http(m_id, withTenant(m_config, m_config.tenant))
{
    m_config.pageLines = std::max<std::size_t>(m_config.pageLines, 1);
}

DurationNs LokiSource::step(const Query &q, const TimeRange &range) const
{
    return chooseRangeStep(range.length(), q.interval);
}

std::string LokiSource::compile(const Query &q, const TimeRange &range) const
{
    return m_compiler.compile(q, q.interval > 0 ? step(q, range) : range.length());
}

Frame LokiSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    requireNonEmpty(range);
    try {
        return q.raw.empty() && LogQlCompiler::isMetric(q) ? metric(q, range, cancel) : logs(q, range, cancel);
    } catch (const Json::exception &e) {
        throw Error("source \"" + m_id + "\": unexpected Loki answer: " + jsonProblem(e));
    }
}

Frame LokiSource::logs(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::string logql = m_compiler.compile(q, step(q, range));
    const std::size_t wanted = q.limit > 0 ? std::size_t(q.limit) : kMaxRows;
    std::vector<LokiEntry> rows;
    std::vector<LokiEntry> boundary; // the lines kept at the last nanosecond seen (oldest, or newest forward)
    LokiStats stats;
    std::vector<std::string> warnings;
    TimeNs start = range.from, end = range.to;
    bool truncated = false;
    std::vector<TimeNs> crowded; // nanoseconds with more lines than a request returns: the rest is left out
    for (;;) {
        // One line more than needed tells whether more match.
        const std::size_t page = std::min(m_config.pageLines, wanted - rows.size() + boundary.size() + 1);
        const Json data = call("/loki/api/v1/query_range",
            { { "query", logql }, { "start", ns(start) }, { "end", ns(end) }, { "limit", std::to_string(page) },
                { "direction", q.oldestFirst ? "forward" : "backward" },
                { "step", PromQlCompiler::duration(step(q, range)) } },
            cancel, &warnings);
        stats.add(data);
        if (data.value("resultType", std::string()) != "streams") { // a raw metric query
            Frame f = promFrame(data, wanted, "Loki");
            f.nativeQuery = logql;
            f.statistics = stats.note();
            f.notes.insert(f.notes.end(), warnings.begin(), warnings.end());
            return f;
        }
        const std::vector<LokiEntry> lines = lokiEntries(data, q.oldestFirst);
        std::size_t added = 0;
        for (const LokiEntry &e : lines) {
            if (std::find(boundary.begin(), boundary.end(), e) != boundary.end())
                continue;
            if (rows.size() == wanted) {
                truncated = true;
                break;
            }
            rows.push_back(e);
            ++added;
        }
        if (truncated || lines.size() < page)
            break;
        const TimeNs last = rows.back().time;
        if (added == 0) { // more lines at one nanosecond than a page holds: Loki cannot page within it
            crowded.push_back(last);
            boundary.clear();
            if (q.oldestFirst)
                start = saturatedAdd(last, 1);
            else
                end = last;
            if (start >= end) // the crowded nanosecond was the range's edge
                break;
            continue;
        }
        // The next page starts at the last nanosecond seen (start is inclusive, end is not); the lines
        // already kept there are skipped.
        boundary.clear();
        for (auto it = rows.rbegin(); it != rows.rend() && it->time == last; ++it)
            boundary.push_back(*it);
        if (q.oldestFirst)
            start = last;
        else
            end = saturatedAdd(last, 1);
    }
    Frame f = lokiLogsFrame(rows, m_config.fields.serviceLabel(), m_config.fields.levelLabel);
    f.truncated = truncated || !crowded.empty();
    if (!crowded.empty())
        f.notes.push_back("Loki returns at most " + std::to_string(m_config.pageLines) + " lines a request (max_lines), and "
                          + std::to_string(crowded.size()) + " nanosecond(s) held more, from " + formatRfc3339Std(crowded.front())
                          + ": lines past the first " + std::to_string(m_config.pageLines)
                          + " at each are left out (raise max_lines, up to Loki's max_entries_limit_per_query)");
    f.nativeQuery = logql;
    f.statistics = stats.note();
    f.notes.insert(f.notes.end(), warnings.begin(), warnings.end());
    return f;
}

Frame LokiSource::metric(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    LokiAggregateShape shape;
    shape.groupFields = q.groupBy;
    for (const std::string &g : q.groupBy)
        shape.groupLabels.push_back(m_config.fields.label(g));
    const Aggregate::Kind kind = q.agg.kind;
    shape.valueName = kind == Aggregate::Kind::None ? std::string("count") : q.agg.text();
    shape.integer = kind == Aggregate::Kind::None || kind == Aggregate::Kind::Count
        || kind == Aggregate::Kind::CountDistinct;
    Json data;
    std::string logql;
    std::vector<std::string> warnings;
    if (q.interval > 0) {
        shape.step = step(q, range);
        logql = m_compiler.compile(q, shape.step);
        // The sample at T counts (T - step, T]: one at the end of each bucket aligned on the epoch.
        const TimeNs first = alignDown(range.from, shape.step) + shape.step;
        const TimeNs last = alignDown(range.to - 1, shape.step) + shape.step;
        data = call("/loki/api/v1/query_range",
            { { "query", logql }, { "start", ns(first) }, { "end", ns(last) },
                { "step", PromQlCompiler::duration(shape.step) } },
            cancel, &warnings);
    } else {
        shape.limit = q.limit > 0 ? std::size_t(q.limit) : 0;
        const TimeRange over = rateRange(range);
        logql = m_compiler.compile(q, over.length());
        data = call("/loki/api/v1/query", { { "query", logql }, { "time", ns(over.to) } }, cancel, &warnings);
    }
    Frame f = lokiAggregateFrame(data, shape);
    f.nativeQuery = logql;
    if (q.interval > 0)
        keepRangeStep(f, q.interval, shape.step, "Loki");
    LokiStats stats;
    stats.add(data);
    f.statistics = stats.note();
    f.notes.insert(f.notes.end(), warnings.begin(), warnings.end());
    return f;
}

std::vector<std::string> LokiSource::fieldNames(Signal signal, const std::string &, const TimeRange &range, const CancelTokenPtr &cancel)
{
    std::vector<std::string> out;
    for (std::string &label :
        promStrings(call("/loki/api/v1/labels", { { "start", ns(range.from) }, { "end", ns(range.to) } }, cancel), "Loki")) {
        for (const auto &[field, streamLabel] : m_config.fields.streamLabels)
            if (streamLabel == label)
                label = field;
        out.push_back(label == m_config.fields.levelLabel ? std::string("severity") : std::move(label));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<FieldValue> LokiSource::fieldValues(
    Signal signal, const std::string &field, const std::string &, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::string path = "/loki/api/v1/label/" + urlEncode(m_config.fields.label(field)) + "/values";
    std::vector<FieldValue> out;
    for (std::string &v : promStrings(call(path, { { "start", ns(range.from) }, { "end", ns(range.to) } }, cancel), "Loki"))
        out.push_back({ std::move(v), 0 });
    return out;
}

Frame LokiSource::recentTraces(const TimeRange &, int, const CancelTokenPtr &)
{
    throw Error("traces are not in Loki (source \"" + m_id + "\"): open them from a Tempo or Jaeger source");
}

Json LokiSource::call(const std::string &path, const FormFields &params, const CancelTokenPtr &cancel,
                      std::vector<std::string> *warnings)
{
    const HttpHeaders extra = { { "X-Loki-Response-Encoding-Flags", "categorize-labels" } };
    const HttpReply r = m_http.get(path + "?" + formEncode(params), cancel, extra);
    try {
        r.raiseForStatus();
        return lokiData(r.body, warnings);
    } catch (const HttpError &e) {
        throw HttpError(e.kind(), "Loki (source \"" + m_id + "\"): " + e.what(), e.status());
    } catch (const Error &e) {
        throw Error("source \"" + m_id + "\": " + e.what());
    }
}

} // namespace fd
