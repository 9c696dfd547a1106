#pragma once
#include "models/Frame.h"
#include "models/Json.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fd {

// Decoders for the ClickHouse HTTP interface; pure, so they are tested on recorded payloads.
// All throw fd::Error with a message for the user.

struct ChColumn {
    std::string name;
    std::string type; // as ClickHouse names it: "UInt64", "Nullable(String)", "Map(String, String)" ...
};

// A FORMAT JSON answer. 64-bit integers arrive as strings and stay so in data.
struct ChResult {
    std::vector<ChColumn> meta;
    Json data = Json::array(); // one object per row
    std::int64_t rows = 0;
    std::optional<std::int64_t> rowsBeforeLimit; // rows_before_limit_at_least
    Json totals;
    Json extremes;
    Json statistics;
};

// A server error: "Code: 60. DB::Exception: ..." (and the older "Code: 60, e.displayText() = ...").
struct ChError {
    int code = 0; // 0 when the text names none
    std::string message; // the exception's own text, on one line
    std::string text() const; // "ClickHouse error 60: Table default.x does not exist."
};
// The exception in a text, when it holds one.
std::optional<ChError> chErrorFromText(const std::string &text);

// A FORMAT JSON body; an exception written after partial output (the status was 200 by then), a truncated
// body or anything that is no JSON answer (an HTML page) throws with what the server said or an excerpt.
ChResult chParseJson(const std::string &body);
// A FORMAT JSONEachRow body: one object per line.
std::vector<Json> chParseJsonEachRow(const std::string &body);

// How a ClickHouse type is kept in a frame: integers Int64 (UInt64 too, unless a value does not fit:
// then the column is text with every digit), floats Double, arrays/tuples/maps Json, anything else
// (String, Decimal, Int128, Date, DateTime, UUID ...) text.
ColumnType chColumnType(const std::string &type);
// "Nullable(LowCardinality(String))" -> "String".
std::string chInnerType(std::string type);

// The rows as a frame: a column per meta entry, typed by types (by position) where given, else by
// chColumnType (a column named "time" of an integer type is a time in nanoseconds). At most limit rows
// (0: all; then truncated is set).
Frame chFrame(const ChResult &r, const std::vector<ColumnType> &types = {}, std::size_t limit = 0);

} // namespace fd
