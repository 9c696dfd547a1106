#include "AlertRule.h"
#include "Error.h"
#include <QString>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace fd {

namespace {

std::string promDuration(DurationNs d)
{
    if (d % kDay == 0)
        return std::to_string(d / kDay) + "d";
    if (d % kHour == 0)
        return std::to_string(d / kHour) + "h";
    if (d % kMinute == 0)
        return std::to_string(d / kMinute) + "m";
    return std::to_string(std::max<DurationNs>(1, d / kSecond)) + "s";
}

// "Login success ratio" -> "LoginSuccessRatioOutOfRange".
std::string alertName(const std::string &tileName)
{
    std::string name;
    bool upper = true;
    for (const char c : tileName) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())))
        name = "Tile" + name;
    return name + "OutOfRange";
}

std::string number(double v)
{
    std::ostringstream out;
    out.precision(6);
    out << v;
    return out.str();
}

// YAML double-quoted scalar.
std::string quoted(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out + "\"";
}

std::string indentBlock(const std::string &text, const std::string &indent)
{
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out += indent + line + "\n";
    return out;
}

// PromQL only offsets selectors and subqueries: each earlier period is a subquery over one bucket.
std::string expectedExpression(const std::string &x, const RangeSpec &spec, DurationNs bucket)
{
    if (spec.method == "rolling")
        return "avg_over_time((" + x + ")[" + promDuration(spec.window) + ":])";
    std::string sum;
    for (int k = 1; k <= spec.lookback; ++k)
        sum += (k > 1 ? "\n  + " : "") + std::string("avg_over_time((") + x + ")[" + promDuration(bucket) + ":] offset "
            + promDuration(k * spec.period) + ")";
    return "(\n  " + sum + "\n) / " + std::to_string(spec.lookback);
}

} // namespace

std::string tilePromQl(const Tile &tile)
{
    if (tile.kind == "ratio") {
        if (tile.numerator.raw.empty() || tile.denominator.raw.empty())
            return {};
        return "100 * (" + tile.numerator.raw + ") / (" + tile.denominator.raw + ")";
    }
    return tile.query.raw;
}

std::string prometheusAlertRule(const std::string &boardName, const Tile &tile, double relativeWidth, DurationNs bucket)
{
    const std::string x = tilePromQl(tile);
    if (x.empty())
        throw Error("tile \"" + tile.name + "\" has no raw PromQL query to turn into an alerting rule");
    const RangeSpec &spec = tile.range;
    std::string expr;
    std::string description;
    if (spec.method == "static") {
        expr = "(" + x + ") < " + number(spec.staticLow) + "\nor\n(" + x + ") > " + number(spec.staticHigh);
        description = "outside " + number(spec.staticLow) + " to " + number(spec.staticHigh);
    } else {
        const double w = std::isfinite(relativeWidth) && relativeWidth > 0 ? relativeWidth : 0.25;
        const std::string expected = expectedExpression(x, spec, bucket);
        expr = "(" + x + ")\n  < " + number(1 - w) + " * " + expected + "\nor\n(" + x + ")\n  > " + number(1 + w) + " * "
            + expected;
        description = "more than " + number(std::round(w * 1000) / 10) + " % away from "
            + (spec.method == "rolling" ? "its mean over the last " + promDuration(spec.window)
                                        : "the mean of the same time over the last " + std::to_string(spec.lookback)
                       + " periods of " + promDuration(spec.period));
    }
    std::string yaml = "groups:\n  - name: " + quoted("flightdeck " + boardName) + "\n    rules:\n";
    yaml += "      - alert: " + alertName(tile.name) + "\n";
    yaml += "        expr: |\n" + indentBlock(expr, "          ");
    yaml += "        for: " + promDuration(std::max(1, spec.minBuckets) * bucket) + "\n";
    yaml += "        labels:\n          severity: warning\n          flightdeck_board: " + quoted(boardName) + "\n";
    yaml += "        annotations:\n          summary: " + quoted(tile.name + " left its normal range") + "\n";
    yaml += "          description: " + quoted(tile.name + " is " + description + " (exported from Flightdeck)") + "\n";
    return yaml;
}

} // namespace fd
