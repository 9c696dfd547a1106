#include "FrameSeries.h"
#include "Error.h"
#include <QLocale>
#include <QObject>
#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <tuple>

namespace fd {

namespace {
// The aggregate is a frame's last column of its name: a group by a field named "count" (or "value", for
// metrics) comes before it (exploratory test and review: the buckets filled in had taken the group's value
// for the count and 0 for the group).
int valueColumn(const Frame &f, const std::string &aggName, int timeColumn)
{
    for (const std::string &name : {aggName, std::string("value")})
        for (int c = static_cast<int>(f.columns.size()) - 1; c >= 0; --c)
            if (c != timeColumn && f.columns[c].name == name)
                return c;
    for (int c = static_cast<int>(f.columns.size()) - 1; c >= 0; --c) {
        const ColumnType t = f.columns[c].type;
        if (c != timeColumn && (t == ColumnType::Double || t == ColumnType::Int64))
            return c;
    }
    return -1;
}

// Texts name series, and so does any column the query groups by (a status code too). A raw query's numbers
// are measures, as Grafana reads them: CAST(… AS TEXT) makes one a name.
bool isGroupColumn(const Column &column, const Query &q)
{
    return column.type == ColumnType::String
           || std::find(q.groupBy.begin(), q.groupBy.end(), column.name) != q.groupBy.end();
}

struct SeriesColumns {
    int time = -1;
    int value = -1;
    std::vector<int> groups;
};

// Throws fd::Error when the frame is no time series.
SeriesColumns seriesColumns(const Frame &f, const Query &q)
{
    SeriesColumns c;
    c.time = f.columnIndex("time");
    if (c.time < 0)
        throw Error(QObject::tr("the result has no time column; set an aggregate and an interval"));
    c.value = valueColumn(f, aggregateColumnName(q), c.time);
    if (c.value < 0)
        throw Error(QObject::tr("the result has no numeric column to chart"));
    for (int col = 0; col < static_cast<int>(f.columns.size()); ++col)
        if (col != c.time && col != c.value && isGroupColumn(f.columns[col], q))
            c.groups.push_back(col);
    return c;
}

// A group's name as a chart's legend shows it.
std::string groupName(const Frame &f, std::size_t row, const std::vector<int> &groups)
{
    std::string name;
    for (int c : groups)
        name += (name.empty() ? "" : ", ") + cellToString(f.cell(row, c));
    return name;
}

// A key no two groups share: each cell with its length, null apart from "" (names can collide: "a, b" + "c"
// and "a" + "b, c").
std::string groupKey(const Frame &f, std::size_t row, const std::vector<int> &groups)
{
    std::string key;
    for (int c : groups) {
        const Cell &cell = f.cell(row, c);
        const std::string text = cellToString(cell);
        key += isNull(cell) ? std::string("-;") : std::to_string(text.size()) + ":" + text + ";";
    }
    return key;
}

// An interval without an aggregate counts events (metric points keep their values); a distinct count of no
// events is 0 as well. A counter's rate where no point came is unknown, as Prometheus has it: a gap. A raw
// query's buckets are its own.
bool missingBucketIsZero(const Query &q)
{
    using K = Aggregate::Kind;
    const bool events = q.signal != Signal::Metrics;
    return q.raw.empty()
           && (q.agg.kind == K::Count || q.agg.kind == K::CountDistinct || (events && q.agg.kind == K::None)
               || (events && q.agg.kind == K::Rate));
}

constexpr DurationNs kMaxFilledBuckets = 100'000;
constexpr std::size_t kMaxFilledRows = 1'000'000; // as many as the store gives a time series

// The bucket times a series has: every one of the range for a zero-filled series, else from its first
// point to its last. Empty when there would be more than kMaxFilledBuckets.
std::vector<TimeNs> bucketGrid(TimeNs firstPoint, TimeNs lastPoint, const TimeRange &range, DurationNs interval,
                               bool zeroFill, TimeNs now = nowNs())
{
    if (interval <= 0)
        return {};
    const TimeRange past = pastPart(range, now); // no zeros in the future
    if (zeroFill && past.length() <= 0)
        return {};
    const TimeNs first = zeroFill ? alignDown(range.from, interval) : firstPoint;
    const TimeNs last = zeroFill ? past.to : saturatedAdd(lastPoint, 1);
    if (first >= last || spanBetween(first, last) / interval > kMaxFilledBuckets)
        return {};
    std::vector<TimeNs> grid;
    for (TimeNs t = first; t < last; t = saturatedAdd(t, interval))
        grid.push_back(t);
    return grid;
}

// A missing bucket of a count or rate is a zero; of anything else, a gap in the line.
void fillMissingBuckets(SeriesData &s, const TimeRange &range, DurationNs interval, bool zeroFill)
{
    if (s.xs.empty())
        return;
    const std::vector<TimeNs> grid = bucketGrid(s.xs.front(), s.xs.back(), range, interval, zeroFill);
    if (grid.empty())
        return;
    SeriesData out{s.name, {}, {}};
    std::size_t i = 0;
    for (TimeNs t : grid) {
        for (; i < s.xs.size() && s.xs[i] < t; ++i) { // points off the bucket grid stay as they are
            out.xs.push_back(s.xs[i]);
            out.ys.push_back(s.ys[i]);
        }
        out.xs.push_back(t);
        if (i < s.xs.size() && s.xs[i] == t)
            out.ys.push_back(s.ys[i++]);
        else
            out.ys.push_back(zeroFill ? 0.0 : NAN);
    }
    out.xs.insert(out.xs.end(), s.xs.begin() + static_cast<std::ptrdiff_t>(i), s.xs.end());
    out.ys.insert(out.ys.end(), s.ys.begin() + static_cast<std::ptrdiff_t>(i), s.ys.end());
    s = std::move(out);
}

// The largest `keep` groups by the sum of their values' sizes (`sizeOf` of a group), chosen before any
// bucket is filled in. Returns how many groups there were.
template <typename Group, typename SizeOf>
std::size_t keepLargest(std::map<std::string, Group> &byGroup, std::size_t keep, SizeOf sizeOf)
{
    const std::size_t groups = byGroup.size();
    if (groups <= keep)
        return groups;
    std::vector<std::pair<double, std::string>> sizes;
    sizes.reserve(groups);
    for (const auto &[key, group] : byGroup)
        sizes.emplace_back(sizeOf(group), key);
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(keep), sizes.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (auto it = sizes.begin() + static_cast<std::ptrdiff_t>(keep); it != sizes.end(); ++it)
        byGroup.erase(it->second);
    return groups;
}

// Counts of events and their sums add up over the range; an average, a percentile or a metric's value (a gauge,
// and a sum across series at each instant is one too) does not: summed, a series present in more buckets would
// outrank a larger one, so those series are ranked by their largest value, as Honeycomb orders by the calculation.
bool addsUp(const Query &q)
{
    using K = Aggregate::Kind;
    const K k = q.agg.kind;
    if (!q.raw.empty() || k == K::Count || k == K::Rate)
        return true;
    return q.signal != Signal::Metrics && (k == K::None || k == K::CountDistinct || k == K::Sum);
}

double seriesSize(const std::vector<double> &values, const Query &q)
{
    double size = 0;
    for (double y : values)
        if (std::isfinite(y))
            size = addsUp(q) ? size + std::abs(y) : std::max(size, std::abs(y));
    return size;
}

QString rankedBy(const Query &q)
{
    return addsUp(q) ? QObject::tr("by their summed values") : QObject::tr("by their largest values");
}

} // namespace

std::vector<SeriesData> seriesFromFrame(const Frame &f, const Query &q, const TimeRange &range,
                                        std::vector<std::string> *notes)
{
    const SeriesColumns cols = seriesColumns(f, q);
    const std::string aggName = q.agg.text();
    std::map<std::string, SeriesData> byGroup;
    for (std::size_t row = 0; row < f.rowCount(); ++row) {
        const std::string key = cols.groups.empty() ? std::string() : groupKey(f, row, cols.groups);
        SeriesData &s = byGroup[key];
        if (s.xs.empty())
            s.name = QString::fromStdString(cols.groups.empty() ? (aggName.empty() ? f.columns[cols.value].name : aggName)
                                                                : groupName(f, row, cols.groups));
        s.xs.push_back(cellToInt(f.cell(row, cols.time)));
        s.ys.push_back(cellToDouble(f.cell(row, cols.value)));
    }
    const std::size_t groups = keepLargest(byGroup, kMaxChartSeries, [&q](const SeriesData &s) { return seriesSize(s.ys, q); });
    if (notes && groups > kMaxChartSeries)
        notes->push_back(QObject::tr("The chart draws the %1 largest of %2 series (%3); a filter "
                                     "or a coarser group by shows the others.")
                             .arg(kMaxChartSeries)
                             .arg(QLocale().toString(qulonglong(groups)), rankedBy(q))
                             .toStdString());
    const bool zeroFill = missingBucketIsZero(q);
    std::vector<SeriesData> out;
    for (auto &[key, s] : byGroup) {
        if (!std::is_sorted(s.xs.begin(), s.xs.end())) {
            std::vector<std::size_t> order(s.xs.size());
            for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            std::stable_sort(order.begin(), order.end(), [&xs = s.xs](auto a, auto b) { return xs[a] < xs[b]; });
            SeriesData sorted{s.name, {}, {}};
            for (std::size_t i : order) {
                sorted.xs.push_back(s.xs[i]);
                sorted.ys.push_back(s.ys[i]);
            }
            s = std::move(sorted);
        }
        fillMissingBuckets(s, range, f.step > 0 ? f.step : q.interval, zeroFill);
        out.push_back(std::move(s));
    }
    return out;
}

namespace {
using RowsByGroup = std::map<std::string, std::vector<std::size_t>>;

// The bucket a time starts on `grid` (every `interval` from its first), if any.
std::optional<std::size_t> gridIndex(TimeNs t, const std::vector<TimeNs> &grid, DurationNs interval)
{
    if (grid.empty() || t < grid.front() || t > grid.back() || (t - grid.front()) % interval != 0)
        return std::nullopt;
    return static_cast<std::size_t>((t - grid.front()) / interval);
}

// Which buckets of `grid` a group's rows fill, by a bucket's index on it (a std::set per group took up to twice
// as long).
std::vector<char> bucketsPresent(const Frame &f, int timeCol, const std::vector<std::size_t> &rows,
                                 const std::vector<TimeNs> &grid, DurationNs interval)
{
    std::vector<char> present(grid.size(), 0);
    for (std::size_t row : rows)
        if (const auto i = gridIndex(cellToInt(f.cell(row, static_cast<std::size_t>(timeCol))), grid, interval))
            present[*i] = 1;
    return present;
}

// The kept groups' rows and, on `grid`, a 0 row for each bucket a group lacks; in time order, then group order.
std::vector<Column> filledColumns(const Frame &f, const SeriesColumns &cols, const RowsByGroup &groups,
                                  const std::vector<TimeNs> &grid, DurationNs interval)
{
    struct Row {
        TimeNs time;
        std::size_t group;
        std::optional<std::size_t> row; // of f; none for a filled-in zero
        bool operator<(const Row &o) const { return std::tie(time, group) < std::tie(o.time, o.group); }
    };
    std::vector<Row> rows;
    std::vector<std::size_t> firstRowOfGroup;
    for (const auto &[key, groupRows] : groups) {
        for (std::size_t row : groupRows)
            rows.push_back({cellToInt(f.cell(row, static_cast<std::size_t>(cols.time))), firstRowOfGroup.size(), row});
        const std::vector<char> present = bucketsPresent(f, cols.time, groupRows, grid, interval);
        for (std::size_t i = 0; i < grid.size(); ++i)
            if (!present[i])
                rows.push_back({grid[i], firstRowOfGroup.size(), std::nullopt});
        firstRowOfGroup.push_back(groupRows.empty() ? 0 : groupRows.front()); // read for group columns only
    }
    std::stable_sort(rows.begin(), rows.end());

    std::vector<Column> columns;
    for (const Column &c : f.columns)
        columns.push_back(Column{c.name, c.type, {}});
    for (const Row &r : rows) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const int col = static_cast<int>(c);
            if (r.row)
                columns[c].cells.push_back(f.cell(*r.row, c));
            else if (col == cols.time)
                columns[c].cells.push_back(Cell{r.time});
            else if (col == cols.value)
                columns[c].cells.push_back(columns[c].type == ColumnType::Double ? Cell{0.0} : Cell{std::int64_t{0}});
            else if (std::find(cols.groups.begin(), cols.groups.end(), col) != cols.groups.end())
                columns[c].cells.push_back(f.cell(firstRowOfGroup[r.group], c));
            else
                columns[c].cells.push_back(Cell{});
        }
    }
    return columns;
}
} // namespace

