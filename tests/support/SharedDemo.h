#pragma once
// The demo workspace that CTest's demo_workspace fixture writes once per run (tests/CMakeLists.txt), for the tests
// that open it: under the sanitizers a demo takes ~55 s to write. Its store is shared, so a test must not write to
// it (every store source opens it read-only; an import needs a store of its own, see workspaceWithStore).
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QString>

#include <optional>

namespace fdtest {

struct DemoFiles {
    QString store, workspace;
};

// Writes the workspace `from` to `to` with its embedded store at `storePath` (a workspace names its store
// relative to its own folder, so a copy elsewhere must name it again).
inline bool workspaceWithStore(const QString &from, const QString &to, const QString &storePath)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    QJsonObject workspace = QJsonDocument::fromJson(in.readAll()).object();
    QJsonArray sources = workspace.value(QStringLiteral("sources")).toArray();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        QJsonObject source = sources.at(i).toObject();
        if (source.value(QStringLiteral("type")).toString() == QStringLiteral("store")) {
            source.insert(QStringLiteral("path"), storePath);
            sources.replace(i, source);
        }
    }
    workspace.insert(QStringLiteral("sources"), sources);
    QSaveFile out(to);
    return out.open(QIODevice::WriteOnly) && out.write(QJsonDocument(workspace).toJson()) >= 0 && out.commit();
}

// A copy in `folder` of the fixture's workspace, on the fixture's store. Nothing when the fixture has not run (a
// test started on its own) or its demo is too old: the demo ends when it is written, and the board's checks expect
// that end near "now". The caller writes a demo of its own then.
inline std::optional<DemoFiles> copyOfSharedDemo(const QString &folder)
{
    constexpr qint64 kMaxAgeSeconds = 5 * 60;
    const DemoFiles shared{QStringLiteral(FD_TEST_DEMO_DIR "/demo.sqlite"), QStringLiteral(FD_TEST_DEMO_DIR "/demo.flightdeck.json")};
    const QFileInfo workspace(shared.workspace);
    if (!workspace.exists() || !QFileInfo::exists(shared.store)
        || workspace.lastModified().secsTo(QDateTime::currentDateTime()) > kMaxAgeSeconds)
        return std::nullopt;
    const DemoFiles copy{shared.store, folder + QStringLiteral("/demo.flightdeck.json")};
    if (!workspaceWithStore(shared.workspace, copy.workspace, copy.store))
        return std::nullopt;
    return copy;
}

} // namespace fdtest
