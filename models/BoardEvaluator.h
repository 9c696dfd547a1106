#pragma once
#include "Baseline.h"
#include "DataSource.h"
#include "Dora.h"
#include <QString>
#include <functional>
#include <memory>

namespace fd {

struct Suspect {
    double score = 0;
    std::vector<std::string> reasons;
    Marker marker;
};

struct Anomaly {
    TimeNs start = 0;
    TimeNs end = 0;  // meaningful when !open
    bool open = false;
    int direction = 0;
    double size = 0;
    std::vector<Suspect> suspects;
    Json whatChanged = Json::array();
};

struct TileResult {
    std::string name;
    std::string unit;
    int decimals = -1; // Tile::decimals
    std::string state = "no_data"; // ok | warn | bad | no_data
    double value = NAN, expected = NAN, low = NAN, high = NAN;
    BucketSeries series;   // only the displayed range
    Band band;             // aligned with series
    std::vector<Anomaly> anomalies;
    std::vector<Marker> markers; // in range and in scope
    std::vector<std::string> services; // of the tile's marker scope; empty: every service
    std::string error;
};

struct BoardResult {
    std::string board;
    TimeRange range;
    std::vector<TileResult> tiles;
    Json dora = Json::object();
    std::vector<std::string> warnings; // markers left out: a source not reachable from here
    bool markersRead = true; // false: none could be read, and the DORA figures are unknown (null)
};
using BoardResultPtr = std::shared_ptr<const BoardResult>;

// Suspects for an anomaly starting at `start`: markers in the window before it, ranked.
std::vector<Suspect> rankSuspects(TimeNs start, const std::vector<Marker> &markers, const Tile &tile,
                                  DurationNs window = 2 * kHour);

DurationNs defaultBucket(const Tile &tile);
TileResult evaluateTile(const Tile &tile, const TimeRange &range, DataSource &source,
                        const std::vector<Marker> &allMarkers, const CancelTokenPtr &cancel);
// Each tile as it is evaluated (from any thread, one at a time), before the whole board is returned.
using TileReport = std::function<void(std::size_t index, const TileResult &tile)>;
// Tiles are grouped by the set of sources they read; the groups are evaluated side by side, a group's tiles one
// after another.
BoardResult evaluateBoard(const Board &board, const TimeRange &range, DataSource &source,
                          const CancelTokenPtr &cancel, const TileReport &report = {});
Json boardResultToJson(const BoardResult &r);
// The tiles' anomalies as DORA reads them: when, and the services whose deploys they can fail.
std::vector<AnomalyWindow> anomalyWindows(const std::vector<TileResult> &tiles);

} // namespace fd
