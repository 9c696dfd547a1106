#pragma once
#include <string>
#include <string_view>

namespace fd {

// text with every byte that is no part of a well-formed UTF-8 character (a stray byte, a cut, overlong or
// surrogate sequence, past U+10FFFF) replaced by U+FFFD, as a browser shows it. Engines that store raw
// bytes (ClickHouse's String) send them inside JSON, which a strict parser refuses whole.
std::string validUtf8(std::string_view text);

// The length of the well-formed UTF-8 character at the start of text, 0 when there is none.
std::size_t utf8CharLength(std::string_view text);

} // namespace fd
