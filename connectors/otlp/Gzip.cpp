#include "Gzip.h"
#include <zlib.h>
#include <algorithm>
#include <climits>
#include <memory>

namespace fd {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxRatio = 1032;
constexpr std::size_t kMaxReserve = 256 * 1024 * 1024;
constexpr int kAutoDetectGzipOrZlib = 15 + 32;
constexpr int kGzipWrapper = 15 + 16;

struct InflateStream {
    z_stream z{};
    InflateStream()
    {
        if (inflateInit2(&z, kAutoDetectGzipOrZlib) != Z_OK)
            throw Error(std::string("cannot initialise zlib"));
    }
    ~InflateStream() { inflateEnd(&z); }
};

Error corrupt(const z_stream &z)
{
    return Error(std::string("corrupt compressed body: ") + (z.msg ? z.msg : "invalid data"));
}

// Hands zlib at most UINT_MAX bytes at a time.
void feed(z_stream &z, std::string_view &rest)
{
    if (z.avail_in != 0 || rest.empty())
        return;
    const auto n = std::min<std::size_t>(rest.size(), UINT_MAX);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(rest.data()));
    z.avail_in = static_cast<uInt>(n);
    rest.remove_prefix(n);
}

} // namespace

BodyTooLarge::BodyTooLarge(std::size_t limit)
    : Error("body exceeds the limit of " + std::to_string(limit) + " bytes"), m_limit(limit)
{
}

std::string gunzip(std::string_view in, std::size_t limit, const std::function<void()> &checkpoint)
{
    constexpr std::size_t kCheckEvery = 256 * 1024;
    std::size_t nextCheck = kCheckEvery;
    InflateStream s;
    z_stream &z = s.z;
    std::string out;
    // Deflate packs at most ~1032:1, so this is room for the whole output: no copy of tens of megabytes
    // when the string grows (hundreds of milliseconds between checkpoints on a loaded machine). Pages
    // are only used as they are written.
    out.reserve(std::min({ limit, in.size() * kMaxRatio, kMaxReserve }));
    std::string_view rest = in;
    char buf[kChunk];
    for (;;) {
        feed(z, rest);
        z.next_out = reinterpret_cast<Bytef *>(buf);
        z.avail_out = sizeof buf;
        const int rc = inflate(&z, Z_NO_FLUSH);
        const std::size_t produced = sizeof buf - z.avail_out;
        if (out.size() + produced > limit)
            throw BodyTooLarge(limit);
        out.append(buf, produced);
        if (checkpoint && out.size() >= nextCheck) {
            checkpoint();
            nextCheck = out.size() + kCheckEvery;
        }
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0 && rest.empty())
                return out;
            inflateReset(&z); // another gzip member follows
        } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && rest.empty()) {
            throw Error(std::string("corrupt compressed body: truncated stream"));
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw corrupt(z);
        }
    }
}

std::string gzip(std::string_view in, int level)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, kGzipWrapper, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(std::string("cannot initialise zlib"));
    std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&z, deflateEnd);
    std::string out;
    std::string_view rest = in;
    char buf[kChunk];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        feed(z, rest);
        z.next_out = reinterpret_cast<Bytef *>(buf);
        z.avail_out = sizeof buf;
        rc = deflate(&z, rest.empty() ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR)
            throw Error(std::string("gzip compression failed"));
        out.append(buf, sizeof buf - z.avail_out);
    }
    return out;
}

} // namespace fd
