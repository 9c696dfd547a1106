#include "FrameSeries.h"
#include "Error.h"
#include <QLocale>
#include <QObject>
#include <algorithm>
#include <cmath>
#include <map>

namespace fd {

namespace {
int valueColumn(const Frame &f, const std::string &aggName, int timeColumn)
{
    for (const std::string &name : {aggName, std::string("value")})
        if (const int c = f.columnIndex(name); c >= 0 && c != timeColumn)
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

// A missing bucket of a count or rate is a zero; of anything else, a gap in the line.
void fillMissingBuckets(SeriesData &s, const TimeRange &range, DurationNs interval, bool zeroFill)
{
    if (interval <= 0 || s.xs.empty())
        return;
    const TimeNs first = zeroFill ? alignDown(range.from, interval) : s.xs.front();
    const TimeNs last = zeroFill ? range.to : saturatedAdd(s.xs.back(), 1);
    if (spanBetween(first, last) / interval > 100'000)
        return;
    SeriesData out{s.name, {}, {}};
    std::size_t i = 0;
    for (TimeNs t = first; t < last; t = saturatedAdd(t, interval)) {
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

// The largest `keep` groups by the sum of their values' sizes, chosen before any bucket is filled in.
void keepLargest(std::map<std::string, SeriesData> &byGroup, std::size_t keep)
{
    if (byGroup.size() <= keep)
        return;
    std::vector<std::pair<double, std::string>> sizes;
    sizes.reserve(byGroup.size());
    for (const auto &[key, s] : byGroup) {
        double sum = 0;
        for (double y : s.ys)
            sum += std::isfinite(y) ? std::abs(y) : 0.0;
        sizes.emplace_back(sum, key);
    }
    std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(keep), sizes.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (auto it = sizes.begin() + static_cast<std::ptrdiff_t>(keep); it != sizes.end(); ++it)
        byGroup.erase(it->second);
}

} // namespace

std::vector<SeriesData> seriesFromFrame(const Frame &f, const Query &q, const TimeRange &range,
                                        std::vector<std::string> *notes)
{
    const int timeCol = f.columnIndex("time");
    if (timeCol < 0)
        throw Error(QObject::tr("the result has no time column; set an aggregate and an interval"));
    const std::string aggName = q.agg.text();
    const int valueCol = valueColumn(f, aggName, timeCol);
    if (valueCol < 0)
        throw Error(QObject::tr("the result has no numeric column to chart"));
    std::vector<int> groupCols;
    for (int c = 0; c < static_cast<int>(f.columns.size()); ++c)
        if (c != timeCol && c != valueCol && isGroupColumn(f.columns[c], q))
            groupCols.push_back(c);

    std::map<std::string, SeriesData> byGroup;
    for (std::size_t row = 0; row < f.rowCount(); ++row) {
        std::string key;
        for (int c : groupCols)
            key += (key.empty() ? "" : ", ") + cellToString(f.cell(row, c));
        if (groupCols.empty())
            key = aggName.empty() ? f.columns[valueCol].name : aggName;
        SeriesData &s = byGroup[key];
        s.xs.push_back(cellToInt(f.cell(row, timeCol)));
        s.ys.push_back(cellToDouble(f.cell(row, valueCol)));
    }
    if (notes && byGroup.size() > kMaxChartSeries)
        notes->push_back(QObject::tr("The chart draws the %1 largest of %2 series (by their summed values); a filter "
                                     "or a coarser group by shows the others.")
                             .arg(kMaxChartSeries)
                             .arg(QLocale().toString(qulonglong(byGroup.size())))
                             .toStdString());
    keepLargest(byGroup, kMaxChartSeries);
    // An interval without an aggregate counts events (metric points keep their values).
    const bool counted = q.agg.kind == Aggregate::Kind::None && q.signal != Signal::Metrics;
    const bool zeroFill = counted || q.agg.kind == Aggregate::Kind::Count || q.agg.kind == Aggregate::Kind::Rate;
    std::vector<SeriesData> out;
    for (auto &[key, s] : byGroup) {
        s.name = QString::fromStdString(key);
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

} // namespace fd
