#include "PrometheusSource.h"
#include "PromMatrixReader.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/http/RangeStep.h"
#include "models/BucketRates.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace fd {

namespace {


// The series read of a compiled query's answer, of which the limit keeps the largest: a cap on memory.
constexpr std::size_t kSeriesCap = 10'000;

// Whole series past the cap on those read, not buckets or rows, are left out: the limit keeps the largest read.
void noteSeriesCap(Frame &f, std::size_t cap)
{
    if (!f.truncated)
        return;
    f.groupsLeftOut = true;
    f.notes.push_back("Prometheus answered more than " + std::to_string(cap) + " series: those after the first "
                      + std::to_string(cap) + " are left out");
}

// Unix seconds with milliseconds, as the API takes times and steps.
std::string apiSeconds(TimeNs t)
{
    const std::int64_t ms = alignDown(t, kMillisecond) / kMillisecond;
    const std::int64_t whole = alignDown(ms, 1000) / 1000;
    std::string frac = std::to_string(ms - whole * 1000);
    return std::to_string(whole) + "." + std::string(3 - frac.size(), '0') + frac;
}

} // namespace

PrometheusSource::PrometheusSource(std::string id, PrometheusConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_compiler(m_config.scrapeInterval)
    , m_http(m_id, { m_config.url, m_config.headers, m_config.http, m_config.credentialId, m_config.secrets })
{
}

namespace {
// A count is a whole number, as the store answers it; Prometheus answers every value as a float (120.0: exploratory test).
void countsAsIntegers(Frame &f, const Query &q)
{
    using K = Aggregate::Kind;
    const int c = f.columnIndex("value");
    if (!q.raw.empty() || (q.agg.kind != K::Count && q.agg.kind != K::CountDistinct) || c < 0)
        return;
    Column &column = f.columns[std::size_t(c)];
    const auto whole = [](const Cell &cell) {
        const double *d = std::get_if<double>(&cell);
        const auto i = d ? truncatedInt64(*d) : std::nullopt;
        return i && double(*i) == *d ? i : std::nullopt;
    };
    if (!std::all_of(column.cells.begin(), column.cells.end(), [&](const Cell &cell) { return isNull(cell) || whole(cell); }))
        return;
    for (Cell &cell : column.cells)
        if (const auto i = whole(cell))
            cell = *i;
    column.type = ColumnType::Int64;
}
} // namespace

Frame PrometheusSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::size_t seriesLimit = q.limit > 0 ? std::size_t(q.limit) : std::numeric_limits<std::size_t>::max();
    if (q.interval <= 0) { // over the range up to now, as every engine's rate (rateSpan)
        const TimeRange over = rateRange(range);
        const std::string promql = m_compiler.compile(q, 0, over.length());
        std::vector<std::string> warnings;
        // An aggregate's limit keeps the largest groups, as the store's does (it had kept the server's first).
        const bool largest = q.raw.empty() && q.agg.kind != Aggregate::Kind::None;
        Frame f = queryFrame("/api/v1/query", { { "query", promql }, { "time", apiSeconds(over.to) } },
                             largest ? std::max(seriesLimit, kSeriesCap) : seriesLimit, cancel, warnings);
        if (largest) {
            noteSeriesCap(f, std::max(seriesLimit, kSeriesCap));
            const auto answered = std::int64_t(f.rowCount());
            keepLargestRows(f, q.limit > 0 ? std::size_t(q.limit) : 0, std::size_t(f.columnIndex("value")));
            f.total = answered;
        }
        f.nativeQuery = promql;
        f.notes.insert(f.notes.end(), warnings.begin(), warnings.end());
        countsAsIntegers(f, q);
        return f;
    }
    const DurationNs step = chooseRangeStep(range.length(), q.interval);
    const std::string promql = m_compiler.compile(q, step, range.length());
    // Points on multiples of the step since the epoch, from the bucket the range starts in to the one it ends
    // in. A compiled query's point at T counts [T - step, T) (PromQlCompiler reads just before T): it is asked at
    // each bucket's end and shown at its start, as the store's buckets are. Raw PromQL keeps Prometheus' own
    // times, as Grafana shows them.
    const bool buckets = q.raw.empty();
    const TimeNs start = alignDown(range.from, step) + (buckets ? step : 0);
    const TimeNs end = buckets ? alignDown(range.to - 1, step) + step : std::max(start, range.to - 1);
    const FormFields form = { { "query", promql }, { "start", apiSeconds(start) }, { "end", apiSeconds(end) },
        { "step", apiSeconds(step) } };
    std::vector<std::string> warnings;
    // A compiled query's series are cut to the limit after, the largest kept (completeTimeSeries).
    Frame f = queryFrame("/api/v1/query_range", form, buckets ? std::max(seriesLimit, kSeriesCap) : seriesLimit,
                         cancel, warnings);
    if (buckets)
        noteSeriesCap(f, std::max(seriesLimit, kSeriesCap));
    if (buckets && f.columnIndex("time") == 0) {
        for (Cell &t : f.columns[0].cells)
            t = Cell(saturatedAdd(cellToInt(t), -step));
        keepPartialBucketsWithin(f, q, range, step, cancel, warnings);
    }
    f.nativeQuery = promql;
    keepRangeStep(f, q.interval, step, "Prometheus");
    using K = Aggregate::Kind;
    if (const K k = q.agg.kind; buckets && step < m_config.scrapeInterval
        && (k == K::Min || k == K::Max || k == K::Avg || k == K::Count || k == K::CountDistinct))
        f.notes.push_back("buckets of " + PromQlCompiler::duration(step) + " are shorter than the scrape interval ("
                          + PromQlCompiler::duration(m_config.scrapeInterval)
                          + "): a bucket holds at most one sample of a series, and some none");
    f.notes.insert(f.notes.end(), warnings.begin(), warnings.end());
    countsAsIntegers(f, q);
    return f;
}

