// Tempo HTTP API answers: traces (v2 and v1 shapes), search, tags, tag values, TraceQL metrics.
#include "FuzzTarget.h"
#include "connectors/tempo/TempoResponse.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz::run([&] { tempoAnswer(400, body, "fuzz"); });
    Json answer;
    try {
        answer = tempoAnswer(200, body, "fuzz");
    } catch (const Error &) {
        return 0;
    }
    fuzz::run([&] { decodeTempoTrace(answer); });
    fuzz::run([&] { decodeTempoSearch(answer); });
    fuzz::run([&] { decodeTempoMatchedSpans(answer); });
    fuzz::run([&] { tempoSpansLeftOut(answer); });
    fuzz::run([&] { decodeTempoTagNames(answer); });
    fuzz::run([&] { decodeTempoTagValues(answer); });
    fuzz::run([&] { decodeTempoMetrics(answer, 100); });
    return 0;
}
