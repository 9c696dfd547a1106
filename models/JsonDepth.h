#pragma once
#include <string_view>

namespace fd {

// Deeper than any telemetry or workspace needs; protobuf stops at 100.
constexpr int kMaxJsonDepth = 128;

// Throws fd::Error when the arrays and objects of JSON text nest deeper than kMaxJsonDepth. Parsing copes with
// any depth, but printing or comparing the value recurses once per level: 200,000 levels in a 400 KB line
// overflow a thread's stack. Strings are skipped; the text need not be valid JSON.
void checkJsonDepth(std::string_view text);

} // namespace fd
