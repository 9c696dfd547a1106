#include "JsonLinesDecoder.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include "models/Rfc3339.h"
#include <functional>
#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <optional>

namespace fd {

TimeNs jsonl::timeFromNumber(double v)
{
    const double a = std::abs(v);
    const std::int64_t scale = a < 1e11 ? 1'000'000'000 : a < 1e14 ? 1'000'000 : a < 1e17 ? 1'000 : 1;
    const double whole = std::trunc(v);
    const auto units = truncatedInt64(whole); // none past int64 (or NaN)
    // 1700000000.123 s is 1700000000.12299990654 as a double: its fraction rounded to the microsecond is .123.
    const double fractionNs = (v - whole) * double(scale);
    const double fraction = scale >= 1'000'000 ? std::round(fractionNs / 1000) * 1000 : std::trunc(fractionNs);
    TimeNs t = 0;
    if (!units || __builtin_mul_overflow(*units, scale, &t) || __builtin_add_overflow(t, std::int64_t(fraction), &t))
        throw Error("the time is out of range: " + Json(v).dump());
    return t;
}

namespace {
// Nanoseconds in a unit of an integer time of this size: the magnitudes of timeFromNumber.
std::int64_t unitOf(std::int64_t v)
{
    const std::uint64_t a = v < 0 ? 0 - std::uint64_t(v) : std::uint64_t(v);
    return a < 100'000'000'000ULL ? 1'000'000'000 : a < 100'000'000'000'000ULL ? 1'000'000 : a < 100'000'000'000'000'000ULL ? 1'000 : 1;
}
} // namespace

TimeNs jsonl::timeFromInteger(std::int64_t v)
{
    TimeNs t = 0;
    if (__builtin_mul_overflow(v, unitOf(v), &t)) // seconds past 2262
        throw Error("the time is out of range: " + std::to_string(v));
    return t;
}

std::optional<TimeNs> jsonl::timeFromDecimal(std::string_view text)
{
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view digits = text.substr(negative ? 1 : 0);
    const std::size_t dot = digits.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    const auto whole = parseWhole<std::int64_t>(digits.substr(0, dot)); // no second sign
    const std::string_view fraction = digits.substr(dot + 1);
    if (!whole || fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const std::int64_t unit = unitOf(*whole);
    std::int64_t part = 0; // the fraction's nanoseconds; digits past the nanosecond are dropped
    for (std::int64_t place = unit / 10, i = 0; place > 0 && i < std::int64_t(fraction.size()); place /= 10, ++i)
        part += (fraction[std::size_t(i)] - '0') * place;
    TimeNs t = 0;
    if (__builtin_mul_overflow(*whole, unit, &t) || __builtin_add_overflow(t, part, &t))
        throw Error("the time is out of range: " + std::string(text));
    return negative ? -t : t;
}

TimeNs jsonl::timeFromText(const std::string &text)
{
    if (const auto n = parseWhole<std::int64_t>(text))
        return timeFromInteger(*n);
    if (const auto t = timeFromDecimal(text)) // "1767312001500.5" exactly
        return *t;
    if (const auto d = parseWhole<double>(text); d && std::isfinite(*d)) // "1.7e9"
        return timeFromNumber(*d);
    if (const auto t = parseRfc3339Strict(text))
        return *t;
    // A time of the command line ("now-1h") is no time of a record: it would be another at each import (exploratory test)
    if (QString::fromStdString(text).trimmed().startsWith(QLatin1String("now"), Qt::CaseInsensitive))
        throw Error("the time \"" + text + "\" is relative to now: a record's time is RFC 3339 or a number since the epoch");
    QString error;
    if (const auto t = parseTime(QString::fromStdString(text), nowNs(), &error))
        return *t;
    throw Error(error);
}

int jsonl::severityFromNumber(std::string_view key, std::int64_t n)
{
    static constexpr int kPino[] = {1, 5, 9, 13, 17, 21}; // trace, debug, info, warn, error, fatal
    if ((key == "level" || key == "lvl") && n >= 10 && n <= 60 && n % 10 == 0)
        return kPino[n / 10 - 1];
    return n >= 1 && n <= 24 ? int(n) : 0;
}

int jsonl::severityFromText(std::string_view key, const std::string &text)
{
    const std::string name = trim(text);
    if (const auto n = parseWhole<std::int64_t>(name))
        return severityFromNumber(key, *n);
    return severityFromName(name);
}

namespace {
using namespace jsonl;

TimeNs timeFromJson(const Json &v)
{
    const auto integer = v.is_number_integer() ? jsonInt64(v) : std::nullopt; // none past int64: no wrap
    if (integer)
        return timeFromInteger(*integer); // exact, no detour through double
    if (v.is_number())
        return timeFromNumber(v.get<double>());
    if (v.is_string())
        return timeFromText(v.get_ref<const std::string &>());
    throw Error("the time is neither a number nor a string: " + v.dump());
}

// The first of keys present (not null) whose value `accept`s, when given.
template <std::size_t N>
const Json *firstOf(const Json &object, const std::array<std::string_view, N> &keys, std::string *found,
                    const std::function<bool(std::string_view key, const Json &value)> &accept = {})
{
    for (const std::string_view key : keys)
        if (const auto it = object.find(std::string(key)); it != object.end() && !it->is_null()
            && (!accept || accept(key, *it))) {
            *found = key;
            return &*it;
        }
    return nullptr;
}
} // namespace

std::string jsonl::serviceNameIn(const Json &service)
{
    const auto name = service.is_object() ? service.find("name") : service.end();
    return name != service.end() && name->is_string() ? name->get<std::string>() : std::string();
}

void jsonl::settleService(std::string &service, Json &resource)
{
    const auto it = resource.find("service.name");
    const bool named = it != resource.end();
    if (service.empty() && named && it->is_string())
        service = it->get<std::string>();
    if (service.empty())
        service = kUnknownService;
    if (!named)
        resource["service.name"] = service;
}

LogRecord logRecordFromJsonLine(Json object)
{
    if (!object.is_object())
        throw Error(std::string("a line must hold a JSON object"));
    LogRecord r;
    std::string timeKey, severityKey, bodyKey, serviceKey, severityTextKey;
    // An empty time is none, as null is: the next time key is read (exploratory test: "time": "" beside "ts")
    const Json *time = firstOf(object, kTimeKeys, &timeKey, [](std::string_view, const Json &v) { return v != ""; });
    if (!time)
        throw Error(std::string(kNoTimeField));
    r.time = timeFromJson(*time);
    r.observedTime = r.time;
    // The first level key that names a level, else the first there (exploratory test: an empty "severity" had hidden
    // "level": "error")
    const auto namesLevel = [](std::string_view key, const Json &v) {
        const auto number = v.is_number_integer() ? jsonInt64(v) : std::nullopt;
        return (number && severityFromNumber(key, *number) > 0) || (v.is_string() && severityFromText(key, v.get<std::string>()) > 0);
    };
    const Json *sev = firstOf(object, kSeverityKeys, &severityKey, namesLevel);
    if (!sev)
        sev = firstOf(object, kSeverityKeys, &severityKey);
    if (sev) {
        const auto number = sev->is_number_integer() ? jsonInt64(*sev) : std::nullopt;
        if (number && severityFromNumber(severityKey, *number) > 0) {
            r.severity = severityFromNumber(severityKey, *number);
            r.severityText = severityName(r.severity);
            if (const auto text = object.find(kSeverityTextKey); text != object.end() && text->is_string()) {
                r.severityText = text->get<std::string>();
                severityTextKey = kSeverityTextKey;
            }
        } else if (sev->is_string()) {
            r.severityText = sev->get<std::string>();
            r.severity = severityFromText(severityKey, r.severityText);
        } else {
            severityKey.clear(); // no level: an attribute like any other
        }
    } else if (timeKey == "@t") { // Serilog's compact JSON leaves out the level of Information
        r.severity = kClefInformation;
        r.severityText = "Information";
    }
    const Json *body = firstOf(object, kBodyKeys, &bodyKey, [](std::string_view, const Json &v) { return v.is_string(); });
    if (!body)
        body = firstOf(object, kBodyKeys, &bodyKey);
    if (body) {
        r.bodyIsJson = !body->is_string();
        r.body = body->is_string() ? body->get<std::string>() : body->dump();
    }
    if (const Json *service = firstOf(object, kServiceKeys, &serviceKey); service && service->is_string()) {
        r.service = service->get<std::string>();
    } else {
        serviceKey.clear(); // an attribute like any other
        r.service = service ? serviceNameIn(*service) : std::string();
    }
    // Any other type stays an attribute (nlohmann's value() would throw).
    const auto textOf = [&object](const char *key) -> std::optional<std::string> {
        const auto it = object.find(key);
        return it != object.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
    };
    const std::optional<std::string> traceId = textOf("trace_id"), spanId = textOf("span_id");
    r.traceId = storedId(traceId.value_or(std::string()));
    r.spanId = storedId(spanId.value_or(std::string()));
    Json nested = Json::object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string &key = it.key();
        // A key not found above is "", which is also an attribute's name.
        const bool taken = !key.empty()
            && (key == timeKey || key == severityKey || key == bodyKey || key == serviceKey || key == severityTextKey);
        if (taken || (key == "trace_id" && traceId) || (key == "span_id" && spanId))
            continue;
        if (key == "resource" && it->is_object())
            r.resource = std::move(*it);
        else if (key == kNestedAttributesKey && it->is_object())
            nested = std::move(*it);
        else
            r.attributes[key] = std::move(*it);
    }
    for (auto &[key, value] : nested.items())
        if (!r.attributes.contains(key)) // a member of the line itself wins
            r.attributes[key] = std::move(value);
    settleService(r.service, r.resource);
    return r;
}

} // namespace fd
