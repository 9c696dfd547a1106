#include "Time.h"
#include "Error.h"
#include "Rfc3339.h"
#include <QRegularExpression>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace fd {

void requireNonEmpty(const TimeRange &range)
{
    if (range.to <= range.from)
        throw Error(std::string("the time range is empty (from must be before to)"));
}

namespace {

// Howard Hinnant's civil-date algorithms: exact for every proleptic Gregorian date.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// 2026-02-30 is no date (rather than 2026-03-02).
int daysInMonth(std::int64_t year, int month)
{
    static constexpr int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month == 2 && leap ? 29 : days[month - 1];
}

void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
}

std::optional<TimeNs> parseRfc3339(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9})\d*)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$)"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const int month = m.captured(2).toInt(), day = m.captured(3).toInt();
    const int hour = m.captured(4).toInt(), minute = m.captured(5).toInt(), second = m.captured(6).toInt();
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(m.captured(1).toLongLong(), month) || hour > 23
        || minute > 59 || second > 60)
        return std::nullopt;
    std::int64_t secs = daysFromCivil(m.captured(1).toLongLong(), month, day) * 86400 + hour * 3600
                        + minute * 60 + second;
    const QString zone = m.captured(8);
    if (zone.size() > 1) {
        QString digits = zone.mid(1);
        digits.remove(QLatin1Char(':'));
        const int zoneHours = digits.left(2).toInt(), zoneMinutes = digits.mid(2, 2).toInt();
        if (zoneHours > 23 || zoneMinutes > 59) // RFC 3339's offsets: +99:99 is a typo, not 100 hours
            return std::nullopt;
        const int offset = zoneHours * 3600 + zoneMinutes * 60;
        secs += zone.startsWith(QLatin1Char('+')) ? -offset : offset;
    }
    if (std::abs(secs) >= 9'200'000'000) // before 1678 or past 2262: no time in int64 nanoseconds
        return std::nullopt;
    std::int64_t nanos = 0;
    if (!m.captured(7).isEmpty())
        nanos = m.captured(7).leftJustified(9, QLatin1Char('0')).toLongLong();
    return secs * kSecond + nanos;
}

} // namespace

std::optional<TimeNs> parseRfc3339Strict(std::string_view t)
{
    auto digits = [&t](std::size_t at, std::size_t n, int &out) {
        if (at + n > t.size())
            return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9')
                return false;
            out = out * 10 + (t[i] - '0');
        }
        return true;
    };
    int year, month, day, hour, minute, second;
    if (t.size() < 20 || !digits(0, 4, year) || t[4] != '-' || !digits(5, 2, month) || t[7] != '-' || !digits(8, 2, day)
        || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(11, 2, hour) || t[13] != ':'
        || !digits(14, 2, minute) || t[16] != ':' || !digits(17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    std::size_t i = 19;
    std::int64_t nanos = 0;
    if (t[i] == '.') {
        std::size_t n = 0;
        for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++n)
            if (n < 9)
                nanos = nanos * 10 + (t[i] - '0');
        if (n == 0)
            return std::nullopt;
        for (; n < 9; ++n)
            nanos *= 10;
    }
    std::int64_t secs = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400
                        + hour * 3600 + minute * 60 + second;
    const std::string_view zone = t.substr(std::min(i, t.size()));
    if (zone == "Z" || zone == "z") {
    } else if ((zone.size() == 6 && zone[3] == ':') || zone.size() == 5) {
        int zh, zm;
        if ((zone[0] != '+' && zone[0] != '-') || !digits(i + 1, 2, zh) || !digits(i + zone.size() - 2, 2, zm)
            || zh > 23 || zm > 59)
            return std::nullopt;
        secs += (zone[0] == '+' ? -1 : 1) * (zh * 3600 + zm * 60);
    } else {
        return std::nullopt;
    }
    if (std::abs(secs) >= 9'200'000'000) // as parseRfc3339
        return std::nullopt;
    return secs * kSecond + nanos;
}

std::optional<TimeNs> secondsToNs(double seconds)
{
    const double whole = std::trunc(seconds);
    const auto s = roundedInt64(whole);
    const auto ns = s ? scaledToNs(*s, kSecond) : std::nullopt;
    if (!ns)
        return std::nullopt;
    const auto fraction = static_cast<std::int64_t>(std::llround((seconds - whole) * 1e6)) * 1000;
    TimeNs t = 0;
    if (__builtin_add_overflow(*ns, fraction, &t))
        return std::nullopt;
    return t;
}

TimeNs nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

std::string formatRfc3339Std(TimeNs t)
{
    std::int64_t secs = t / kSecond;
    std::int64_t nanos = t % kSecond;
    if (nanos < 0) {
        nanos += kSecond;
        --secs;
    }
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    std::int64_t y;
    unsigned mo, d;
    civilFromDays(days, y, mo, d);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ", static_cast<long long>(y), mo, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60), static_cast<long long>(nanos));
    return buf;
}

QString formatRfc3339(TimeNs t) { return QString::fromLatin1(formatRfc3339Std(t)); }

std::optional<DurationNs> parseDuration(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h|d|w)\s*$)"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double n = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    double scale = 1;
    if (unit == QLatin1String("us") || unit == QStringLiteral("µs"))
        scale = 1e3;
    else if (unit == QLatin1String("ms"))
        scale = 1e6;
    else if (unit == QLatin1String("s"))
        scale = kSecond;
    else if (unit == QLatin1String("m"))
        scale = kMinute;
    else if (unit == QLatin1String("h"))
        scale = kHour;
    else if (unit == QLatin1String("d"))
        scale = kDay;
    else if (unit == QLatin1String("w"))
        scale = 7.0 * kDay;
    const double ns = n * scale;
    if (ns >= static_cast<double>(std::numeric_limits<DurationNs>::max())) // past 292 years
        return std::nullopt;
    return static_cast<DurationNs>(ns);
}

