#pragma once
#include "models/Json.h"
#include "models/Query.h"
#include "models/Time.h"
#include <string>
#include <vector>

namespace fd {

// Where an index keeps Flightdeck's intrinsic fields (documents may use either of several names).
struct EsFields {
    std::string time = "@timestamp";
    std::vector<std::string> body = { "message", "body" };
    std::vector<std::string> level = { "log.level", "level", "severity_text" };
    std::vector<std::string> service = { "service.name" };
    std::vector<std::string> traceId = { "trace.id", "trace_id" };
    std::vector<std::string> spanId = { "span.id", "span_id" };

    // The index fields of a Query field: an intrinsic's names, else the field itself (a dotted path).
    std::vector<std::string> of(const std::string &field) const;
};

// Compiles the logs form of a Query to Elasticsearch / OpenSearch _search bodies:
//   time range                     bool.filter range {time: {gte, lte, format: epoch_millis}}
//   where f = v / != v             terms {f: [v]} / must_not (exact: keyword, numeric and boolean fields)
//   where f > >= < <= v            range {f: {gt: v}}
//   where f ~ re / !~ re           regexp {f: {value: re}} (Lucene's anchored syntax, not PCRE) / must_not
//   where exists(f) / !exists(f)   exists {field: f} / must_not
//   where severity OP NAME         terms on the level fields with the level names of those severities
//   search                         query_string with the text as a quoted phrase on the body fields
//   agg + interval                 date_histogram (fixed_interval, min_doc_count 0, extended_bounds) with
//                                  one terms sub-aggregation per group_by and avg/sum/min/max/percentiles/
//                                  cardinality inside ("value"); count and rate read doc_count
// A raw query (Lucene query_string syntax, or a Query DSL clause when it starts with "{") takes the place
// of where and search. An intrinsic with several names (trace_id: trace.id or trace_id) matches any of them. Parts the DSL
// cannot express (time conditions, other signals) raise fd::Error naming them.
class EsQueryBuilder
{
public:
    explicit EsQueryBuilder(EsFields fields = {})
        : m_fields(std::move(fields))
    {
    }

    // The "query" part: a bool filter (and must_not) with the range last.
    Json query(const Query &q, const TimeRange &range) const;
    // A page of documents, newest first (oldest first for Query::oldestFirst); searchAfter: the sort values to continue after (null: the first page).
    Json logsBody(const Query &q, const TimeRange &range, std::size_t size, const Json &searchAfter) const;
    Json aggregateBody(const Query &q, const TimeRange &range, DurationNs step) const;
    // The most frequent values of one field.
    Json valuesBody(const std::string &field, const TimeRange &range, int size) const;
    // Whether q is an aggregate (an agg, an interval or a group by), as the store groups.
    static bool isAggregate(const Query &q);
    const EsFields &fields() const { return m_fields; }

    // The last millisecond of [from, to): ranges and bounds are inclusive in epoch milliseconds.
    static std::int64_t firstMs(const TimeRange &range);
    static std::int64_t lastMs(const TimeRange &range);

private:
    EsFields m_fields;
};

} // namespace fd
