#include "Baseline.h"
#include <algorithm>
#include <numeric>
#include <utility>

namespace fd {

namespace {
// Three standard deviations: with two buckets needed for an anomaly, chance alone almost never alerts.
constexpr double kNoiseZ = 3.0;
constexpr double kMinRelativeWidth = 0.02;
constexpr double kOutlierZ = 3.5;

Band emptyBand(std::size_t n, NoiseModel noise = NoiseModel::None, double scale = 1)
{
    const std::vector<double> none(n, NAN);
    return {none, none, none, {}, none, noise, scale};
}

// One-sided tail probability of three standard deviations of a normal distribution.
constexpr double kTail = 0.00135;

// Smallest k with P(X <= k) >= q for X ~ Poisson(lambda); exact for the small counts where it matters.
double poissonQuantile(double lambda, double q)
{
    if (lambda > 400)
        return std::max(0.0, lambda + (q < 0.5 ? -kNoiseZ : kNoiseZ) * std::sqrt(lambda));
    double pmf = std::exp(-lambda), cdf = pmf;
    int k = 0;
    while (cdf < q && k < 10000) {
        ++k;
        pmf *= lambda / k;
        cdf += pmf;
    }
    return k;
}

// The standard deviation that sampling noise alone gives a bucket at `level` (tile unit): the spread below
// which the history's own (MAD) is no measure, e.g. for a rare count whose buckets are mostly 0.
double chanceSpread(NoiseModel noise, double scale, double level, double trials)
{
    if (noise == NoiseModel::Poisson)
        return std::sqrt(std::max(level / scale, 1.0)) * scale;
    if (noise == NoiseModel::Binomial && trials > 0) {
        const double p = std::clamp(level / scale, 0.0, 1.0);
        // Never assume less variance than p = 1/n would give, so a ratio pinned at 100% still has width.
        return std::sqrt(std::max(p * (1 - p), (1 / trials) * (1 - 1 / trials)) / trials) * scale;
    }
    return 0;
}

struct NoiseBounds {
    double low = INFINITY;   // in the tile's unit; +inf/-inf when there is no noise model
    double high = -INFINITY;
};

// The range that sampling noise adds around the band's edges for bucket i (tile unit): the history
// says how the underlying rate or share varies, the bucket's own count adds chance on top of that.
// `typical` is a pooled estimate of a rare event's rate, better than a median of seven buckets.
NoiseBounds noiseBounds(const BucketSeries &s, std::size_t i, double lowEdge, double highEdge, double typical,
                        NoiseModel noise, double scale)
{
    if (noise == NoiseModel::None || !std::isfinite(lowEdge) || !std::isfinite(highEdge))
        return {};
    if (noise == NoiseModel::Binomial) {
        const double n = i < s.trials.size() ? s.trials[i] : 0;
        if (n <= 0)
            return {};
        auto half = [n, scale](double edge) { return kNoiseZ * chanceSpread(NoiseModel::Binomial, scale, edge, n); };
        return {lowEdge - half(lowEdge), highEdge + half(highEdge)};
    }
    const double highRate = std::max({highEdge, std::isfinite(typical) ? typical : 0.0, scale}) / scale;
    return {poissonQuantile(std::max(lowEdge, 0.0) / scale, kTail) * scale, poissonQuantile(highRate, 1 - kTail) * scale};
}

void widen(Band &b, std::size_t i, const NoiseBounds &noise, NoiseModel model, double scale)
{
    b.historyLow[i] = b.low[i];
    const double e = b.expected[i];
    const double minHalf = kMinRelativeWidth * std::abs(e);
    b.low[i] = std::min({b.low[i], e - minHalf, noise.low});
    b.high[i] = std::max({b.high[i], e + minHalf, noise.high});
    // Counts are never negative and a share never passes 100%.
    if (model != NoiseModel::None)
        b.low[i] = std::max(b.low[i], 0.0);
    if (model == NoiseModel::Binomial)
        b.high[i] = std::min(b.high[i], scale);
}

// A rare event's rate is poorly known from seven buckets: pool the neighbouring phases (±2 buckets)
// of every earlier period, and take the upper end of that estimate (two standard errors).
double typicalRate(const BucketSeries &s, std::size_t i, std::size_t stride, int lookback, double scale)
{
    // Per earlier period, its values near the phase and their sum: a period with an incident there is left out whole.
    std::vector<double> sums, counts;
    for (int k = 1; k <= lookback; ++k) {
        if (i < k * stride)
            break;
        std::vector<double> near;
        for (int d = -2; d <= 2; ++d) {
            const long j = static_cast<long>(i - k * stride) + d;
            if (j >= 0 && j < static_cast<long>(i) && std::isfinite(s.values[j]))
                near.push_back(s.values[j]);
        }
        if (near.empty())
            continue;
        sums.push_back(std::accumulate(near.begin(), near.end(), 0.0));
        counts.push_back(static_cast<double>(near.size()));
    }
    const std::vector<bool> drop = outliers(sums, chanceSpread(NoiseModel::Poisson, scale, median(sums), 0));
    double sum = 0;
    double n = 0;
    for (std::size_t k = 0; k < sums.size(); ++k) {
        if (drop[k])
            continue;
        sum += sums[k];
        n += counts[k];
    }
    if (n == 0)
        return NAN;
    const double countMean = sum / n / scale;
    return (countMean + 2 * std::sqrt(countMean / n)) * scale;
}

double mean(const std::vector<double> &values)
{
    double sum = 0;
    for (double v : values)
        sum += v;
    return values.empty() ? NAN : sum / static_cast<double>(values.size());
}
} // namespace

double quantile(std::vector<double> values, double q)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

std::vector<bool> outliers(const std::vector<double> &values, double minSpread)
{
    std::vector<bool> out(values.size(), false);
    if (values.size() < 5)
        return out;
    const double m = median(values);
    std::vector<double> deviations;
    deviations.reserve(values.size());
    for (double v : values)
        deviations.push_back(std::abs(v - m));
    // Iglewicz and Hoaglin's rule: a modified z-score above 3.5, i.e. 3.5 MADs scaled to a standard deviation.
    const double limit = kOutlierZ * std::max(1.4826 * median(deviations), minSpread);
    // Only a value with no other near it: two weekend days among five weekdays are a rhythm, not two incidents
    // (review: both had been dropped, and every weekend bucket of a busy tile fell under its band).
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const auto near = [&](std::size_t a, std::size_t b) {
        return std::abs(values[a] - values[b]) <= std::max(limit, kMinRelativeWidth * std::abs(values[a]));
    };
    std::vector<std::size_t> isolated;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        const bool alone = (k == 0 || !near(i, order[k - 1])) && (k + 1 == order.size() || !near(i, order[k + 1]));
        if (alone && deviations[i] > limit)
            isolated.push_back(i);
    }
    std::sort(isolated.begin(), isolated.end(), [&](std::size_t a, std::size_t b) { return deviations[a] > deviations[b]; });
    isolated.resize(std::min(isolated.size(), values.size() / 3));
    for (std::size_t i : isolated)
        out[i] = true;
    return out;
}

