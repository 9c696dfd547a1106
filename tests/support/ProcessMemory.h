#pragma once
// The resident memory of a process (Linux /proc), and a sampler that keeps its peak while a test runs.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

namespace fdtest {

// VmRSS of the process in bytes; 0 when it is gone.
inline std::int64_t residentBytes(std::int64_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6)) * 1024; // "VmRSS:   12345 kB"
    }
    return 0;
}

class PeakRssSampler
{
public:
    explicit PeakRssSampler(std::int64_t pid, std::chrono::milliseconds every = std::chrono::milliseconds(20))
        : m_thread([this, pid, every] {
            while (!m_stop.load()) {
                const std::int64_t rss = residentBytes(pid);
                if (rss > m_peak.load())
                    m_peak.store(rss);
                std::this_thread::sleep_for(every);
            }
        })
    {
    }
    ~PeakRssSampler() { stop(); }
    PeakRssSampler(const PeakRssSampler &) = delete;
    PeakRssSampler &operator=(const PeakRssSampler &) = delete;

    // Stops sampling and returns the peak.
    std::int64_t stop()
    {
        m_stop.store(true);
        if (m_thread.joinable())
            m_thread.join();
        return m_peak.load();
    }
    std::int64_t peak() const { return m_peak.load(); }

private:
    std::atomic<bool> m_stop { false };
    std::atomic<std::int64_t> m_peak { 0 };
    std::thread m_thread;
};

} // namespace fdtest
