#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace fd {

// Bytes of request bodies the receiver holds, reserved before they are read and released once answered.
// Reserved from the io thread and released from the store's, so it is lock-free.
class InFlightBudget
{
public:
    InFlightBudget(std::size_t limit, std::atomic<std::int64_t> &inFlight, std::atomic<std::int64_t> &peak)
        : m_limit(static_cast<std::int64_t>(limit))
        , m_inFlight(inFlight)
        , m_peak(peak)
    {
    }

    // Adds `bytes` to a request that already holds `held`; refused when that would pass the limit,
    // unless the request would be the only one in flight.
    bool tryReserve(std::size_t bytes, std::size_t held)
    {
        const auto add = static_cast<std::int64_t>(bytes);
        std::int64_t current = m_inFlight.load();
        do {
            if (current + add > m_limit && current != static_cast<std::int64_t>(held))
                return false;
        } while (!m_inFlight.compare_exchange_weak(current, current + add));
        raisePeak(current + add);
        return true;
    }

    void release(std::size_t bytes) { m_inFlight -= static_cast<std::int64_t>(bytes); }

private:
    void raisePeak(std::int64_t value)
    {
        std::int64_t peak = m_peak.load();
        while (value > peak && !m_peak.compare_exchange_weak(peak, value)) { }
    }

    std::int64_t m_limit;
    std::atomic<std::int64_t> &m_inFlight;
    std::atomic<std::int64_t> &m_peak;
};

} // namespace fd
