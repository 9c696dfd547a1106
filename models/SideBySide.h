#pragma once
#include <cstddef>
#include <functional>

namespace fd {

// Runs job(0) … job(count - 1) on up to `width` threads at once (this one among them), each index once, and waits
// for all. Once a job has thrown, no further index is begun; the first exception is rethrown after the others end.
void runSideBySide(std::size_t count, std::size_t width, const std::function<void(std::size_t)> &job);

} // namespace fd
