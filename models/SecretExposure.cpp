#include "SecretExposure.h"
#include <QString>

namespace fd {

namespace {
// Words in the names of headers that carry secrets: Authorization, Cookie, X-Api-Key, X-Auth-Token,
// PRIVATE-TOKEN, X-ClickHouse-Key, apikey … (a tenant's X-Scope-OrgID is none).
constexpr const char *kSecretWords[] = { "auth", "cookie", "key", "token", "secret", "password", "session" };

constexpr const char *kUseCredential = "give the source a \"credential\" (kept in the system keychain) instead";

// Where the authority (user info, host, port) of url begins and ends; the whole text when it has no scheme.
std::pair<std::size_t, std::size_t> authoritySpan(std::string_view url)
{
    const auto scheme = url.find("://");
    const std::size_t begin = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t end = std::min(url.find_first_of("/?#", begin), url.size());
    return { begin, end };
}

// The first key of an object (but `except`) whose name holds a word of secrets; empty when none.
std::string secretKeyIn(const Json &object, std::string_view except = {})
{
    if (!object.is_object())
        return {};
    for (const auto &[name, value] : object.items())
        if (name != except)
            for (const char *word : kSecretWords)
                if (QString::fromStdString(name).contains(QLatin1String(word), Qt::CaseInsensitive))
                    return name;
    return {};
}

// The first key of an object whose value is written as a credential ("Bearer …", "Basic …") under any name; empty
// when none (exploratory test: "X-Custom: Bearer …" was kept in the file).
std::string credentialValueIn(const Json &object)
{
    if (!object.is_object())
        return {};
    for (const auto &[name, value] : object.items())
        if (value.is_string())
            for (const char *scheme : {"bearer ", "basic ", "token ", "digest "})
                if (QString::fromStdString(value.get<std::string>()).startsWith(QLatin1String(scheme), Qt::CaseInsensitive))
                    return name;
    return {};
}
} // namespace

std::string urlWithoutUserInfo(std::string_view url)
{
    const auto [begin, end] = authoritySpan(url);
    const auto at = url.substr(begin, end - begin).rfind('@');
    if (at == std::string_view::npos)
        return std::string(url);
    return std::string(url.substr(0, begin)) + "…" + std::string(url.substr(begin + at));
}

std::string secretKeptBy(const SourceConfig &source)
{
    if (urlWithoutUserInfo(source.url) != source.url)
        return std::string("its url holds a user name or password; ") + kUseCredential;
    // review: the Sources dialog had kept an api_key pasted into a url's query in the workspace (and its recovery
    // copy) before the source, made, refused it
    if (source.url.find_first_of("?#") != std::string::npos)
        return std::string("its url has a query or fragment, where keys get pasted: give the base url alone, and ")
               + kUseCredential;
    if (const std::string name = secretKeyIn(source.options, "headers"); !name.empty())
        return "options." + name + " would keep a secret in the workspace file; " + kUseCredential;
    const auto headers = source.options.find("headers");
    if (headers == source.options.end())
        return {};
    std::string name = secretKeyIn(*headers);
    if (name.empty())
        name = credentialValueIn(*headers);
    if (!name.empty())
        return "options.headers." + name + " would keep a secret in the workspace file; " + kUseCredential
            + " (flightdeck credential set ID --header " + name + ")";
    return {};
}

std::string secretKeyOfSource(const Json &source)
{
    return secretKeyIn(source, "credential");
}

} // namespace fd
