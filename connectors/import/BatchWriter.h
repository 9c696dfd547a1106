#pragma once
#include "ImportedFile.h"
#include "connectors/store/LogRows.h"
#include "models/Cancel.h"
#include "models/Telemetry.h"
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace fd {

class FullTextBuilder;
class Store;

// How far into a file read as lines a batch goes: up to the end of its last line, with the lines and records
// read up to there (this import's).
struct ImportMark {
    std::int64_t bytes = -1; // -1: a batch of no such place (a document's piece)
    std::int64_t lines = 0;
    std::int64_t records = 0;
};

// OTLP records, and JSON-lines logs already in the store's row form.
struct ImportBatch {
    TelemetryBatch telemetry;
    LogRows logs;
    ImportMark mark;
    std::optional<ImportNote> note; // written with the batch: how far into its file the store now holds
    std::size_t records() const
    {
        return telemetry.logs.size() + telemetry.spans.size() + telemetry.metrics.size() + logs.rows.size();
    }
};

// Commits batches on its own thread so that reading and decoding go on meanwhile; between batches,
// while it waits for the next, it adds log bodies to the full-text index. At most `queued` batches wait.
// Into a store without logs it loads in bulk (Store::beginBulkLoad: the trace index built once at the end),
// and a third thread builds the full-text index as rows are committed (FullTextBuilder).
class BatchWriter
{
public:
    BatchWriter(Store &store, CancelTokenPtr cancel, std::size_t queued = 2);
    ~BatchWriter(); // stops without waiting for the queue
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;

    // Blocks while the queue is full; rethrows the writer's error.
    void push(ImportBatch batch);
    // Commits what is queued, finishes the full-text index (unless cancelled), and rethrows an error.
    void finish();
    // Stops without committing what is queued (a cancel, an error); then committed() is final.
    void stop();
    // The mark of the last batch committed that had one, and how many batches were committed.
    ImportMark committed();
    std::uint64_t commits();
    double insertSeconds() const { return m_insertSeconds; } // after finish()
    double fullTextSeconds() const { return m_fullTextSeconds; } // on this thread
    double builderSeconds() const { return m_builderSeconds; } // on the FullTextBuilder's thread
    double indexSeconds() const { return m_indexSeconds; } // building the log indexes after a bulk load

private:
    void run();
    void write(ImportBatch &batch);
    void startBulkLoad();
    void endBulkLoad(bool fullText);
    bool stopBuilder(bool rowsDone);
    void followCommits();
    Store &m_store;
    CancelTokenPtr m_cancel;
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<ImportBatch> m_queue;
    bool m_closing = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    double m_insertSeconds = 0;
    double m_fullTextSeconds = 0;
    double m_indexSeconds = 0;
    double m_builderSeconds = 0;
    bool m_bulk = false;
    std::unique_ptr<FullTextBuilder> m_builder; // during a bulk load
    std::uint64_t m_commits = 0; // batches committed, for the builder's thread
    ImportMark m_committed;
    bool m_rowsDone = false;
    std::atomic<bool> m_builderStop = false; // also read by the builder's thread between two steps
    bool m_builderFailed = false;
    std::thread m_builderThread;
    std::thread m_thread;
};

} // namespace fd
