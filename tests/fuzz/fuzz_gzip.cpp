// gzip / zlib bodies (Content-Encoding: gzip of OTLP requests and engine answers).
#include "FuzzTarget.h"
#include "connectors/otlp/Gzip.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz::run([&] { gunzip(body, 1 << 20); });
    fuzz::run([&] { gunzip(body, size / 2); }); // the size limit cuts in mid-stream
    fuzz::check(gunzip(gzip(body), size) == body, "gunzip(gzip(x)) != x");
    return 0;
}
