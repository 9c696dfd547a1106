#pragma once
#include "Query.h"
#include <optional>
#include <string>
#include <vector>

namespace fd {

// How a tile learns what normal looks like (DESIGN.md, "Mission control").
struct RangeSpec {
    std::string method = "seasonal"; // seasonal | static | rolling
    DurationNs period = kDay;
    int lookback = 7;
    double bandLow = 0.05;            // quantiles of the history
    double bandHigh = 0.95;
    double staticLow = 0, staticHigh = 0; // static
    DurationNs window = kHour;        // rolling
    double k = 3;                     // rolling: median ± k·MAD
    int minBuckets = 2;               // consecutive buckets outside the band that make an anomaly
};

struct MarkerScope {
    std::vector<std::string> kinds;    // empty: every kind
    std::vector<std::string> services; // empty: every service
    bool admits(const std::string &kind, const std::string &service) const;
};

constexpr int kMaxTileSpan = 4;
constexpr int kMaxDecimals = 6;

struct Tile {
    std::string name;
    std::string kind = "value"; // value | rate | ratio
    std::string unit;
    int decimals = -1;          // digits after the point; -1: three significant digits
    int columns = 1, rows = 1;  // grid spans, 1..kMaxTileSpan
    Query query;                // value, rate
    Query numerator;            // ratio
    Query denominator;          // ratio
    RangeSpec range;
    std::optional<MarkerScope> markers;
};

struct Board {
    std::string name;
    std::vector<Tile> tiles;
};

// Throw fd::Error naming the bad part.
Tile tileFromJson(const Json &j);
Json tileToJson(const Tile &t);
Board boardFromJson(const Json &j);
// The first name two of the board's tiles share; "" when each tile has its own.
std::string repeatedTileName(const Board &b);
Json boardToJson(const Board &b);

} // namespace fd
