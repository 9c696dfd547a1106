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
    // `formats`: what --format takes, as its help says it; nullptr: no --format.
    static void addCommonOptions(QCommandLineParser &parser, bool withRange = true, const char *formats = "table, json or csv");

    explicit CliContext(const QCommandLineParser &parser);
    // A trace id as typed (spaces around it, as a copy from a table gives it) as the store keeps ids; an Error when empty.
    static std::string traceId(const QString &typed);

    // The workspace named by --workspace, loaded once; nullopt without one. Throws fd::Error.
    const Workspace *workspace();
    // The store file: --store, else the workspace source (store type), else the default store.
    QString storePath();
    // sourceOverride (a query's own source), else --source of the workspace (any type), else the store.
    DataSourcePtr dataSource(const std::string &sourceOverride = {});
    // Where to look for a trace: the source --source names and no other (the trace id goes to no engine the
    // user did not choose); without it, every source of the workspace in turn, the default first.
    DataSourcePtr traceSource();
    // --from/--to, else the workspace view range, else the last 24 hours.
    TimeRange timeRange();
    // --format, else table; one of `allowed` (table, json and csv by default).
    QString format(const QStringList &allowed = { QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv") }) const;

private:
    // Throws fd::Error when the workspace has no such source ("" -> the first).
    const SourceConfig &workspaceSource(const std::string &id);

    const QCommandLineParser &m_parser;
    std::optional<Workspace> m_workspace;
    bool m_workspaceLoaded = false;
};

// An option from Latin-1 literals; with a value name when `value` is given.
QCommandLineOption cliOption(const char *name, const char *help, const char *value = nullptr);

// Writes text to stdout / stderr as UTF-8.
void printOut(const std::string &text);
// JSON on stdout, indented; bytes that are no UTF-8 (a server's text in a message, a raw query's blob) as U+FFFD.
void printJson(const Json &j);
void printErr(const QString &text);
struct BoardResult;
// On stderr, after the board is printed or exported: its warnings (markers left out), and each tile that failed.
// The exit code: 1 when a tile failed (the board had exited 0 with every tile failed, exploratory test).
int reportBoardProblems(const BoardResult &r, const QString &command);

} // namespace fd