namespace {
// A series' labels in a row of a Prometheus frame (its columns but time and value), as one text.
std::string seriesKey(const Frame &f, std::size_t row)
{
    std::string key;
    for (const Column &c : f.columns)
        if (c.name != "time" && c.name != "value" && !isNull(c.cells[row]))
            key += c.name + '\x1f' + cellToString(c.cells[row]) + '\x1e';
    return key;
}
} // namespace

void PrometheusSource::keepPartialBucketsWithin(Frame &f, const Query &q, const TimeRange &range, DurationNs step,
                                                const CancelTokenPtr &cancel, std::vector<std::string> &warnings)
{
    using K = Aggregate::Kind;
    const int value = f.columnIndex("value");
    if (value < 0 || f.rowCount() == 0 || q.agg.kind == K::Rate || q.agg.kind == K::Percentile) // per second already
        return;
    const std::string whole = m_compiler.compile(q, step, range.length());
    const TimeNs first = alignDown(range.from, step), last = alignDown(range.to - 1, step);
    std::vector<std::pair<TimeNs, TimeNs>> edges; // a bucket's start, and the end of its part in the range
    if (first < range.from)
        edges.emplace_back(first, std::min(first + step, range.to));
    if (last + step > range.to && (last != first || first >= range.from))
        edges.emplace_back(last, range.to);
    for (const auto &[bucket, end] : edges) {
        const std::string part = m_compiler.compile(q, end - std::max(bucket, range.from), range.length());
        // No window of the bucket's in it (a gauge's sum, a rate over its scrapes): only the time it is asked at
        // differs, and a gauge's value at the range's end is the last within it (exploratory test: the sample after)
        if (part == whole && end == bucket + step)
            continue;
        const Frame answer = queryFrame("/api/v1/query", { { "query", part }, { "time", apiSeconds(end) } }, kSeriesCap,
                                        cancel, warnings);
        std::map<std::string, Cell> within;
        if (const int v = answer.columnIndex("value"); v >= 0)
            for (std::size_t r = 0; r < answer.rowCount(); ++r)
                within[seriesKey(answer, r)] = answer.columns[std::size_t(v)].cells[r];
        std::vector<std::size_t> gone; // series without a sample in the part: no row, as for an empty bucket
        for (std::size_t r = 0; r < f.rowCount(); ++r) {
            if (cellToInt(f.columns[0].cells[r]) != bucket)
                continue;
            if (const auto it = within.find(seriesKey(f, r)); it != within.end())
                f.columns[std::size_t(value)].cells[r] = it->second;
            else
                gone.push_back(r);
        }
        for (auto r = gone.rbegin(); r != gone.rend(); ++r)
            for (Column &c : f.columns)
                c.cells.erase(c.cells.begin() + std::ptrdiff_t(*r));
    }
}

std::string PrometheusSource::compile(const Query &q, const TimeRange &range) const
{
    const DurationNs step = q.interval > 0 ? chooseRangeStep(range.length(), q.interval) : 0;
    return m_compiler.compile(q, step, range.length());
}

