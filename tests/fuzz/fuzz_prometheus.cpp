// Prometheus HTTP API answers: the envelope, then every decoder of its "data". Also a property: the streamed
// reading of a query answer, when it reads one, is the document's to the cell and the warning.
#include "FuzzTarget.h"
#include "connectors/prometheus/PromMatrixReader.h"
#include "connectors/prometheus/PromResponse.h"
#include <optional>

using namespace fd;

namespace fuzz_prometheus {

void checkStreamedFrame(const std::string &body, std::size_t seriesLimit)
{
    std::vector<std::string> streamedWarnings, documentWarnings;
    const std::optional<Frame> streamed = promStreamedFrame(body, seriesLimit, &streamedWarnings);
    if (!streamed)
        return;
    std::optional<Frame> document;
    try {
        document = promFrame(promData(body, &documentWarnings), seriesLimit);
    } catch (const Error &) {
    }
    fuzz::check(document.has_value(), "the streamed reader read an answer the document refuses");
    fuzz::check(frameToJson(*streamed) == frameToJson(*document) && streamed->truncated == document->truncated
                    && streamedWarnings == documentWarnings,
                "the streamed reader and the document disagree");
}

} // namespace fuzz_prometheus

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    fuzz_prometheus::checkStreamedFrame(body, 100);
    fuzz_prometheus::checkStreamedFrame(body, 1);
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
