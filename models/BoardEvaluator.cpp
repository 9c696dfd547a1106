#include "BoardEvaluator.h"
#include "Dora.h"
#include "Error.h"
#include "SideBySide.h"
#include "WhatChanged.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>

namespace fd {

namespace {
constexpr DurationNs kDefaultBucket = 5 * kMinute;

double unitSeconds(const std::string &unit)
{
    if (unit == "/s")
        return 1;
    if (unit == "/min" || unit == "/m")
        return 60;
    if (unit == "/d" || unit == "/day")
        return 86400;
    return 3600; // "/h" and anything else
}

DurationNs historySpan(const RangeSpec &r)
{
    if (r.method == "seasonal")
        return r.period * r.lookback;
    if (r.method == "rolling")
        return r.window;
    return 0;
}

Query bucketQuery(Query q, DurationNs step)
{
    q.groupBy.clear();
    q.interval = step;
    if (q.agg.kind == Aggregate::Kind::None)
        q.agg.kind = Aggregate::Kind::Count;
    q.limit = 10'000'000;
    return q;
}

// A count of events per bucket, or their rate: a quiet bucket is 0, and chance varies it as a Poisson count.
bool countsEvents(const Query &q)
{
    using K = Aggregate::Kind;
    return q.agg.kind == K::None || q.agg.kind == K::Count || (q.agg.kind == K::Rate && q.signal != Signal::Metrics);
}

// The source computed on a coarser step than the tile's (its cap on points over the tile's history).
class CoarserStep : public Error
{
public:
    CoarserStep(DurationNs asked, DurationNs used)
        : Error("the source computed every " + formatDuration(used).toStdString() + ", not every "
                + formatDuration(asked).toStdString())
        , step(used)
    {
    }
    DurationNs step;
};

// Values per bucket over [start, end); a missing bucket of a count or rate of events is 0 once data has started,
// NaN before.
std::vector<double> fetchBuckets(DataSource &source, const Query &q, TimeNs start, TimeNs end, DurationNs step,
                                 const CancelTokenPtr &cancel)
{
    const auto n = static_cast<std::size_t>((end - start) / step);
    std::vector<double> values(n, NAN);
    const Frame f = source.query(bucketQuery(q, step), {start, end}, cancel);
    if (f.step > step) // its points would fall in one bucket of every few, the others read as zeros
        throw CoarserStep(step, f.step);
    const int timeCol = f.columnIndex("time");
    if (timeCol < 0 || f.columns.size() < 2)
        throw Error(std::string("the tile query returned no time series"));
    const std::size_t valueCol = f.columns.size() - 1;
    std::size_t first = n;
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        const TimeNs t = cellToInt(f.cell(r, timeCol));
        if (t < start || t >= end)
            continue;
        const auto i = static_cast<std::size_t>((t - start) / step);
        values[i] = cellToDouble(f.cell(r, valueCol));
        first = std::min(first, i);
    }
    if (countsEvents(q))
        for (std::size_t i = first; i < n; ++i)
            if (std::isnan(values[i]))
                values[i] = 0;
    return values;
}

BucketSeries slice(const BucketSeries &s, std::size_t from)
{
    BucketSeries out;
    out.step = s.step;
    out.start = s.timeAt(from);
    out.values.assign(s.values.begin() + static_cast<long>(from), s.values.end());
    if (!s.trials.empty())
        out.trials.assign(s.trials.begin() + static_cast<long>(from), s.trials.end());
    return out;
}

Band slice(const Band &b, std::size_t from)
{
    auto cut = [from](const std::vector<double> &v) { return std::vector<double>(v.begin() + static_cast<long>(from), v.end()); };
    Band out{cut(b.expected), cut(b.low), cut(b.high), {}, {}, b.noise, b.scale};
    if (b.method.size() > from)
        out.method.assign(b.method.begin() + static_cast<long>(from), b.method.end());
    if (b.historyLow.size() > from)
        out.historyLow = cut(b.historyLow);
    return out;
}

double kindWeight(const std::string &kind)
{
    if (kind == "deploy" || kind == "rollback")
        return 1.0;
    if (kind == "flag")
        return 0.75;
    if (kind == "config")
        return 0.5;
    return 0.25;
}

std::string minutesText(DurationNs d)
{
    const auto minutes = static_cast<long long>(std::llround(static_cast<double>(d) / kMinute));
    return std::to_string(minutes) + " min";
}

// What changed is a hint beside the tile's numbers: a look-up that fails leaves it empty.
Json explainAnomaly(const WhatChanged &whatChanged, const Anomaly &a)
{
    try {
        return WhatChanged::toJson(whatChanged.explain({a.start, a.end}));
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &) {
        return Json::array();
    }
}

bool namedBy(const Json &change, const Marker &m)
{
    const Json value = change.value("value", Json());
    if (!value.is_string() || change.value("share_anomaly", 0.0) <= change.value("share_baseline", 0.0))
        return false;
    const std::string field = change.value("field", std::string());
    return (field == "service.version" && !m.version.empty() && value == m.version)
           || (field == "service.name" && value == m.service);
}

// A marker whose version or service grew in what changed is pointed at by the data itself.
void confirmByWhatChanged(std::vector<Suspect> &suspects, const Json &whatChanged)
{
    for (Suspect &s : suspects) {
        const auto change = std::find_if(whatChanged.begin(), whatChanged.end(),
                                         [&](const Json &c) { return namedBy(c, s.marker); });
        if (change == whatChanged.end())
            continue;
        s.reasons.push_back(change->value("field", std::string()) + " = " + change->value("value", std::string())
                            + " in what changed");
        s.score = 0.85 * s.score + 0.15;
    }
    std::stable_sort(suspects.begin(), suspects.end(), [](const Suspect &a, const Suspect &b) { return a.score > b.score; });
}
} // namespace

