#pragma once
#include "HttpClient.h"
#include "models/Credential.h"
#include <memory>
#include <mutex>
#include <optional>

namespace fd {

// How a workspace source reaches its server.
struct HttpSourceConfig {
    std::string url; // http(s)://host:port[/prefix]
    HttpHeaders headers; // fixed extra headers, e.g. X-Scope-OrgID; never sent to another origin
    HttpOptions http;
    std::string credentialId; // empty: no Authorization
    std::shared_ptr<SecretStore> secrets; // read once, at the first request
};

// The config with X-Scope-OrgID: tenant among its headers (none when empty), so that the tenant, like
// every fixed header, never follows a redirect to another origin.
HttpSourceConfig withTenant(HttpSourceConfig http, const std::string &tenant);

// What to change in the source when a TLS handshake failed with this message (empty when nothing fits):
// https to a plain HTTP server, a certificate for another name or out of its dates, one from a private CA.
std::string tlsHint(const std::string &message, bool hasCaFile);

// The HTTP side every remote source shares: the base URL, its headers, the credential from the keychain,
// and a clear message when the server refuses it. Safe to use from several threads.
class SourceHttp
{
public:
    // Throws HttpError(Url) for a bad URL, so a source reports it when it is made.
    SourceHttp(std::string sourceId, HttpSourceConfig config);

    const std::string &baseUrl() const { return m_config.url; }
    // For messages: source "id" (GET /path), without the query string.
    std::string where(const std::string &target) const;
    // base URL + pathAndQuery, with the source's headers and `extra`. Any status but 401/403 is
    // returned; those throw naming the credential.
    HttpReply get(const std::string &pathAndQuery, const CancelTokenPtr &cancel, const HttpHeaders &extra = {});
    HttpReply post(const std::string &path, std::string body, std::string contentType, const CancelTokenPtr &cancel,
                   const HttpHeaders &extra = {});

private:
    HttpRequestSpec spec(const std::string &pathAndQuery, const HttpHeaders &extra);
    HttpReply checked(HttpReply reply) const;
    template<typename Request>
    HttpReply named(Request request) const;
    // The credential's header (read from the keychain once); nullopt for a source without a credential.
    std::optional<std::pair<std::string, std::string>> credentialHeader();

    std::string m_id;
    HttpSourceConfig m_config;
    HttpClient m_client;
    std::mutex m_authMutex;
    std::optional<std::pair<std::string, std::string>> m_credentialHeader;
};

} // namespace fd
