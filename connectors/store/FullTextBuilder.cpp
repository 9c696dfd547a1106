#include "FullTextBuilder.h"
#include "FullTextIndex.h"
#include "SqliteStatement.h"
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>
#include <algorithm>

namespace fd {

namespace {
// Scratch files of imports that were killed. A running builder writes its file every step (well under a
// minute apart), so one untouched for an hour is nobody's.
void removeStaleScratchFiles(const QString &storePath)
{
    const QFileInfo store(storePath);
    const QDateTime stale = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QFileInfoList files = store.dir().entryInfoList({store.fileName() + QStringLiteral(".fulltext-*")}, QDir::Files);
    for (const QFileInfo &file : files)
        if (file.lastModified().toUTC() < stale)
            QFile::remove(file.filePath());
}

// An empty file beside the store that no other import uses (SQLite takes an empty file for an empty database).
QString scratchPath(const QString &storePath)
{
    removeStaleScratchFiles(storePath);
    QTemporaryFile file(storePath + QStringLiteral(".fulltext-XXXXXX"));
    file.setAutoRemove(false);
    if (!file.open())
        throw Error(QStringLiteral("cannot create a file beside %1 for its full-text index: %2")
                        .arg(storePath, file.errorString()));
    return file.fileName();
}

std::int64_t logDeletions(sqlite3 *db)
{
    SqliteStatement st(db, "SELECT CAST(value AS INTEGER) FROM store.meta WHERE key = 'log_deletions'");
    return st.step() ? st.int64(0) : 0;
}

// FTS5's structure record (id 10 of %_data) starts with the cookie of its configuration, big-endian: a
// connection reads the configuration again when the cookie is not the one it last saw.
constexpr std::int64_t kStructureRecord = 10;

std::string structureRecord(sqlite3 *db, const std::string &schema)
{
    SqliteStatement st(db, "SELECT block FROM " + schema + ".logs_fts_data WHERE id = ?1");
    st.bind(1, kStructureRecord);
    return st.step() ? st.text(0) : std::string();
}

std::uint32_t cookie(sqlite3 *db, const std::string &schema)
{
    const std::string block = structureRecord(db, schema);
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4 && i < block.size(); ++i)
        value = value << 8 | static_cast<unsigned char>(block[i]);
    return value;
}

void setCookie(sqlite3 *db, const std::string &schema, std::uint32_t value)
{
    std::string block = structureRecord(db, schema);
    if (block.size() < 4)
        return;
    for (int i = 3; i >= 0; --i, value >>= 8)
        block[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    SqliteStatement write(db, "UPDATE " + schema + ".logs_fts_data SET block = ?1 WHERE id = ?2");
    write.bindBlob(1, block).bind(2, kStructureRecord).run();
}

}

FullTextBuilder::FullTextBuilder(const QString &storePath) : m_path(scratchPath(storePath))
{
    if (sqlite3_open_v2(m_path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        QFile::remove(m_path);
        throw Error("cannot open the full-text index's scratch file: " + message);
    }
    try {
        sqlite3_busy_timeout(m_db, 10000);
        // Scratch: nothing in it outlives the import, so no syncing, and the journal in memory.
        execSql(m_db, "PRAGMA page_size=16384; PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; "
                      "PRAGMA cache_size=-131072");
        SqliteStatement(m_db, "ATTACH ?1 AS store").bind(1, QFileInfo(storePath).absoluteFilePath().toStdString()).run();
        execSql(m_db, "PRAGMA store.mmap_size=1073741824");
        execSql(m_db, fulltext::createTableSql("main").c_str());
        execSql(m_db, fulltext::largeHashSql("main").c_str());
        execSql(m_db, fulltext::automergeSql("main", 0).c_str());
        m_logDeletions = logDeletions(m_db);
    } catch (...) {
        sqlite3_close(m_db);
        QFile::remove(m_path);
        throw;
    }
}

FullTextBuilder::~FullTextBuilder()
{
    sqlite3_close(m_db);
    QFile::remove(m_path);
}

std::int64_t FullTextBuilder::indexCommitted(std::int64_t maxRows)
{
    // Each statement its own transaction: the store is only read (BEGIN IMMEDIATE would lock it too).
    SqliteStatement next(m_db, "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM store.logs WHERE id > ?1 ORDER BY id "
                               "LIMIT ?2)");
    next.bind(1, m_indexedThrough).bind(2, maxRows);
    if (!next.step() || next.int64(1) == 0)
        return 0;
    const std::int64_t last = next.int64(0), count = next.int64(1);
    next.reset();
    SqliteStatement index(m_db, "INSERT INTO main.logs_fts(rowid, body) SELECT id, body FROM store.logs "
                                "WHERE id > ?1 AND id <= ?2");
    index.bind(1, m_indexedThrough).bind(2, last).run();
    m_indexedThrough = last;
    return count;
}

bool FullTextBuilder::adopt()
{
    Transaction tx(m_db); // the write locks of both files
    SqliteStatement watermark(m_db, "SELECT CAST(value AS INTEGER) FROM store.meta WHERE key = 'fts_indexed_id'");
    if (!watermark.step() || watermark.int64(0) != 0)
        return false;
    watermark.reset();
    // Rows deleted meanwhile (retention on another connection) may have left their ids to new rows.
    if (logDeletions(m_db) != m_logDeletions)
        return false;
    // Past both cookies, so that every connection to the store reads the configuration again.
    const std::uint32_t nextCookie = std::max(cookie(m_db, "store"), cookie(m_db, "main")) + 1;
    execSql(m_db, "DELETE FROM store.logs_fts_data; DELETE FROM store.logs_fts_idx; "
                  "INSERT INTO store.logs_fts_data SELECT id, block FROM main.logs_fts_data; "
                  "INSERT INTO store.logs_fts_idx SELECT segid, term, pgno FROM main.logs_fts_idx");
    setCookie(m_db, "store", nextCookie);
    SqliteStatement advance(m_db, "UPDATE store.meta SET value = ?1 WHERE key = 'fts_indexed_id'");
    advance.bind(1, m_indexedThrough).run();
    tx.commit();
    return true;
}

} // namespace fd
