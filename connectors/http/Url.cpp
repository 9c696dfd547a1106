#include "Url.h"
#include "HttpTypes.h"
#include "models/Numbers.h"
#include "models/SecretExposure.h"
#include <algorithm>
#include <cctype>

namespace fd {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

[[noreturn]] void badUrl(std::string_view text, const std::string &why)
{
    throw HttpError(HttpError::Kind::Url, "invalid URL \"" + urlWithoutUserInfo(text) + "\": " + why);
}

// Not std::isalnum: that depends on the locale Qt sets.
bool isUnreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

std::uint16_t defaultPort(const std::string &scheme)
{
    return scheme == "https" ? 443 : 80;
}

std::uint16_t parsePort(std::string_view text, std::string_view url)
{
    const auto value = parseWhole<unsigned>(text);
    if (!value || *value == 0 || *value > 65535)
        badUrl(url, "bad port \"" + std::string(text) + "\"");
    return std::uint16_t(*value);
}

// "host", "host:port", "[v6]", "[v6]:port" -> host and port.
void splitAuthority(std::string_view authority, std::string_view url, Url &u)
{
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        badUrl(url, "credentials in the URL are not accepted (use a header or the keychain)");
    std::string_view portText;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            badUrl(url, "unclosed [ in the host");
        u.host = std::string(authority.substr(1, close - 1));
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':'))
            badUrl(url, "text after the IPv6 address");
        portText = rest.empty() ? std::string_view() : rest.substr(1);
    } else {
        const auto colon = authority.rfind(':');
        u.host = lower(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            portText = authority.substr(colon + 1);
    }
    if (u.host.empty())
        badUrl(url, "no host");
    u.port = portText.empty() ? defaultPort(u.scheme) : parsePort(portText, url);
}

} // namespace

Url Url::parse(std::string_view text)
{
    const auto sep = text.find("://");
    if (sep == std::string_view::npos)
        badUrl(text, "no scheme (expected http:// or https://)");
    Url u;
    u.scheme = lower(text.substr(0, sep));
    if (u.scheme != "http" && u.scheme != "https")
        badUrl(text, "unsupported scheme \"" + u.scheme + "\" (expected http or https)");
    const std::string_view rest = text.substr(sep + 3);
    const auto pathStart = rest.find_first_of("/?#");
    splitAuthority(rest.substr(0, pathStart), text, u);
    std::string_view target = pathStart == std::string_view::npos ? std::string_view() : rest.substr(pathStart);
    target = target.substr(0, target.find('#'));
    u.target = std::string(target);
    if (!u.target.starts_with('/'))
        u.target.insert(0, 1, '/'); // "http://h?x" asks for "/?x"
    return u;
}

Url Url::resolve(std::string_view location) const
{
    // Absolute when a scheme leads ("/login?next=https://x" is relative: found by review).
    const auto sep = location.find("://");
    const std::string_view lead = location.substr(0, sep);
    const auto schemeChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; };
    if (sep != std::string_view::npos && sep > 0 && std::isalpha(static_cast<unsigned char>(lead.front()))
        && std::all_of(lead.begin(), lead.end(), schemeChar))
        return parse(location);
    if (location.starts_with("//"))
        return parse(scheme + ":" + std::string(location));
    Url u = *this;
    if (location.starts_with('/')) {
        u.target = std::string(location);
    } else {
        const std::string path = target.substr(0, target.find('?'));
        u.target = path.substr(0, path.rfind('/') + 1) + std::string(location);
    }
    u.target = u.target.substr(0, u.target.find('#'));
    return u;
}

bool Url::sameOrigin(const Url &other) const
{
    return scheme == other.scheme && host == other.host && port == other.port;
}

std::string Url::authority() const
{
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == defaultPort(scheme) ? h : h + ":" + std::to_string(port);
}

std::string Url::toString() const
{
    return scheme + "://" + authority() + target;
}

std::string urlEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string formEncode(const FormFields &fields)
{
    std::string out;
    for (const auto &[key, value] : fields) {
        if (!out.empty())
            out += '&';
        out += urlEncode(key) + "=" + urlEncode(value);
    }
    return out;
}

} // namespace fd