DurationNs defaultBucket(const Tile &tile)
{
    const Query &q = tile.kind == "ratio" ? tile.numerator : tile.query;
    return q.interval > 0 ? q.interval : kDefaultBucket;
}

std::vector<Suspect> rankSuspects(TimeNs start, const std::vector<Marker> &markers, const Tile &tile, DurationNs window)
{
    // A bucket starts before the change inside it, so a marker inside the anomaly's first bucket still counts.
    const DurationNs slack = defaultBucket(tile);
    std::vector<Suspect> out;
    for (const Marker &m : markers) {
        if (m.time < start - window || m.time >= start + slack)
            continue;
        if (m.kind == "incident_start" || m.kind == "incident_end")
            continue;
        // A tile's scope of kinds says which kinds can explain it (DESIGN.md); its services only rank
        if (tile.markers && !tile.markers->kinds.empty()
            && std::find(tile.markers->kinds.begin(), tile.markers->kinds.end(), m.kind) == tile.markers->kinds.end())
            continue;
        Suspect s;
        s.marker = m;
        const DurationNs before = start - m.time;
        const double closeness = std::exp(-std::abs(static_cast<double>(before)) / static_cast<double>(30 * kMinute));
        s.reasons.push_back(m.kind + " " + (before >= 0 ? minutesText(before) + " before start"
                                                         : minutesText(-before) + " after start (same bucket)"));
        const bool inScope = tile.markers && !tile.markers->services.empty()
                             && std::find(tile.markers->services.begin(), tile.markers->services.end(), m.service)
                                    != tile.markers->services.end();
        if (inScope)
            s.reasons.push_back("service " + m.service + " in scope");
        s.score = 0.55 * closeness + 0.25 * (inScope ? 1.0 : 0.3) + 0.2 * kindWeight(m.kind);
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const Suspect &a, const Suspect &b) { return a.score > b.score; });
    return out;
}

