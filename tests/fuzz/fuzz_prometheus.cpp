// Prometheus HTTP API answers: the envelope, then every decoder of its "data".
#include "FuzzTarget.h"
#include "connectors/prometheus/PromResponse.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    Json answer;
    try {
        answer = promData(body);
    } catch (const Error &) {
        return 0;
    }
    fuzz::run([&] { promFrame(answer, 100); });
    fuzz::run([&] { promFrame(answer, 1); });
    fuzz::run([&] { promStrings(answer); });
    fuzz::run([&] { promSeries(answer); });
    return 0;
}
