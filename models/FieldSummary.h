#pragma once
#include "Cancel.h"
#include "Frame.h"
#include "Json.h"
#include "Query.h"
#include <cstdint>
#include <string>
#include <vector>

namespace fd {

class DataSource;

// A field's most frequent values over a whole query result, with counts and shares of `total`.
struct FieldSummary {
    struct Value {
        Json value; // as the source returned it (null: the field is missing)
        std::int64_t count = 0;
    };
    std::string field;
    std::vector<Value> values;
    std::int64_t total = 0; // rows of the result
};

// The count query of one field's most frequent values in base's result: one row per value, most frequent first.
Query fieldGroupsQuery(const Query &base, const std::string &field, int topValues);
// The summary of `field` from that query's answer.
FieldSummary summaryOfGroups(const std::string &field, const Frame &groups, std::int64_t total);

// What DataSource::summarizeFields does unless a source knows better: one count query for the result and one
// group-by count query per field; polls cancel between them.
std::vector<FieldSummary> summarizeFieldsByQueries(DataSource &source, const Query &base, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel);

} // namespace fd
