#pragma once
#include <atomic>
#include <memory>

namespace fd {

// Shared between the thread that asks and the thread that works; long loops poll it.
class CancelToken
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};
using CancelTokenPtr = std::shared_ptr<CancelToken>;

inline CancelTokenPtr makeCancelToken() { return std::make_shared<CancelToken>(); }

} // namespace fd
