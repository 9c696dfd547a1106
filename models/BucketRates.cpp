#include "BucketRates.h"

#include <algorithm>

namespace fd {

namespace {
constexpr std::int64_t kMinInRange = 10; // a bucket needs a tenth of itself in the range to have a rate
}

TimeRange rateRange(const TimeRange &range, TimeNs now)
{
    const TimeRange past = pastPart(range, now);
    return past.length() > 0 ? past : range;
}

DurationNs rateSpan(const TimeRange &range, DurationNs interval, TimeNs now)
{
    return interval > 0 ? interval : std::max<DurationNs>(1, rateRange(range, now).length());
}

void rescalePartialBucketRates(Frame &f, const Aggregate &agg, DurationNs step, const TimeRange &range)
{
    const int time = f.columnIndex("time");
    if (agg.kind != Aggregate::Kind::Rate || step <= 0 || time < 0 || f.columns.size() < 2
        || f.columns[std::size_t(time)].type != ColumnType::Time)
        return;
    Column &values = f.columns.back();
    if (values.type != ColumnType::Double)
        return;
    const Column &starts = f.columns[std::size_t(time)];
    const TimeRange past = pastPart(range); // the bucket under way has had only its time so far
    for (std::size_t r = 0; r < values.cells.size() && r < starts.cells.size(); ++r) {
        const TimeNs start = cellToInt(starts.cells[r]);
        const DurationNs inRange = spanBetween(std::max(start, past.from), std::min(saturatedAdd(start, step), past.to));
        if (inRange <= 0 || inRange >= step || isNull(values.cells[r]))
            continue;
        // A sliver of a bucket (the second a live range has of its newest one) would make one event a spike.
        values.cells[r] = inRange * kMinInRange < step ? Cell()
                                                       : Cell(cellToDouble(values.cells[r]) * double(step) / double(inRange));
    }
}

} // namespace fd
