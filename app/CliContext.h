#pragma once
#include "models/DataSource.h"
#include "models/Workspace.h"
#include <QCommandLineParser>
#include <QString>
#include <optional>

namespace fd {

// Options every command shares (DESIGN.md, "Command line") and what they resolve to.
class CliContext
{
public:
    // Adds --store, --workspace, --source, --from, --to, --format to the parser.
    static void addCommonOptions(QCommandLineParser &parser, bool withRange = true, bool withFormat = true);

    explicit CliContext(const QCommandLineParser &parser);

    // The workspace named by --workspace, loaded once; nullopt without one. Throws fd::Error.
    const Workspace *workspace();
    // The store file: --store, else the workspace source (store type), else the default store.
    QString storePath();
    DataSourcePtr dataSource(const std::string &sourceOverride = {});
    // --from/--to, else the workspace view range, else the last 24 hours.
    TimeRange timeRange();
    QString format(const QString &fallback = QStringLiteral("table")) const;

private:
    const QCommandLineParser &m_parser;
    std::optional<Workspace> m_workspace;
    bool m_workspaceLoaded = false;
};

// Writes text to stdout / stderr as UTF-8.
void printOut(const std::string &text);
void printErr(const QString &text);

} // namespace fd
