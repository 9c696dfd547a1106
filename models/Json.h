#pragma once
#include <nlohmann/json.hpp>
#include <QString>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace fd {

// Attributes keep their insertion order and their OpenTelemetry type (int64 stays exact).
using Json = nlohmann::ordered_json;

inline QString toQString(const std::string &s) { return QString::fromStdString(s); }
inline std::string toStd(const QString &s) { return s.toStdString(); }

// A value as text: a string as it is, anything else (a number, a boolean, an object) as compact JSON.
inline std::string jsonValueText(const Json &v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// v as an int64: an integer, a float within int64 (truncated) or the whole text of an integer. Engines send
// 64-bit numbers in all three forms. nullopt for anything else, a number past int64 too (its cast is undefined).
std::optional<std::int64_t> jsonInt64(const Json &v);

// Why jsonInt64 refuses v: "NAME VALUE is out of range" for a number, "NAME VALUE is not an integer" otherwise.
std::string notInt64Text(const char *name, const Json &v);

// object[key] read by jsonInt64, 0 when missing or null; otherwise an Error of prefix + notInt64Text(name, value),
// name being key unless given (a count, a time … in an engine's answer: each connector words its own prefix).
std::int64_t jsonInt64At(const Json &object, const char *key, const std::string &prefix, const char *name = nullptr);

// v as an int when it is an integer within int; nullopt for anything else (get<int> wraps a larger one).
std::optional<int> jsonInt(const Json &v);
// v as an integer when it is one within int64, or a float with no fraction there (Python writes 7.0); nullopt else.
std::optional<std::int64_t> jsonWholeNumber(const Json &v);

[[noreturn]] void throwWrongType(const char *key, const Json &value);

// j[key] as a T (a string, bool, double, array or object), fallback when missing or null; an Error naming the key
// when it has another type. An integer goes through jsonInt or jsonInt64: get<int> wraps a larger number.
template <class T>
T jsonField(const Json &j, const char *key, T fallback)
{
    static_assert(!std::is_integral_v<T> || std::is_same_v<T, bool>, "use jsonInt or jsonInt64");
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (const Json::exception &) {
        throwWrongType(key, *it);
    }
}

// j[key] when it is an object, an empty object when missing or null; an Error naming the key otherwise.
Json jsonObjectField(const Json &j, const char *key);
// The value at a dotted name however the object spells it: a flat key ("http.route"), nested objects
// ({"http": {"route"}}) or both ({"k8s": {"labels": {"app.kubernetes.io/name"}}}); nullptr when absent.
const Json *findDotted(const Json &object, std::string_view name);

// Parses text; on failure returns a discarded value and fills error (jsonProblem).
Json parseJson(const std::string &text, QString *error = nullptr);
// nlohmann's message without its tag ("[json.exception.type_error.302] "): "type must be string, but is number".
std::string jsonProblem(const std::exception &e);

// v rounded to a number of decimals for reports people read; null when v is not finite.
Json roundedNumber(double v, int decimals);
// A double attribute value. JSON has no NaN or infinity (a dump writes null, which lost the value), so those
// are kept as OTLP/JSON's words for them: "NaN", "Infinity", "-Infinity".
Json doubleAttribute(double v);

} // namespace fd