QString formatDuration(DurationNs d)
{
    struct Unit { DurationNs size; const char *name; };
    static const Unit units[] = {{7 * kDay, "w"}, {kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"},
                                 {1'000'000, "ms"}, {1'000, "us"}};
    for (const Unit &u : units)
        if (d != 0 && d % u.size == 0)
            return QString::number(d / u.size) + QLatin1String(u.name);
    return QString::number(d) + QLatin1String("ns");
}

QString formatElapsed(DurationNs d)
{
    const auto significant = [](double v, const char *unit) -> QString {
        const int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
        return QString::number(v, 'f', decimals) + QLatin1Char(' ') + QString::fromUtf8(unit);
    };
    const double ns = static_cast<double>(d);
    if (std::abs(ns) < 1e3)
        return QString::number(d) + QStringLiteral(" ns");
    if (std::abs(ns) < 1e6)
        return significant(ns / 1e3, "µs");
    if (std::abs(ns) < 1e9)
        return significant(ns / 1e6, "ms");
    if (std::abs(ns) < 60e9)
        return significant(ns / 1e9, "s");
    const std::int64_t seconds = d / kSecond;
    return seconds < 3600 ? QStringLiteral("%1 m %2 s").arg(seconds / 60).arg(seconds % 60)
                          : QStringLiteral("%1 h %2 m").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

std::optional<TimeNs> parseTime(const QString &input, TimeNs now, QString *error)
{
    const QString text = input.trimmed();
    static const QRegularExpression relative(QStringLiteral(R"(^now\s*(?:([+-])\s*(.+))?$)"),
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression unixSeconds(QStringLiteral(R"(^-?\d+(?:\.\d{1,9})?$)"));
    if (const auto m = relative.match(text); m.hasMatch()) {
        if (m.captured(1).isEmpty())
            return now;
        TimeNs t = 0;
        if (const auto d = parseDuration(m.captured(2));
            d && !(m.captured(1) == QLatin1String("-") ? __builtin_sub_overflow(now, *d, &t) : __builtin_add_overflow(now, *d, &t)))
            return t;
    } else if (unixSeconds.match(text).hasMatch()) {
        const QStringList parts = text.split(QLatin1Char('.'));
        bool ok = false;
        const std::int64_t secs = parts[0].toLongLong(&ok);
        const std::int64_t frac = parts.size() > 1 ? parts[1].leftJustified(9, QLatin1Char('0')).toLongLong() : 0;
        if (ok && secs > -9'200'000'000 && secs < 9'200'000'000) // else past 2262: no time in int64 nanoseconds
            return secs * kSecond + (text.startsWith(QLatin1Char('-')) ? -frac : frac);
    } else if (const auto t = parseRfc3339(text)) {
        return t;
    }
    if (!error)
        return std::nullopt;
    // 9999-12-31 is a valid time no int64 of nanoseconds holds: "use RFC 3339" had been the advice (exploratory test)
    static const QRegularExpression year(QStringLiteral(R"(^(\d{4,})-\d{2}-\d{2}(?!\d))"));
    const auto y = year.match(text);
    const bool pastRange = unixSeconds.match(text).hasMatch()
                           || (y.hasMatch() && (y.captured(1).toLongLong() <= 1677 || y.captured(1).toLongLong() >= 2262));
    *error = pastRange ? QStringLiteral("time \"%1\" is out of range: times run from 1677-09-21 to 2262-04-11 "
                                        "(nanoseconds since 1970 in 64 bits)").arg(input)
                       : QStringLiteral("invalid time \"%1\": use RFC 3339 (2026-11-20T10:00:00Z), Unix seconds, or now-1h")
                             .arg(input);
    return std::nullopt;
}

namespace {
constexpr DurationNs kNiceIntervals[] = {kSecond,     5 * kSecond,  10 * kSecond, 30 * kSecond, kMinute,
                                         5 * kMinute, 15 * kMinute, 30 * kMinute, kHour,        3 * kHour,
                                         6 * kHour,   12 * kHour,   kDay,         7 * kDay};
}

DurationNs niceInterval(DurationNs rangeLength, int buckets)
{
    const double wanted = std::max(static_cast<double>(rangeLength) / std::max(buckets, 1), 1.0);
    // The step nearest on a log scale: 24 h over 150 buckets gives 15 m, 7 d gives 1 h.
    return *std::min_element(std::begin(kNiceIntervals), std::end(kNiceIntervals), [wanted](DurationNs a, DurationNs b) {
        return std::abs(std::log(a / wanted)) < std::abs(std::log(b / wanted));
    });
}

DurationNs niceIntervalAtLeast(DurationNs d)
{
    for (DurationNs ms : {1, 2, 5, 10, 20, 50, 100, 200, 500})
        if (ms * kMillisecond >= d)
            return ms * kMillisecond;
    for (DurationNs step : kNiceIntervals)
        if (step >= d)
            return step;
    return d;
}

} // namespace fd
