#include "HistogramBuckets.h"
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace fd {

namespace {
using Counts = std::map<double, HistogramBuckets::Bucket>;

double number(const Json &v)
{
    return v.is_number() ? v.get<double>() : 0.0;
}

void count(Counts &out, double lower, double upper, double n)
{
    auto [it, added] = out.try_emplace(upper, HistogramBuckets::Bucket{lower, 0.0});
    it->second.lower = std::min(it->second.lower, lower);
    it->second.count += n;
}

// Explicit buckets: counts[i] holds values up to bounds[i], the last one above every bound.
bool explicitCounts(const Json &extra, double sign, Counts &out)
{
    const Json *bounds = extra.is_object() && extra.contains("bounds") ? &extra["bounds"] : nullptr;
    const Json *counts = extra.is_object() && extra.contains("buckets") ? &extra["buckets"] : nullptr;
    if (!bounds || !counts || !bounds->is_array() || !counts->is_array() || counts->empty())
        return false;
    double lower = 0;
    for (std::size_t i = 0; i < counts->size(); ++i) {
        const double upper = i < bounds->size() ? number((*bounds)[i]) : std::numeric_limits<double>::infinity();
        if (i == 0) // no bound at all: no place to tell
            lower = bounds->empty() ? std::numeric_limits<double>::quiet_NaN() : std::min(0.0, upper);
        count(out, lower, upper, sign * number((*counts)[i]));
        lower = upper;
    }
    return true;
}

int scaleOf(const Json &extra)
{
    return static_cast<int>(number(extra.value("scale", Json(0))));
}

// Exponential buckets: index k covers (base^k, base^(k+1)] with base = 2^(2^-scale); negative ones mirror it.
// Read at `scale` (at most the point's own: SDKs lower it as values grow, merging 2^d buckets into one), so that
// two points of one series count alike.
bool exponentialCounts(const Json &extra, double sign, Counts &out, int scale)
{
    if (!extra.is_object() || !extra.contains("scale"))
        return false;
    const int shift = std::max(0, scaleOf(extra) - scale);
    const double base = std::pow(2.0, std::pow(2.0, -scale));
    const auto side = [&](const char *name, bool negative) {
        const Json side = extra.value(name, Json::object());
        const Json counts = side.value("buckets", Json::array());
        const auto offset = static_cast<std::int64_t>(number(side.value("offset", Json(0))));
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const auto k = static_cast<double>((offset + static_cast<std::int64_t>(i)) >> shift); // floor, also below 0
            const double n = sign * number(counts[i]);
            if (negative)
                count(out, -std::pow(base, k + 1), -std::pow(base, k), n);
            else
                count(out, std::pow(base, k), std::pow(base, k + 1), n);
        }
    };
    side("positive", false);
    side("negative", true);
    count(out, 0.0, 0.0, sign * number(extra.value("zero_count", Json(0))));
    return true;
}
} // namespace

bool HistogramBuckets::add(const Json &extra, bool exponential, const Json &base)
{
    Counts point;
    const int scale = base.is_object() ? std::min(scaleOf(extra), scaleOf(base)) : scaleOf(extra);
    if (!(exponential ? exponentialCounts(extra, 1, point, scale) : explicitCounts(extra, 1, point)))
        return false;
    if (base.is_object())
        exponential ? exponentialCounts(base, -1, point, scale) : explicitCounts(base, -1, point);
    for (const auto &[upper, bucket] : point)
        if (bucket.count > 0) // a bucket that fell (a restart the sum missed) counts nothing, not less than nothing
            count(m_counts, bucket.lower, upper, bucket.count);
    const auto min = extra.find("min"), max = extra.find("max");
    if (m_bounded && min != extra.end() && max != extra.end() && min->is_number() && max->is_number()) {
        m_min = std::min(m_min, min->get<double>());
        m_max = std::max(m_max, max->get<double>());
    } else {
        m_bounded = false;
    }
    return true;
}

double HistogramBuckets::quantile(double q) const
{
    double total = 0;
    for (const auto &[upper, bucket] : m_counts)
        total += bucket.count;
    if (total <= 0 || !std::isfinite(q))
        return std::numeric_limits<double>::quiet_NaN();
    const double rank = std::clamp(q, 0.0, 1.0) * total;
    double below = 0;
    for (const auto &[upper, bucket] : m_counts) {
        if (bucket.count > 0 && below + bucket.count >= rank) {
            // The +inf bucket runs to the largest observation, else gives the highest finite bound (NaN without
            // bounds: a count and a sum alone).
            const double top = std::isinf(upper) && m_bounded && m_max > bucket.lower ? m_max : upper;
            const double v = std::isinf(top) ? bucket.lower
                                             : bucket.lower + (top - bucket.lower) * (rank - below) / bucket.count;
            return m_bounded && !std::isnan(v) ? std::clamp(v, m_min, m_max) : v;
        }
        below += bucket.count;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

} // namespace fd
