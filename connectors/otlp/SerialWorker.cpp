#include "SerialWorker.h"

namespace fd {

SerialWorker::SerialWorker()
    : m_thread([this] { run(); })
{
}

SerialWorker::~SerialWorker()
{
    stop();
}

void SerialWorker::post(std::function<void()> job)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void SerialWorker::setIdleJob(std::function<bool()> job)
{
    const std::lock_guard lock(m_mutex);
    m_idleJob = std::move(job);
}

void SerialWorker::stop()
{
    std::deque<std::function<void()>> dropped;
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
        dropped.swap(m_jobs);
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void SerialWorker::run()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty() || (m_idleDue && m_idleJob); });
            if (m_stopping)
                return;
            if (!m_jobs.empty()) {
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
                m_idleDue = true;
            }
        }
        if (job) {
            job();
            continue;
        }
        const bool more = m_idleJob();
        const std::lock_guard lock(m_mutex);
        m_idleDue = more;
    }
}

} // namespace fd
