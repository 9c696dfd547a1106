#pragma once
#include "models/Json.h"
#include <optional>
#include <string>
#include <vector>

namespace fd {

// The envelopes of Jaeger query answers. The internal API wraps results as {"data", "errors":
// [{"code", "msg"}]} (errors can come with a 200); the v3 API answers {"result"} / {"services"} /
// {"summaries"}, or {"error": {"httpCode", "message"}}. `where` names the source and endpoint in messages.

// The parsed answer; nullopt for a 404 (an unknown trace, no traces found, or no such endpoint).
// Throws fd::Error with the server's message for an error answer, and saying what is wrong for a body
// that is no Jaeger answer (HTML, truncated JSON ...).
std::optional<Json> jaegerAnswer(int status, const std::string &body, const std::string &where);
// For an answer that has data and errors both (some of the traces could not be read): a note saying so,
// else "".
std::string jaegerPartialNote(const Json &answer, const std::string &where);

// {"data": ["a", "b"]} (v1 services and operations) or {"services": [...]} / {"operations": [{"name"}]} (v3).
std::vector<std::string> jaegerNames(const Json &answer, const std::string &where);

} // namespace fd
