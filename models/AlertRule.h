#pragma once
#include "Board.h"
#include <string>

namespace fd {

// A Prometheus alerting rule (YAML, one rule group) that fires when a tile leaves its normal range, for
// tiles whose queries are PromQL. `promql` is the tile's value as PromQL (a ratio already divided,
// see tilePromQl); `relativeWidth` is the band's half-width relative to the expected value (e.g. 0.2),
// as the board learned it. The seasonal band becomes the mean of the same time on `lookback` earlier
// periods (`offset`), rolling a subquery mean over the window, static the tile's fixed range; `for`
// is the tile's anomaly length in buckets. Throws fd::Error when the tile has no PromQL.
std::string prometheusAlertRule(const std::string &boardName, const Tile &tile, double relativeWidth,
                                DurationNs bucket);

// The tile's value as one PromQL expression from its raw queries: the query, or (numerator) / (denominator)
// times 100 for a ratio in %. Empty when a query it needs is no raw PromQL.
std::string tilePromQl(const Tile &tile);

} // namespace fd
