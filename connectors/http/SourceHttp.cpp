#include "SourceHttp.h"
#include "JsonAnswer.h"
#include "Url.h"

namespace fd {

HttpSourceConfig withTenant(HttpSourceConfig http, const std::string &tenant)
{
    if (!tenant.empty())
        http.headers.emplace_back("X-Scope-OrgID", tenant);
    return http;
}

SourceHttp::SourceHttp(std::string sourceId, HttpSourceConfig config)
    : m_id(std::move(sourceId))
    , m_config(std::move(config))
{
    while (m_config.url.ends_with('/'))
        m_config.url.pop_back();
    // Paths are appended to the url: a query there would swallow them, and it is where keys get pasted (never
    // quoted back: it may hold one).
    if (const std::size_t q = m_config.url.find_first_of("?#"); q != std::string::npos)
        throw HttpError(HttpError::Kind::Url, "the url of source \"" + m_id + "\" has a query or fragment after "
                        + m_config.url.substr(0, q) + ": give the base url alone, and a key as a credential or a header");
    Url::parse(m_config.url);
}

std::string SourceHttp::where(const std::string &target) const
{
    return "source \"" + m_id + "\" (GET " + target.substr(0, target.find('?')) + ")";
}

std::string tlsHint(const std::string &message, bool hasCaFile)
{
    const auto says = [&](const char *words) { return message.find(words) != std::string::npos; };
    if (says("wrong version number") || says("packet length too long") || says("http request"))
        return " (does the server speak plain HTTP? then its url starts with http://)";
    if (says("hostname mismatch") || says("IP address mismatch"))
        return " (the certificate names another host: use the name it was issued for in the url)";
    if (says("expired") || says("not yet valid"))
        return " (check the server's certificate dates and this machine's clock)";
    if (says("local issuer") || says("self-signed") || says("self signed") || says("unable to verify the first certificate"))
        return hasCaFile ? " (is the source's ca_file the CA that signed the server's certificate?)"
                         : " (a private CA: set the source's ca_file to its certificate, or tls_skip_verify to true to skip the check)";
    return {};
}

// A refused connection or a timeout says which source it was: one workspace may hold several on one host.
template<typename Request>
HttpReply SourceHttp::named(Request request) const
{
    try {
        return request();
    } catch (const HttpError &e) {
        const std::string hint = e.kind() == HttpError::Kind::Tls ? tlsHint(e.what(), !m_config.http.caFile.empty()) : std::string();
        throw HttpError(e.kind(), "source \"" + m_id + "\": " + e.what() + hint, e.status());
    }
}

HttpReply SourceHttp::get(const std::string &pathAndQuery, const CancelTokenPtr &cancel, const HttpHeaders &extra)
{
    const HttpRequestSpec s = spec(pathAndQuery, extra);
    return checked(named([&] { return m_client.get(s, cancel); }));
}

HttpReply SourceHttp::post(const std::string &path, std::string body, std::string contentType, const CancelTokenPtr &cancel,
                           const HttpHeaders &extra)
{
    HttpRequestSpec s = spec(path, extra);
    s.body = std::move(body);
    s.contentType = std::move(contentType);
    return checked(named([&] { return m_client.post(s, cancel); }));
}

HttpRequestSpec SourceHttp::spec(const std::string &pathAndQuery, const HttpHeaders &extra)
{
    HttpRequestSpec s;
    s.url = m_config.url + pathAndQuery;
    s.headers = m_config.headers;
    s.headers.insert(s.headers.end(), extra.begin(), extra.end());
    for (const auto &[name, value] : m_config.headers)
        s.credentialHeaders.push_back(name); // a tenant or API key header is as private as a token
    if (const auto auth = credentialHeader()) {
        s.headers.push_back(*auth);
        s.credentialHeaders.push_back(auth->first); // Authorization never follows a redirect elsewhere; a named one neither
    }
    s.options = m_config.http;
    return s;
}

HttpReply SourceHttp::checked(HttpReply reply) const
{
    if (reply.status == 401 || reply.status == 403)
        throw HttpError(HttpError::Kind::Status,
            "source \"" + m_id + "\" refused the credentials (HTTP " + std::to_string(reply.status) + ")"
                + (reply.body.empty() ? std::string() : ": " + bodyExcerpt(reply.body)) // its reason: a tenant, an index …
                + (m_config.credentialId.empty() ? std::string(": the source has no credential")
                                                 : ": check credential \"" + m_config.credentialId + "\""),
            reply.status);
    return reply;
}

std::optional<std::pair<std::string, std::string>> SourceHttp::credentialHeader()
{
    if (m_config.credentialId.empty())
        return std::nullopt;
    const std::lock_guard lock(m_authMutex);
    if (!m_credentialHeader) {
        if (!m_config.secrets)
            throw Error("source \"" + m_id + "\": no secret store to read its credential from");
        const std::optional<std::string> secret = m_config.secrets->read(m_config.credentialId);
        if (!secret)
            throw Error("source \"" + m_id + "\": credential \"" + m_config.credentialId
                + "\" is not in the system keychain (store it with: flightdeck credential set "
                + m_config.credentialId + ")");
        m_credentialHeader = fd::credentialHeader(credentialFromJson(*secret));
    }
    return m_credentialHeader;
}

} // namespace fd
