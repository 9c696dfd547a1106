#pragma once
#include "EsQueryBuilder.h"
#include "models/DataSource.h"
#include "models/Frame.h"
#include <string>
#include <vector>

namespace fd {

// Decoders for Elasticsearch / OpenSearch answers; pure, so they are tested on recorded payloads. All throw
// fd::Error with a message for the user.

// The answer as JSON. The error envelope ({"error": {"type", "reason", "root_cause"}, "status"}) throws
// with ES's type and reason; a body that is no JSON (an HTML page, a cut-off answer) with an excerpt.
Json esAnswer(int status, const std::string &body);

// Partial results, for the frame's notes: a timed-out search, failed shards with their first reason.
std::vector<std::string> esWarnings(const Json &answer);

// hits.total as a number (rest_total_hits_as_int) or {"value", "relation"}; exact is false for "gte".
struct EsTotal {
    std::int64_t value = 0;
    bool exact = true;
};
EsTotal esTotal(const Json &answer);
// Epoch milliseconds (a number, maybe with a fraction) in nanoseconds; throws past int64 nanoseconds.
TimeNs epochMillis(const Json &v, const char *what);

// Documents (hits with _source) as the embedded store's logs frame: time (the time field: RFC 3339 text
// or epoch milliseconds), severity and severity_text (a level field), service.name, body, trace_id,
// span_id (each from the first of its names that a document has, nested or dotted), every other field in
// attributes under its dotted path, and resource {"_index", "_id"}.
Frame esLogsFrame(const std::vector<Json> &hits, const EsFields &fields);

// An aggregation answer (EsQueryBuilder::aggregateBody) as the store's aggregate frame: time (with a
// step), one column per group field, then the aggregate; without a step the groups come largest first.
struct EsAggregateShape {
    std::vector<std::string> groupFields;
    Aggregate agg; // None counts
    DurationNs step = 0;
    DurationNs rangeLength = 0; // rate's seconds without a step
    std::size_t limit = 0; // of groups without a step; 0: all
};
Frame esAggregateFrame(const Json &answer, const EsAggregateShape &shape);

// GET /<index>/_mapping: every field of every index, nested properties as dotted names, sorted.
std::vector<std::string> esMappingFields(const Json &answer);
// The buckets of a terms aggregation named "values", with their counts.
std::vector<FieldValue> esTermsValues(const Json &answer);

} // namespace fd
