#include "WorkspaceRecovery.h"
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace fd::WorkspaceRecovery {

QString recoveryPath(const QString &workspacePath)
{
    const QByteArray key = QCryptographicHash::hash(QFileInfo(workspacePath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery");
    return dir + QLatin1Char('/') + QFileInfo(workspacePath).completeBaseName() + QLatin1Char('-')
        + QString::fromLatin1(key.toHex().left(12)) + QStringLiteral(".json");
}

void write(const Workspace &edited, const QString &workspacePath)
{
    const QString path = recoveryPath(workspacePath);
    QDir().mkpath(QFileInfo(path).absolutePath());
    Workspace copy = edited;
    copy.loadedVersion = Workspace::kFormatVersion; // no .bak of a recovery copy
    saveWorkspace(copy, path);
}

std::optional<Workspace> pending(const QString &workspacePath)
{
    const QFileInfo recovery(recoveryPath(workspacePath));
    const QFileInfo original(workspacePath);
    if (!recovery.exists() || (original.exists() && recovery.lastModified() <= original.lastModified()))
        return std::nullopt;
    try {
        Workspace w = loadWorkspace(recovery.filePath());
        w.filePath = original.absoluteFilePath();
        return w;
    } catch (const std::exception &) {
        return std::nullopt; // a damaged recovery copy is no reason to refuse the workspace itself
    }
}

void discard(const QString &workspacePath)
{
    QFile::remove(recoveryPath(workspacePath));
}

} // namespace fd::WorkspaceRecovery
