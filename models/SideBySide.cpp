#include "SideBySide.h"
#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <mutex>
#include <vector>

namespace fd {

void runSideBySide(std::size_t count, std::size_t width, const std::function<void(std::size_t)> &job)
{
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stopped{false};
    std::mutex failedMutex;
    std::exception_ptr failed;
    const auto work = [&] {
        for (std::size_t i = next++; i < count && !stopped; i = next++) {
            try {
                job(i);
            } catch (...) {
                const std::lock_guard lock(failedMutex);
                failed = failed ? failed : std::current_exception();
                stopped = true;
            }
        }
    };
    std::vector<std::future<void>> others;
    for (std::size_t t = 1; t < std::min(width, count); ++t)
        others.push_back(std::async(std::launch::async, work));
    work();
    for (std::future<void> &other : others)
        other.wait();
    if (failed)
        std::rethrow_exception(failed);
}

} // namespace fd
