// OTLP/protobuf export requests, as each of the three signals.
#include "FuzzTarget.h"
#include "connectors/otlp/OtlpProtoDecoder.h"
#include <google/protobuf/stubs/logging.h>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true); // invalid UTF-8 is logged, then refused
    (void)quiet;
    const std::string_view body(reinterpret_cast<const char *>(data), size);
    std::int64_t rejected = 0;
    for (OtlpSignal s : { OtlpSignal::Traces, OtlpSignal::Logs, OtlpSignal::Metrics })
        fuzz::run([&] { decodeOtlpProto(s, body, &rejected); });
    return 0;
}
