#pragma once
#include "models/Error.h"
#include "models/Frame.h"
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fd {

using SqlParam = std::variant<std::monostate, std::int64_t, double, std::string>;

[[noreturn]] void throwSqlite(sqlite3 *db, const std::string &what);

// A prepared statement that finalizes itself; bind by 1-based index, step, read columns.
class SqliteStatement
{
public:
    // A text of more than one statement is refused (a raw query's "SELECT ...; DELETE ..." had run its first
    // statement and said nothing of the rest).
    SqliteStatement(sqlite3 *db, std::string_view sql);
    ~SqliteStatement() { sqlite3_finalize(m_stmt); }
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    SqliteStatement &bind(int i, std::int64_t v);
    SqliteStatement &bind(int i, double v);
    SqliteStatement &bind(int i, std::string_view v);
    SqliteStatement &bind(int i, const std::string &v) { return bind(i, std::string_view(v)); }
    SqliteStatement &bind(int i, const char *v) { return bind(i, std::string_view(v)); }
    // The text must outlive the statement's next step (no copy is made).
    SqliteStatement &bindStatic(int i, std::string_view v);
    SqliteStatement &bindBlob(int i, std::string_view bytes);
    SqliteStatement &bindNull(int i);
    SqliteStatement &bind(int i, const SqlParam &p);
    void bindAll(const std::vector<SqlParam> &params);

    bool step();   // true while a row is ready; throws on error
    void run();    // step to completion, then reset for reuse
    void reset();

    std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) const { return sqlite3_column_double(m_stmt, col); }
    std::string text(int col) const; // also a blob's bytes
    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    Cell cell(int col) const;
    int columnCount() const { return sqlite3_column_count(m_stmt); }
    std::string columnName(int col) const { return sqlite3_column_name(m_stmt, col); }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

void execSql(sqlite3 *db, const char *sql);

// BEGIN IMMEDIATE (the write lock taken at once) on construction; rolled back unless committed.
class Transaction
{
public:
    explicit Transaction(sqlite3 *db) : m_db(db) { execSql(db, "BEGIN IMMEDIATE"); }
    ~Transaction()
    {
        if (!m_committed)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit()
    {
        execSql(m_db, "COMMIT");
        m_committed = true;
    }

private:
    sqlite3 *m_db;
    bool m_committed = false;
};

} // namespace fd
