// OTLP/JSON export requests (POST /v1/traces, /v1/logs, /v1/metrics with JSON, and OTLP lines of an import).
// Also a property: whatever the receiver's fast decoder takes, it reads exactly as the document decoder does.
// And an import's pretty-printed document, read in pieces: the reader takes no text the parser refuses.
#include "../support/BatchJson.h"
#include "FuzzTarget.h"
#include "connectors/import/OtlpDocumentReader.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/otlp/OtlpJsonFastDecoder.h"
#include <QBuffer>
#include <optional>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string body = fuzz::text(data, size);
    const Json j = fuzz::parse(body);
    std::optional<OtlpSignal> detected;
    if (!j.is_discarded())
        fuzz::run([&] { detected = detectOtlpJsonSignal(j); });
    std::int64_t rejected = 0;
    // The receiver's path (text to batch) for the signal the body is, or one chosen by its size.
    fuzz::run([&] { decodeOtlpJson(detected.value_or(OtlpSignal(size % 3)), std::string_view(body), &rejected); });
    if (!j.is_discarded())
        for (OtlpSignal s : { OtlpSignal::Traces, OtlpSignal::Logs, OtlpSignal::Metrics })
            if (s != detected)
                fuzz::run([&] { decodeOtlpJson(s, j, &rejected); });
    QBuffer document;
    document.setData(body.data(), qsizetype(body.size()));
    document.open(QIODevice::ReadOnly);
    bool documentRead = false;
    fuzz::run([&] {
        OtlpDocumentReader reader(document, nullptr, [&](const OtlpPiece &p) {
            fuzz::run([&] { decodeOtlpJson(p.signal, p.request, &rejected); });
        }, 3);
        reader.read();
        documentRead = true;
    });
    fuzz::check(!documentRead || !j.is_discarded(), "the OTLP document reader took text that is not JSON");
    for (OtlpSignal s : { OtlpSignal::Traces, OtlpSignal::Logs }) {
        std::int64_t fastRejected = 0, treeRejected = 0;
        const std::optional<TelemetryBatch> fast = decodeOtlpJsonFast(s, body, &fastRejected);
        if (!fast)
            continue;
        fuzz::check(!j.is_discarded(), "the fast OTLP/JSON decoder took text that is not JSON");
        std::optional<TelemetryBatch> tree;
        fuzz::run([&] { tree = decodeOtlpJson(s, j, &treeRejected); });
        fuzz::check(tree && fdtest::batchJson(*fast) == fdtest::batchJson(*tree) && fastRejected == treeRejected,
                    "the fast OTLP/JSON decoder and the document decoder disagree");
    }
    return 0;
}
