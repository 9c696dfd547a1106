#include "HistogramBuckets.h"
#include <algorithm>
#include <cmath>
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
        if (i == 0)
            lower = std::min(0.0, upper);
        count(out, lower, upper, sign * number((*counts)[i]));
        lower = upper;
    }
    return true;
}

// Exponential buckets: index k covers (base^k, base^(k+1)] with base = 2^(2^-scale); negative ones mirror it.
bool exponentialCounts(const Json &extra, double sign, Counts &out)
{
    if (!extra.is_object() || !extra.contains("scale"))
        return false;
    const double base = std::pow(2.0, std::pow(2.0, -number(extra["scale"])));
    const auto side = [&](const char *name, bool negative) {
        const Json side = extra.value(name, Json::object());
        const Json counts = side.value("buckets", Json::array());
        const double offset = number(side.value("offset", Json(0)));
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const double k = offset + static_cast<double>(i);
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
    if (!(exponential ? exponentialCounts(extra, 1, point) : explicitCounts(extra, 1, point)))
        return false;
    if (base.is_object())
        exponential ? exponentialCounts(base, -1, point) : explicitCounts(base, -1, point);
    for (const auto &[upper, bucket] : point)
        if (bucket.count > 0) // a bucket that fell (a restart the sum missed) counts nothing, not less than nothing
            count(m_counts, bucket.lower, upper, bucket.count);
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
            if (std::isinf(upper))
                return bucket.lower; // the highest finite bound
            return bucket.lower + (upper - bucket.lower) * (rank - below) / bucket.count;
        }
        below += bucket.count;
    }
    return m_counts.empty() ? std::numeric_limits<double>::quiet_NaN() : std::prev(m_counts.end())->second.lower;
}

} // namespace fd