std::vector<std::string> PrometheusSource::fieldNames(
    Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    if (metricName.empty())
        return labelNames(cancel);
    std::set<std::string> names;
    for (const PromLabels &labels : series(PromQlCompiler::selector(metricName), range, cancel))
        for (const auto &[name, value] : labels)
            if (name != "__name__")
                names.insert(name);
    return { names.begin(), names.end() };
}

std::vector<FieldValue> PrometheusSource::fieldValues(Signal signal, const std::string &field, const std::string &metricName,
    const TimeRange &range, const CancelTokenPtr &cancel)
{
    std::map<std::string, std::int64_t> counts; // series per value
    if (metricName.empty()) {
        for (std::string &v : labelValues(field, cancel))
            counts.emplace(std::move(v), 0);
    } else {
        for (const PromLabels &labels : series(PromQlCompiler::selector(metricName), range, cancel))
            if (const auto it = labels.find(field); it != labels.end())
                ++counts[it->second];
    }
    std::vector<FieldValue> values;
    for (auto &[value, count] : counts)
        values.push_back({ value, count });
    std::stable_sort(values.begin(), values.end(), [](const FieldValue &a, const FieldValue &b) { return a.count > b.count; });
    return values;
}

std::vector<Marker> PrometheusSource::markers(const TimeRange &range, const CancelTokenPtr &cancel)
{
    if (m_config.deploys.query.empty())
        return {};
    Query q;
    q.signal = Signal::Metrics;
    q.raw = m_config.deploys.query;
    q.interval = chooseRangeStep(range.length(), 0, 2000); // a deploy lands within 1/2000 of the range
    q.limit = 0;
    return deployMarkersFromFrame(query(q, range, cancel), m_config.deploys, m_id);
}

std::vector<Span> PrometheusSource::trace(const std::string &, const CancelTokenPtr &)
{
    return {};
}

Frame PrometheusSource::recentTraces(const TimeRange &, int, const CancelTokenPtr &)
{
    throw Error(std::string("traces are not supported by Prometheus (source \"") + m_id + "\")");
}

std::vector<std::string> PrometheusSource::labelNames(const CancelTokenPtr &cancel)
{
    return promStrings(call("/api/v1/labels", {}, cancel));
}

std::vector<std::string> PrometheusSource::labelValues(const std::string &label, const CancelTokenPtr &cancel)
{
    return promStrings(call("/api/v1/label/" + urlEncode(label) + "/values", {}, cancel));
}

std::vector<PromLabels> PrometheusSource::series(
    const std::string &match, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const FormFields form
        = { { "match[]", match }, { "start", apiSeconds(range.from) }, { "end", apiSeconds(range.to) } };
    return promSeries(call("/api/v1/series", form, cancel));
}

Json PrometheusSource::metadata(const std::string &metric, const CancelTokenPtr &cancel)
{
    return call(metric.empty() ? std::string("/api/v1/metadata") : "/api/v1/metadata?metric=" + urlEncode(metric), {}, cancel);
}

Json PrometheusSource::buildInfo(const CancelTokenPtr &cancel)
{
    return call("/api/v1/status/buildinfo", {}, cancel);
}

Json PrometheusSource::call(const std::string &path, const FormFields &form, const CancelTokenPtr &cancel,
                            std::vector<std::string> *warnings)
{
    const HttpReply r = send(path, form, cancel);
    return answerData(r, warnings);
}

Frame PrometheusSource::queryFrame(const std::string &path, const FormFields &form, std::size_t seriesLimit,
                                   const CancelTokenPtr &cancel, std::vector<std::string> &warnings)
{
    const HttpReply r = send(path, form, cancel);
    if (r.ok())
        if (std::optional<Frame> f = promStreamedFrame(r.body, seriesLimit, &warnings))
            return std::move(*f);
    return promFrame(answerData(r, &warnings), seriesLimit);
}

HttpReply PrometheusSource::send(const std::string &path, const FormFields &form, const CancelTokenPtr &cancel)
{
    return form.empty() ? m_http.get(path, cancel)
                        : m_http.post(path, formEncode(form), "application/x-www-form-urlencoded", cancel);
}

Json PrometheusSource::answerData(const HttpReply &r, std::vector<std::string> *warnings)
{
    // An API error comes as JSON with its own message; a proxy's error page does not.
    if (!r.ok() && r.body.find("\"status\"") == std::string::npos)
        r.raiseForStatus();
    // Which of a workspace's sources failed, as Loki's errors say (exploratory test)
    return decodeAt("source \"" + m_id + "\"", [&] { return promData(r.body, warnings); });
}

} // namespace fd
