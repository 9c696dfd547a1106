#include "SystemSecretStore.h"
#include "models/Credential.h"

namespace fd {

QString SystemSecretStore::environmentName(const std::string &id)
{
    QString name = QStringLiteral("FLIGHTDECK_CREDENTIAL_");
    for (const QChar c : QString::fromStdString(id))
        name += (c.isLetterOrNumber() && c.unicode() < 128) ? c.toUpper() : QChar(u'_');
    return name;
}

std::optional<std::string> SystemSecretStore::read(const std::string &id)
{
    const QByteArray fromEnvironment = qgetenv(environmentName(id).toLatin1().constData());
    if (fromEnvironment.trimmed().startsWith('{'))
        return fromEnvironment.toStdString();
    if (!fromEnvironment.trimmed().isEmpty()) // the token itself, as a CI secret holds it, often with a line end after
        return credentialToJson({Credential::Kind::Bearer, {}, {}, fromEnvironment.trimmed().toStdString()});
    return m_keychain.read(id);
}

void SystemSecretStore::write(const std::string &id, const std::string &secret)
{
    m_keychain.write(id, secret);
}

void SystemSecretStore::remove(const std::string &id)
{
    m_keychain.remove(id);
}

std::shared_ptr<SecretStore> makeSystemSecretStore()
{
    return std::make_shared<SystemSecretStore>();
}

} // namespace fd
