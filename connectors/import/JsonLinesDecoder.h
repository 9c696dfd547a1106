#pragma once
#include "models/Json.h"
#include "models/Telemetry.h"
#include <array>
#include <string_view>

namespace fd {

// The keys logRecordFromJsonLine (and LogRowDecoder) recognise, in order of preference.
namespace jsonl {
// Besides the usual ones: ECS's flat "log.level", .NET's JSON console ("Timestamp", "LogLevel", "Message"),
// Serilog's compact JSON ("@t", "@l", "@m", else its template "@mt").
inline constexpr std::array<std::string_view, 7> kTimeKeys = {"time", "timestamp", "@timestamp", "ts", "time_unix_nano",
                                                              "Timestamp", "@t"};
inline constexpr std::array<std::string_view, 8> kSeverityKeys = {"severity", "level", "severity_text", "lvl",
                                                                  "log.level", "LogLevel", "Level", "@l"};
// The first of these that is a text is the body, else the first there (a structured body); a "body" object beside a
// "message" stays an attribute, queryable by its paths (exploratory test: it had taken the message's place).
inline constexpr std::array<std::string_view, 7> kBodyKeys = {"body", "message", "msg", "log", "Message", "@m", "@mt"};
inline constexpr int kClefInformation = 9; // a "@t" record without "@l"
inline constexpr const char *kNoTimeField = "no time field (time, timestamp, @timestamp, ts, Timestamp or @t)";
inline constexpr std::array<std::string_view, 2> kServiceKeys = {"service.name", "service"};
// OpenTelemetry's pair, as Flightdeck's own export writes it: a level's number under "severity" and its words here.
inline constexpr const char *kSeverityTextKey = "severity_text";
// An object of attributes, as OpenTelemetry's log data model and Flightdeck's export write them: its members are the
// record's attributes (a member of the line itself of the same name wins).
inline constexpr const char *kNestedAttributesKey = "attributes";
// The name in a service object ({"name": "api", "version": "1.2"}, as ECS writes it), which stays an
// attribute; "" when it has none.
std::string serviceNameIn(const Json &service);
inline constexpr const char *kUnknownService = "unknown_service"; // OpenTelemetry's name for none
// A record's service is its own key's, else its resource's service.name, else unknown_service; a resource
// without a service.name is given the record's.
void settleService(std::string &service, Json &resource);
// Seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude; throws fd::Error past 2262.
// A float of seconds or milliseconds is rounded to the microsecond, the last digit a double holds there.
TimeNs timeFromNumber(double v);
// The same for an integer, scaled exactly (through a double, 1700000000001 ms lost its last millisecond).
TimeNs timeFromInteger(std::int64_t v);
// Decimal text ("1764590400.123456789", "-1.5") the same way, its fraction exact to the nanosecond (as a double,
// a time in seconds keeps only microseconds); nullopt for other text. Throws fd::Error past 2262. For text alone:
// a JSON number reaches the full parser's path as a double, and both paths must read a line alike.
std::optional<TimeNs> timeFromDecimal(std::string_view text);
// A time written as text: digits alone by magnitude like timeFromInteger (OTLP/JSON writes 64-bit times as
// text), else RFC 3339 or what parseTime reads; throws fd::Error with parseTime's message.
TimeNs timeFromText(const std::string &text);
// A level written as an integer: OpenTelemetry's 1–24, or under "level" and "lvl" pino's and bunyan's 10–60
// (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal), which is what those keys hold as numbers.
// 0 for any other number: the member then stays an attribute.
int severityFromNumber(std::string_view key, std::int64_t n);
// A level written as text: a name (severityFromName) or a number as severityFromNumber reads it, spaces
// around either ignored; 0 when it is neither.
int severityFromText(std::string_view key, const std::string &text);
} // namespace jsonl

// One JSON-lines log object to a log record. Well-known keys (time/timestamp/@timestamp/ts,
// severity/level, body/message/msg, service/service.name, trace_id, span_id) become fields; every
// other key becomes an attribute (a nested object stays one: its fields are queried by dotted path), as
// do trace_id and span_id when they are not strings. Throws fd::Error when the object has no usable time.
LogRecord logRecordFromJsonLine(Json object);

} // namespace fd
