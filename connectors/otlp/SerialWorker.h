#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace fd {

// Runs jobs one after another, in order, on its own thread (the receiver's store is one connection).
// Destroying it finishes the running job and drops the queued ones.
class SerialWorker
{
public:
    SerialWorker();
    ~SerialWorker();
    SerialWorker(const SerialWorker &) = delete;
    SerialWorker &operator=(const SerialWorker &) = delete;

    void post(std::function<void()> job);
    // Background work for the gaps between jobs: run after a job when the queue is empty, and again for
    // as long as it returns true (it has more to do) and no job waits. A job posted meanwhile waits for
    // the running step only, so a step should be short. Set it before posting.
    void setIdleJob(std::function<bool()> job);
    // Joins the thread; queued jobs are destroyed unrun. Called by the destructor.
    void stop();

private:
    void run();
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    std::function<bool()> m_idleJob;
    bool m_idleDue = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace fd
