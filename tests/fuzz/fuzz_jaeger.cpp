// Jaeger query answers: v1 ({"data": [trace]}, a bare trace) and v3 (OTLP result, summaries, names).
#include "FuzzTarget.h"
#include "connectors/jaeger/JaegerResponse.h"
#include "connectors/jaeger/JaegerTraceDecoder.h"
#include <optional>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz::run([&] { jaegerAnswer(500, body, "fuzz"); });
    std::optional<Json> answer;
    try {
        answer = jaegerAnswer(200, body, "fuzz");
    } catch (const Error &) {
        return 0;
    }
    if (!answer)
        return 0;
    fuzz::run([&] { jaegerNames(*answer, "fuzz"); });
    fuzz::run([&] { decodeJaegerOtlpTrace(*answer); });
    fuzz::run([&] { decodeJaegerSummaries(*answer); });
    fuzz::run([&] { decodeJaegerTrace(*answer); });
    if (answer->is_object() && answer->contains("data") && (*answer)["data"].is_array())
        for (const Json &t : (*answer)["data"])
            fuzz::run([&] { decodeJaegerTrace(t); });
    return 0;
}
