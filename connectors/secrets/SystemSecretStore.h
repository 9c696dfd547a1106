#pragma once
#include "KeychainSecretStore.h"
#include <memory>

namespace fd {

// What Flightdeck reads credentials from: the environment variable FLIGHTDECK_CREDENTIAL_<ID> (the id
// upper-cased, other characters than letters and digits as "_"; for scripts and CI machines without a
// keychain; a bearer token as it is, or a credential's JSON) before the system keychain. Writes and deletes go
// to the keychain only.
class SystemSecretStore : public SecretStore
{
public:
    std::optional<std::string> read(const std::string &id) override;
    void write(const std::string &id, const std::string &secret) override;
    void remove(const std::string &id) override;

    static QString environmentName(const std::string &id);

private:
    KeychainSecretStore m_keychain;
};

std::shared_ptr<SecretStore> makeSystemSecretStore();

} // namespace fd