namespace {
constexpr std::int64_t kMaxTileBuckets = 500'000;

// All but what the markers add (attachMarkers): a board shows its tiles before a slow source's markers come.
TileResult evaluateTileEvery(DurationNs step, const Tile &tile, const TimeRange &range, DataSource &source,
                             const CancelTokenPtr &cancel)
{
    TileResult r;
    r.name = tile.name;
    r.unit = tile.unit;
    r.decimals = tile.decimals;
    if (tile.markers)
        r.services = tile.markers->services;
    // The tile's own mistake first: on a range too short for one bucket it had been "no data" (exploratory test)
    if (const DurationNs period = tile.range.period; tile.range.method == "seasonal"
        && (period % step != 0 || (period > kDay && kDay % step != 0))) // another phase every period
        throw Error(QStringLiteral("buckets of %1 do not divide the range's period of %2: choose an interval that does")
                        .arg(formatDuration(step), formatDuration(period > kDay && period % step == 0 ? kDay : period)));
    const TimeNs displayStart = alignDown(range.from, step);
    const TimeNs end = alignDown(pastPart(range).to, step); // only complete buckets: none after now
    if (end <= displayStart)
        return r;
    const TimeNs start = displayStart - alignDown(historySpan(tile.range), step);
    if ((end - start) / step > kMaxTileBuckets) // every bucket holds a value: 1 ms over a week's history is 6e8
        throw Error(QStringLiteral("an interval of %1 is too fine for this range and its history (%2 buckets, at most "
                                   "%3): choose a longer one").arg(formatDuration(step)).arg((end - start) / step)
                        .arg(kMaxTileBuckets));

    BucketSeries s;
    s.start = start;
    s.step = step;
    NoiseModel noise = NoiseModel::None;
    double scale = 1;
    const double stepSeconds = static_cast<double>(step) / kSecond;
    // A query's own rate per second becomes the count of its bucket, so that its noise is a count's (a rate tile
    // of "agg":"rate" had none, and 17 made-up anomalies; a ratio of rates took 0.006 for its denominator count).
    const auto counts = [&](const Query &q) {
        std::vector<double> c = fetchBuckets(source, q, start, end, step, cancel);
        if (q.agg.kind == Aggregate::Kind::Rate)
            for (double &v : c)
                v *= stepSeconds;
        return c;
    };
    if (tile.kind == "ratio") {
        const auto num = counts(tile.numerator);
        s.trials = counts(tile.denominator);
        scale = tile.unit == "%" ? 100 : 1;
        s.values.resize(num.size());
        std::size_t within = 0, counted = 0; // buckets with a denominator, and those whose numerator is within it
        for (std::size_t i = 0; i < num.size(); ++i) {
            s.values[i] = s.trials[i] > 0 ? num[i] / s.trials[i] * scale : NAN;
            counted += s.trials[i] > 0;
            within += s.trials[i] > 0 && num[i] <= s.trials[i];
        }
        // A share varies by chance as a binomial count and never passes 100%; a ratio that is no share (dashboard
        // views per login page view, 122%) has its history's band alone (a cap at 100% had put the band below its
        // own low edge, bad for good). A funnel's share may pass 100% in a bucket (the next step's event falls in
        // the next bucket): it is a share while most buckets are within 100%.
        noise = 2 * within >= counted ? NoiseModel::Binomial : NoiseModel::None;
    } else if (tile.kind == "rate") {
        s.trials = counts(tile.query);
        scale = unitSeconds(tile.unit) / stepSeconds; // a count per bucket becomes per unit of time
        for (double c : s.trials)
            s.values.push_back(c * scale);
        noise = countsEvents(tile.query) ? NoiseModel::Poisson : NoiseModel::None;
    } else {
        s.values = fetchBuckets(source, tile.query, start, end, step, cancel);
        noise = countsEvents(tile.query) ? NoiseModel::Poisson : NoiseModel::None;
        if (noise == NoiseModel::Poisson) { // the counts behind the values: a rate is per second
            scale = tile.query.agg.kind == Aggregate::Kind::Rate ? kSecond / static_cast<double>(step) : 1;
            for (double v : s.values)
                s.trials.push_back(v / scale);
        }
    }
    const Band band = computeBand(s, tile.range, noise, scale);
    const auto from = static_cast<std::size_t>((displayStart - start) / step);
    r.series = slice(s, from);
    r.band = slice(band, from);

    const WhatChanged whatChanged(tile, source, cancel);
    // An anomaly under way when the range starts is followed back to its own start, up to a day before the
    // range (a board over the last 10 minutes dated it to their start, and ranked suspects from there).
    const auto reach = std::min<std::size_t>(from, static_cast<std::size_t>(kDay / step));
    for (const AnomalySpan &a : detectAnomalies(s, band, tile.range.minBuckets, from - reach, s.size())) {
        if (a.last < from)
            continue; // over before the range
        Anomaly an;
        an.start = s.timeAt(a.first);
        an.end = s.timeAt(a.last) + step;
        an.open = a.open;
        an.direction = a.direction;
        an.size = a.size;
        an.whatChanged = explainAnomaly(whatChanged, an);
        r.anomalies.push_back(std::move(an));
    }

    const std::size_t last = s.size() - 1;
    r.value = s.values[last];
    r.expected = band.expected[last];
    r.low = band.low[last];
    r.high = band.high[last];
    const bool open = !r.anomalies.empty() && r.anomalies.back().open;
    if (open) // an anomaly never seen to end, even when the last bucket is empty
        r.state = "bad";
    else if (std::isnan(r.value))
        r.state = "no_data";
    else if (std::isfinite(r.low) && (r.value < r.low || r.value > r.high))
        r.state = "warn";
    else
        r.state = "ok";
    return r;
}
} // namespace

