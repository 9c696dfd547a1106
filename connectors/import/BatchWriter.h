#pragma once
#include "models/Cancel.h"
#include "models/Telemetry.h"
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace fd {

class Store;

// Commits batches on its own thread so that reading and decoding go on meanwhile; between batches,
// while it waits for the next, it adds log bodies to the full-text index. At most `queued` batches wait.
class BatchWriter
{
public:
    BatchWriter(Store &store, CancelTokenPtr cancel, std::size_t queued = 2);
    ~BatchWriter(); // stops without waiting for the queue
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;

    // Blocks while the queue is full; rethrows the writer's error.
    void push(TelemetryBatch batch);
    // Commits what is queued, finishes the full-text index (unless cancelled), and rethrows an error.
    void finish();

private:
    void run();
    Store &m_store;
    CancelTokenPtr m_cancel;
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<TelemetryBatch> m_queue;
    bool m_closing = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

} // namespace fd
