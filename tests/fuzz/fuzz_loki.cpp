// Loki HTTP API answers: streams (log lines), matrix/vector (metric queries), label lists, stats.
#include "FuzzTarget.h"
#include "connectors/loki/LokiResponse.h"
#include "connectors/prometheus/PromResponse.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    Json answer;
    try {
        answer = lokiData(body);
    } catch (const Error &) {
        return 0;
    }
    fuzz::run([&] { lokiLogsFrame(lokiEntries(answer), "service_name", "level"); });
    fuzz::run([&] {
        LokiStats stats;
        stats.add(answer);
        stats.note();
    });
    LokiAggregateShape shape;
    shape.groupFields = { "service.name" };
    shape.groupLabels = { "service_name" };
    shape.valueName = "count";
    shape.integer = true;
    fuzz::run([&] { lokiAggregateFrame(answer, shape); });
    shape.step = 60'000'000'000;
    shape.limit = 2;
    fuzz::run([&] { lokiAggregateFrame(answer, shape); });
    fuzz::run([&] { promFrame(answer, 100); });
    fuzz::run([&] { promStrings(answer); });
    return 0;
}
