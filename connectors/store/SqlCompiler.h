#pragma once
#include "SqliteStatement.h"
#include "models/Frame.h"
#include "models/Query.h"
#include <optional>
#include <string>
#include <vector>

namespace fd {

// A Query compiled to the embedded store's SQL, with its parameters and the types of its columns.
struct CompiledSql {
    std::string sql;
    std::vector<SqlParam> params;
    std::string countSql;                // counts every matching row or group (for "total"); may be empty
    std::vector<SqlParam> countParams;   // its parameters
    std::vector<ColumnType> columnTypes; // by position
    std::vector<std::size_t> typedByCells; // columns whose type their cells decide (typeByCells): groups by value
    std::vector<std::size_t> typedByGroupValues; // attribute groups: typed by their values (typeGroupValues)
    int limit = 0;                       // rows beyond it mean "truncated"
    // When not empty, rows past `limit` are counted for "total": the store runs this, `sql` without its LIMIT
    // (shown with it: a copy in the raw editor or a shell gives the same rows).
    std::string unlimitedSql;
    bool countsPastLimit() const { return !unlimitedSql.empty(); }
    // A row query of logs or spans that is not a further page: its result has an arrival mark (the newest id
    // of this table).
    const char *arrivalTable = nullptr;
    // The last column is each row's id (Query::arrivedAfter), read as the result's mark and not returned.
    bool arrivalColumn = false;
    std::string display() const;         // the SQL with its parameters written in, for people
};

// The intrinsic field names of a signal (DESIGN.md, "Query"), aliases left out.
std::vector<std::string> intrinsicFields(Signal signal);

// What a search asks the trigram index (logs_fts): its trigrams, ANDed. The index keeps no positions
// (schema 4), so it finds the rows holding every trigram, a superset of those holding the text;
// fd_contains then decides. Empty for fewer than 3 characters.
std::string fullTextQuery(const std::string &search);

// Throws fd::Error when a part of the query cannot be expressed. fullText: the store has logs_fts
// (schema 3 or later), which then narrows a search of 3 or more characters. stored: from the oldest row
// of the signal's table to just after its newest, when known; the time bounds then tell SQLite (likelihood())
// which share of the rows they keep, which it cannot estimate itself without STAT4 (Debian's SQLite has
// none): a count by service over most rows then reads the covering (service, time) index instead of
// every row through the time index, and a short range still takes the time index. Only for a count that
// reads nothing but service and time: other queries compile as without it.
CompiledSql compileQuery(const Query &q, const TimeRange &range, bool fullText = true,
                         std::optional<TimeRange> stored = std::nullopt);

// The values each of `fields` would group q's rows by, a column each (typed as compileQuery's groups are),
// one row per row of the result: one pass counts every field's values (Store::summarizeFields).
CompiledSql compileGroupValues(const Query &q, const std::vector<std::string> &fields, const TimeRange &range,
    bool fullText = true, std::optional<TimeRange> stored = std::nullopt);

} // namespace fd
