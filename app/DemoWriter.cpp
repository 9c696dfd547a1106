#include "DemoWriter.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "connectors/store/FileLock.h"
#include "models/Error.h"
#include "models/Workspace.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <limits>
#include <sys/types.h>

// Resources of a static library must be registered by name, from the global namespace.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace fd {

namespace {
const QString kWritingSuffix = QStringLiteral(".writing-");

void removeStoreFiles(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal"), QStringLiteral("-lock")})
        QFile::remove(path + suffix);
}

// The demo's marked incident (incident_start .. incident_end) as a workspace incident, with the
// changes of its service around it on the timeline, so the Incidents tab has a worked example.
std::vector<Incident> demoIncidents(const QString &storePath)
{
    StoreSource store("local", storePath);
    const std::vector<Marker> markers = store.markers({0, nowNs() + kDay}, nullptr);
    std::vector<Incident> incidents;
    for (const Marker &start : markers) {
        if (start.kind != "incident_start")
            continue;
        Incident i;
        i.title = start.title.substr(start.title.find(": ") == std::string::npos ? 0 : start.title.find(": ") + 2);
        i.severity = start.attributes.value("severity", i.severity);
        i.service = start.service;
        i.start = start.time;
        i.owner = "on-call (demo)";
        for (const Marker &m : markers)
            if (m.kind == "incident_end" && m.service == start.service && m.time > start.time && !i.end)
                i.end = m.time;
        i.status = i.end ? "resolved" : "open";
        i.summary = "Checkout errors rose after a deploy and fell back once it was rolled back.";
        i.impact = "Some checkouts failed while the deploy was live.";
        i.cause = "A checkout release; rolled back.";
        i.actionItems = {"Alert on the checkout error rate tile", "Canary checkout deploys for 30 minutes"};
        for (const Marker &m : markers)
            if (m.service == i.service && m.time >= i.start - kHour && m.time <= (i.end ? i.end : i.start + kHour))
                i.addEntry({m.time, "marker", m.kind + ": " + m.title, m.version.empty() ? std::string() : "version " + m.version,
                            {{"marker", markerToJson(m)}}, {}});
        incidents.push_back(std::move(i));
    }
    return incidents;
}

bool samePath(const QString &a, const QString &b)
{
    return QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

bool isDemoStore(const QString &path)
{
    try {
        Store store(path, Store::Mode::ReadOnly);
        SqliteStatement demo(store.handle(), "SELECT 1 FROM meta WHERE key = 'demo'");
        return demo.step();
    } catch (const Error &) {
        return false;
    }
}

bool isWorkspaceOf(const QString &workspacePath, const QString &storePath)
{
    try {
        const Workspace w = loadWorkspace(workspacePath);
        return !w.sources.empty() && w.sources.front().type == "store" && samePath(w.storePath(w.sources.front()), storePath);
    } catch (const Error &) {
        return false;
    }
}

const QString kInUse = QStringLiteral("store %1 is open for writing in another Flightdeck process (serve, the app's "
                                      "receiver, an import): stop it, or give demo another --store");

// demo had replaced a user's store and workspace, or any file at those paths, without a word (exploratory test).
// It replaces the app's own demo files, and elsewhere only a store it wrote and that store's workspace.
void checkDemoMayReplace(const QString &storePath, const QString &workspacePath)
{
    const QFileInfo store(storePath);
    if (store.exists() && !store.isFile()) // a FIFO had hung it (review)
        throw Error(QStringLiteral("store %1 is not a file").arg(storePath));
    if (!FileLock::alone(Store::writerLockPath(storePath)))
        throw Error(kInUse.arg(storePath));
    if (store.exists() && store.size() > 0 && !samePath(storePath, Store::demoStorePath()) && !isDemoStore(storePath))
        throw Error(QStringLiteral("%1 is not a demo store: demo replaces only a store it wrote; give another --store")
                        .arg(storePath));
    if (QFileInfo(workspacePath).exists() && !samePath(workspacePath, Store::demoWorkspacePath())
        && !isWorkspaceOf(workspacePath, storePath))
        throw Error(QStringLiteral("%1 is not the workspace of the demo store %2: demo will not replace it; give another "
                                   "--workspace").arg(workspacePath, storePath));
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
    w.incidents = demoIncidents(storePath);
    return w;
}
} // namespace

DemoSummary writeDemoFiles(const QString &storePath, const QString &workspacePath, const DemoOptions &options,
                           const CancelTokenPtr &cancel)
{
    checkDemoMayReplace(storePath, workspacePath);
    QDir().mkpath(QFileInfo(storePath).absolutePath());
    QDir().mkpath(QFileInfo(workspacePath).absolutePath());
    const QString real = Store::realPath(storePath); // a link's target is replaced, beside it, under its lock (review)
    const QString temp = real + kWritingSuffix + QString::number(QCoreApplication::applicationPid());
    removeStoreFiles(temp);
    removeAbandonedDemoWrites(real);
    DemoSummary summary;
    try {
        Store store(temp);
        store.setReleaseDetection(false); // the demo writes its own deploy markers
        summary = writeDemo(store, options, cancel);
        execSql(store.handle(), "INSERT OR REPLACE INTO meta(key, value) VALUES ('demo', '1')");
        // No -wal file may outlive the rename: it would be read as part of the new store.
        execSql(store.handle(), "PRAGMA journal_mode=DELETE");
    } catch (...) {
        removeStoreFiles(temp);
        throw;
    }
    {
        const std::optional<FileLock> alone = FileLock::alone(Store::writerLockPath(real)); // through the rename
        if (!alone) {
            removeStoreFiles(temp);
            throw Error(kInUse.arg(storePath));
        }
        QFile::remove(real + QStringLiteral("-wal"));
        QFile::remove(real + QStringLiteral("-shm"));
        if (std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(real).constData()) != 0) {
            removeStoreFiles(temp);
            throw Error(QStringLiteral("cannot replace %1").arg(storePath));
        }
        QFile::remove(Store::writerLockPath(temp)); // the store it locked has a name of its own now
    }
    {
        Store reopen(storePath); // back to WAL for readers and writers alike
    }
    saveWorkspace(demoWorkspace(storePath, workspacePath), workspacePath);
    return summary;
}

int removeAbandonedDemoWrites(const QString &storePath)
{
    const QFileInfo store(storePath);
    const QString prefix = store.fileName() + kWritingSuffix;
    QDir dir = store.absoluteDir();
    int removed = 0;
    for (const QString &name : dir.entryList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden)) {
        // "<pid>", "<pid>-wal", "<pid>.fulltext-XXXXXX" (a bulk load's full-text scratch file)
        const QString rest = name.mid(prefix.size());
        const qsizetype digits = std::find_if(rest.begin(), rest.end(), [](QChar c) { return !c.isDigit(); }) - rest.begin();
        bool ok = false;
        const qint64 pid = rest.left(digits).toLongLong(&ok);
        const bool gone = ok && pid > 0 && pid <= std::numeric_limits<pid_t>::max() && ::kill(pid_t(pid), 0) != 0
            && errno == ESRCH;
        if (gone && dir.remove(name))
            ++removed;
    }
    return removed;
}

bool demoIsStale(const QString &storePath, const QString &workspacePath)
{
    const QFileInfo store(storePath);
    if (!store.exists() || !QFileInfo::exists(workspacePath))
        return true;
    return store.lastModified().secsTo(QDateTime::currentDateTime()) > 3600;
}

} // namespace fd
