#include "Board.h"
#include "Error.h"
#include "Telemetry.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace fd {

namespace {
// An int field: a whole number within int, never wrapped (get<int> would); 7.0 as 7 (Python writes it so).
int intField(const Json &j, const char *key, int fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (const auto n = jsonWholeNumber(*it); n && *n >= std::numeric_limits<int>::min() && *n <= std::numeric_limits<int>::max())
        return int(*n);
    throw Error(std::string("\"") + key + "\" must be a whole number within int, not " + it->dump());
}

DurationNs durationField(const Json &j, const char *key, DurationNs fallback)
{
    const std::string text = jsonField<std::string>(j, key, std::string());
    if (text.empty())
        return fallback;
    const auto d = parseDuration(QString::fromStdString(text));
    if (!d || *d <= 0)
        throw Error(std::string("\"") + key + "\": invalid duration \"" + text + "\"");
    return *d;
}

RangeSpec rangeFromJson(const Json &j)
{
    RangeSpec r;
    if (j.is_null())
        return r;
    if (!j.is_object()) // a number or a word had been read as no range at all (exploratory test)
        throwWrongType("range", j);
    r.method = jsonField<std::string>(j, "method", r.method);
    if (r.method != "seasonal" && r.method != "static" && r.method != "rolling")
        throw Error("range method \"" + r.method + "\" is not one of seasonal, static, rolling");
    r.period = durationField(j, "period", r.period);
    r.lookback = intField(j, "lookback", r.lookback);
    if (r.lookback < 1)
        throw Error("\"lookback\" must be at least 1 period, not " + std::to_string(r.lookback));
    if (!scaledToNs(r.lookback, r.period)) // the history a seasonal range reads
        throw Error(std::string("\"lookback\" periods reach past 292 years"));
    if (const auto it = j.find("band"); it != j.end() && !it->is_null()) {
        if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number() || !(*it)[1].is_number())
            throwWrongType("band", *it);
        r.bandLow = (*it)[0].get<double>();
        r.bandHigh = (*it)[1].get<double>();
        if (!(0 <= r.bandLow && r.bandLow < r.bandHigh && r.bandHigh <= 1))
            throw Error(std::string("\"band\" must be two quantiles from 0 to 1, the low one first, such as [0.05, 0.95]"));
    }
    if (r.method == "static" && (!j.contains("min") || !j.contains("max")))
        throw Error(std::string("a static range needs its \"min\" and \"max\""));
    r.staticLow = jsonField<double>(j, "min", r.staticLow);
    r.staticHigh = jsonField<double>(j, "max", r.staticHigh);
    if (r.staticLow > r.staticHigh)
        throw Error("a static range's \"min\" " + Json(r.staticLow).dump() + " is above its \"max\" " + Json(r.staticHigh).dump());
    r.window = durationField(j, "window", r.window);
    r.k = jsonField<double>(j, "k", r.k);
    if (!(r.k > 0))
        throw Error(std::string("\"k\" (how many deviations from the median are normal) must be above 0"));
    r.minBuckets = std::max(1, intField(j, "min_buckets", r.minBuckets)); // 0 as 1, as it always was read
    return r;
}

Json rangeToJson(const RangeSpec &r)
{
    Json j = {{"method", r.method}};
    if (r.method == "seasonal") {
        j["period"] = formatDuration(r.period).toStdString();
        j["lookback"] = r.lookback;
        j["band"] = {r.bandLow, r.bandHigh};
    } else if (r.method == "static") {
        j["min"] = r.staticLow;
        j["max"] = r.staticHigh;
    } else {
        j["window"] = formatDuration(r.window).toStdString();
        j["k"] = r.k;
    }
    j["min_buckets"] = r.minBuckets;
    return j;
}

// "size": [w, h], each 1..kMaxTileSpan; absent means one cell.
void readSize(const Json &j, Tile &t)
{
    const auto it = j.find("size");
    if (it == j.end() || it->is_null())
        return;
    const auto inRange = [](const Json &v) {
        const std::int64_t n = jsonWholeNumber(v).value_or(0);
        return n >= 1 && n <= kMaxTileSpan;
    };
    if (!it->is_array() || it->size() != 2 || !inRange((*it)[0]) || !inRange((*it)[1]))
        throw Error("tile \"" + t.name + "\": \"size\" must be [width, height], each 1 to " + std::to_string(kMaxTileSpan)
                    + ", not " + it->dump());
    t.columns = int(*jsonWholeNumber((*it)[0]));
    t.rows = int(*jsonWholeNumber((*it)[1]));
}

