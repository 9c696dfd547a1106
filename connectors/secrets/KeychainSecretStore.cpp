#include "KeychainSecretStore.h"
#include "models/Error.h"
#include <QEventLoop>
#include <qt6keychain/keychain.h>

namespace fd {

namespace {

// Runs a job to its end on a local event loop; returns its error code.
QKeychain::Error runJob(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    return job.error();
}

[[noreturn]] void fail(const char *what, const std::string &id, const QKeychain::Job &job)
{
    throw Error(QStringLiteral("the system keychain could not %1 credential \"%2\": %3")
                    .arg(QLatin1String(what), QString::fromStdString(id), job.errorString()));
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{
}

std::optional<std::string> KeychainSecretStore::read(const std::string &id)
{
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(QString::fromStdString(id));
    const QKeychain::Error error = runJob(job);
    if (error == QKeychain::EntryNotFound)
        return std::nullopt;
    if (error != QKeychain::NoError)
        fail("read", id, job);
    return job.textData().toStdString();
}

void KeychainSecretStore::write(const std::string &id, const std::string &secret)
{
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(QString::fromStdString(id));
    job.setTextData(QString::fromStdString(secret));
    if (runJob(job) != QKeychain::NoError)
        fail("store", id, job);
}

void KeychainSecretStore::remove(const std::string &id)
{
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(QString::fromStdString(id));
    const QKeychain::Error error = runJob(job);
    if (error != QKeychain::NoError && error != QKeychain::EntryNotFound)
        fail("delete", id, job);
}

} // namespace fd
