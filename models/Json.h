#pragma once
#include <nlohmann/json.hpp>
#include <QString>

namespace fd {

// Attributes keep their insertion order and their OpenTelemetry type (int64 stays exact).
using Json = nlohmann::ordered_json;

inline QString toQString(const std::string &s) { return QString::fromStdString(s); }
inline std::string toStd(const QString &s) { return s.toStdString(); }

// Parses text; on failure returns a discarded value and fills error.
Json parseJson(const std::string &text, QString *error = nullptr);

} // namespace fd
