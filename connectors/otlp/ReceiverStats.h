#pragma once
#include <atomic>
#include <cstdint>

namespace fd {

// What the OTLP receiver took in since it was created; written by the receiver's threads,
// read from any thread (the GUI's live count).
struct ReceiverStats {
    std::atomic<std::int64_t> requests{0};
    std::atomic<std::int64_t> failedRequests{0}; // answered with a 4xx or 5xx status
    std::atomic<std::int64_t> spans{0};
    std::atomic<std::int64_t> logs{0};
    std::atomic<std::int64_t> metricPoints{0};
    std::atomic<std::int64_t> markers{0};
    std::atomic<std::int64_t> rejected{0}; // records refused inside otherwise accepted requests
    std::atomic<std::int64_t> throttled{0}; // answered 503 + Retry-After: over a limit, or the store busy
    std::atomic<std::int64_t> connections{0};
    std::atomic<std::int64_t> refusing{0}; // connections past maxConnections, being answered 503
    std::atomic<std::int64_t> bytesInFlight{0}; // request bodies held (see ReceiverLimits)
    std::atomic<std::int64_t> peakBytesInFlight{0};
};

} // namespace fd
