#include "SeverityHistogram.h"
#include <algorithm>

namespace fd {

SeverityHistogram::Class SeverityHistogram::classOf(int severity)
{
    if (severity >= 17)
        return Error;
    if (severity >= 13)
        return Warn;
    if (severity >= 9)
        return Info;
    return Other;
}

namespace {
SeverityHistogram emptyHistogram(const TimeRange &range, DurationNs step)
{
    SeverityHistogram h;
    h.step = step;
    h.start = alignDown(range.from, step);
    h.buckets.assign(static_cast<std::size_t>((range.to - h.start + step - 1) / step), {});
    return h;
}

void addCount(SeverityHistogram &h, TimeNs t, int severityNumber, std::int64_t count)
{
    if (t < h.start)
        return;
    const auto i = static_cast<std::size_t>((t - h.start) / h.step);
    if (i >= h.buckets.size())
        return;
    std::int64_t &bucket = h.buckets[i][SeverityHistogram::classOf(severityNumber)];
    bucket = saturatedAdd(bucket, count);
}
} // namespace

SeverityHistogram SeverityHistogram::fromFrame(const Frame &f, const TimeRange &range, DurationNs step)
{
    SeverityHistogram h = emptyHistogram(range, step);
    const int time = f.columnIndex("time"), severity = f.columnIndex("severity");
    if (time < 0 || severity < 0 || f.columns.size() < 3)
        return h;
    const std::size_t count = f.columns.size() - 1;
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        addCount(h, cellToInt(f.cell(r, time)), static_cast<int>(cellToInt(f.cell(r, severity))), cellToInt(f.cell(r, count)));
    return h;
}

SeverityHistogram SeverityHistogram::fromRows(const Frame &f, const TimeRange &range, DurationNs step)
{
    SeverityHistogram h = emptyHistogram(range, step);
    const int time = f.columnIndex("time"), severity = f.columnIndex("severity");
    if (time < 0 || severity < 0)
        return h;
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        addCount(h, cellToInt(f.cell(r, time)), static_cast<int>(cellToInt(f.cell(r, severity))), 1);
    return h;
}

std::int64_t SeverityHistogram::total(std::size_t bucket) const
{
    std::int64_t sum = 0;
    for (std::int64_t c : buckets[bucket])
        sum = saturatedAdd(sum, c);
    return sum;
}

std::int64_t SeverityHistogram::maxTotal() const
{
    std::int64_t most = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i)
        most = std::max(most, total(i));
    return most;
}

} // namespace fd
