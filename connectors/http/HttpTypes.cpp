#include "HttpTypes.h"
#include "JsonAnswer.h"
#include <algorithm>

namespace fd {

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
