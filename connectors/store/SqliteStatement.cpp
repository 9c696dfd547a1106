#include "SqliteStatement.h"

namespace fd {

namespace {
// "store: " before a problem of the query; the file's path before one of the file (damaged, read-only, full), which
// had been "store: database disk image is malformed" without saying which store (exploratory test).
std::string storePrefix(sqlite3 *db)
{
    switch (sqlite3_errcode(db) & 0xff) {
    case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_IOERR: case SQLITE_READONLY: case SQLITE_CANTOPEN:
    case SQLITE_FULL: case SQLITE_PERM: {
        const char *file = sqlite3_db_filename(db, "main");
        return file && *file ? std::string("store ") + file + ": " : std::string("store: ");
    }
    default:
        return "store: ";
    }
}
} // namespace

void throwSqlite(sqlite3 *db, const std::string &what)
{
    const int code = sqlite3_errcode(db);
    if (code == SQLITE_INTERRUPT)
        throw Cancelled();
    throw Error(storePrefix(db) + what + ": " + sqlite3_errmsg(db));
}

void execSql(sqlite3 *db, const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        if (sqlite3_errcode(db) == SQLITE_INTERRUPT)
            throw Cancelled();
        throw Error(storePrefix(db) + text);
    }
}

SqliteStatement::SqliteStatement(sqlite3 *db, std::string_view sql) : m_db(db)
{
    const char *tail = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, &tail) != SQLITE_OK)
        throwSqlite(db, "cannot prepare query");
    // What follows may be only semicolons, blanks and comments: each of those prepares to no statement.
    const char *end = sql.data() + sql.size();
    while (tail && tail < end) {
        sqlite3_stmt *next = nullptr;
        const char *after = nullptr;
        const int rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &next, &after);
        sqlite3_finalize(next);
        if (rc != SQLITE_OK || next) {
            sqlite3_finalize(m_stmt);
            throw Error("a query is one statement: remove what follows its \";\" (" + std::string(tail, end).substr(0, 60) + ")");
        }
        tail = after > tail ? after : end;
    }
}

SqliteStatement &SqliteStatement::bind(int i, std::int64_t v)
{
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}

SqliteStatement &SqliteStatement::bind(int i, double v)
{
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}

SqliteStatement &SqliteStatement::bind(int i, std::string_view v)
{
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement &SqliteStatement::bindStatic(int i, std::string_view v)
{
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
}

SqliteStatement &SqliteStatement::bindBlob(int i, std::string_view bytes)
{
    sqlite3_bind_blob(m_stmt, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement &SqliteStatement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

SqliteStatement &SqliteStatement::bind(int i, const SqlParam &p)
{
    std::visit([&](const auto &v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>)
            bindNull(i);
        else
            bind(i, v);
    }, p);
    return *this;
}

void SqliteStatement::bindAll(const std::vector<SqlParam> &params)
{
    for (std::size_t i = 0; i < params.size(); ++i)
        bind(static_cast<int>(i + 1), params[i]);
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    throwSqlite(m_db, "query failed");
}

void SqliteStatement::run()
{
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string SqliteStatement::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}

Cell SqliteStatement::cell(int col) const
{
    switch (sqlite3_column_type(m_stmt, col)) {
    case SQLITE_INTEGER: return int64(col);
    case SQLITE_FLOAT: return real(col);
    case SQLITE_NULL: return std::monostate{};
    default: return text(col);
    }
}

} // namespace fd
