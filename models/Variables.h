#pragma once
#include "Query.h"
#include <map>
#include <string>

namespace fd {

// Workspace variables (`view.variables`, e.g. {"service": "auth"}) and their use in queries: `$service`
// or `${service}` in a condition's value, the search text or a raw query becomes the variable's value.
using Variables = std::map<std::string, std::string>;

Variables variablesFromJson(const Json &view); // view.variables; non-string values are skipped
std::string expandVariables(const std::string &text, const Variables &vars); // unknown names stay as written
Query withVariables(Query q, const Variables &vars);

} // namespace fd
