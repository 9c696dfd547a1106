#pragma once
#include "FileLock.h"
#include "models/Cancel.h"
#include "models/DataSource.h"
#include "models/Frame.h"
#include "models/Query.h"
#include "models/Telemetry.h"
#include "models/TraceSummarySource.h"
#include <QString>
#include <chrono>
#include <memory>
#include <optional>

struct sqlite3;

namespace fd {

struct LogRows;

struct StoreCounts {
    std::int64_t logs = 0, spans = 0, metrics = 0, markers = 0;
};

// Row ids of the logs, spans and metric points tables.
struct StoreRowIds {
    std::int64_t logs = 0, spans = 0, metrics = 0;
};

// The embedded store: one SQLite file in WAL mode. One Store object is one connection and is used by
// one thread at a time; open one per thread (opening is cheap).
class Store
{
public:
    enum class Mode { ReadWrite, ReadOnly };
    // Creates the file and schema when missing (ReadWrite); throws fd::Error. busyTimeout: how long opening
    // and every write wait for another connection's lock before they fail with fd::Error.
    explicit Store(const QString &path, Mode mode = Mode::ReadWrite,
                   std::chrono::milliseconds busyTimeout = std::chrono::seconds(10));
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    QString path() const { return m_path; }

    // One transaction: all of the batch or none of it; returns once committed. A service.version
    // never seen before for a known service also stores a "deploy" marker (a release seen in telemetry).
    void insert(const TelemetryBatch &batch);
    // Log rows a bulk import has already put in column form, in one transaction (no release detection:
    // the rows come from files, not from services reporting).
    void insert(const LogRows &rows);
    // Both in one transaction with what `alsoInTransaction` writes: an import's batch and the note of its place in
    // its file, so that an import killed after a commit reads on from there.
    void insert(const TelemetryBatch &batch, const LogRows &rows, const std::function<void()> &alsoInTransaction = {});
    // Before a bulk load into a store that holds no logs yet: drops the trace-id index of logs (built
    // once at the end instead of row by row), stops syncing to disk, gives SQLite a larger cache and lets the
    // full-text index's segments pile up unmerged. Returns false, changing nothing, when the store holds logs.
    // Then buildBulkIndexes(), indexFullText() as far as wanted, and endBulkLoad(), which puts the settings
    // back and checkpoints. A store left in between gets its indexes when next opened for writing.
    bool beginBulkLoad();
    void buildBulkIndexes();
    void endBulkLoad();
    // Off for data that brings its own deploy markers (the demo).
    void setReleaseDetection(bool on) { m_detectReleases = on; }
    // A marker equal in every field to one stored is not stored twice (a retried POST, a file imported again).
    struct StoredMarker {
        std::int64_t id = 0;
        bool added = false; // false: the same marker was stored already, under `id`
    };
    StoredMarker insertMarker(const Marker &m);
    std::size_t insertMarkers(const std::vector<Marker> &markers); // returns how many were new
    // Also forgets the files imported (importedFile).
    void clear();
    // What an importer noted of a file it imported whole, under a key of its own (ImportedFile: the file's
    // path, and a hash of its head); nullopt for none.
    std::optional<std::string> importedFile(const std::string &key);
    void recordImportedFile(const std::string &key, const std::string &note);
    // How many times log rows were deleted (retention, clear): a note taken before a change may name rows gone.
    std::int64_t logDeletions();
    // Deletes logs, spans and metric points older than `maxAge` before now, in bounded transactions so
    // writers are never held up for long; markers are kept. Returns how many records went.
    std::int64_t applyRetention(DurationNs maxAge, TimeNs now);
    // serve's retention unless told otherwise.
    static constexpr DurationNs kDefaultRetention = 30 * kDay;
    // The newest row ids of the logs, spans and metric points: what came after is what a write added.
    StoreRowIds newestIds();
    // Logs, spans and metric points after `after` (all by default) stamped before `time`: what a retention up
    // to it would delete. Reads the rows after `after` alone.
    std::int64_t recordsBefore(TimeNs time, const StoreRowIds &after = {});

