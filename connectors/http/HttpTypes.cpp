#include "HttpTypes.h"
#include "JsonAnswer.h"
#include "models/Json.h"
#include <cctype>
#include <string_view>
#include <algorithm>

namespace fd {

void requireValidHeader(const std::string &name, const std::string &value)
{
    const auto tokenChar = [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
    };
    if (name.empty() || !std::all_of(name.begin(), name.end(), tokenChar))
        throw Error("the header name " + Json(name).dump(-1, ' ', false, Json::error_handler_t::replace)
                    + " holds a character a header name cannot have");
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
        throw Error("the value of header " + name + " holds a line break or NUL: refused");
}

bool sameHeaderName(const std::string &a, const std::string &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
        [](char x, char y) { return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y); });
}

std::string HttpReply::header(const std::string &name) const
{
    for (const auto &[key, value] : headers) {
        if (sameHeaderName(key, name))
            return value;
    }
    return {};
}

void HttpReply::raiseForStatus() const
{
    if (ok())
        return;
    const std::string message = bodyExcerpt(body);
    throw HttpError(HttpError::Kind::Status,
        "HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + reason) + " from " + url
            + (message.empty() ? std::string() : ": " + message),
        status);
}

} // namespace fd
