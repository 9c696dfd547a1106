#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace fd {

// d truncated toward zero, when it lies within int64; nullopt past it or for NaN, where the cast is undefined.
inline std::optional<std::int64_t> truncatedInt64(double d)
{
    if (!(d >= -0x1p63 && d < 0x1p63))
        return std::nullopt;
    return static_cast<std::int64_t>(d);
}

// d rounded half away from zero, when within int64; llround's result is unspecified past it.
inline std::optional<std::int64_t> roundedInt64(double d)
{
    if (!(d >= -0x1p63 && d < 0x1p63)) // no double lies between 2^63 - 0.5 and 2^63
        return std::nullopt;
    return std::llround(d);
}

// The whole of text as a T (an integer, in `base`, or a double); nullopt when empty, followed by more, or out of range.
template <typename T>
std::optional<T> parseWhole(std::string_view text, int base = 10)
{
    T value {};
    const auto [end, ec] = [&] {
        if constexpr (std::is_integral_v<T>)
            return std::from_chars(text.data(), text.data() + text.size(), value, base);
        else
            return std::from_chars(text.data(), text.data() + text.size(), value);
    }();
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace fd
