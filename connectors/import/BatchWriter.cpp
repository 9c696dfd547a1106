#include "BatchWriter.h"
#include "connectors/store/FullTextBuilder.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include <chrono>
#include <utility>

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
    stop();
}

void BatchWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    stopBuilder(false); // the writer's thread has joined it on every way out; in case it did not
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
        // one transaction: the batch and its note are all stored or none (an import killed had left no note, and
        // importing the file again stored its committed records twice)
        m_store.insert(batch.telemetry, batch.logs, [&] {
            if (batch.note)
                recordImportNote(m_store, std::move(*batch.note));
        });
    });
    {
        std::lock_guard lock(m_mutex);
        ++m_commits;
        if (batch.mark.bytes >= 0)
            m_committed = batch.mark;
    }
    m_changed.notify_all();
}

ImportMark BatchWriter::committed()
{
    std::lock_guard lock(m_mutex);
    return m_committed;
}

std::uint64_t BatchWriter::commits()
{
    std::lock_guard lock(m_mutex);
    return m_commits;
}

void BatchWriter::startBulkLoad()
{
    m_bulk = m_store.beginBulkLoad();
    if (!m_bulk)
        return;
    try {
        m_builder = std::make_unique<FullTextBuilder>(m_store.path());
    } catch (const Error &) {
        return; // indexed here afterwards instead, as into a store that holds logs
    }
    m_builderThread = std::thread([this] { followCommits(); });
}

// Also when stopped (cancelled, an error): the indexes come back; the full-text index can wait.
void BatchWriter::endBulkLoad(bool fullText)
{
    if (!std::exchange(m_bulk, false)) {
        if (fullText)
            timed(m_fullTextSeconds, [&] { return m_store.indexFullText(m_cancel); });
        return;
    }
    try {
        timed(m_indexSeconds, [&] { m_store.buildBulkIndexes(); });
        // A builder that failed (its scratch file full, the store's lock not had in time) leaves the rows to
        // the store below: they are committed, and indexing them there is only slower.
        if (stopBuilder(fullText) && fullText) {
            try {
                timed(m_fullTextSeconds, [&] { return m_builder->adopt(); });
            } catch (const std::exception &) {
            }
        }
        m_builder.reset();
        if (fullText) // all of it when the builder's index was not adopted
            timed(m_fullTextSeconds, [&] { return m_store.indexFullText(m_cancel); });
    } catch (...) {
        stopBuilder(false);
        m_builder.reset();
        m_store.endBulkLoad();
        throw;
    }
    m_store.endBulkLoad();
}

// Lets the builder index what is committed and end (rowsDone), or stop where it is; false when it failed.
bool BatchWriter::stopBuilder(bool rowsDone)
{
    if (!m_builderThread.joinable())
        return false;
    {
        std::lock_guard lock(m_mutex);
        if (rowsDone)
            m_rowsDone = true;
        else
            m_builderStop = true;
    }
    m_changed.notify_all();
    m_builderThread.join();
    return !m_builderFailed;
}

void BatchWriter::followCommits()
{
    constexpr std::int64_t kStep = 50000; // about 0.1 s: how soon a cancel or stop is seen
    std::uint64_t seen = 0;
    const auto stopped = [&] { return m_builderStop || (m_cancel && m_cancel->isCancelled()); };
    try {
        for (;;) {
            bool last = false;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return m_builderStop || m_rowsDone || m_commits != seen; });
                if (m_builderStop)
                    return;
                last = m_rowsDone;
                seen = m_commits;
            }
            while (!stopped() && timed(m_builderSeconds, [&] { return m_builder->indexCommitted(kStep); }) == kStep) {
            }
            if (last || stopped())
                return;
        }
    } catch (...) {
        m_builderFailed = true;
    }
}

void BatchWriter::run()
{
    bool indexPending = true;
    try {
        startBulkLoad();
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
                endBulkLoad(false);
                return;
            }
            if (batch.records() > 0) {
                write(batch);
                indexPending = !m_builder;
            } else if (indexPending) {
                indexPending = timed(m_fullTextSeconds, [&] { return m_store.indexFullText(m_cancel, kIndexStep); }) == kIndexStep;
            }
        }
        endBulkLoad(!(m_cancel && m_cancel->isCancelled()));
    } catch (...) {
        const std::exception_ptr error = std::current_exception();
        try {
            endBulkLoad(false);
        } catch (...) {
        }
        std::lock_guard lock(m_mutex);
        m_error = error;
        m_changed.notify_all();
    }
}

} // namespace fd
