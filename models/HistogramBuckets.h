#pragma once
#include "Json.h"
#include <limits>
#include <map>

namespace fd {

// Counts of histogram points merged by bucket, keyed by each bucket's upper bound (+inf for the last), for a
// quantile over many points as Prometheus' histogram_quantile estimates it.
class HistogramBuckets
{
public:
    // Adds a point kept as the store keeps it (MetricPoint::extra of an explicit-bucket or exponential
    // histogram); `base`, when an object, is the series' point before, whose counts are taken away (a
    // cumulative series' increase). False when `extra` holds no buckets.
    bool add(const Json &extra, bool exponential, const Json &base = Json());
    bool empty() const { return m_counts.empty(); }
    // By linear interpolation inside the bucket the rank falls in (the lowest explicit bucket starts at 0, or
    // at its bound when that is below 0); a rank in the +inf bucket gives the highest finite bound, or runs up to
    // the largest observation when the points recorded it. Kept within the smallest and largest observation the
    // points recorded (OpenTelemetry's min and max), when they did. NaN when no observation was counted.
    double quantile(double q) const;

    struct Bucket {
        double lower; // exponential buckets leave gaps between them
        double count;
    };

private:
    std::map<double, Bucket> m_counts; // by upper bound
    // Of every point added: a cumulative point's are of its whole life, still bounds of the window's observations.
    double m_min = std::numeric_limits<double>::infinity();
    double m_max = -std::numeric_limits<double>::infinity();
    bool m_bounded = true; // every point so far had a min and a max
};

} // namespace fd
