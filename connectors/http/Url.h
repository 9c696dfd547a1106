#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fd {

// An absolute http(s) URL split for a client: what to resolve, where to connect, what to ask for.
struct Url {
    std::string scheme; // "http" or "https", lower case
    std::string host; // without brackets for IPv6 literals
    std::uint16_t port = 0;
    std::string target; // path and query, at least "/"

    // Throws HttpError(Url) naming what is wrong.
    static Url parse(std::string_view text);
    // A Location header: absolute, scheme-relative ("//h/p"), absolute path or relative path.
    Url resolve(std::string_view location) const;

    bool isHttps() const { return scheme == "https"; }
    bool sameOrigin(const Url &other) const;
    // host[:port], the port only when it is not the scheme's default (the Host header).
    std::string authority() const;
    std::string toString() const;
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string urlEncode(std::string_view text);
using FormFields = std::vector<std::pair<std::string, std::string>>;
// key=value&... with both sides encoded (a query string or a form body).
std::string formEncode(const FormFields &fields);

} // namespace fd
