#include "Json.h"

namespace fd {

Json parseJson(const std::string &text, QString *error)
{
    try {
        return Json::parse(text);
    } catch (const Json::parse_error &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return Json(Json::value_t::discarded);
    }
}

} // namespace fd
