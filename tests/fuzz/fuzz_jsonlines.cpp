// A JSON-lines import, line by line as FileImporter decodes it: OTLP/JSON lines or log objects.
// Also a property: the import's fast decoder reads each line (its rows, field keys, or error) as the full parser does.
#include "../support/LogRowsJson.h"
#include "FuzzTarget.h"
#include "connectors/import/JsonLinesDecoder.h"
#include "connectors/import/LogRowDecoder.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include <cstdlib>
#include <string_view>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string_view rest(reinterpret_cast<const char *>(data), size);
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string line(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        Json j = fuzz::parse(line);
        std::string fastError, fullError;
        LogRows fast, full;
        auto outcome = LogRowDecoder::Outcome::Row;
        try {
            outcome = LogRowDecoder().decode(line, true, fast);
        } catch (const Error &e) {
            fastError = e.what();
        }
        // The scanner refuses nesting past kMaxJsonDepth, valid or not (found by fuzzing: a deep invalid line was
        // "nested deeper", which is as much a refusal as "not valid JSON").
        const bool tooDeep = fastError.rfind("JSON nested deeper", 0) == 0;
        fuzz::check(j.is_discarded() ? fastError == "not valid JSON" || tooDeep : fastError != "not valid JSON",
                    "the import's scanner and the parser disagree");
        if (j.is_discarded() || tooDeep)
            continue;
        if (outcome == LogRowDecoder::Outcome::OtlpRequest) { // FileImporter reads it as an OTLP/JSON request
            fuzz::run([&] {
                if (const auto signal = detectOtlpJsonSignal(j))
                    decodeOtlpJson(*signal, j);
            });
            continue;
        }
        try {
            LogRowDecoder().append(logRecordFromJsonLine(std::move(j)), full);
        } catch (const Error &e) {
            fullError = e.what();
        }
        fuzz::check(fastError == fullError && fdtest::logRowsJson(fast) == fdtest::logRowsJson(full),
                    "the import's fast decoder and the full parser disagree");
        fuzz::check(fast.keys == full.keys, "the import's fast decoder and the full parser find other field keys");
    }
    return 0;
}
