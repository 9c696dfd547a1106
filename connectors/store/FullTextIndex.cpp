#include "FullTextIndex.h"

namespace fd::fulltext {

std::string createTableSql(std::string_view schema)
{
    return "CREATE VIRTUAL TABLE IF NOT EXISTS " + std::string(schema)
           + ".logs_fts USING fts5(body, content='logs', content_rowid='id', tokenize='trigram', detail=none, "
             "columnsize=0)";
}

namespace {
std::string configSql(std::string_view schema, const char *key, long long value)
{
    return "INSERT INTO " + std::string(schema) + ".logs_fts(logs_fts, rank) VALUES ('" + key + "', "
           + std::to_string(value) + ")";
}
}

std::string automergeSql(std::string_view schema, int segments) { return configSql(schema, "automerge", segments); }

std::string largeHashSql(std::string_view schema) { return configSql(schema, "hashsize", 64LL << 20); }

} // namespace fd::fulltext
