#include "Baseline.h"
#include <algorithm>

namespace fd {

namespace {
// Three standard deviations: with two buckets needed for an anomaly, chance alone almost never alerts.
constexpr double kNoiseZ = 3.0;
constexpr double kMinRelativeWidth = 0.02;

Band emptyBand(std::size_t n)
{
    return {std::vector<double>(n, NAN), std::vector<double>(n, NAN), std::vector<double>(n, NAN)};
}

// Half-width of the band that sampling noise alone explains for bucket i, in the tile's unit.
double noiseHalfWidth(const BucketSeries &s, std::size_t i, double expected, NoiseModel noise, double scale)
{
    if (noise == NoiseModel::None || i >= s.trials.size() || !std::isfinite(expected))
        return 0;
    const double n = s.trials[i];
    if (noise == NoiseModel::Binomial) {
        if (n <= 0)
            return 0;
        const double p = std::clamp(expected / scale, 0.0, 1.0);
        // Never assume less variance than p = 1/n would give, so a ratio pinned at 100% still has width.
        const double pq = std::max(p * (1 - p), (1.0 / n) * (1 - 1.0 / n));
        return kNoiseZ * std::sqrt(pq / n) * scale;
    }
    const double lambda = std::max(expected / scale, 1.0);
    return (kNoiseZ * std::sqrt(lambda) + 0.5) * scale;
}

void widen(Band &b, std::size_t i, double halfWidth)
{
    const double e = b.expected[i];
    const double minHalf = std::max(halfWidth, kMinRelativeWidth * std::abs(e));
    b.low[i] = std::min(b.low[i], e - minHalf);
    b.high[i] = std::max(b.high[i], e + minHalf);
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

Band seasonalBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale)
{
    Band b = emptyBand(s.size());
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
        // Fewer than three earlier periods cannot tell normal from chance: no band rather than a made-up one.
        if (history.size() < 3)
            continue;
        b.expected[i] = median(history);
        b.low[i] = quantile(history, spec.bandLow);
        b.high[i] = quantile(history, spec.bandHigh);
        widen(b, i, noiseHalfWidth(s, i, b.expected[i], noise, scale));
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
    Band b = emptyBand(s.size());
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
        widen(b, i, noiseHalfWidth(s, i, m, noise, scale));
    }
    return b;
}

Band computeBand(const BucketSeries &s, const RangeSpec &spec, NoiseModel noise, double scale)
{
    if (spec.method == "static")
        return staticBand(s, spec);
    if (spec.method == "rolling")
        return rollingBand(s, spec, noise, scale);
    return seasonalBand(s, spec, noise, scale);
}

std::vector<AnomalySpan> detectAnomalies(const BucketSeries &s, const Band &b, int minBuckets, std::size_t from,
                                         std::size_t to)
{
    std::vector<AnomalySpan> out;
    to = std::min(to, s.size());
    AnomalySpan run;
    int length = 0;
    double deviationSum = 0;
    auto close = [&](bool open) {
        if (length >= minBuckets) {
            run.open = open;
            run.size = deviationSum / length;
            out.push_back(run);
        }
        length = 0;
        deviationSum = 0;
    };
    for (std::size_t i = from; i < to; ++i) {
        const double v = s.values[i];
        int direction = 0;
        if (std::isfinite(v) && std::isfinite(b.low[i]) && std::isfinite(b.high[i]))
            direction = v < b.low[i] ? -1 : (v > b.high[i] ? 1 : 0);
        if (direction != 0 && length > 0 && direction != run.direction)
            close(false);
        if (direction == 0) {
            close(false);
            continue;
        }
        if (length == 0) {
            run.first = i;
            run.direction = direction;
        }
        run.last = i;
        ++length;
        const double e = b.expected[i];
        deviationSum += std::abs(e) > 1e-12 ? (v - e) / std::abs(e) : 0;
    }
    close(true);
    return out;
}

} // namespace fd
