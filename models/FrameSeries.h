#pragma once
#include "DataSource.h"
#include <QString>
#include <vector>

namespace fd {

// One line of a chart.
struct SeriesData {
    QString name;
    std::vector<TimeNs> xs;
    std::vector<double> ys;
};

// A chart draws this many series at most (a group by trace or user id gives thousands: lines nobody can tell
// apart, and a freeze while they are drawn).
constexpr std::size_t kMaxChartSeries = 50;

// The series of an aggregate query's result: one per group (the string columns), in time order, with
// missing buckets of a count or an event rate as zeros up to now and of anything else as gaps. Of more than kMaxChartSeries
// groups, the largest (a count's or sum's by its summed values, an average's or percentile's by its largest), and `notes` gets "The chart draws the 50 largest of
// 5,123 series …". Throws fd::Error when the frame has no time or no numeric column.
std::vector<SeriesData> seriesFromFrame(const Frame &f, const Query &q, const TimeRange &range,
                                        std::vector<std::string> *notes = nullptr);

// A time series as rows, as DESIGN.md has it: "one row per group and bucket". Of more groups than q.limit,
// the largest (as a chart chooses them; the frame is truncated and says so in a note);
// a count's or an event rate's missing buckets become rows of 0 up to now (any other aggregate, and a
// metric's rate, has no value there, not 0; the future no data yet). A frame that is no time series, or is already truncated, stays as it is.
void completeTimeSeries(Frame &f, const Query &q, const TimeRange &range, TimeNs now = nowNs());

} // namespace fd
