#pragma once
#include "Numbers.h"
#include <QString>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

namespace fd {

// Nanoseconds since the Unix epoch, UTC: the one time type inside Flightdeck.
using TimeNs = std::int64_t;
using DurationNs = std::int64_t;

constexpr DurationNs kMillisecond = 1'000'000LL;
constexpr DurationNs kSecond = 1'000'000'000LL;
constexpr DurationNs kMinute = 60 * kSecond;
constexpr DurationNs kHour = 60 * kMinute;
constexpr DurationNs kDay = 24 * kHour;

// Half-open [from, to).
struct TimeRange {
    TimeNs from = 0;
    TimeNs to = 0;
    DurationNs length() const { return to - from; }
    bool contains(TimeNs t) const { return t >= from && t < to; }
};

TimeNs nowNs();

// Throws fd::Error when the range holds no time (to is not after from).
void requireNonEmpty(const TimeRange &range);

// The part of a range up to now: the future has no data yet, so no bucket there is complete and no rate
// divides by it. Of a range wholly in the future, the empty range at its start.
inline TimeRange pastPart(const TimeRange &r, TimeNs now = nowNs())
{
    return {r.from, std::max(r.from, std::min(r.to, now))};
}

// `count` units (milliseconds, microseconds) in nanoseconds; nullopt past int64 (as a time: before 1678
// or after 2262).
inline std::optional<std::int64_t> scaledToNs(std::int64_t count, DurationNs unit)
{
    std::int64_t ns = 0;
    if (__builtin_mul_overflow(count, unit, &ns))
        return std::nullopt;
    return ns;
}

// a + b, held at the int64 edge it would pass: a span's end past 2262, a sum of counts an answer made up.
inline std::int64_t saturatedAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return sum;
}

// a - b, held at the int64 edge it would pass.
inline std::int64_t saturatedSub(std::int64_t a, std::int64_t b)
{
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(a, b, &difference))
        return a > b ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return difference;
}

// end - start, 0 when negative, saturated when past int64.
inline DurationNs spanBetween(TimeNs start, TimeNs end)
{
    const DurationNs d = saturatedSub(end, start);
    return d > 0 ? d : 0;
}

// Seconds with a fraction (a marker's "time": 1795168800.25) in nanoseconds, the fraction rounded to the
// microsecond (what a double holds of it at today's magnitudes); nullopt past int64 or for NaN.
std::optional<TimeNs> secondsToNs(double seconds);

// Milliseconds with a fraction (a response's epoch_millis, Prometheus' seconds * 1000) rounded to the
// millisecond, in nanoseconds; nullopt past int64 or for NaN.
inline std::optional<std::int64_t> millisecondsToNs(double ms)
{
    const auto whole = roundedInt64(ms);
    return whole ? scaledToNs(*whole, kMillisecond) : std::nullopt;
}

// The same for a count with a fraction (a query's "duration_ms > 1.5").
inline std::optional<std::int64_t> fractionalToNs(double count, DurationNs unit)
{
    return truncatedInt64(count * static_cast<double>(unit));
}

// Milliseconds as a double: the x unit of the charts.
inline double toMs(TimeNs t) { return static_cast<double>(t) / 1e6; }

// RFC 3339 in UTC with all nine fractional digits, e.g. 2026-11-20T00:00:00.000000000Z.
QString formatRfc3339(TimeNs t);
std::string formatRfc3339Std(TimeNs t);

// Accepts RFC 3339 (any fraction, Z or offset), Unix seconds (with fraction), "now",
// and "now-1h" / "now+30m" style relative times.
std::optional<TimeNs> parseTime(const QString &text, TimeNs now, QString *error = nullptr);

// "500ms", "30s", "5m", "1h", "1d", "1w" -> nanoseconds.
std::optional<DurationNs> parseDuration(const QString &text);
QString formatDuration(DurationNs d);
// A measured duration for people, three significant digits: "850 µs", "10.4 ms", "2.76 s", "4 m 12 s".
QString formatElapsed(DurationNs d);

// A round bucket width (1s, 5s ... 1h, 6h, 1d, 7d) giving about `buckets` buckets over the range.
DurationNs niceInterval(DurationNs rangeLength, int buckets);
// The smallest round width (1ms, 2ms, 5ms ... 500ms, then those above) that is at least d (d itself past 7d).
DurationNs niceIntervalAtLeast(DurationNs d);

// Floor division that stays correct for times before 1970.
inline TimeNs alignDown(TimeNs t, DurationNs step)
{
    TimeNs q = t / step;
    if ((t % step) != 0 && t < 0)
        --q;
    return q * step;
}

} // namespace fd