void dropOutliers(std::vector<double> &values, double minSpread)
{
    const std::vector<bool> drop = outliers(values, minSpread);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!drop[i])
            values[kept++] = values[i];
    values.resize(kept);
}

Band seasonalBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale)
{
    Band b = emptyBand(s.size(), noise, scale);
    if (s.step <= 0 || spec.period < s.step)
        return b;
    const auto stride = static_cast<std::size_t>(spec.period / s.step);
    std::vector<double> history;
    for (std::size_t i = 0; i < s.size(); ++i) {
        history.clear();
        for (int k = 1; k <= spec.lookback; ++k) {
            if (i < k * stride)
                break;
            const double v = s.values[i - k * stride];
            if (std::isfinite(v))
                history.push_back(v);
        }
        // A past incident at this phase is no normal to learn.
        dropOutliers(history, chanceSpread(noise, scale, median(history), i < s.trials.size() ? s.trials[i] : 0));
        // Fewer than three earlier periods cannot tell normal from chance: no band rather than a made-up one.
        if (history.size() < 3)
            continue;
        b.expected[i] = median(history);
        b.low[i] = quantile(history, spec.bandLow);
        b.high[i] = quantile(history, spec.bandHigh);
        widen(b, i, noiseBounds(s, i, b.low[i], b.high[i], typicalRate(s, i, stride, spec.lookback, scale), noise, scale), noise, scale);
    }
    return b;
}

