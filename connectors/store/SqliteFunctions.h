#pragma once
struct sqlite3;

namespace fd {
// Registers fd_regexp(pattern, value) (PCRE via QRegularExpression), fd_num(value) (a number, or a
// numeric text as a number, else NULL), fd_contains(text, needle) (a substring match that ignores case
// exactly as the store's full-text index does) and the aggregate fd_percentile(value, p).
void registerSqliteFunctions(sqlite3 *db);
}
