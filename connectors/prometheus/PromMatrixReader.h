#pragma once
#include "models/Frame.h"
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fd {

// The frame of a successful query or query_range answer of plain samples (a matrix or a vector), read as the
// body streams through the JSON parser: the answer never becomes a JSON document, which took about seven
// times the body's size beside the frame. It is promFrame(promData(body), seriesLimit) to the cell, and
// *warnings gets what promData would add.
// nullopt for every other answer (an error, native histograms, a scalar, a shape the reader does not know,
// invalid UTF-8): those are small or rare, and promData and promFrame read them with their messages.
std::optional<Frame> promStreamedFrame(const std::string &body, std::size_t seriesLimit,
                                       std::vector<std::string> *warnings = nullptr);

} // namespace fd
