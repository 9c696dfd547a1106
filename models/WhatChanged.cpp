#include "WhatChanged.h"
#include "CellJson.h"
#include "Error.h"
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace fd {

namespace {

// Fields that usually explain a change, in order of preference; each is used when the events carry it.
constexpr std::array<const char *, 8> kPreferredFields = {
    "service.name", "service.version", "http.response.status_code", "severity",
    "error.type",   "http.route",      "deployment.environment.name", "host.name"};

// Enough rows for every value of every field of a short window; beyond it the shares are of the largest groups.
constexpr int kMaxGroups = 100'000;

std::vector<std::string> intrinsicFields(Signal s)
{
    switch (s) {
    case Signal::Logs: return {"service.name", "severity"};
    case Signal::Spans: return {"service.name", "name", "status"};
    case Signal::Metrics: return {"service.name", "name"};
    }
    return {};
}

// How many events carry each value of each field in one window.
struct Distribution {
    std::int64_t total = 0;
    std::map<std::string, std::map<Json, std::int64_t>> counts;

    void add(const Distribution &other)
    {
        total = saturatedAdd(total, other.total);
        for (const auto &[field, values] : other.counts)
            for (const auto &[value, n] : values) {
                std::int64_t &count = counts[field][value];
                count = saturatedAdd(count, n);
            }
    }
    std::int64_t count(const std::string &field, const Json &value) const
    {
        const auto f = counts.find(field);
        if (f == counts.end())
            return 0;
        const auto v = f->second.find(value);
        return v == f->second.end() ? 0 : v->second;
    }
    double share(const std::string &field, const Json &value) const
    {
        return total > 0 ? static_cast<double>(count(field, value)) / static_cast<double>(total) : 0.0;
    }
};

// A group value as users write it in a filter: severity and span status by name, the rest in its own type.
Json groupValue(const Cell &c, ColumnType type, const std::string &field, Signal signal)
{
    if (type == ColumnType::Json)
        return groupCellJson(c, type);
    if (const auto *i = std::get_if<std::int64_t>(&c)) {
        if (signal == Signal::Logs && field == "severity" && !severityName(static_cast<int>(*i)).empty())
            return severityName(static_cast<int>(*i));
        if (signal == Signal::Spans && field == "status")
            return statusCodeName(static_cast<int>(*i));
        return *i;
    }
    if (const auto *d = std::get_if<double>(&c))
        return *d;
    if (const auto *s = std::get_if<std::string>(&c))
        return *s;
    return {};
}

Query eventsOnly(Query q)
{
    q.groupBy.clear();
    q.agg = {};
    q.interval = 0;
    q.raw.clear();
    return q;
}

// One query for all fields at once: a window holds few distinct combinations, and one scan beats one per field.
Distribution fetchDistribution(DataSource &source, const CancelTokenPtr &cancel, const Query &events,
                               const std::vector<std::string> &fields, const TimeRange &window)
{
    throwIfCancelled(cancel);
    Query q = eventsOnly(events);
    q.groupBy = fields;
    q.agg.kind = Aggregate::Kind::Count;
    q.limit = kMaxGroups;
    const Frame f = source.query(q, window, cancel);
    Distribution d;
    if (f.columns.size() != fields.size() + 1)
        throw Error(std::string("what changed: the grouped query returned unexpected columns"));
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        const std::int64_t n = cellToInt(f.cell(r, fields.size()));
        d.total = saturatedAdd(d.total, n);
        for (std::size_t c = 0; c < fields.size(); ++c) {
            const Json value = groupValue(f.cell(r, c), f.columns[c].type, fields[c], events.signal);
            if (value.is_null()) // an event without the field counts in the total only
                continue;
            std::int64_t &count = d.counts[fields[c]][value];
            count = saturatedAdd(count, n);
        }
    }
    return d;
}

TimeRange shifted(const TimeRange &r, DurationNs back)
{
    return {r.from - back, r.to - back};
}

// How often each attribute key occurs in a sample, and with how many distinct values.
struct KeyStats {
    int rows = 0;
    std::set<std::string> values;
};

void collectKeys(const Frame &f, const char *column, std::map<std::string, KeyStats> &stats)
{
    const int col = f.columnIndex(column);
    if (col < 0)
        return;
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        const Json attrs = Json::parse(cellToString(f.cell(r, static_cast<std::size_t>(col))), nullptr, false);
        if (!attrs.is_object())
            continue;
        for (const auto &[key, value] : attrs.items()) {
            if (value.is_structured())
                continue;
            KeyStats &s = stats[key];
            ++s.rows;
            s.values.insert(value.dump());
        }
    }
}

