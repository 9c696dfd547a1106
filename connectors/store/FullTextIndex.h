#pragma once
#include <string>
#include <string_view>

// The store's full-text index of log bodies, logs_fts: an FTS5 table over logs.body (external content).
// schema: "main", or the name a database holding such a table is attached as.
namespace fd::fulltext {

// detail=none: no positions, so 40 % less work to index and half the size; a search ANDs its trigrams and
// fd_contains checks the rows they find (SqlCompiler.cpp). columnsize=0: no row of sizes per body (for bm25,
// which nothing ranks by): another 40 % less work.
std::string createTableSql(std::string_view schema);

// FTS5's automerge: how many segments of one size it merges as commits add them (4, its default), or 0 to
// leave them be.
constexpr int kMergeAsTheyCome = 4;
std::string automergeSql(std::string_view schema, int segments);

// A chunk's terms stay in memory until its commit (1 MiB by default): fewer, larger segments to merge.
std::string largeHashSql(std::string_view schema);

} // namespace fd::fulltext
