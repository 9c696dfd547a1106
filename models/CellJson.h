#pragma once
#include "Frame.h"
#include "Json.h"

namespace fd {

// A cell as its own JSON value, unformatted (times stay integer nanoseconds, JSON text stays text);
// cellToJson() in Frame.h is the presented form.
Json cellToRawJson(const Cell &c);

} // namespace fd
