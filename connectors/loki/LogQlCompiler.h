#pragma once
#include "models/Query.h"
#include "models/Time.h"
#include <map>
#include <string>

namespace fd {

// How a Loki source names Flightdeck's fields.
struct LokiFields {
    // Fields that are stream (index) labels, and their label: {"service.name": "service_name"} by default.
    std::map<std::string, std::string> streamLabels = { { "service.name", "service_name" } };
    std::string levelLabel = "detected_level"; // what severity conditions filter on
    std::string parser = "json"; // "json", "logfmt" or "" (filters then see labels and structured metadata only)

    // The label of a field: a stream label's name, else the field with characters outside [A-Za-z0-9_]
    // replaced by "_", as Loki names structured metadata and parsed JSON keys (http.route -> http_route).
    std::string label(const std::string &field) const;
    std::string serviceLabel() const { return label("service.name"); }
};

// Compiles the logs form of a Query to LogQL:
//   where on a stream label (= != ~ !~ exists !exists)   the stream selector {service_name="auth"}; without a
//                                                         positive matcher the selector is {service_name=~".+"}
//   search                                                a line filter: |= "text", or |~ "(?i)text" when it
//                                                         has letters (search is case-insensitive)
//   where body ~ / !~                                     a line filter |~ / !~
//   where severity OP NAME                                detected_level=~"(?i)(warn|warning|error|...)"
//   any other where                                       a label filter after the parser (| json): l="v",
//                                                         l=~"v", l!="" (exists), l > 5
//   agg count / rate                                      sum by (g) (count_over_time(... [w])) / rate(...)
//   agg sum/min/max(f)                                    sum by (g) (sum_over_time(... | unwrap f [w]))
//   agg avg(f), pNN(f)                                    avg_over_time(... | unwrap f [w]) by (g),
//                                                         quantile_over_time(0.NN, ...) by (g)
//   agg count_distinct(f)                                 count by (g) (sum by (g, f) (count_over_time(...)))
// A raw query wins. Parts LogQL cannot express raise fd::Error naming them.
class LogQlCompiler
{
public:
    explicit LogQlCompiler(LokiFields fields = {})
        : m_fields(std::move(fields))
    {
    }

    // window: the range of the metric query's *_over_time (its step, or the whole range for one value).
    std::string compile(const Query &q, DurationNs window) const;
    // Whether q compiles to a metric query (an aggregate, an interval or a group by), as the store groups.
    static bool isMetric(const Query &q);
    const LokiFields &fields() const { return m_fields; }

private:
    LokiFields m_fields;
};

} // namespace fd
