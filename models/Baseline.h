#pragma once
#include "Board.h"
#include <cmath>
#include <cstdint>
#include <vector>

namespace fd {

// A bucketed series with, per bucket, the counts behind it (for sampling noise).
struct BucketSeries {
    TimeNs start = 0;                 // first bucket
    DurationNs step = 0;
    std::vector<double> values;       // NaN: no data
    std::vector<double> trials;       // ratio: denominator count; rate: event count; empty for value tiles
    std::size_t size() const { return values.size(); }
    TimeNs timeAt(std::size_t i) const { return start + static_cast<TimeNs>(i) * step; }
};

// Which method gave a bucket its band: the tile's own, or a fallback where its history is too short.
enum class BandMethod : std::uint8_t { None, Seasonal, DailyFallback, RollingFallback, Static, Rolling };
const char *bandMethodName(BandMethod m); // "seasonal", "daily (fallback)" ...

enum class NoiseModel { None, Binomial, Poisson };

struct Band {
    std::vector<double> expected; // NaN where no band could be learned
    std::vector<double> low;
    std::vector<double> high;
    std::vector<BandMethod> method; // per bucket; empty means the tile's own method everywhere
    // The low edge learned from history, before the bucket's sampling noise widened it; NaN where none.
    std::vector<double> historyLow;
    NoiseModel noise = NoiseModel::None; // the chance the band allows for, and the count→unit factor it used
    double scale = 1;
};

// For each bucket, the normal range learned from the same phase of earlier periods, widened to at
// least the sampling noise of the bucket's own counts. `scale` converts a count to the tile's unit
// (e.g. 12 for "per hour" over 5-minute buckets, 100 for a ratio in %).
Band seasonalBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale);
Band staticBand(const BucketSeries &s, const RangeSpec &spec);
Band rollingBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale);
// The tile's method; for seasonal, buckets without enough history of the period fall back to a daily
// period (when the period is longer), then to a rolling band, and stay without a band only when none
// of these has history: a fallback is named in Band::method, never a made-up band.
Band computeBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale);

struct AnomalySpan {
    std::size_t first = 0;  // bucket indices, inclusive
    std::size_t last = 0;
    bool open = false;      // still outside at the last bucket with data and a band (none came back in range)
    int direction = 0;      // +1 up, -1 down
    double size = 0;        // mean relative deviation from expected
};

// Runs of at least minBuckets consecutive buckets outside the band, among buckets [from, to). A bucket without
// data or band is passed over; such buckets over more than kMaxAnomalyGap (and three buckets) end a run, as
// two blips hours apart are two. For a count with Poisson noise, empty buckets in a row are under the band from
// the first once none of the events the history expects at least is as unlikely as one bucket under it would be:
// at a few events a bucket no single empty bucket is beyond chance, but events that stop are. Once a run has its
// minBuckets, a bucket inside the band ends it only when nearer the expected value than the run's mean level, or
// when minBuckets buckets in a row are inside; the run then ends at its last bucket outside.
constexpr DurationNs kMaxAnomalyGap = kHour;
std::vector<AnomalySpan> detectAnomalies(const BucketSeries &s, const Band &b, int minBuckets,
                                         std::size_t from, std::size_t to);

double quantile(std::vector<double> values, double q); // linear interpolation; NaN when empty
double median(std::vector<double> values);
// Which values are outliers: far from the median of all (more than 3.5 scaled MADs, or 3.5 minSpread when that is
// more) with no other value near them, the farthest first, at most a third of them. One past incident is not
// learned as normal, while a rhythm (two weekend days of seven) and a lasting change, once two periods long, are.
std::vector<bool> outliers(const std::vector<double> &values, double minSpread = 0);
// The values without their outliers; the order of what is kept is kept. NaN-free input.
void dropOutliers(std::vector<double> &values, double minSpread = 0);

} // namespace fd
