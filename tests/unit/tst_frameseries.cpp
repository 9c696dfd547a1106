#include "models/FrameSeries.h"
#include "models/Error.h"
#include <QTest>
#include <tuple>
#include <cmath>
#include <limits>

using namespace fd;

namespace {

constexpr TimeNs kT0 = 1'764'633'600 * kSecond; // 2025-12-02 00:00 UTC, on every grid below

// A frame of (time, [group,] value) rows.
Frame frame(const std::vector<TimeNs> &times, const std::vector<double> &values, const std::vector<std::string> &groups = {})
{
    Frame f;
    f.columns.push_back({"time", ColumnType::Time, {}});
    if (!groups.empty())
        f.columns.push_back({"service.name", ColumnType::String, {}});
    f.columns.push_back({"value", ColumnType::Double, {}});
    for (std::size_t i = 0; i < times.size(); ++i) {
        f.columns.front().cells.emplace_back(times[i]);
        if (!groups.empty())
            f.columns[1].cells.emplace_back(groups[i]);
        f.columns.back().cells.emplace_back(values[i]);
    }
    return f;
}

Query over(Signal signal, const std::string &agg, DurationNs interval)
{
    Query q;
    q.signal = signal;
    q.agg = parseAggregate(agg);
    q.interval = interval;
    return q;
}

std::vector<TimeNs> minutes(std::initializer_list<int> ms)
{
    std::vector<TimeNs> out;
    for (int m : ms)
        out.push_back(kT0 + m * kMinute);
    return out;
}

} // namespace

class TestFrameSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Found by a review of the GUI thread: a group by trace id gave thousands of series, each filled with every
    // bucket of the range (memory) and drawn as a chart line (a freeze). The largest kMaxChartSeries are kept,
    // chosen before any bucket is filled, and the rest are said.
    void manyGroupsKeepTheLargestSeries()
    {
        constexpr int kGroups = 70;
        std::vector<TimeNs> times;
        std::vector<double> values;
        std::vector<std::string> groups;
        for (int g = 0; g < kGroups; ++g) {
            for (int m : {1, 2}) {
                times.push_back(kT0 + m * kMinute);
                values.push_back(g % 2 ? -g : g); // sizes count, not signs
                groups.push_back("g" + std::to_string(g));
            }
        }
        std::vector<std::string> notes;
        const auto series = seriesFromFrame(frame(times, values, groups), over(Signal::Metrics, "", kMinute),
                                            {kT0, kT0 + 10 * kMinute}, &notes);
        QCOMPARE(series.size(), kMaxChartSeries);
        for (const SeriesData &s : series)
            QVERIFY2(s.name.mid(1).toInt() >= kGroups - int(kMaxChartSeries), qPrintable(s.name));
        QCOMPARE(notes, std::vector<std::string>{"The chart draws the 50 largest of 70 series (by their largest values); "
                                                 "a filter or a coarser group by shows the others."});
        std::vector<std::string> none;
        seriesFromFrame(frame(minutes({1, 2}), {1, 2}, {"a", "b"}), over(Signal::Metrics, "", kMinute),
                        {kT0, kT0 + 10 * kMinute}, &none);
        QVERIFY(none.empty()); // every series drawn: nothing to say
    }

    // A group by an integer attribute (a status code) is typed Int64 by its values; its series stay apart.
    // A raw query's other numbers are measures, not names (as Grafana reads them).
    // The rows of the largest values, whatever column follows the value (a native histogram's JSON: review); a
    // value that is no number comes last, and the sort stays defined.
    void theLargestRowsAreKept()
    {
        Frame f;
        f.columns = { { "room", ColumnType::String, { Cell(std::string("a")), Cell(std::string("b")), Cell(std::string("c")), Cell(std::string("d")) } },
            { "value", ColumnType::Double, { Cell(1.0), Cell(std::monostate {}), Cell(5.0), Cell(3.0) } },
            { "histogram", ColumnType::Json, { Cell(std::string("{}")), Cell(std::monostate {}), Cell(std::monostate {}), Cell(std::string("{}")) } } };
        keepLargestRows(f, 3, 1);
        QCOMPARE(f.rowCount(), std::size_t(3));
        QVERIFY(f.truncated);
        QCOMPARE(cellToString(f.cell(0, 0)), std::string("c"));
        QCOMPARE(cellToString(f.cell(1, 0)), std::string("d"));
        QCOMPARE(cellToString(f.cell(2, 0)), std::string("a"));
    }

    void integerGroupsNameSeries()
    {
        Frame f = frame(minutes({1, 1}), {3, 4});
        f.columns.insert(f.columns.begin() + 1, Column{"http.status", ColumnType::Int64, {Cell(200LL), Cell(500LL)}});
        Query q = over(Signal::Logs, "count", kMinute);
        q.groupBy = {"http.status"};
        auto series = seriesFromFrame(f, q, {kT0, kT0 + 2 * kMinute});
        QCOMPARE(series.size(), std::size_t(2));
        QCOMPARE(series[0].name, QStringLiteral("200"));
        QCOMPARE(series[1].name, QStringLiteral("500"));

        Query raw = over(Signal::Logs, "", 0);
        raw.raw = "SELECT time, status, value FROM t";
        series = seriesFromFrame(f, raw, {kT0, kT0 + 2 * kMinute});
        QCOMPARE(series.size(), std::size_t(1));
        QCOMPARE(series[0].ys.size(), std::size_t(2));
    }

    // A count's empty bucket is a zero, from the bucket the range starts in to the one it ends in.
    void countsFillEveryBucketOfTheRangeWithZeros()
    {
        const Frame f = frame(minutes({1, 3}), {4, 6});
        const auto series = seriesFromFrame(f, over(Signal::Logs, "count", kMinute), {kT0 + 30 * kSecond, kT0 + 5 * kMinute});
        QCOMPARE(series.size(), std::size_t(1));
        QCOMPARE(series[0].name, QStringLiteral("count"));
        QCOMPARE(series[0].xs, minutes({0, 1, 2, 3, 4}));
        QCOMPARE(series[0].ys, (std::vector<double>{0, 4, 0, 6, 0}));
    }

    // Found by an exploratory test: "errors per 10 minutes" over a quiet hour had no rows at all; grouped, there is
    // no group to fill.
    void noEventsCountZeroInEveryBucket()
    {
        Frame quiet = frame({}, {});
        completeTimeSeries(quiet, over(Signal::Logs, "count", 10 * kMinute), {kT0, kT0 + kHour}, kT0 + 2 * kHour);
        QCOMPARE(quiet.rowCount(), std::size_t(6));
        QCOMPARE(quiet.total, std::int64_t(6));
        for (std::size_t r = 0; r < 6; ++r) {
            QCOMPARE(cellToInt(quiet.cell(r, 0)), kT0 + TimeNs(r) * 10 * kMinute);
            QCOMPARE(cellToDouble(quiet.cell(r, 1)), 0.0);
        }
        Query byService = over(Signal::Logs, "count", 10 * kMinute);
        byService.groupBy = {"service.name"};
        for (Frame grouped : {frame({}, {}, {"x"}), frame({}, {})}) { // a source adds no group column for no series
            completeTimeSeries(grouped, byService, {kT0, kT0 + kHour}, kT0 + 2 * kHour);
            QCOMPARE(grouped.rowCount(), std::size_t(0));
        }
        for (const char *agg : {"avg(value)", "count"}) { // no point is no value, and a misspelled metric no data (review)
            Frame metric = frame({}, {});
            completeTimeSeries(metric, over(Signal::Metrics, agg, 10 * kMinute), {kT0, kT0 + kHour}, kT0 + 2 * kHour);
            QCOMPARE(metric.rowCount(), std::size_t(0));
        }
    }

    // Found by an exploratory test: Elasticsearch's top groups (further ones left out) were taken for a cap on rows,
    // and the series lost their zero buckets with a note that the source had stopped.
    void groupsTheSourceLeftOutKeepTheirZeroBuckets()
    {
        Frame top = frame(minutes({0, 2}), {4, 6}, {"auth", "auth"});
        top.truncated = top.groupsLeftOut = true;
        Query byService = over(Signal::Logs, "count", kMinute);
        byService.groupBy = {"service.name"};
        completeTimeSeries(top, byService, {kT0, kT0 + 4 * kMinute}, kT0 + kHour);
        QCOMPARE(top.rowCount(), std::size_t(4));
        QCOMPARE(cellToDouble(top.cell(1, 2)), 0.0);
        QVERIFY(top.truncated); // there are more groups all the same
        QVERIFY(top.notes.empty());
        Frame capped = frame(minutes({0, 2}), {4, 6}, {"auth", "auth"}); // a cap on rows: the series end early
        capped.truncated = true;
        completeTimeSeries(capped, byService, {kT0, kT0 + 4 * kMinute}, kT0 + kHour);
        QCOMPARE(capped.rowCount(), std::size_t(2));
        QCOMPARE(capped.notes.size(), std::size_t(1));
    }

    // Exploratory test: grouped by a field named "count", the buckets filled in took the group's values for counts.
    void aGroupNamedLikeTheAggregate()
    {
        Frame f;
        f.columns = {{"time", ColumnType::Time, {Cell(kT0), Cell(kT0)}},
                     {"count", ColumnType::Int64, {Cell(7LL), Cell(5LL)}},
                     {"count", ColumnType::Int64, {Cell(1LL), Cell(2LL)}}};
        Query q = over(Signal::Logs, "count", kMinute);
        q.groupBy = {"count"};
        completeTimeSeries(f, q, {kT0, kT0 + 2 * kMinute}, kT0 + kHour);
        QCOMPARE(f.rowCount(), std::size_t(4));
        QCOMPARE(f.total, std::int64_t(4));
        for (std::size_t r = 0; r < 4; ++r) {
            const bool filled = cellToInt(f.cell(r, 0)) == kT0 + kMinute;
            const std::int64_t group = cellToInt(f.cell(r, 1)), count = cellToInt(f.cell(r, 2));
            QVERIFY2(group == 5 || group == 7, std::to_string(group).c_str());
            QCOMPARE(count, filled ? 0 : group == 7 ? 1 : 2);
        }
        const auto series = seriesFromFrame(f, q, {kT0, kT0 + 2 * kMinute});
        QCOMPARE(series.size(), std::size_t(2));
        QCOMPARE(series[0].name, QStringLiteral("5"));
        QCOMPARE(series[0].ys, (std::vector<double>{2, 0}));

        // review: a metric's value column is "value" whatever its aggregate, and events without one count
        for (const auto &[signal, agg, group, value] : {std::tuple{Signal::Metrics, "count", "value", "value"},
                                                        std::tuple{Signal::Logs, "", "value", "count"}}) {
            Frame g;
            g.columns = {{"time", ColumnType::Time, {Cell(kT0)}}, {group, ColumnType::Int64, {Cell(7LL)}},
                         {value, ColumnType::Int64, {Cell(1LL)}}};
            Query byName = over(signal, agg, kMinute);
            byName.groupBy = {group};
            completeTimeSeries(g, byName, {kT0, kT0 + 2 * kMinute}, kT0 + kHour);
            QCOMPARE(g.rowCount(), std::size_t(2));
            QCOMPARE(cellToInt(g.cell(0, 2)), 1);
            QCOMPARE(cellToInt(g.cell(1, 0)), kT0 + kMinute); // filled in: the group's 7 counted 0
            QCOMPARE(cellToInt(g.cell(1, 1)), 7);
            QCOMPARE(cellToInt(g.cell(1, 2)), 0);
        }
    }

    // A metric's missing point is a gap in its line, and the line starts and ends at its own points.
    void aMissingGaugePointIsAGap()
    {
        const Frame f = frame(minutes({1, 4, 2}), {1.5, 3.5, 2.5});
        const auto series = seriesFromFrame(f, over(Signal::Metrics, "", kMinute), {kT0, kT0 + 10 * kMinute});
        QCOMPARE(series.at(0).xs, minutes({1, 2, 3, 4}));
        QCOMPARE(series[0].ys[0], 1.5);
        QCOMPARE(series[0].ys[1], 2.5);
        QVERIFY(std::isnan(series[0].ys[2]));
        QCOMPARE(series[0].ys[3], 3.5);
        // found by review: points at int64's edges (a Prometheus answer's ±9223372036.854 s) overflowed the grid
        constexpr TimeNs kLast = std::numeric_limits<TimeNs>::max() - 1;
        const auto edge = seriesFromFrame(frame({kLast}, {1}), over(Signal::Metrics, "", kMinute), {kT0, kT0 + kMinute});
        QCOMPARE(edge.at(0).xs, std::vector<TimeNs>({kLast}));
        const auto apart = seriesFromFrame(frame({std::numeric_limits<TimeNs>::min() + 1, kLast}, {1, 2}),
                                           over(Signal::Metrics, "", kMinute), {kT0, kT0 + kMinute});
        QCOMPARE(apart.at(0).xs.size(), std::size_t(2)); // too many buckets between them to fill: as they are
    }

    // An engine that computed on a coarser step than the interval (more points than it allows) leaves no
    // zeros or gaps between its points: the grid is the frame's step.
    void theGridIsTheStepTheEngineUsed()
    {
        Frame f = frame(minutes({0, 5, 10, 0, 10}), {1, 2, 3, 7, 9}, {"auth", "auth", "auth", "cart", "cart"});
        f.step = 5 * kMinute;
        const TimeRange range {kT0, kT0 + 15 * kMinute};
        const auto rates = seriesFromFrame(f, over(Signal::Logs, "rate", kMinute), range);
        QCOMPARE(rates.size(), std::size_t(2));
        QCOMPARE(rates[0].name, QStringLiteral("auth"));
        QCOMPARE(rates[0].xs, minutes({0, 5, 10}));
        QCOMPARE(rates[0].ys, (std::vector<double>{1, 2, 3}));
        QCOMPARE(rates[1].name, QStringLiteral("cart"));
        QCOMPARE(rates[1].ys, (std::vector<double>{7, 0, 9}));
        const auto gauge = seriesFromFrame(f, over(Signal::Metrics, "avg(value)", kMinute), range);
        QCOMPARE(gauge[0].xs, minutes({0, 5, 10}));
        QVERIFY(!std::isnan(gauge[0].ys[1]));
    }

    // Found by an exploratory test: `query --interval` printed only the buckets that had events, where
    // DESIGN.md has "one row per group and bucket" and a chart of the same query draws zeros.
    void aCountsRowsHaveEveryBucketOfEveryGroup()
    {
        Frame f = frame(minutes({1, 1, 3}), {4, 2, 6}, {"auth", "cart", "auth"});
        const Query q = over(Signal::Logs, "count", kMinute);
        completeTimeSeries(f, q, {kT0 + 30 * kSecond, kT0 + 4 * kMinute});
        QCOMPARE(f.rowCount(), std::size_t(8));
        QCOMPARE(f.total, 8);
        QVERIFY(!f.truncated);
        const std::vector<std::string> groups{"auth", "cart", "auth", "cart", "auth", "cart", "auth", "cart"};
        const std::vector<double> counts{0, 0, 4, 2, 0, 0, 6, 0};
        for (std::size_t row = 0; row < f.rowCount(); ++row) {
            QCOMPARE(cellToInt(f.cell(row, 0)), kT0 + TimeNs(row / 2) * kMinute);
            QCOMPARE(cellToString(f.cell(row, 1)), groups[row]);
            QCOMPARE(cellToDouble(f.cell(row, 2)), counts[row]);
        }
        // Cut by the source's own cap on rows: not filled, and a note says the series lack what came after (the
        // query view had said "cut at the limit of N series").
        Frame cut = frame(minutes({1, 1, 3}), {4, 2, 6}, {"auth", "cart", "auth"});
        cut.truncated = true;
        completeTimeSeries(cut, q, {kT0, kT0 + 4 * kMinute});
        QCOMPARE(cut.rowCount(), std::size_t(3));
        QCOMPARE(cut.notes.size(), std::size_t(1));
        QVERIFY(cut.notes[0].starts_with("The source stopped at 3 rows"));
        // an average has no value where nothing was measured: its rows stay as they were
        Frame avg = frame(minutes({1, 3}), {4, 6});
        completeTimeSeries(avg, over(Signal::Spans, "avg(duration)", kMinute), {kT0, kT0 + 4 * kMinute});
        QCOMPARE(avg.rowCount(), std::size_t(2));
    }

    // Found by an exploratory test: a metric's rate where no point came is unknown (a gap, as Prometheus has
    // it), not 0; and no bucket after now is filled with a zero count.
    void neitherAMetricsRateNorTheFutureIsZero()
    {
        Frame rate = frame(minutes({1, 3}), {4, 6});
        completeTimeSeries(rate, over(Signal::Metrics, "rate", kMinute), {kT0, kT0 + 5 * kMinute});
        QCOMPARE(rate.rowCount(), std::size_t(2));
        QCOMPARE(seriesFromFrame(rate, over(Signal::Metrics, "rate", kMinute), {kT0, kT0 + 5 * kMinute}).at(0).xs, minutes({1, 2, 3}));
        Frame counts = frame(minutes({1}), {4});
        const TimeNs now = kT0 + 2 * kMinute + 30 * kSecond;
        completeTimeSeries(counts, over(Signal::Logs, "count", kMinute), {kT0, kT0 + kHour}, now);
        QCOMPARE(counts.rowCount(), std::size_t(3)); // minutes 0, 1 and the one under way, not 60
        QCOMPARE(cellToInt(counts.cell(2, 0)), kT0 + 2 * kMinute);
        QCOMPARE(cellToDouble(counts.cell(2, 1)), 0.0);
        Frame future = frame(minutes({1}), {4});
        completeTimeSeries(future, over(Signal::Logs, "count", kMinute), {kT0 + 30 * kSecond, kT0 + kHour}, kT0);
        QCOMPARE(future.rowCount(), std::size_t(1)); // a range wholly after now: nothing filled in

        // Found by review: a raw query keeps its own buckets, however the sentence beside it is set.
        Query raw = over(Signal::Logs, "count", kMinute);
        raw.raw = "SELECT (time / 600000000000) * 600000000000 AS time, avg(severity) AS sev FROM logs GROUP BY 1";
        Frame rawFrame = frame(minutes({0, 10}), {9.2, 9.3});
        completeTimeSeries(rawFrame, raw, {kT0, kT0 + 20 * kMinute});
        QCOMPARE(rawFrame.rowCount(), std::size_t(2));
        QCOMPARE(seriesFromFrame(rawFrame, raw, {kT0, kT0 + 20 * kMinute}).at(0).xs.size(), std::size_t(11)); // a line with gaps
    }

    // Found by review: series were told apart by their names joined with ", ": a null and "" were one series.
    void groupsAreToldApartByTheirCells()
    {
        Frame f = frame(minutes({0, 1}), {1, 2}, {"", ""});
        f.columns[1].cells[0] = Cell{};
        completeTimeSeries(f, over(Signal::Logs, "count", kMinute), {kT0, kT0 + 2 * kMinute});
        QCOMPARE(f.rowCount(), std::size_t(4)); // each of the two with a zero in the other's minute
        QCOMPARE(seriesFromFrame(f, over(Signal::Logs, "count", kMinute), {kT0, kT0 + 2 * kMinute}).size(), std::size_t(2));
    }

    // --limit of a grouped time series keeps that many series (the largest, as a chart chooses), whole.
    void theLimitCountsSeries()
    {
        Frame f = frame(minutes({0, 1, 0, 1, 0}), {1, 1, 9, 9, 5}, {"a", "a", "b", "b", "c"});
        Query q = over(Signal::Logs, "count", kMinute);
        q.limit = 2;
        completeTimeSeries(f, q, {kT0, kT0 + 2 * kMinute});
        QVERIFY(f.truncated);
        QCOMPARE(f.total, 6); // the rows of every series, "c" filled in at minute 1
        QCOMPARE(f.rowCount(), std::size_t(4));
        for (std::size_t row = 0; row < f.rowCount(); ++row)
            QVERIFY(cellToString(f.cell(row, 1)) != "a");
        QCOMPARE(cellToDouble(f.cell(3, 2)), 0.0); // c at minute 1
        QCOMPARE(f.notes.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(f.notes[0]).contains(QStringLiteral("2 largest of 3 series")), f.notes[0].c_str());
    }

    // Found by review: summed, an average's series present in every bucket outranked the one slow spike.
    void averagesAreRankedByTheirLargestValue()
    {
        Frame f = frame(minutes({0, 1, 2, 1}), {10, 10, 10, 25}, {"steady", "steady", "steady", "spike"});
        Query q = over(Signal::Spans, "avg(duration)", kMinute);
        q.limit = 1;
        completeTimeSeries(f, q, {kT0, kT0 + 3 * kMinute});
        QCOMPARE(f.rowCount(), std::size_t(1));
        QCOMPARE(cellToString(f.cell(0, 1)), std::string("spike"));
        QVERIFY2(QString::fromStdString(f.notes.at(0)).contains(QStringLiteral("by their largest values")), f.notes[0].c_str());
    }

    // Rows past the store's own cap for a time series are not invented: the empty buckets stay out, said.
    void tooManyBucketsStayOut()
    {
        Frame f = frame(minutes({0}), {1});
        completeTimeSeries(f, over(Signal::Logs, "count", kSecond), {kT0, kT0 + 2'000'000 * kSecond});
        QCOMPARE(f.rowCount(), std::size_t(1));
        QCOMPARE(f.notes.size(), std::size_t(1));
        std::vector<std::string> names;
        for (char c = 'a'; c < 'a' + 20; ++c)
            names.emplace_back(1, c);
        Frame groups = frame(std::vector<TimeNs>(20, kT0), std::vector<double>(20, 1.0), names); // 20 × 60,000 buckets
        completeTimeSeries(groups, over(Signal::Logs, "count", kSecond), {kT0, kT0 + 60'000 * kSecond});
        QCOMPARE(groups.rowCount(), std::size_t(20));
        QCOMPARE(groups.notes.size(), std::size_t(1));
        // Found by review: the cap is of the rows the limit keeps: one series of 60,000 buckets is filled in.
        Frame one = frame(std::vector<TimeNs>(20, kT0), std::vector<double>(20, 1.0), names);
        Query limited = over(Signal::Logs, "count", kSecond);
        limited.limit = 1;
        completeTimeSeries(one, limited, {kT0, kT0 + 60'000 * kSecond});
        QCOMPARE(one.rowCount(), std::size_t(60'000));
        QVERIFY(one.truncated);
        QCOMPARE(one.total, std::int64_t(20 * 60'000));
        QCOMPARE(one.notes.size(), std::size_t(1)); // the limit's, no "left out"
    }

    void aFrameWithoutTimeOrNumbersSaysSo()
    {
        Frame f;
        f.columns.push_back({"service.name", ColumnType::String, {Cell(std::string("auth"))}});
        QVERIFY_THROWS_EXCEPTION(Error, seriesFromFrame(f, over(Signal::Logs, "count", kMinute), {kT0, kT0 + kMinute}));
        f.columns.push_back({"time", ColumnType::Time, {Cell(kT0)}});
        QVERIFY_THROWS_EXCEPTION(Error, seriesFromFrame(f, over(Signal::Logs, "count", kMinute), {kT0, kT0 + kMinute}));
    }
};

QTEST_GUILESS_MAIN(TestFrameSeries)
#include "tst_frameseries.moc"
