#include "DemoWriter.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/Workspace.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstdio>

// Resources of a static library must be registered by name, from the global namespace.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace fd {

namespace {
void removeStoreFiles(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(path + suffix);
}

Workspace demoWorkspace(const QString &storePath, const QString &workspacePath)
{
    initResources();
    QFile file(QStringLiteral(":/demo.flightdeck.json"));
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("the demo workspace template is missing from the application resources"));
    const QByteArray bytes = file.readAll();
    Workspace w = workspaceFromJson(Json::parse(bytes.begin(), bytes.end()));
    const QDir dir = QFileInfo(workspacePath).absoluteDir();
    const QString relative = dir.relativeFilePath(QFileInfo(storePath).absoluteFilePath());
    w.sources.front().path = (relative.startsWith(QLatin1String("..")) ? QFileInfo(storePath).absoluteFilePath() : relative)
                                 .toStdString();
    return w;
}
} // namespace

DemoSummary writeDemoFiles(const QString &storePath, const QString &workspacePath, const DemoOptions &options,
                           const CancelTokenPtr &cancel)
{
    QDir().mkpath(QFileInfo(storePath).absolutePath());
    QDir().mkpath(QFileInfo(workspacePath).absolutePath());
    const QString temp = storePath + QStringLiteral(".writing-") + QString::number(QCoreApplication::applicationPid());
    removeStoreFiles(temp);
    DemoSummary summary;
    try {
        Store store(temp);
        store.setReleaseDetection(false); // the demo writes its own deploy markers
        summary = writeDemo(store, options, cancel);
        // No -wal file may outlive the rename: it would be read as part of the new store.
        execSql(store.handle(), "PRAGMA journal_mode=DELETE");
    } catch (...) {
        removeStoreFiles(temp);
        throw;
    }
    QFile::remove(storePath + QStringLiteral("-wal"));
    QFile::remove(storePath + QStringLiteral("-shm"));
    if (std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(storePath).constData()) != 0) {
        removeStoreFiles(temp);
        throw Error(QStringLiteral("cannot replace %1").arg(storePath));
    }
    {
        Store reopen(storePath); // back to WAL for readers and writers alike
    }
    saveWorkspace(demoWorkspace(storePath, workspacePath), workspacePath);
    return summary;
}

bool demoIsStale(const QString &storePath, const QString &workspacePath)
{
    const QFileInfo store(storePath);
    if (!store.exists() || !QFileInfo::exists(workspacePath))
        return true;
    return store.lastModified().secsTo(QDateTime::currentDateTime()) > 3600;
}

} // namespace fd
