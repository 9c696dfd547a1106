#pragma once
#include <optional>
#include <string>

namespace fd {

// What a source authenticates with. Kept only in the system keychain (as credentialToJson) and in
// memory; a workspace names it by id.
struct Credential {
    enum class Kind { Bearer, Basic };
    Kind kind = Kind::Bearer;
    std::string username; // basic
    std::string secret; // the token, or the basic password
};

// {"kind":"bearer","token":"..."} or {"kind":"basic","username":"...","password":"..."}.
// Throws fd::Error naming what is wrong, never quoting the secret.
Credential credentialFromJson(const std::string &text);
std::string credentialToJson(const Credential &c);
// The Authorization header value: "Bearer <token>" or "Basic <base64(user:password)>".
std::string authorizationHeader(const Credential &c);

// Where credentials live. Blocking calls: use them from worker threads or the command line.
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    // nullopt when there is no such entry; throws fd::Error when the store cannot be reached.
    virtual std::optional<std::string> read(const std::string &id) = 0;
    virtual void write(const std::string &id, const std::string &secret) = 0;
    virtual void remove(const std::string &id) = 0;
};

} // namespace fd
