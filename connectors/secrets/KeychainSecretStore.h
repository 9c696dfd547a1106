#pragma once
#include "models/Credential.h"
#include <QString>

namespace fd {

// The system keychain through QtKeychain (Secret Service / KWallet on Linux, Keychain on macOS,
// Credential Manager on Windows). Entries live under the service "Flightdeck", keyed by credential id.
// Each call waits on a local event loop, so it works from any thread (never call it on the GUI thread:
// the keychain may ask the user to unlock it).
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("Flightdeck"));

    std::optional<std::string> read(const std::string &id) override;
    void write(const std::string &id, const std::string &secret) override;
    void remove(const std::string &id) override;

private:
    QString m_service;
};

} // namespace fd
