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
constexpr std::size_t kPiece = 1024 * 1024;
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
// concatenated), or 0 for anything else.
std::size_t gzipSizeHint(std::string_view in)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(in.data());
    if (in.size() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b)
        return 0;
    const unsigned char *isize = bytes + in.size() - 4;
    return std::size_t(isize[0]) | std::size_t(isize[1]) << 8 | std::size_t(isize[2]) << 16
        | std::size_t(isize[3]) << 24;
}

// Where gunzip writes: a string with room for the size the body states (or for a little), then pieces of
// up to 1 MiB, joined once at the end. Nothing is copied as the output grows, and a cancel frees what was
// written, not room for all the limit allows: a growing string copied tens of megabytes between checkpoints
// (hundreds of milliseconds on a loaded machine), and under the sanitizers room for 64 MiB took 20-45 ms to
// allocate and as long to free.
class InflatedOutput
{
public:
    explicit InflatedOutput(std::size_t room) { m_head.reserve(room); }
    std::size_t size() const { return m_size; }

    void append(const char *data, std::size_t n)
    {
        m_size += n;
        const std::size_t intoHead = m_pieces.empty() ? std::min(n, m_head.capacity() - m_head.size()) : 0;
        m_head.append(data, intoHead);
        for (std::size_t at = intoHead; at < n;) {
            if (m_pieces.empty() || m_pieces.back().size() == m_pieces.back().capacity()) {
                m_pieces.emplace_back();
                m_pieces.back().reserve(std::clamp(m_size / 2, kChunk, kPiece)); // a small body, small pieces
            }
            std::string &piece = m_pieces.back();
            const std::size_t part = std::min(n - at, piece.capacity() - piece.size());
            piece.append(data + at, part);
            at += part;
        }
    }

    // The whole output; checkpoint between the copies that join it.
    std::string take(const std::function<void()> &checkpoint)
    {
        if (m_pieces.empty())
            return std::move(m_head);
        std::string all;
        all.reserve(m_size);
        for (std::size_t at = 0; at < m_head.size(); at += kPiece) {
            all.append(m_head, at, kPiece);
            if (checkpoint)
                checkpoint();
        }
        m_head = {};
        for (std::string &piece : m_pieces) {
            all += piece;
            piece = {};
            if (checkpoint)
                checkpoint();
        }
        return all;
    }

private:
    std::string m_head;
    std::vector<std::string> m_pieces;
    std::size_t m_size = 0;
};

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
    // Room for the size a gzip body states (which deflate can pack in it), else for a little.
    const std::size_t stated = std::min(gzipSizeHint(in), in.size() * kMaxRatio);
    InflatedOutput out(stated != 0 && stated <= limit ? stated : std::min(limit, in.size() * kTypicalRatio));
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
                return out.take(checkpoint);
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
