#pragma once
#include "Frame.h"
#include "Json.h"

namespace fd {

// A cell as its own JSON value, unformatted (times stay integer nanoseconds, JSON text stays text);
// cellToJson() in Frame.h is the presented form.
Json cellToRawJson(const Cell &c);
// A group-by's value as the value it groups: the text of a Json column (booleans, objects, values of mixed
// kinds) parsed, any other cell as cellToRawJson.
Json groupCellJson(const Cell &c, ColumnType type);

} // namespace fd
