#include "BatchWriter.h"
#include "connectors/store/Store.h"
#include <chrono>

namespace fd {

namespace {
constexpr std::int64_t kIndexStep = 20000; // bodies indexed between two looks at the queue

// Runs f and adds its duration to seconds.
template <typename F>
auto timed(double &seconds, F &&f)
{
    const auto start = std::chrono::steady_clock::now();
    struct Add {
        double &s;
        std::chrono::steady_clock::time_point t;
        ~Add() { s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); }
    } add{seconds, start};
    return f();
}
}

BatchWriter::BatchWriter(Store &store, CancelTokenPtr cancel, std::size_t queued)
    : m_store(store), m_cancel(std::move(cancel)), m_capacity(queued), m_thread([this] { run(); })
{
}

BatchWriter::~BatchWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void BatchWriter::push(ImportBatch batch)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_queue.size() < m_capacity || m_error; });
    if (m_error)
        std::rethrow_exception(m_error);
    m_queue.push_back(std::move(batch));
    m_changed.notify_all();
}

void BatchWriter::finish()
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_changed.notify_all();
    m_thread.join();
    if (m_error)
        std::rethrow_exception(m_error);
}

void BatchWriter::write(ImportBatch &batch)
{
    timed(m_insertSeconds, [&] {
        m_store.insert(batch.telemetry);
        m_store.insert(batch.logs);
    });
}

void BatchWriter::run()
{
    bool indexPending = true;
    bool bulk = false;
    // Also when stopped (cancelled, an error): the indexes come back; the full-text index can wait.
    auto endBulk = [&] {
        if (bulk)
            timed(m_indexSeconds, [&] { m_store.endBulkLoad(); });
        bulk = false;
    };
    try {
        bulk = m_store.beginBulkLoad();
        for (;;) {
            ImportBatch batch;
            bool stop = false;
            {
                std::unique_lock lock(m_mutex);
                // Waiting is for when there is nothing to index either.
                m_changed.wait(lock, [&] { return m_stop || m_closing || !m_queue.empty() || indexPending; });
                stop = m_stop;
                if (!stop && !m_queue.empty()) {
                    batch = std::move(m_queue.front());
                    m_queue.pop_front();
                    m_changed.notify_all();
                } else if (!stop && m_closing) {
                    break;
                }
            }
            if (stop) {
                endBulk();
                return;
            }
            if (batch.records() > 0) {
                write(batch);
                indexPending = true;
            } else if (indexPending) {
                indexPending = timed(m_fullTextSeconds, [&] { return m_store.indexFullText(m_cancel, kIndexStep); }) == kIndexStep;
            }
        }
        endBulk();
        if (!(m_cancel && m_cancel->isCancelled()))
            timed(m_fullTextSeconds, [&] { return m_store.indexFullText(m_cancel); });
    } catch (...) {
        const std::exception_ptr error = std::current_exception();
        try {
            endBulk();
        } catch (...) {
        }
        std::lock_guard lock(m_mutex);
        m_error = error;
        m_changed.notify_all();
    }
}

} // namespace fd
