#pragma once
#include "connectors/store/LogRows.h"
#include "models/Cancel.h"
#include "models/Telemetry.h"
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace fd {

class Store;

// OTLP records, and JSON-lines logs already in the store's row form.
struct ImportBatch {
    TelemetryBatch telemetry;
    LogRows logs;
    std::size_t records() const
    {
        return telemetry.logs.size() + telemetry.spans.size() + telemetry.metrics.size() + logs.rows.size();
    }
};

// Commits batches on its own thread so that reading and decoding go on meanwhile; between batches,
// while it waits for the next, it adds log bodies to the full-text index. At most `queued` batches wait.
// Into a store without logs it loads in bulk (Store::beginBulkLoad: the trace index built once at the end).
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
    double insertSeconds() const { return m_insertSeconds; } // after finish()
    double fullTextSeconds() const { return m_fullTextSeconds; }
    double indexSeconds() const { return m_indexSeconds; } // building the log indexes after a bulk load

private:
    void run();
    void write(ImportBatch &batch);
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
    std::thread m_thread;
};

} // namespace fd