namespace {
TileResult evaluateTileWithoutMarkers(const Tile &tile, const TimeRange &range, DataSource &source,
                                      const CancelTokenPtr &cancel)
{
    try {
        return evaluateTileEvery(defaultBucket(tile), tile, range, source, cancel);
    } catch (const CoarserStep &coarser) { // the series, its band and its anomalies on the step the source can give
        return evaluateTileEvery(coarser.step, tile, range, source, cancel);
    }
}

// The tile's markers in its range and each anomaly's suspects among them; false when there are none of either.
bool attachMarkers(TileResult &r, const Tile &tile, const TimeRange &range, const std::vector<Marker> &allMarkers)
{
    if (r.series.values.empty())
        return false; // no bucket in the range
    bool suspects = false;
    for (Anomaly &an : r.anomalies) {
        an.suspects = rankSuspects(an.start, allMarkers, tile);
        confirmByWhatChanged(an.suspects, an.whatChanged);
        suspects = suspects || !an.suspects.empty();
    }
    r.markers.clear();
    for (const Marker &m : allMarkers)
        if (m.time >= r.series.start && m.time < range.to && (!tile.markers || tile.markers->admits(m.kind, m.service)))
            r.markers.push_back(m);
    return suspects || !r.markers.empty();
}
} // namespace

TileResult evaluateTile(const Tile &tile, const TimeRange &range, DataSource &source,
                        const std::vector<Marker> &allMarkers, const CancelTokenPtr &cancel)
{
    TileResult r = evaluateTileWithoutMarkers(tile, range, source, cancel);
    attachMarkers(r, tile, range, allMarkers);
    return r;
}

namespace {
// The sources a tile reads, each once ("" is the default source).
std::vector<std::string> tileSources(const Tile &tile)
{
    std::vector<std::string> sources = tile.kind == "ratio"
        ? std::vector{tile.numerator.source, tile.denominator.source}
        : std::vector{tile.query.source};
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    return sources;
}

// The tiles of a board evaluated side by side by source: what their threads share.
class TileRuns
{
public:
    TileRuns(const TimeRange &range, DataSource &source, const CancelTokenPtr &cancel)
        : m_range(range), m_source(source), m_cancel(cancel) {}