void completeTimeSeries(Frame &f, const Query &q, const TimeRange &range, TimeNs now)
{
    if (!q.raw.empty() || q.interval <= 0 || f.columnIndex("time") < 0)
        return; // a raw query keeps its own shape
    if (f.truncated && !f.groupsLeftOut) { // the source's own cap on rows, before any limit on series
        f.notes.push_back(QObject::tr("The source stopped at %1 rows: the series lack the buckets after them. A shorter "
                                      "range, a coarser interval or fewer groups show them all.")
                              .arg(QLocale().toString(qulonglong(f.rowCount()))).toStdString());
        return;
    }
    SeriesColumns cols;
    try {
        cols = seriesColumns(f, q);
    } catch (const Error &) {
        return; // no numbers to complete
    }
    RowsByGroup rowsByGroup;
    for (std::size_t row = 0; row < f.rowCount(); ++row)
        rowsByGroup[groupKey(f, row, cols.groups)].push_back(row);
    // No events: a count of 0 in each bucket, not no series at all. Not grouped (no group to fill; a source's frame
    // has no group columns when nothing came), and not of metrics (a misspelled metric is no data, not 0).
    if (q.groupBy.empty() && cols.groups.empty() && q.signal != Signal::Metrics && rowsByGroup.empty())
        rowsByGroup[std::string()];
    const DurationNs interval = f.step > 0 ? f.step : q.interval;
    const TimeRange past = pastPart(range, now);
    const DurationNs buckets = past.length() > 0 ? spanBetween(alignDown(past.from, interval), past.to) / interval + 1 : 0;
    std::vector<TimeNs> grid = missingBucketIsZero(q) && buckets > 0 && buckets <= kMaxFilledBuckets
                                   ? bucketGrid(0, 0, past, interval, true, now) : std::vector<TimeNs>{};

    // The total is of every group (a row per group and bucket: each bucket a group lacks adds one), counted in
    // one pass; the cap on rows is of the groups the limit keeps.
    std::size_t onGrid = 0;
    for (std::size_t row = 0; row < f.rowCount() && !grid.empty(); ++row)
        onGrid += gridIndex(cellToInt(f.cell(row, static_cast<std::size_t>(cols.time))), grid, interval).has_value();
    std::size_t total = f.rowCount() + grid.size() * rowsByGroup.size() - onGrid;
    const std::size_t limit = q.limit > 0 ? static_cast<std::size_t>(q.limit) : rowsByGroup.size();
    const std::size_t groups = keepLargest(rowsByGroup, limit, [&](const std::vector<std::size_t> &rows) {
        std::vector<double> values;
        for (std::size_t row : rows)
            values.push_back(cellToDouble(f.cell(row, static_cast<std::size_t>(cols.value))));
        return seriesSize(values, q);
    });
    const bool tooMany = missingBucketIsZero(q) && !rowsByGroup.empty()
                         && (buckets > kMaxFilledBuckets || rowsByGroup.size() * static_cast<std::size_t>(buckets) > kMaxFilledRows);
    if (tooMany) {
        grid.clear();
        total = f.rowCount();
        f.notes.push_back(QObject::tr("Buckets without events are left out: filled in, the result would have more than "
                                      "%1 rows.").arg(QLocale().toString(qulonglong(buckets > kMaxFilledBuckets ? kMaxFilledBuckets : kMaxFilledRows))).toStdString());
    }
    f.columns = filledColumns(f, cols, rowsByGroup, grid, interval);
    f.total = static_cast<std::int64_t>(total);
    f.truncated = groups > rowsByGroup.size() || f.groupsLeftOut;
    if (groups > rowsByGroup.size())
        f.notes.push_back(QObject::tr("The result keeps the %1 largest of %2 series (%3); a "
                                      "larger limit, a filter or a coarser group by shows the others.")
                              .arg(QLocale().toString(qulonglong(rowsByGroup.size())),
                                   QLocale().toString(qulonglong(groups)), rankedBy(q))
                              .toStdString());
}

} // namespace fd
