#pragma once
#include <QByteArray>
#include <array>
#include <string_view>

// JSON lines for tst_import: the import's decoder must give what the full parser gives for each.
inline constexpr std::array<std::string_view, 37> kImportSamples = {
    R"({"ts":"2026-11-18T07:33:20.007Z","level":"info","msg":"GET /api/cart 200 in 12 ms","service":"auth","trace_id":"00aa11bb22cc33dd44ee55ff66778899","http":{"method":"GET","status":200,"route":"/api/cart"},"user":{"id":"u42","country":"DE"},"duration_ms":12.5,"host":"node-3"})",
    R"({ "time" : 1764590400 , "level" : 17, "message": "m", "a": [1, {"b": 2}], "e": {}, "n": null })",
    R"({"ts": "2025-12-01T12:00:02.5+01:00", "lvl": "warn", "msg": "quote \" and \u00e9 \ud83d\ude00 \\ \/ \t", "service": "s\u00e9"})",
    R"({"t\u0069me": 1, "time": 2, "msg": "escaped key"})",
    R"({"time": 1, "time": 2, "msg": "repeated key"})",
    R"({"time": 1764590400000, "body": {"k": [1, 2.5e3, true, -0.0, 1E2]}})",
    R"({"time": 1764590400000000000, "resource": {"host": "h1", "service.version": "1.2"}, "service": "api", "x": 1})",
    R"({"time": 1764590400, "trace_id": 12, "span_id": "ab", "event.name": "login"})",
    R"({"time": 1764590400, "severity": null, "level": "error", "service.name": "named", "service": "plain"})",
    R"({"time": 1764590400, "service": 7, "level": 2.5, "msg": ["a"]})",
    R"({"time": 1764590400123456, "a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": 1}}}}}}}}}})",
    R"({"time": -1764590400, "big": 123456789012345678901234567890, "neg": -5e-324})",
    R"({"time": "2025-12-01T12:00:00Z", "x": "\u0000\u001f"})",
    R"({"time": "1764590400.25"})",
    R"({"time": "2025-12-01 12:00:00+0130"})",
    R"({"time": "2025-12-01T12:00:00"})",
    R"({"time": true})",
    R"({"msg": "no time"})",
    R"(not json)",
    R"([1, 2])",
    R"({"time": "yesterday"})",
    R"({"time": 1e300})",
    R"({"time": 1, "s": "\udc00"})",
    R"({"time": 1, "a": [1, 2,]})",
    R"({"time": 1, "level": 4294967305})", // past int: no level (an attribute), never wrapped to 9 (INFO)
    R"({"time": 1, "level": -9223372036854775808})",
    R"({"time": 1, "level": 18446744073709551615})", // a uint64 to nlohmann: no level
    R"({"time": 1, "level": -99999999999999999999})", // a float to nlohmann: no level
    R"({"time": 1, "level": 99999999999999999999})",
    R"({"time": 9300000000000000000})", // past int64: out of range, never wrapped to a time before 1970
    R"({"ts": 1764644400.5, "": 17, "body": {"nested": [1, 2, {"x": null}]}})", // an empty key
    R"({"time": 1700000000.123, "level": 30, "msg": "pino"})",
    R"({"time": 1, "severity": 30, "level": "info"})", // no OpenTelemetry number: an attribute
    R"({"time": 1, "level": {"name": "error"}})",
    R"({"time": "1700000002000", "lvl": "notice"})",
    R"({"time_unix_nano": "1700000003000000001"})",
    R"({"time": "-1700000002000", "level": true})",
};

// Shared with tst_cli, which imports the same lines through `flightdeck import`.
namespace fdtest {

// JSON lines with the usual keys for time (epoch s/ms/ns, RFC 3339), level and message, nested objects,
// a blank line and two bad lines (6: not JSON, 7: no time field): 4 records from 7 lines, 2 bad.
inline const QByteArray kUsualKeysJsonLines =
    "{\"ts\": 1764590400, \"level\": \"warn\", \"msg\": \"epoch seconds\", \"http\": {\"status\": 500, \"route\": \"/pay\"}, \"user\": \"a\"}\n"
    "{\"timestamp\": 1764590401000, \"lvl\": \"error\", \"message\": \"epoch millis\", \"http\": {\"status\": 200}}\n"
    "{\"@timestamp\": \"2025-12-01T12:00:02.5Z\", \"severity\": \"info\", \"msg\": \"rfc 3339\", \"http\": {\"status\": \"500\"}}\n"
    "\n"
    "{\"time\": 1764590403000000001, \"level\": \"debug\", \"msg\": \"epoch nanos\", \"a\": {\"b\": {\"c\": \"deep\"}}}\n"
    "not json at all\n"
    "{\"msg\": \"no time\"}\n";

} // namespace fdtest
