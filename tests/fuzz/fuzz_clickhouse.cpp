// ClickHouse HTTP interface bodies: FORMAT JSON, JSONEachRow and exception texts; a FORMAT JSON answer is also
// read as a trace's spans and as a DESCRIBE TABLE.
#include "FuzzTarget.h"
#include "connectors/clickhouse/ClickHouseResponse.h"
#include "connectors/clickhouse/ClickHouseSchema.h"
#include "connectors/clickhouse/ClickHouseTraces.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz::run([&] {
        if (const auto e = chErrorFromText(body))
            e->text();
    });
    fuzz::run([&] { chParseJsonEachRow(body); });
    fuzz::run([&] {
        const ChResult r = chParseJson(body);
        for (const ChColumn &c : r.meta) {
            chColumnType(c.type);
            chInnerType(c.type);
        }
        chFrame(r);
        chFrame(r, {}, 1);
        chTableFromDescribe("otel", "otel_traces", r);
        chSpans(r);
    });
    return 0;
}
