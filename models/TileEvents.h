#pragma once
#include "Board.h"

namespace fd {

// The events behind a tile, as rows (no aggregation): a ratio's denominator (it holds every event
// whose outcome the ratio measures), else its query.
Query tileEventsQuery(const Tile &tile);

// The events behind one "what changed" entry ({"field", "value", "among"}, see WhatChanged::toJson):
// the tile's events, or the warnings and errors of the services named in "among" when the value was
// found there, narrowed to field = value (the value keeps its type).
Query changedValueFilter(const Tile &tile, const Json &change);

} // namespace fd
