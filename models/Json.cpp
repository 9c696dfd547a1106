#include "Json.h"
#include <charconv>
#include <cmath>
#include <limits>

namespace fd {

std::optional<std::int64_t> jsonInt64(const Json &v)
{
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return std::int64_t(u);
    }
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!(d >= -0x1p63 && d < 0x1p63)) // NaN fails too
            return std::nullopt;
        return std::int64_t(d);
    }
    const auto *s = v.get_ptr<const std::string *>();
    std::int64_t n = 0;
    if (!s || s->empty())
        return std::nullopt;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (ec != std::errc() || end != s->data() + s->size())
        return std::nullopt;
    return n;
}

Json parseJson(const std::string &text, QString *error)
{
    try {
        return Json::parse(text);
    } catch (const Json::exception &e) { // out_of_range too: a number past double ("1e999")
        if (error)
            *error = QString::fromUtf8(e.what());
        return Json(Json::value_t::discarded);
    }
}

Json roundedNumber(double v, int decimals)
{
    if (!std::isfinite(v))
        return Json();
    const double scale = std::pow(10.0, decimals);
    return Json(std::round(v * scale) / scale);
}

} // namespace fd
