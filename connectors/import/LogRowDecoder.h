#pragma once
#include "JsonLineScanner.h"
#include "connectors/store/LogRows.h"
#include "models/Telemetry.h"
#include <string_view>
#include <unordered_map>

namespace fd {

// JSON-lines log objects straight into the store's row form: JsonLineScanner validates each line and
// the attributes keep the text the file wrote, so no parse tree is built and nothing is serialised
// twice. Lines the scanner calls unusual go through logRecordFromJsonLine, which gives the same row.
class LogRowDecoder
{
public:
    enum class Outcome { Row, OtlpRequest };
    // Appends the line's record to rows and notes its keys; throws fd::Error with the reasons of
    // logRecordFromJsonLine (and "not valid JSON"). With detectOtlp an OTLP/JSON export request is
    // left to the caller (OtlpRequest, nothing appended).
    Outcome decode(std::string_view line, bool detectOtlp, LogRows &rows);
    // A record decoded elsewhere into the same form.
    void append(LogRecord r, LogRows &rows);

private:
    std::uint32_t serviceResource(const std::string &service, LogRows &rows);
    std::uint32_t addResource(std::string text, const std::string &service, LogRows &rows);
    JsonLineScanner m_scanner;
    std::unordered_map<std::string, std::uint32_t> m_serviceResources; // of the batch being filled
    std::string m_text;
};

} // namespace fd