    // The tile's result without its markers, or its error as one; `warning` says why a tile has no data when that
    // is no mistake.
    TileResult evaluate(const Tile &tile, std::string &warning)
    {
        const std::vector<std::string> sources = tileSources(tile);
        try {
            for (const std::string &s : sources)
                if (const std::optional<std::string> error = unansweredError(s))
                    throw Error(*error);
            TileResult r = evaluateTileWithoutMarkers(tile, m_range, m_source, m_cancel);
            // no data, and why: a board of hourly and daily tiles over 6 hours is no mistake (review), but say it
            if (const DurationNs step = defaultBucket(tile); r.state == "no_data" && step > m_range.length())
                warning = QStringLiteral("tile \"%1\": its interval of %2 is longer than the time range (%3): "
                                         "no bucket of it fits")
                              .arg(QString::fromStdString(tile.name), formatDuration(step),
                                   formatDuration(m_range.length()))
                              .toStdString();
            return r;
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) {
            const auto *error = dynamic_cast<const Error *>(&e);
            if (error && error->unanswered() && sources.size() == 1)
                setUnanswered(sources.front(), e.what());
            TileResult r;
            r.name = tile.name;
            r.unit = tile.unit;
            r.decimals = tile.decimals;
            r.error = e.what();
            return r;
        }
    }

private:
    // A source that did not answer one tile is not asked again for the next: each had waited its timeout over
    // (exploratory test: five tiles of a dead Prometheus, five timeouts one after another). A tile of another group,
    // asking the same source meanwhile, still waits its own.
    std::optional<std::string> unansweredError(const std::string &source)
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_unanswered.find(source);
        return it == m_unanswered.end() ? std::nullopt : std::optional(it->second);
    }
    void setUnanswered(const std::string &source, const std::string &error)
    {
        const std::lock_guard lock(m_mutex);
        m_unanswered.emplace(source, error);
    }

    const TimeRange &m_range;
    DataSource &m_source;
    const CancelTokenPtr &m_cancel;
    std::mutex m_mutex;
    std::map<std::string, std::string> m_unanswered; // the source's name → its error
};
} // namespace