    // Adds log bodies not yet in the full-text index (at most maxRows; -1: all), in chunked transactions
    // so writers are never held up for long; returns how many. Search is exact without it (the rows
    // after the index are scanned), only slower: call it after a bulk load or in the background.
    std::int64_t indexFullText(const CancelTokenPtr &cancel = {}, std::int64_t maxRows = -1);
    std::int64_t unindexedLogs();
    // How far the full-text index is behind the newest log row, in row ids (an upper bound of
    // unindexedLogs(), without counting).
    std::int64_t fullTextLag();
    // How long a write waits for another writer's lock before it fails.
    void setBusyTimeout(std::chrono::milliseconds timeout);

    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel = {});
    // As DataSource::summarizeFields, in one pass over the result, counting at most countedBytes of distinct
    // values in all; past them the field taking the most is left to a group-by of its own.
    std::vector<FieldSummary> summarizeFields(const Query &q, const TimeRange &range,
        const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel = {},
        std::size_t countedBytes = kCountedBytes);
    static constexpr std::size_t kCountedBytes = 128 * 1024 * 1024;
    // A row query's rows handed to `page` pageRows at a time, from one statement (the whole result is never
    // held); Query::limit 0: every row. Other queries run as query(), in one page. Returns whether rows were
    // left out (the limit).
    bool queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel, std::size_t pageRows,
                    const std::function<void(const Frame &)> &page);
    // Intrinsic fields (none when metricName is given) then the attribute keys (record and resource,
    // nested objects as dotted paths) seen in the range, from the field_keys table kept at insert.
    std::vector<std::string> fieldNames(Signal signal, const std::string &metricName, const TimeRange &range);
    // The most frequent values of any field in the range with their counts (at most 50), from the newest
    // kValueSampleRows events (or spans) of the range: newestRows is set to that number when the range
    // holds more, to 0 when every event was read.
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
                                        const TimeRange &range, const CancelTokenPtr &cancel = {},
                                        std::int64_t *newestRows = nullptr);
    static constexpr std::int64_t kValueSampleRows = 20'000;
    std::vector<Marker> markers(const TimeRange &range);
    // cancel: stops the read and the parsing of its spans' JSON (a 100k-span trace left behind by the next)
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel = nullptr);
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel = {});
    // As summarizeTrace() of each of these traces that the store holds, in one query (any order).
    std::vector<TraceSummary> traceSummaries(const std::vector<std::string> &traceIds, const CancelTokenPtr &cancel = {});
    StoreCounts counts();

    // The user's data folder (QStandardPaths::AppDataLocation): default.sqlite, demo.sqlite.
    static QString defaultStorePath();
    static QString demoStorePath();
    static QString demoWorkspacePath();
    // The lock file every process writing the store holds shared, and `demo` alone while it replaces the store: demo
    // had renamed a new store over one serve was writing, which acknowledged records into the deleted file
    // (exploratory test).
    static QString writerLockPath(const QString &storePath) { return realPath(storePath) + QStringLiteral("-lock"); }
    // The lock file of imports into the store: one at a time (two of one file had stored its records twice).
    static QString importLockPath(const QString &storePath) { return realPath(storePath) + QStringLiteral("-import"); }
    // The file a store path names, symbolic links followed (where SQLite writes), that one lock goes with every
    // spelling of it (review: serve on a link and demo on its target had each taken a lock of its own).
    static QString realPath(const QString &storePath);

    sqlite3 *handle() const { return m_db; }

private:
    void insertRows(const LogRows &rows);              // inside a transaction
    void insertTelemetry(const TelemetryBatch &batch); // inside a transaction
    int schemaVersion() const; // 0 for a new file
    // Tables but no schema version in a meta table: a database some other program wrote.
    bool holdsAnotherProgramsTables() const;
    void createSchema();
    void backfillFieldKeys();
    void recordReleases(const TelemetryBatch &batch);
    // From the oldest row of the signal's table to just after its newest; nullopt when empty or unknown.
    std::optional<TimeRange> storedSpan(Signal signal);
    // range from the time of its newest `rows`-th event (or span) on; range itself when it holds fewer.
    TimeRange newestRowsRange(Signal signal, const TimeRange &range, std::int64_t rows);
    QString m_path;
    sqlite3 *m_db = nullptr;
    std::optional<FileLock> m_writerLock; // shared while writing: demo may not replace the file
    bool m_detectReleases = true;
    bool m_fullText = true;
};

// A DataSource over a store file; each call opens its own connection, so it is safe from any thread.
class StoreSource : public DataSource, public TraceSummarySource
{
public:
    StoreSource(std::string id, QString path) : m_id(std::move(id)), m_path(std::move(path)) {}
    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override
    {
        return { "SQL", true, true, true, false, true, true, Store::kValueSampleRows, true, true, true };
    }
    std::string compile(const Query &q, const TimeRange &range) const override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldSummary> summarizeFields(const Query &q, const TimeRange &range,
        const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel) override;
    bool queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                    const std::function<void(const Frame &)> &page) override;
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;
    std::vector<std::string> fieldNames(Signal signal, const std::string &metricName, const TimeRange &range,
                                        const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName,
                                        const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::optional<std::vector<TraceSummary>> traceSummaries(const std::vector<std::string> &traceIds,
                                                            const CancelTokenPtr &cancel) override;

private:
    std::string m_id;
    QString m_path;
};

} // namespace fd
