#pragma once
#include "Cancel.h"
#include "Frame.h"
#include "Json.h"
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// A field of an event as the table shows it: its value in the attributes, else in the resource; nullptr when
// neither holds it.
const Json *findField(const Json &attributes, const Json &resource, std::string_view key);

// The fields a person made columns of the event table, as columns of a frame of its rows, for a CSV (JSON keeps
// them in its "attributes" and "resource"): each key's value found by findField in the row's "attributes" and
// "resource" JSON columns, a number as a number, empty where a row has none. A key that names a column of the
// source already is a column of its own all the same, as it is in the table. Checks the token every few
// thousand rows.
Frame withFieldColumns(Frame rows, const std::vector<std::string> &keys, const CancelTokenPtr &cancel = {});

} // namespace fd
