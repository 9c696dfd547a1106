#pragma once
#include "Time.h"
#include <string_view>

namespace fd {

// The usual RFC 3339 form without Qt or regular expressions, for bulk decoding:
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM). Any other text gives nullopt (use parseTime);
// where it answers, it answers as parseTime does.
std::optional<TimeNs> parseRfc3339Strict(std::string_view text);

} // namespace fd