// Ids, timestamps and durations take a new value in nearly every event: their shares never move.
bool isIdLike(const KeyStats &s)
{
    return s.rows >= 4 && static_cast<double>(s.values.size()) > 0.5 * s.rows;
}

// The value a query pins a field to with "=", or null.
Json pinnedValue(const Query &q, const std::string &field)
{
    const auto it = std::find_if(q.where.begin(), q.where.end(),
                                 [&](const Condition &c) { return c.op == Op::Eq && c.field == field; });
    return it == q.where.end() ? Json() : it->value;
}

bool filtersSeverity(const Query &q)
{
    return std::any_of(q.where.begin(), q.where.end(), [](const Condition &c) { return c.field == "severity"; });
}

// Shares that moved by the same amount (one value's gain is another's loss) rank the gain first.
bool ranksBefore(const ChangedValue &a, const ChangedValue &b)
{
    const auto key = [](double score) { return std::llround(score * 1e6); };
    if (key(a.score) != key(b.score))
        return a.score > b.score;
    return a.shareAnomaly - a.shareBaseline > b.shareAnomaly - b.shareBaseline;
}

// The value of one field whose share moved most. A move that was already there just before the
// anomaly (a version deployed hours earlier) counts half: it did not change when the numbers did.
std::optional<ChangedValue> mostMoved(const std::string &field, const Distribution &anomaly,
                                      const Distribution &baseline, const Distribution &before,
                                      const WhatChangedOptions &o)
{
    std::set<Json> values;
    for (const Distribution *d : {&anomaly, &baseline})
        if (const auto f = d->counts.find(field); f != d->counts.end())
            for (const auto &entry : f->second)
                values.insert(entry.first);
    std::optional<ChangedValue> best;
    for (const Json &value : values) {
        const double a = anomaly.share(field, value);
        const double b = baseline.share(field, value);
        const double expected = b * static_cast<double>(anomaly.total);
        if (anomaly.count(field, value) < o.minCount && expected < static_cast<double>(o.minCount))
            continue;
        if (std::abs(a - b) < o.minMove)
            continue;
        const double justBefore = before.total > 0 ? before.share(field, value) : b;
        ChangedValue c{field, value, b, a, {}, 0.5 * std::abs(a - b) + 0.5 * std::abs(a - justBefore)};
        if (!best || ranksBefore(c, *best))
            best = std::move(c);
    }
    return best;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Each field = value once, where it moved most (the tile's events and the warnings often share one).
std::vector<ChangedValue> firstOfEach(const std::vector<ChangedValue> &ranked, std::size_t max)
{
    std::vector<ChangedValue> out;
    for (const ChangedValue &c : ranked) {
        if (out.size() >= max)
            break;
        const bool seen = std::any_of(out.begin(), out.end(),
                                      [&](const ChangedValue &o) { return o.field == c.field && o.value == c.value; });
        if (!seen)
            out.push_back(c);
    }
    return out;
}

// The services of the events, most frequent first; a query pinned to one service has just that one.
std::vector<std::string> servicesByCount(const Distribution &d, const Query &events)
{
    if (const Json pinned = pinnedValue(events, "service.name"); pinned.is_string())
        return {pinned.get<std::string>()};
    std::vector<std::pair<std::int64_t, std::string>> byCount;
    if (const auto s = d.counts.find("service.name"); s != d.counts.end())
        for (const auto &[name, n] : s->second)
            if (name.is_string())
                byCount.emplace_back(-n, name.get<std::string>());
    std::sort(byCount.begin(), byCount.end());
    std::vector<std::string> out;
    for (const auto &entry : byCount)
        out.push_back(entry.second);
    return out;
}

double rounded(double v)
{
    return std::round(v * 1000) / 1000;
}

} // namespace

Query problemLogs(const std::vector<std::string> &services)
{
    QStringList names;
    for (const std::string &s : services)
        names << QRegularExpression::escape(QString::fromStdString(s));
    Query q;
    q.signal = Signal::Logs;
    q.where = {{"severity", Op::Ge, "WARN"},
               {"service.name", Op::Regex, "^(" + names.join(QLatin1Char('|')).toStdString() + ")$"}};
    return q;
}

WhatChanged::WhatChanged(const Tile &tile, DataSource &source, CancelTokenPtr cancel, WhatChangedOptions options)
    : m_tile(tile), m_source(source), m_cancel(std::move(cancel)), m_options(options)
{
}

std::vector<ChangedValue> WhatChanged::explain(const TimeRange &anomaly) const
{
    const TimeRange window{anomaly.from, std::min(anomaly.to, anomaly.from + m_options.maxWindow)};
    if (window.length() <= 0)
        return {};
    // A ratio's denominator holds every event whose outcome it measures; a drop leaves no numerator events to look at.
    const Query &events = m_tile.kind == "ratio" ? m_tile.denominator : m_tile.query;
    const Findings tileEvents = explainEvents(events, "tile events", window);
    std::vector<ChangedValue> out = tileEvents.changes;
    // The tile's events often come from the service that suffers, not the one that broke: its warnings tell.
    const std::vector<std::string> services = problemServices(tileEvents);
    if (!services.empty() && !(events.signal == Signal::Logs && filtersSeverity(events))) {
        const Findings problems = explainEvents(problemLogs(services), "warnings and errors of " + joined(services), window);
        out.insert(out.end(), problems.changes.begin(), problems.changes.end());
    }
    std::stable_sort(out.begin(), out.end(), ranksBefore);
    return firstOfEach(out, m_options.maxEntries);
}

WhatChanged::Findings WhatChanged::explainEvents(const Query &events, const std::string &among,
                                                 const TimeRange &window) const
{
    const std::vector<std::string> fields = candidateFields(events, window);
    const Distribution anomaly = fetchDistribution(m_source, m_cancel, events, fields, window);
    Findings out;
    out.services = servicesByCount(anomaly, events);
    if (anomaly.total < m_options.minEvents)
        return out;
    Distribution baseline;
    for (const DurationNs back : baselineShifts())
        baseline.add(fetchDistribution(m_source, m_cancel, events, fields, shifted(window, back)));
    if (baseline.total == 0)
        return out;
    const Distribution before = fetchDistribution(m_source, m_cancel, events, fields, shifted(window, window.length()));
    for (const std::string &field : fields) {
        if (auto c = mostMoved(field, anomaly, baseline, before, m_options)) {
            c->among = among;
            out.changes.push_back(std::move(*c));
        }
    }
    return out;
}

// The preferred fields the events carry, then the other attribute keys of a small sample, most frequent
// first; never a field the query pins to one value, nor one that looks like an id.
std::vector<std::string> WhatChanged::candidateFields(const Query &events, const TimeRange &window) const
{
    throwIfCancelled(m_cancel);
    Query sample = eventsOnly(events);
    sample.limit = m_options.sampleRows;
    const Frame f = m_source.query(sample, window, m_cancel);
    std::map<std::string, KeyStats> stats;
    collectKeys(f, "attributes", stats);
    collectKeys(f, "resource", stats);

    const std::vector<std::string> intrinsic = intrinsicFields(events.signal);
    std::vector<std::string> ordered(kPreferredFields.begin(), kPreferredFields.end());
    ordered.insert(ordered.end(), intrinsic.begin(), intrinsic.end());
    std::vector<std::pair<int, std::string>> byRows;
    for (const auto &[key, s] : stats)
        if (!isIdLike(s))
            byRows.emplace_back(-s.rows, key);
    std::sort(byRows.begin(), byRows.end());
    for (const auto &entry : byRows)
        ordered.push_back(entry.second);

    std::vector<std::string> out;
    for (const std::string &field : ordered) {
        if (static_cast<int>(out.size()) >= m_options.maxFields)
            break;
        const bool present = std::find(intrinsic.begin(), intrinsic.end(), field) != intrinsic.end()
                             || (stats.count(field) && !isIdLike(stats.at(field)));
        if (present && pinnedValue(events, field).is_null() && std::find(out.begin(), out.end(), field) == out.end())
            out.push_back(field);
    }
    return out;
}

// The same phase of each baseline period; a tile without a seasonal range is compared with the previous week's days.
std::vector<DurationNs> WhatChanged::baselineShifts() const
{
    const bool seasonal = m_tile.range.method == "seasonal" && m_tile.range.period > 0;
    const DurationNs period = seasonal ? m_tile.range.period : kDay;
    const int lookback = std::clamp(seasonal ? m_tile.range.lookback : 7, 1, m_options.maxLookback);
    std::vector<DurationNs> out;
    for (int k = 1; k <= lookback; ++k)
        out.push_back(k * period);
    return out;
}

std::vector<std::string> WhatChanged::problemServices(const Findings &tileEvents) const
{
    if (m_tile.markers && !m_tile.markers->services.empty())
        return m_tile.markers->services;
    std::vector<std::string> out = tileEvents.services;
    if (out.size() > 5)
        out.resize(5);
    return out;
}

Json WhatChanged::toJson(const std::vector<ChangedValue> &values)
{
    Json out = Json::array();
    for (const ChangedValue &c : values)
        out.push_back({{"field", c.field},
                       {"value", c.value},
                       {"share_baseline", rounded(c.shareBaseline)},
                       {"share_anomaly", rounded(c.shareAnomaly)},
                       {"among", c.among}});
    return out;
}

} // namespace fd
