#pragma once
#include "Time.h"
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// Pieces query compilers write text with.

// A double-quoted literal with backslash, " and newline escaped, as PromQL, LogQL and TraceQL write strings.
std::string quotedLiteral(std::string_view text);
std::string joinText(const std::vector<std::string> &parts, std::string_view separator);
// `~` finds its pattern anywhere in a value (QRegularExpression, DESIGN.md); engines whose regular expressions
// must match the whole value (PromQL and LogQL label matchers, TraceQL) take it as this. Throws fd::Error for a
// pattern that is no regular expression (unbalanced, wrapped, it would mean something else).
std::string unanchoredPattern(const std::string &pattern);
// Throws fd::Error naming the mistake when `pattern` is no regular expression.
void requireValidPattern(const std::string &pattern);
// Without spaces, tabs and line ends at either end.
std::string trim(const std::string &s);
// Without the UTF-8 byte order mark some editors put at the start of a file.
std::string_view withoutByteOrderMark(std::string_view text);
// Go's time.ParseDuration form in the largest whole unit (h, m, s, ms, us, ns), as Jaeger and TraceQL take it.
std::string formatGoDuration(DurationNs d);
// Hex id text as the store keeps ids: lowercase, left-padded with zeros to `digits` (Jaeger's 16-digit
// trace ids, Tempo's ids with leading zeros stripped); "" when it is no hex or longer than that.
std::string paddedHexId(std::string_view text, std::size_t digits);
// A trace or span id as the store keeps it: hex text lowercased, any other text as it is.
std::string storedId(std::string text);

} // namespace fd
