#pragma once
#include "HttpClient.h"
#include "models/Credential.h"
#include <memory>
#include <mutex>
#include <optional>

namespace fd {

// Where a remote source's server is and how to reach it: what every HTTP connector's config starts with.
struct HttpSourceConfig {
    std::string url; // http(s)://host:port[/prefix]
    HttpHeaders headers; // e.g. X-Scope-OrgID; never Authorization (see credentialId)
    HttpOptions http;
    std::string credentialId; // empty: no Authorization
    std::shared_ptr<SecretStore> secrets; // read once, at the first request
};

// The requests of one source to its server: the base URL plus a path, the source's headers, and its
// credential as Authorization. A refusal (401/403) throws an HttpError that names the credential; any
// other status is returned. Safe to use from several threads.
class SourceHttp
{
public:
    // Throws HttpError(Url) for a bad URL, so a source reports it when it is made.
    SourceHttp(std::string sourceId, HttpSourceConfig config);

    HttpReply get(const std::string &path, const CancelTokenPtr &cancel, const HttpHeaders &extra = {});
    HttpReply post(const std::string &path, std::string body, std::string contentType, const CancelTokenPtr &cancel,
        const HttpHeaders &extra = {});
    const std::string &baseUrl() const { return m_config.url; }

private:
    HttpRequestSpec spec(const std::string &path, const HttpHeaders &extra);
    void checkRefused(const HttpReply &r) const;
    // "Bearer ..." / "Basic ..." from the secret store; "" without a credential.
    std::string authorization();

    std::string m_id;
    HttpSourceConfig m_config;
    HttpClient m_client;
    std::mutex m_authMutex;
    std::optional<std::string> m_authorization;
};

} // namespace fd
