#pragma once
#include "DataSource.h"

namespace fd {

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

// One count query for the result and one group-by count query per field; polls cancel between them.
std::vector<FieldSummary> summarizeFields(DataSource &source, const Query &base, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel);

} // namespace fd
