// ClickHouse HTTP interface bodies: FORMAT JSON, JSONEachRow and exception texts.
#include "FuzzTarget.h"
#include "connectors/clickhouse/ClickHouseResponse.h"

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
    });
    return 0;
}
