#include "BatchWriter.h"
#include "connectors/store/Store.h"

namespace fd {

namespace {
constexpr std::int64_t kIndexStep = 20000; // bodies indexed between two looks at the queue
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

void BatchWriter::push(TelemetryBatch batch)
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

void BatchWriter::run()
{
    bool indexPending = true;
    try {
        for (;;) {
            TelemetryBatch batch;
            {
                std::unique_lock lock(m_mutex);
                // Waiting is for when there is nothing to index either.
                m_changed.wait(lock, [&] { return m_stop || m_closing || !m_queue.empty() || indexPending; });
                if (m_stop)
                    return;
                if (!m_queue.empty()) {
                    batch = std::move(m_queue.front());
                    m_queue.pop_front();
                    m_changed.notify_all();
                } else if (m_closing) {
                    break;
                }
            }
            if (!batch.empty()) {
                m_store.insert(batch);
                indexPending = true;
            } else if (indexPending) {
                indexPending = m_store.indexFullText(m_cancel, kIndexStep) == kIndexStep;
            }
        }
        if (!(m_cancel && m_cancel->isCancelled()))
            m_store.indexFullText(m_cancel);
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
        m_changed.notify_all();
    }
}

} // namespace fd
