// What completing a grouped time series costs (completeTimeSeries: the `limit` largest series, every empty
// bucket of a count as a 0 row), against the query's own answer: the rows a store gives for G groups over
// B buckets where only some buckets have events, and the chart's seriesFromFrame over the same frame as
// the baseline in the same run. Prints figures; not a pass/fail test.
//   bench_timeseries [GROUPS] [BUCKETS] [FILLED%]
#include "models/FrameSeries.h"
#include <QElapsedTimer>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace fd;

namespace {

const TimeNs kStart = 1'763'650'000LL * kSecond / (5 * kMinute) * (5 * kMinute);

// (time, user.id, count) rows in time order, as the store's GROUP BY 1, 2 ORDER BY 1 gives them.
Frame answer(int groups, int buckets, int filledPercent)
{
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> percent(0, 99), count(1, 40);
    Frame f;
    f.columns = {{"time", ColumnType::Time, {}}, {"user.id", ColumnType::String, {}}, {"count", ColumnType::Int64, {}}};
    for (int b = 0; b < buckets; ++b)
        for (int g = 0; g < groups; ++g) {
            if (percent(rng) >= filledPercent)
                continue;
            f.columns[0].cells.emplace_back(kStart + b * 5 * kMinute);
            f.columns[1].cells.emplace_back("user-" + std::to_string(g));
            f.columns[2].cells.emplace_back(std::int64_t(count(rng)));
        }
    f.total = static_cast<std::int64_t>(f.rowCount());
    return f;
}

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    const int groups = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int buckets = argc > 2 ? std::atoi(argv[2]) : 288;
    const int filled = argc > 3 ? std::atoi(argv[3]) : 30;
    Query q;
    q.agg = parseAggregate("count");
    q.interval = 5 * kMinute;
    q.groupBy = {"user.id"};
    const TimeRange range{kStart, kStart + buckets * 5 * kMinute};
    std::printf("%d groups x %d buckets, %d%% of the buckets with events\n", groups, buckets, filled);
    for (int limit : {groups, 50}) {
        q.limit = limit;
        for (int round = 1; round <= 3; ++round) {
            Frame f = answer(groups, buckets, filled);
            const std::size_t before = f.rowCount();
            QElapsedTimer chart;
            chart.start();
            const std::size_t series = seriesFromFrame(f, q, range).size();
            const double chartMs = msSince(chart);
            QElapsedTimer complete;
            complete.start();
            completeTimeSeries(f, q, range);
            const double completeMs = msSince(complete);
            std::printf("limit %4d round %d: %zu rows -> %zu rows (total %lld%s): completeTimeSeries %.1f ms, "
                        "seriesFromFrame (%zu series, the baseline) %.1f ms, ratio %.2f\n",
                        limit, round, before, f.rowCount(), static_cast<long long>(f.total),
                        f.truncated ? ", truncated" : "", completeMs, series, chartMs, completeMs / chartMs);
        }
    }
    return 0;
}
