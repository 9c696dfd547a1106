#pragma once
#include "Board.h"
#include "DataSource.h"
#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// One attribute value whose share of a set of events moved between the baseline and an anomaly.
struct ChangedValue {
    std::string field;
    Json value;                // keeps its type: "2.14.0", 503
    double shareBaseline = 0;  // pooled over the same phase of the baseline periods
    double shareAnomaly = 0;
    std::string among;         // which events the shares are of, for people
    double score = 0;          // what the ranking used
};

struct WhatChangedOptions {
    DurationNs maxWindow = kHour;   // the change shows at the start: later parts of a long anomaly add cost only
    int maxFields = 12;
    int sampleRows = 40;            // rows whose attribute keys become candidate fields
    std::size_t maxEntries = 5;
    std::int64_t minEvents = 10;    // fewer events in the anomaly window say nothing
    std::int64_t minCount = 5;      // a value seen fewer times in both windows is noise
    double minMove = 0.05;          // the smallest share move worth reporting
    int maxLookback = 14;
};

// "What changed" for a tile's anomaly (DESIGN.md, "Mission control"), through DataSource::query only:
// the events behind the tile, and the warnings and errors of the services in its scope, grouped by a
// few candidate fields in the anomaly window and in the same phase of the baseline periods; the
// values whose share moved most come first.
class WhatChanged
{
public:
    WhatChanged(const Tile &tile, DataSource &source, CancelTokenPtr cancel, WhatChangedOptions options = {});

    // Throws fd::Error from the source, fd::Cancelled when cancelled.
    std::vector<ChangedValue> explain(const TimeRange &anomaly) const;

    // [{"field", "value", "share_baseline", "share_anomaly", "among"}], as the board JSON has it.
    static Json toJson(const std::vector<ChangedValue> &values);

private:
    struct Findings {
        std::vector<ChangedValue> changes;
        std::vector<std::string> services; // of the events in the anomaly window, most frequent first
    };

    Findings explainEvents(const Query &events, const std::string &among, const TimeRange &window) const;
    std::vector<std::string> candidateFields(const Query &events, const TimeRange &window) const;
    std::vector<DurationNs> baselineShifts() const;
    std::vector<std::string> problemServices(const Findings &tileEvents) const;

    Tile m_tile;
    DataSource &m_source;
    CancelTokenPtr m_cancel;
    WhatChangedOptions m_options;
};

// The warnings and errors of these services (what "what changed" also looks at).
Query problemLogs(const std::vector<std::string> &services);

} // namespace fd