BoardResult evaluateBoard(const Board &board, const TimeRange &range, DataSource &source, const CancelTokenPtr &cancel,
                          const TileReport &report)
{
    BoardResult result;
    result.board = board.name;
    result.range = range;
    // Tiles are grouped by the sources they read: a group's tiles run one after another, the groups side by side,
    // so that a slow source holds back the tiles that read it only (exploratory test: a source answering in 45 s had
    // held back every tile). A ratio over two sources is a group of its own, beside each source's. The markers are
    // read meanwhile and added to each tile as both are there: a tile is shown first without them when its source
    // is quicker than the markers' (a slow source of deploys had held back every tile).
    std::map<std::vector<std::string>, std::vector<std::size_t>> bySources;
    for (std::size_t i = 0; i < board.tiles.size(); ++i)
        bySources[tileSources(board.tiles[i])].push_back(i);
    TileRuns runs(range, source, cancel);
    result.tiles.resize(board.tiles.size());
    std::vector<std::string> warnings(board.tiles.size());
    std::vector<std::string> markerWarnings;
    std::optional<std::vector<Marker>> markers; // the rest of these under `reporting`
    std::vector<char> evaluated(board.tiles.size(), 0);
    std::mutex reporting;
    // A tile shown before the markers came is shown again when they add something to it.
    const auto show = [&](std::size_t i, bool again) {
        const bool added = markers && attachMarkers(result.tiles[i], board.tiles[i], range, *markers);
        if (report && (added || !again))
            report(i, result.tiles[i]);
    };
    std::vector<std::function<void()>> groups;
    groups.emplace_back([&] {
        // Suspects of an anomaly followed back before the range (up to a day) are looked for up to 2 h before it; a
        // deploy near the range's end fails by a rollback or incident after it.
        std::vector<Marker> read;
        try {
            read = doraMarkers(source, range.from - kDay - 2 * kHour, range.to, cancel, &markerWarnings);
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) { // the tiles stand without them (review: the board had failed after them)
            result.markersRead = false;
            markerWarnings.push_back(std::string("the markers could not be read, so no tile shows them and the DORA "
                                                 "figures are unknown: ") + e.what());
        }
        const std::lock_guard lock(reporting);
        markers = std::move(read);
        for (std::size_t i = 0; i < board.tiles.size(); ++i)
            if (evaluated[i])
                show(i, true);
    });
    for (const auto &[sources, tiles] : bySources)
        groups.emplace_back([&, &tiles = tiles] {
            for (const std::size_t i : tiles) {
                throwIfCancelled(cancel);
                TileResult r = runs.evaluate(board.tiles[i], warnings[i]);
                const std::lock_guard lock(reporting);
                result.tiles[i] = std::move(r);
                evaluated[i] = 1;
                show(i, false);
            }
        });
    runSideBySide(groups.size(), groups.size(), [&](std::size_t i) { groups[i](); });
    result.warnings = std::move(markerWarnings);
    for (std::string &warning : warnings)
        if (!warning.empty())
            result.warnings.push_back(std::move(warning));
    result.dora = doraToJson(computeDora(*markers, anomalyWindows(result.tiles), pastPart(range)));
    if (!result.markersRead) // the same keys, each unknown: counted from no markers they would read 0 deploys
        for (auto &[figure, value] : result.dora["overall"].items())
            value = nullptr;
    return result;
}

std::vector<AnomalyWindow> anomalyWindows(const std::vector<TileResult> &tiles)
{
    std::vector<AnomalyWindow> out;
    for (const TileResult &t : tiles)
        for (const Anomaly &a : t.anomalies)
            out.emplace_back(a.start, a.open ? 0 : a.end, t.services, t.series.step);
    return out;
}

namespace {
Json anomalyToJson(const Anomaly &a)
{
    Json suspects = Json::array();
    for (const Suspect &s : a.suspects)
        suspects.push_back({{"score", roundedNumber(s.score, 3)}, {"reasons", s.reasons}, {"marker", markerToJson(s.marker)}});
    return {{"start", formatRfc3339Std(a.start)},
            {"end", a.open ? Json() : Json(formatRfc3339Std(a.end))},
            {"direction", a.direction > 0 ? "up" : "down"},
            {"size", roundedNumber(a.size, 3)},
            {"suspects", suspects},
            {"what_changed", a.whatChanged}};
}
} // namespace

Json boardResultToJson(const BoardResult &r)
{
    Json tiles = Json::array();
    for (const TileResult &t : r.tiles) {
        Json anomalies = Json::array();
        for (const Anomaly &a : t.anomalies)
            anomalies.push_back(anomalyToJson(a));
        Json tile = {{"name", t.name},
                     {"state", t.error.empty() ? t.state : std::string("no_data")},
                     {"value", roundedNumber(t.value, 3)},
                     {"expected", roundedNumber(t.expected, 3)},
                     {"band", Json::array({roundedNumber(t.low, 3), roundedNumber(t.high, 3)})},
                     {"band_method", t.band.method.empty() ? "none" : bandMethodName(t.band.method.back())},
                     {"unit", t.unit},
                     {"anomalies", anomalies}};
        if (!t.error.empty())
            tile["error"] = t.error;
        tiles.push_back(std::move(tile));
    }
    Json out = {{"board", r.board},
                {"from", formatRfc3339Std(r.range.from)},
                {"to", formatRfc3339Std(r.range.to)},
                {"tiles", tiles},
                {"dora", r.dora}};
    if (!r.warnings.empty())
        out["warnings"] = r.warnings;
    return out;
}

} // namespace fd
