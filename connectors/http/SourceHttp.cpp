#include "SourceHttp.h"
#include "Url.h"

namespace fd {

SourceHttp::SourceHttp(std::string sourceId, HttpSourceConfig config)
    : m_id(std::move(sourceId))
    , m_config(std::move(config))
{
    while (m_config.url.ends_with('/'))
        m_config.url.pop_back();
    Url::parse(m_config.url);
}

HttpReply SourceHttp::get(const std::string &path, const CancelTokenPtr &cancel, const HttpHeaders &extra)
{
    HttpReply r = m_client.get(spec(path, extra), cancel);
    checkRefused(r);
    return r;
}

HttpReply SourceHttp::post(const std::string &path, std::string body, std::string contentType,
    const CancelTokenPtr &cancel, const HttpHeaders &extra)
{
    HttpRequestSpec s = spec(path, extra);
    s.body = std::move(body);
    s.contentType = std::move(contentType);
    HttpReply r = m_client.post(s, cancel);
    checkRefused(r);
    return r;
}

HttpRequestSpec SourceHttp::spec(const std::string &path, const HttpHeaders &extra)
{
    HttpRequestSpec s;
    s.url = m_config.url + path;
    s.headers = m_config.headers;
    s.headers.insert(s.headers.end(), extra.begin(), extra.end());
    if (const std::string auth = authorization(); !auth.empty())
        s.headers.emplace_back("Authorization", auth);
    s.options = m_config.http;
    return s;
}

void SourceHttp::checkRefused(const HttpReply &r) const
{
    if (r.status != 401 && r.status != 403)
        return;
    throw HttpError(HttpError::Kind::Status,
        "source \"" + m_id + "\" refused the credentials (HTTP " + std::to_string(r.status) + ")"
            + (m_config.credentialId.empty() ? std::string(": the source has no credential")
                                             : ": check credential \"" + m_config.credentialId + "\""),
        r.status);
}

std::string SourceHttp::authorization()
{
    if (m_config.credentialId.empty())
        return {};
    const std::lock_guard lock(m_authMutex);
    if (!m_authorization) {
        if (!m_config.secrets)
            throw Error("source \"" + m_id + "\": no secret store to read its credential from");
        const std::optional<std::string> secret = m_config.secrets->read(m_config.credentialId);
        if (!secret)
            throw Error("source \"" + m_id + "\": credential \"" + m_config.credentialId
                + "\" is not in the system keychain (store it with: flightdeck credential set "
                + m_config.credentialId + ")");
        m_authorization = authorizationHeader(credentialFromJson(*secret));
    }
    return *m_authorization;
}

} // namespace fd
