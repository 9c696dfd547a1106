#pragma once
#include <nlohmann/json.hpp>
#include <QString>

namespace fd {

// Attributes keep their insertion order and their OpenTelemetry type (int64 stays exact).
using Json = nlohmann::ordered_json;

inline QString toQString(const std::string &s) { return QString::fromStdString(s); }
inline std::string toStd(const QString &s) { return s.toStdString(); }

// A value as text: a string as it is, anything else (a number, a boolean, an object) as compact JSON.
inline std::string jsonValueText(const Json &v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Parses text; on failure returns a discarded value and fills error.
Json parseJson(const std::string &text, QString *error = nullptr);

// v rounded to a number of decimals for reports people read; null when v is not finite.
Json roundedNumber(double v, int decimals);

} // namespace fd
