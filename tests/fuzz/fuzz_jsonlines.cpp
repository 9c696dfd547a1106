// A JSON-lines import, line by line as FileImporter decodes it: OTLP/JSON lines or log objects.
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
        // The import's own scanner must call the same lines JSON as the full parser.
        std::string error;
        try {
            LogRows rows;
            LogRowDecoder().decode(line, true, rows);
        } catch (const Error &e) {
            error = e.what();
        }
        if ((error == "not valid JSON") != j.is_discarded())
            std::abort();
        if (j.is_discarded())
            continue;
        fuzz::run([&] {
            if (const auto signal = detectOtlpJsonSignal(j))
                decodeOtlpJson(*signal, j);
            else
                logRecordFromJsonLine(std::move(j));
        });
    }
    return 0;
}