Band staticBand(const BucketSeries &s, const RangeSpec &spec)
{
    Band b = emptyBand(s.size());
    std::fill(b.low.begin(), b.low.end(), spec.staticLow);
    std::fill(b.high.begin(), b.high.end(), spec.staticHigh);
    std::fill(b.expected.begin(), b.expected.end(), (spec.staticLow + spec.staticHigh) / 2);
    return b;
}

Band rollingBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale)
{
    Band b = emptyBand(s.size(), noise, scale);
    if (s.step <= 0)
        return b;
    const auto window = std::max<std::size_t>(3, static_cast<std::size_t>(spec.window / s.step));
    std::vector<double> past, deviations;
    for (std::size_t i = window; i < s.size(); ++i) {
        past.assign(s.values.begin() + static_cast<long>(i - window), s.values.begin() + static_cast<long>(i));
        const double m = median(past);
        if (!std::isfinite(m))
            continue;
        deviations.clear();
        for (double v : past)
            if (std::isfinite(v))
                deviations.push_back(std::abs(v - m));
        const double mad = median(deviations) * 1.4826; // MAD scaled to a normal standard deviation
        b.expected[i] = m;
        b.low[i] = m - spec.k * mad;
        b.high[i] = m + spec.k * mad;
        widen(b, i, noiseBounds(s, i, b.low[i], b.high[i], mean(past), noise, scale), noise, scale);
    }
    return b;
}

const char *bandMethodName(BandMethod m)
{
    switch (m) {
    case BandMethod::Seasonal:
        return "seasonal";
    case BandMethod::DailyFallback:
        return "daily (fallback)";
    case BandMethod::RollingFallback:
        return "rolling (fallback)";
    case BandMethod::Static:
        return "static";
    case BandMethod::Rolling:
        return "rolling";
    case BandMethod::None:
        break;
    }
    return "none";
}

namespace {

// Gives the buckets of `b` without a band the band of `from`, where that has one.
void fillGaps(Band &b, const Band &from, BandMethod method)
{
    for (std::size_t i = 0; i < b.expected.size(); ++i) {
        if (std::isfinite(b.expected[i]) || !std::isfinite(from.expected[i]))
            continue;
        b.expected[i] = from.expected[i];
        b.low[i] = from.low[i];
        b.high[i] = from.high[i];
        b.historyLow[i] = from.historyLow[i];
        b.method[i] = method;
    }
}

Band withMethod(Band b, BandMethod method)
{
    b.method.resize(b.expected.size());
    for (std::size_t i = 0; i < b.expected.size(); ++i)
        b.method[i] = std::isfinite(b.expected[i]) ? method : BandMethod::None;
    return b;
}

} // namespace

Band computeBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale)
{
    if (spec.method == "static")
        return withMethod(staticBand(s, spec), BandMethod::Static);
    if (spec.method == "rolling")
        return withMethod(rollingBand(s, spec, noise, scale), BandMethod::Rolling);
    Band b = withMethod(seasonalBand(s, spec, noise, scale), BandMethod::Seasonal);
    if (spec.period > kDay) {
        RangeSpec daily = spec;
        daily.period = kDay;
        daily.lookback = std::max(spec.lookback, 7);
        fillGaps(b, seasonalBand(s, daily, noise, scale), BandMethod::DailyFallback);
    }
    fillGaps(b, rollingBand(s, spec, noise, scale), BandMethod::RollingFallback);
    return b;
}

