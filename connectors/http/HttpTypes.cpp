#include "HttpTypes.h"
#include <algorithm>

namespace fd {

namespace {

// The first few hundred characters of a body on one line: enough to show the server's message.
std::string excerpt(const std::string &body)
{
    constexpr std::size_t kMax = 400;
    std::string out = body.substr(0, kMax);
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    const auto last = out.find_last_not_of(' ');
    out.erase(last == std::string::npos ? 0 : last + 1);
    return body.size() > kMax ? out + "…" : out;
}

} // namespace

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
    const std::string message = excerpt(body);
    throw HttpError(HttpError::Kind::Status,
        "HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + reason) + " from " + url
            + (message.empty() ? std::string() : ": " + message),
        status);
}

} // namespace fd
