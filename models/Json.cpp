#include "Json.h"
#include <cmath>

namespace fd {

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
