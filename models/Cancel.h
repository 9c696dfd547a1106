#pragma once
#include "Error.h"

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

// Between the steps of a long job; no token means the job cannot be cancelled.
inline void throwIfCancelled(const CancelToken *token)
{
    if (token && token->isCancelled())
        throw Cancelled();
}
inline void throwIfCancelled(const CancelTokenPtr &token) { throwIfCancelled(token.get()); }

} // namespace fd
