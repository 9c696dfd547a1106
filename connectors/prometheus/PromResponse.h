#pragma once
#include "models/Frame.h"
#include "models/Json.h"
#include "models/Time.h"
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <string>
#include <vector>

namespace fd {

// Decoders for Prometheus HTTP API answers ({"status": "success", "data": ...}); pure, so they are
// tested on recorded payloads. All throw fd::Error with a message for the user.

// The answer's "data"; an error answer ({"status":"error","errorType","error"}) throws with the
// server's type and message, anything else that is no API answer with an excerpt of the body.
// *warnings gets what says the data may be incomplete: the answer's "warnings" and "infos" (a store
// that did not answer, as Thanos and Mimir report it) and VictoriaMetrics' "isPartial".
Json promData(const std::string &body, std::vector<std::string> *warnings = nullptr);

// A query or query_range result (matrix, vector, scalar or string) as a frame: time, one column per
// label (sorted, __name__ first), value; native histograms add a json "histogram" column and their
// count as the value. At most seriesLimit series are kept (then truncated is set). Errors name the engine
// that answered: Loki and Tempo answer in this shape too.
Frame promFrame(const Json &data, std::size_t seriesLimit, const std::string &engine = "Prometheus");

// The label columns of a query answer's frame: the names sorted, __name__ first.
std::vector<std::string> promLabelOrder(std::set<std::string> names);
// An empty frame of a query answer: time, the label columns, value, and a json "histogram" column when asked.
Frame promFramePrototype(const std::vector<std::string> &labels, bool withHistogram);

// /api/v1/labels, /api/v1/label/<name>/values.
std::vector<std::string> promStrings(const Json &data, const std::string &engine = "Prometheus");

using PromLabels = std::map<std::string, std::string>;
// /api/v1/series: one label set per series.
std::vector<PromLabels> promSeries(const Json &data);

// The warnings of an answer (its "warnings", "infos" and "isPartial"), as promData adds them.
void promWarnings(const Json &answer, std::vector<std::string> &warnings);

// A sample value as Prometheus writes it: "1", "1e-3", "NaN", "+Inf", "-Inf". Errors name no engine.
double promValue(const Json &text);
// The same of a text; nullopt when it is no number.
std::optional<double> promValueText(std::string_view text);
// A sample time in (fractional) seconds, to nanoseconds; millisecond precision as Prometheus keeps it.
TimeNs promTime(const Json &seconds);

} // namespace fd
