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

// The series of an aggregate query's result: one per group (the string columns), in time order, with
// missing buckets of a count or rate as zeros and of anything else as gaps. Throws fd::Error when the
// frame has no time or no numeric column.
std::vector<SeriesData> seriesFromFrame(const Frame &f, const Query &q, const TimeRange &range);

} // namespace fd
