#pragma once
#include <optional>
#include <string>
#include <utility>

namespace fd {

// What a source authenticates with. Kept only in the system keychain (as credentialToJson) and in
// memory; a workspace names it by id.
struct Credential {
    enum class Kind { Bearer, Basic, Header };
    Kind kind = Kind::Bearer;
    std::string username; // basic
    std::string header;   // header: its name (an API gateway's X-Api-Key)
    std::string secret;   // the token, the basic password or the header's value
};

// {"kind":"bearer","token":"..."}, {"kind":"basic","username":"...","password":"..."} or
// {"kind":"header","header":"X-Api-Key","value":"..."}.
// Throws fd::Error naming what is wrong, never quoting the secret.
Credential credentialFromJson(const std::string &text);
std::string credentialToJson(const Credential &c);
// The header a request carries: Authorization with "Bearer <token>" or "Basic <base64(user:password)>",
// or the named header with its value.
std::pair<std::string, std::string> credentialHeader(const Credential &c);

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
