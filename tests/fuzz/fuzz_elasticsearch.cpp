// Elasticsearch / OpenSearch answers: _search hits and aggregations, _mapping, terms values.
#include "FuzzTarget.h"
#include "connectors/elasticsearch/EsResponse.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz::run([&] { esAnswer(500, body); });
    Json answer;
    try {
        answer = esAnswer(200, body);
    } catch (const Error &) {
        return 0;
    }
    fuzz::run([&] { esWarnings(answer); });
    fuzz::run([&] { esTotal(answer); });
    fuzz::run([&] { esMappingFields(answer); });
    fuzz::run([&] { esTermsValues(answer); });
    // The hits as ElasticsearchSource hands them over.
    if (answer.is_object() && answer.contains("hits") && answer["hits"].is_object()) {
        const Json hits = answer["hits"].value("hits", Json());
        if (hits.is_array())
            fuzz::run([&] { esLogsFrame(std::vector<Json>(hits.begin(), hits.end()), EsFields()); });
    }
    EsAggregateShape shape;
    shape.groupFields = { "service.name" };
    shape.limit = 2;
    fuzz::run([&] { esAggregateFrame(answer, shape); });
    shape.step = 60'000'000'000;
    shape.agg = parseAggregate("p95(duration_ms)");
    fuzz::run([&] { esAggregateFrame(answer, shape); });
    return 0;
}
