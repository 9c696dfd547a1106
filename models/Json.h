#pragma once
#include <nlohmann/json.hpp>
#include <QString>
#include <cstdint>
#include <optional>

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

// Parses text; on failure returns a discarded value and fills error.
Json parseJson(const std::string &text, QString *error = nullptr);

// v rounded to a number of decimals for reports people read; null when v is not finite.
Json roundedNumber(double v, int decimals);

} // namespace fd
