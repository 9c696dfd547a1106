#pragma once
#include <QString>
#include <optional>
#include <utility>

namespace fd {

// The part of `query` a SQL engine's error names, as [start, end) character positions: SQLite's
// `near "X": syntax error` (X, the first occurrence that starts a token), `incomplete input` (the last
// character), `no such column/table/function: X` and `unrecognized token: "X"`; ClickHouse's
// "Syntax error: failed at position N" (1-based). nullopt when it names none.
std::optional<std::pair<int, int>> sqlErrorRange(const QString &message, const QString &query);

} // namespace fd
