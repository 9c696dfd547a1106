#pragma once
#include <QString>
#include <cstdint>

struct sqlite3;

namespace fd {

// The full-text index of a bulk load (Store::beginBulkLoad), built beside the store's writer rather than after
// it: SQLite lets one connection write a file at a time, so this one writes a scratch file next to the store,
// indexing the log bodies the writer has committed (read from the store as they are), and adopt() then copies
// the finished index into the store's own, which the bulk load found empty. Not thread-safe: one thread uses it.
class FullTextBuilder
{
public:
    // Throws fd::Error. Also deletes the scratch files of killed imports (untouched for an hour).
    explicit FullTextBuilder(const QString &storePath);
    ~FullTextBuilder(); // deletes the scratch file
    FullTextBuilder(const FullTextBuilder &) = delete;
    FullTextBuilder &operator=(const FullTextBuilder &) = delete;

    // Indexes at most maxRows committed log bodies after those indexed so far, in one transaction;
    // returns how many.
    std::int64_t indexCommitted(std::int64_t maxRows);
    std::int64_t indexedThrough() const { return m_indexedThrough; } // the highest log id indexed
    // Replaces the store's full-text index by this one and marks its rows indexed, in one transaction of the
    // store. Returns false, changing nothing, when the store's index is no longer empty (another writer
    // indexed meanwhile) or log rows were deleted since the builder began (their ids can be taken again):
    // the rows are then indexed there as usual.
    bool adopt();

private:
    QString m_path;
    sqlite3 *m_db = nullptr;
    std::int64_t m_indexedThrough = 0;
    std::int64_t m_logDeletions = 0; // the store's count when the builder began
};

} // namespace fd
