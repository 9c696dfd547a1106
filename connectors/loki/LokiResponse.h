#pragma once
#include "models/Frame.h"
#include "models/Json.h"
#include "models/Time.h"
#include <string>
#include <vector>

namespace fd {

// Decoders for Loki HTTP API answers ({"status": "success", "data": {...}}); pure, so they are tested on
// payloads built from the documented format. All throw fd::Error with a message for the user.

// The answer's "data" (an object, or a list of names); anything that is no API answer (an HTML page, cut-off JSON) throws with an excerpt.
// *warnings gets the answer's "warnings" (a query that hit a limit, a shard that failed) not already there.
Json lokiData(const std::string &body, std::vector<std::string> *warnings = nullptr);

// One log line of a "streams" result.
struct LokiEntry {
    TimeNs time = 0;
    std::string line;
    Json stream = Json::object(); // the stream's labels
    Json metadata = Json::object(); // structured metadata and parsed labels (categorize-labels answers)
    bool operator==(const LokiEntry &) const = default;
};

// The lines of a "streams" result, newest first or oldest first (each stream is sorted, the streams are
// not).
std::vector<LokiEntry> lokiEntries(const Json &data, bool oldestFirst = false);

// Log lines as the embedded store's logs frame: time, severity, severity_text, service.name, body,
// trace_id, span_id, attributes (structured metadata and parsed labels), resource (stream labels).
// serviceLabel names the service; the level comes from levelLabel, else "detected_level" or "level".
Frame lokiLogsFrame(const std::vector<LokiEntry> &entries, const std::string &serviceLabel,
    const std::string &levelLabel);

// The "stats" of one or more answers, summed, as a note for the user.
struct LokiStats {
    double bytes = 0;
    double lines = 0;
    double seconds = 0;
    int answers = 0;
    void add(const Json &data);
    std::string note() const; // "Loki processed 1.2 MB in 3,456 lines in 0.42 s"; "" without stats
};

// A matrix (interval > 0) or vector result of a metric query as the store's aggregate frame: time (the
// start of each bucket: Loki's sample at T counts (T - step, T]), one column per group field, then the
// aggregate column. groupLabels[i] is the label that holds groupFields[i].
struct LokiAggregateShape {
    std::vector<std::string> groupFields;
    std::vector<std::string> groupLabels;
    std::string valueName; // "count", "avg(duration_ms)" ...
    bool integer = false; // count and count_distinct are int64 in the store's frame
    DurationNs step = 0; // 0: a single value per group, no time column
    std::size_t limit = 0; // of groups without a step, the largest first; 0: all
};
Frame lokiAggregateFrame(const Json &data, const LokiAggregateShape &shape);

} // namespace fd
