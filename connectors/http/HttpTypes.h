#pragma once
#include "models/Error.h"
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fd {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
// Header names compare without regard to ASCII case.
bool sameHeaderName(const std::string &a, const std::string &b);
// Throws fd::Error unless `name` is an HTTP token and `value` holds no line break or NUL: either would let a
// workspace or a credential write further header lines into a request. The message never quotes the value.
void requireValidHeader(const std::string &name, const std::string &value);

struct HttpOptions {
    std::chrono::milliseconds connectTimeout { 10'000 };
    std::chrono::milliseconds totalTimeout { 30'000 }; // DNS, connect, TLS, request and response together
    bool verifyTls = true;
    std::string caFile; // PEM; empty: the system CA store
    int maxRedirects = 5;
    std::size_t maxResponseBytes = 64 * 1024 * 1024; // after decompression too
    // Stands in for the name lookup's wait (tests: a stalled DNS server): called with the host on the
    // lookup's thread, it returns the name or address to resolve. Empty: the system's resolver alone.
    std::function<std::string(const std::string &host)> hostLookup;
};

struct HttpRequestSpec {
    std::string url; // http:// or https://
    HttpHeaders headers; // Authorization and friends included; see credentialHeaders
    std::string body; // post only
    std::string contentType; // post only
    // Header names (case-insensitive) besides Authorization, Proxy-Authorization and Cookie that must
    // never follow a redirect to another origin.
    std::vector<std::string> credentialHeaders;
    HttpOptions options;
};

// Not "HttpResponse": that name is the OTLP receiver's server-side type (OtlpHttpHandler.h).
struct HttpReply {
    int status = 0;
    std::string reason;
    HttpHeaders headers;
    std::string body; // decompressed
    std::string url; // the final URL, after redirects

    bool ok() const { return status >= 200 && status < 300; }
    std::string header(const std::string &name) const; // case-insensitive; "" when absent
    // Throws HttpError(Status) for a status outside 2xx, with the server's message.
    void raiseForStatus() const;
};

// What went wrong, for callers that react differently (retry on Timeout, ask for a CA on Tls ...).
class HttpError : public Error
{
public:
    enum class Kind { Url, Dns, Refused, Connect, Tls, Timeout, Io, TooLarge, Redirects, Status };
    HttpError(Kind kind, const std::string &message, int status = 0)
        : Error(message)
        , m_kind(kind)
        , m_status(status)
    {
    }
    Kind kind() const { return m_kind; }
    int status() const { return m_status; }
    bool unanswered() const override
    {
        return m_kind == Kind::Dns || m_kind == Kind::Refused || m_kind == Kind::Connect || m_kind == Kind::Timeout;
    }

private:
    Kind m_kind;
    int m_status;
};

} // namespace fd
