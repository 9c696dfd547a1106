#pragma once
#include "models/Error.h"
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace fd {

// Thrown when a body, once decompressed, would exceed its size limit.
class BodyTooLarge : public Error
{
public:
    explicit BodyTooLarge(std::size_t limit);
    std::size_t limit() const { return m_limit; }

private:
    std::size_t m_limit;
};

// Inflates a gzip or zlib stream (concatenated gzip members too). Throws BodyTooLarge past limit
// and fd::Error on corrupt or truncated data. checkpoint, when given, is called after every 256 KiB
// of output and may throw to stop (a deadline, a cancel): a small bomb takes seconds to inflate.
std::string gunzip(std::string_view in, std::size_t limit, const std::function<void()> &checkpoint = {});

// Gzip-compresses in (level 0-9).
std::string gzip(std::string_view in, int level = 6);

} // namespace fd
