#pragma once
#include "Query.h"
#include <map>
#include <string>
#include <vector>

namespace fd {

// Workspace variables (`view.variables`, e.g. {"service": "auth"}) and their use in queries: `$service`
// or `${service}` in a condition's value, the search text or a raw query becomes the variable's value.
using Variables = std::map<std::string, std::string>;

Variables variablesFromJson(const Json &view); // view.variables; non-string values are skipped
std::string expandVariables(const std::string &text, const Variables &vars); // unknown names stay as written
Query withVariables(Query q, const Variables &vars);
// The names a condition's value or the search text refers to ($name, ${name}) that are no variable: they are
// matched as written. None for a raw query, which runs instead ('$.x' is a JSON path there).
std::vector<std::string> unknownVariables(const Query &q, const Variables &vars);

} // namespace fd