Query subQuery(const Json &j, const char *key, const std::string &tile)
{
    const auto it = j.find(key);
    if (it == j.end())
        throw Error("tile \"" + tile + "\" needs \"" + key + "\"");
    try {
        return queryFromJson(*it);
    } catch (const Error &e) {
        throw Error("tile \"" + tile + "\", " + key + ": " + e.what());
    }
}
} // namespace

bool MarkerScope::admits(const std::string &kind, const std::string &service) const
{
    const bool kindOk = kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    const bool serviceOk = services.empty() || service.empty()
                           || std::find(services.begin(), services.end(), service) != services.end();
    return kindOk && serviceOk;
}

Tile tileFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("a tile must be a JSON object"));
    Tile t;
    t.name = jsonField<std::string>(j, "name", std::string());
    if (t.name.empty())
        throw Error(std::string("a tile needs a \"name\""));
    t.kind = jsonField<std::string>(j, "kind", std::string("value"));
    t.unit = jsonField<std::string>(j, "unit", std::string());
    t.decimals = intField(j, "decimals", -1);
    if (t.decimals < -1 || t.decimals > kMaxDecimals)
        throw Error("tile \"" + t.name + "\": \"decimals\" must be 0 to " + std::to_string(kMaxDecimals));
    readSize(j, t);
    if (t.kind == "ratio") {
        t.numerator = subQuery(j, "numerator", t.name);
        t.denominator = subQuery(j, "denominator", t.name);
    } else if (t.kind == "value" || t.kind == "rate") {
        t.query = subQuery(j, "query", t.name);
    } else {
        throw Error("tile \"" + t.name + "\": kind \"" + t.kind + "\" is not one of value, rate, ratio");
    }
    try {
        t.range = rangeFromJson(j.value("range", Json()));
    } catch (const Error &e) {
        throw Error("tile \"" + t.name + "\": range: " + e.what());
    }
    if (const auto it = j.find("markers"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throwWrongType("markers", *it);
        MarkerScope scope;
        scope.kinds = jsonField<std::vector<std::string>>(*it, "kinds", {});
        for (const std::string &kind : scope.kinds) { // a misspelt kind ("deploys") had hidden every suspect
            try {
                checkMarkerKind(kind);
            } catch (const Error &e) {
                throw Error("tile \"" + t.name + "\": markers: " + e.what());
            }
        }
        scope.services = jsonField<std::vector<std::string>>(*it, "services", {});
        t.markers = scope;
    }
    return t;
}

Json tileToJson(const Tile &t)
{
    Json j = {{"name", t.name}, {"kind", t.kind}, {"unit", t.unit}};
    if (t.decimals >= 0)
        j["decimals"] = t.decimals;
    if (t.columns != 1 || t.rows != 1)
        j["size"] = {t.columns, t.rows};
    if (t.kind == "ratio") {
        j["numerator"] = queryToJson(t.numerator);
        j["denominator"] = queryToJson(t.denominator);
    } else {
        j["query"] = queryToJson(t.query);
    }
    j["range"] = rangeToJson(t.range);
    if (t.markers)
        j["markers"] = {{"kinds", t.markers->kinds}, {"services", t.markers->services}};
    return j;
}

std::string repeatedTileName(const Board &b)
{
    std::set<std::string_view> seen;
    for (const Tile &t : b.tiles)
        if (!seen.insert(t.name).second)
            return t.name;
    return {};
}

Board boardFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("a board must be a JSON object"));
    Board b;
    b.name = jsonField<std::string>(j, "name", std::string());
    if (const auto it = j.find("tiles"); it != j.end() && !it->is_null()) {
        if (!it->is_array())
            throwWrongType("tiles", *it);
        for (const Json &t : *it)
            b.tiles.push_back(tileFromJson(t));
    }
    return b;
}

Json boardToJson(const Board &b)
{
    Json tiles = Json::array();
    for (const Tile &t : b.tiles)
        tiles.push_back(tileToJson(t));
    return {{"name", b.name}, {"tiles", tiles}};
}

} // namespace fd
