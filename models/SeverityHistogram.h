#pragma once
#include "Frame.h"
#include "Time.h"
#include <array>
#include <vector>

namespace fd {

// Event counts per time bucket, split by severity class, for the volume histogram.
struct SeverityHistogram {
    enum Class { Other = 0, Info, Warn, Error, ClassCount }; // Other: unset, trace and debug
    TimeNs start = 0;
    DurationNs step = 0;
    std::vector<std::array<std::int64_t, ClassCount>> buckets;

    static Class classOf(int severityNumber);
    // From a `group_by severity, agg count, interval` frame (columns time, severity, count) over range.
    static SeverityHistogram fromFrame(const Frame &f, const TimeRange &range, DurationNs step);
    // From log records (columns time and severity), one count each.
    static SeverityHistogram fromRows(const Frame &f, const TimeRange &range, DurationNs step);
    std::int64_t total(std::size_t bucket) const;
    std::int64_t maxTotal() const;
};

} // namespace fd