namespace {
constexpr int kNoData = 2; // a bucket's side when it has no data or no band

// Whether bucket i's band admits every share there is: its few events leave chance to explain anything, and it
// can neither begin nor end an anomaly (exploratory test: one login page view without a dashboard view had closed
// an outage at 0%, and DORA counted a restore).
bool admitsEveryShare(const Band &b, std::size_t i)
{
    return b.noise == NoiseModel::Binomial && b.low[i] <= 0 && b.high[i] >= b.scale;
}

// Each bucket's side of its band: -1 under, +1 over, 0 inside, kNoData when it says nothing.
std::vector<int> bucketSides(const BucketSeries &s, const Band &b, std::size_t from, std::size_t to)
{
    std::vector<int> sides(to, kNoData);
    for (std::size_t i = from; i < to; ++i) {
        const double v = s.values[i];
        if (std::isfinite(v) && std::isfinite(b.low[i]) && std::isfinite(b.high[i]) && !admitsEveryShare(b, i))
            sides[i] = v < b.low[i] ? -1 : (v > b.high[i] ? 1 : 0);
    }
    return sides;
}

// Marks under the band the empty buckets in a row, from the first, once the chance of none of the events the history
// expects at least (e^-expected) is below the band's tail.
void markSilences(std::vector<int> &sides, const BucketSeries &s, const Band &b, std::size_t from, std::int64_t maxGap)
{
    if (b.noise != NoiseModel::Poisson || b.historyLow.size() < sides.size() || !(b.scale > 0))
        return;
    const double enough = -std::log(kTail);
    std::size_t marked = 0;
    double expected = -1; // events the history expects at least in the run of empty buckets; -1: no run
    std::int64_t gap = 0;
    for (std::size_t i = from; i < sides.size(); ++i) {
        if (sides[i] == kNoData) {
            ++gap;
            continue;
        }
        if (std::exchange(gap, 0) > maxGap || s.values[i] != 0) {
            expected = -1;
            if (s.values[i] != 0)
                continue;
        }
        if (expected < 0) {
            marked = i;
            expected = 0;
        }
        expected += std::max(b.historyLow[i], 0.0) / b.scale;
        if (expected > enough)
            for (; marked <= i; ++marked)
                if (sides[marked] != kNoData)
                    sides[marked] = -1;
    }
}
} // namespace

std::vector<AnomalySpan> detectAnomalies(const BucketSeries &s, const Band &b, int minBuckets, std::size_t from,
                                         std::size_t to)
{
    std::vector<AnomalySpan> out;
    to = std::min(to, s.size());
    from = std::min(from, to);
    AnomalySpan run;
    int length = 0;
    int held = 0; // buckets inside the band in a row that have not ended the run (holds)
    std::int64_t gap = 0; // buckets without data or band since the run's last
    const std::int64_t maxGap = std::max<std::int64_t>(3, s.step > 0 ? kMaxAnomalyGap / s.step : 3);
    std::vector<int> sides = bucketSides(s, b, from, to);
    markSilences(sides, s, b, from, maxGap);
    double deviationSum = 0, valueSum = 0;
    auto close = [&](bool open) {
        if (length >= minBuckets) {
            run.open = open;
            run.size = deviationSum / length;
            out.push_back(run);
        }
        length = 0;
        deviationSum = 0;
        valueSum = 0;
        held = 0;
    };
    // A bucket back inside the band nearer the anomaly's own level than the expected value is not yet its end: a
    // bucket of few events lands inside a band widened for its chance without being back (CLI contract test: the
    // demo's open login outage ended at a part-filled bucket of 5 logins in 11). As many in a row as it takes to
    // start an anomaly do end it, at its last bucket outside.
    auto holds = [&](std::size_t i) {
        const double v = s.values[i], level = valueSum / length;
        return length >= minBuckets && held + 1 < minBuckets && std::abs(v - level) < std::abs(v - b.expected[i]);
    };
    for (std::size_t i = from; i < to; ++i) {
        const int direction = sides[i];
        // A bucket without data (0 of 0 logins) or without a band says nothing: it neither ends an anomaly nor
        // adds to it (exploratory test: one empty bucket had made an outage two, and a restore of it)
        if (direction == kNoData) {
            ++gap;
            continue;
        }
        if (std::exchange(gap, 0) > maxGap && length > 0)
            close(false); // its end is somewhere in the gap
        if (direction != 0 && length > 0 && direction != run.direction)
            close(false);
        if (direction == 0) {
            if (holds(i))
                ++held;
            else
                close(false);
            continue;
        }
        held = 0;
        if (length == 0) {
            run.first = i;
            run.direction = direction;
        }
        run.last = i;
        ++length;
        const double e = b.expected[i];
        deviationSum += std::abs(e) > 1e-12 ? (s.values[i] - e) / std::abs(e) : 0;
        valueSum += s.values[i];
    }
    close(true);
    return out;
}

} // namespace fd
