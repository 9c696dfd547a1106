#pragma once
#include "Board.h"
#include "Incident.h"
#include "Snapshot.h"
#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace fd {

struct SourceConfig {
    std::string id;
    std::string type; // store | prometheus | ...
    std::string path; // store: relative to the workspace file
    std::string url;
    std::string credential; // a keychain id, never the secret itself
    Json options = Json::object();
};

struct SavedQuery {
    std::string name;
    std::string folder;
    Query query;
    std::optional<Snapshot> snapshot; // its kept answer, shown instead of running it
    std::string view;                 // the tab it was saved from, and opens in: events, query, metrics; "" unknown
};

struct Workspace {
    static constexpr int kFormatVersion = 2; // see WorkspaceMigration.cpp
    std::vector<SourceConfig> sources;
    std::vector<SavedQuery> queries;
    std::vector<Board> boards;
    std::vector<Incident> incidents;
    Json view = Json::object();
    QString filePath; // where it was loaded from / saved to
    int loadedVersion = kFormatVersion; // of the file it was loaded from
    std::vector<std::string> migrationNotes; // what loading changed: an older version's shape, repeated names

    const Incident *incident(const std::string &title) const; // "" -> the first

    const SourceConfig *source(const std::string &id) const; // "" -> the first
    const Board *board(const std::string &name) const;        // "" -> the first
    const Board &requiredBoard(const std::string &name) const; // board(name), or an Error saying what there is
    // An absolute path for a store source.
    QString storePath(const SourceConfig &s) const;
};

Workspace workspaceFromJson(const Json &j);
Json workspaceToJson(const Workspace &w);
// Throws fd::Error with the file name and what is wrong; never touches the file.
Workspace loadWorkspace(const QString &path);
// Atomic (QSaveFile): a failed save leaves the old file whole. Saving over a file of an older format
// version first keeps a copy of it as FILE.vN.bak (once).
void saveWorkspace(const Workspace &w, const QString &path);

} // namespace fd
