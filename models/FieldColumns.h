#pragma once
#include "Frame.h"
#include "Json.h"
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// A field of an event as the table shows it: its value in the attributes, else in the resource; nullptr when
// neither holds it.
const Json *findField(const Json &attributes, const Json &resource, std::string_view key);

// The fields a person made columns of the event table, as columns of a frame of its rows (an export): each key's
// value from the row's "attributes" JSON, else its "resource", as the table shows it; empty where a row has
// none. A key that already names a column of the frame is left out.
Frame withFieldColumns(const Frame &rows, const std::vector<std::string> &keys);

} // namespace fd
