#pragma once
#include "models/Frame.h"
#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// A query parameter: {name:Type} in the SQL, param_name=value in the URL.
struct ChParam {
    std::string name;
    std::string type; // String, Int64 or Float64
    std::string value; // the text of the value (digits for numbers)
};

// One statement for the HTTP interface, without its FORMAT clause. Whatever a user typed is in params,
// never in sql (or, inlined, as an escaped literal).
struct ChSql {
    std::string sql;
    std::vector<ChParam> params;
    std::vector<ColumnType> columnTypes; // by position; empty: from the answer's meta
    int limit = 0; // the LIMIT the statement ends with (0: none)
    std::int64_t offset = 0; // and its OFFSET
    // The result's column names by position where the SQL's aliases differ (ClickHouse takes one alias for one
    // expression: a group by a field named "count" is "count 2" there); empty: the aliases.
    std::vector<std::string> columnNames;

    // The SQL with every parameter written in as a literal (what people see; what servers before
    // query parameters, e.g. 18.x, are sent).
    std::string inlined() const;
};

// Adds parameters to a statement and returns their placeholders; equal values share one.
class ChParams
{
public:
    std::string string(const std::string &value) { return add("String", value); }
    std::string int64(std::int64_t value) { return add("Int64", std::to_string(value)); }
    std::string float64(double value);
    std::vector<ChParam> take() { return std::move(m_params); }

private:
    std::string add(const std::string &type, const std::string &value);
    std::vector<ChParam> m_params;
};

// 'text' with quotes and backslashes escaped.
std::string chStringLiteral(const std::string &text);
// A parameter's value as the URL carries it (the server reads it in the escaped text format).
std::string chParamValue(const ChParam &p);
// A number as SQL text, as short as it stays exact.
std::string chNumber(double v);

} // namespace fd
