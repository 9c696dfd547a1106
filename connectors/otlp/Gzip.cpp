#include "Gzip.h"
#include <zlib.h>
#include <algorithm>
#include <climits>
#include <memory>

namespace fd {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kTypicalRatio = 8;
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

// The output size a gzip stream's trailer states (modulo 2^32; only the last member's when several are
// concatenated), or 0 for anything else. A hint for the reservation, never trusted as a limit.
std::size_t gzipSizeHint(std::string_view in)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(in.data());
    if (in.size() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b)
        return 0;
    const unsigned char *isize = bytes + in.size() - 4;
    return std::size_t(isize[0]) | std::size_t(isize[1]) << 8 | std::size_t(isize[2]) << 16
        | std::size_t(isize[3]) << 24;
}

// Room for the output: first, and once that is full. An honest gzip body states its size: room for it at
// once. Another gets a little room, then room for the most deflate packs (~1032:1). Either way no copy of
// tens of megabytes as the string grows: hundreds of milliseconds between checkpoints on a loaded machine
// (pages are only used as they are written). A body that states a size past the limit just grows: room
// for it is tens of megabytes to allocate and free, which under the sanitizers took longer than the
// 100 ms a cancel may take.
struct Room {
    std::size_t first;
    std::size_t then;
};

Room roomFor(std::string_view in, std::size_t limit)
{
    const std::size_t hint = gzipSizeHint(in);
    const std::size_t little = std::min(limit, in.size() * kTypicalRatio);
    if (hint > limit)
        return { little, 0 };
    const std::size_t most = std::min({ limit, in.size() * kMaxRatio, kMaxReserve });
    return { hint != 0 ? std::min(hint, most) : little, most };
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
    const Room room = roomFor(in, limit);
    std::string out;
    out.reserve(room.first);
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
        if (out.size() + produced > out.capacity() && room.then > out.capacity())
            out.reserve(room.then);
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
