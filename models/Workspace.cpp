#include "Workspace.h"
#include "Error.h"
#include "JsonDepth.h"
#include "SecretExposure.h"
#include "WorkspaceMigration.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <set>

namespace fd {

namespace {
std::string str(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw Error(std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
}

SourceConfig sourceFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("each source must be an object"));
    SourceConfig s;
    s.id = str(j, "id");
    s.type = str(j, "type");
    if (s.id.empty() || s.type.empty())
        throw Error(std::string("each source needs an \"id\" and a \"type\""));
    // such a key had been dropped without a word, and the source asked without it (exploratory test)
    if (const std::string key = secretKeyOfSource(j); !key.empty())
        throw Error("source " + s.id + ": \"" + key + "\" would keep a secret in the workspace file; give the source a "
                    "\"credential\" (kept in the system keychain) instead");
    s.path = str(j, "path");
    s.url = str(j, "url");
    s.credential = str(j, "credential");
    s.options = jsonObjectField(j, "options");
    return s;
}

Json sourceToJson(const SourceConfig &s)
{
    Json j = {{"id", s.id}, {"type", s.type}};
    if (!s.path.empty())
        j["path"] = s.path;
    if (!s.url.empty())
        j["url"] = s.url;
    if (!s.credential.empty())
        j["credential"] = s.credential;
    if (!s.options.empty())
        j["options"] = s.options;
    return j;
}

template <class T, class F>
std::vector<T> listFromJson(const Json &j, const char *key, F convert)
{
    std::vector<T> out;
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return out;
    if (!it->is_array())
        throw Error(std::string("\"") + key + "\" must be an array");
    for (const Json &item : *it)
        out.push_back(convert(item));
    return out;
}
} // namespace

const SourceConfig *Workspace::source(const std::string &id) const
{
    if (sources.empty())
        return nullptr;
    if (id.empty())
        return &sources.front();
    for (const SourceConfig &s : sources)
        if (s.id == id)
            return &s;
    return nullptr;
}

const Incident *Workspace::incident(const std::string &title) const
{
    if (incidents.empty())
        return nullptr;
    if (title.empty())
        return &incidents.front();
    for (const Incident &i : incidents)
        if (i.title == title)
            return &i;
    return nullptr;
}

const Board *Workspace::board(const std::string &name) const
{
    if (boards.empty())
        return nullptr;
    if (name.empty())
        return &boards.front();
    for (const Board &b : boards)
        if (b.name == name)
            return &b;
    return nullptr;
}

const Board &Workspace::requiredBoard(const std::string &name) const
{
    if (const Board *b = board(name))
        return *b;
    if (boards.empty())
        throw Error(std::string("the workspace has no boards"));
    throw Error("the workspace has no board \"" + name + "\"");
}

QString Workspace::storePath(const SourceConfig &s) const
{
    const QString path = QString::fromStdString(s.path);
    if (QFileInfo(path).isAbsolute() || filePath.isEmpty())
        return path;
    return QFileInfo(filePath).absoluteDir().filePath(path);
}

namespace {
// Gives each item whose name an earlier one has a name of its own ("Errors (2)"), and says so in notes.
template <class T>
void renameRepeats(std::vector<T> &items, std::string T::*name, const std::string &what, std::vector<std::string> &notes)
{
    std::set<std::string> taken, seen;
    for (const T &item : items)
        taken.insert(item.*name);
    for (T &item : items) {
        if (seen.insert(item.*name).second)
            continue;
        std::string renamed;
        for (int n = 2; renamed.empty() || taken.count(renamed); ++n)
            renamed = item.*name + " (" + std::to_string(n) + ")";
        notes.push_back(what + " \"" + item.*name + "\" came twice: the second is \"" + renamed + "\" now");
        taken.insert(renamed);
        seen.insert(renamed);
        item.*name = renamed;
    }
}

Workspace workspaceFromCheckedJson(const Json &original)
{
    Json j = original;
    const auto notes = migrateWorkspaceJson(j);
    Workspace w;
    w.loadedVersion = *jsonInt(original["flightdeck_workspace"]); // migrateWorkspaceJson checked it
    w.migrationNotes = notes;
    w.sources = listFromJson<SourceConfig>(j, "sources", sourceFromJson);
    w.queries = listFromJson<SavedQuery>(j, "queries", [](const Json &q) {
        if (!q.is_object())
            throw Error(std::string("each saved query must be an object"));
        SavedQuery saved{str(q, "name"), str(q, "folder"), queryFromJson(q.value("query", Json::object())), {}, str(q, "view")};
        if (q.contains("snapshot"))
            saved.snapshot = snapshotFromJson(q["snapshot"]);
        return saved;
    });
    w.boards = listFromJson<Board>(j, "boards", boardFromJson);
    // --board NAME had reached only the first of two, and a script found two tiles of one name (exploratory test);
    // refused, a workspace an older editor saved so would not open (review)
    renameRepeats(w.boards, &Board::name, "board", w.migrationNotes);
    for (Board &b : w.boards)
        renameRepeats(b.tiles, &Tile::name, "board \"" + b.name + "\": tile", w.migrationNotes);
    w.incidents = listFromJson<Incident>(j, "incidents", incidentFromJson);
    w.view = jsonObjectField(j, "view");
    const Json variables = jsonObjectField(w.view, "variables");
    for (const auto &[name, value] : variables.items())
        if (!value.is_string()) // had been left out, and "$service" searched for as it is (exploratory test)
            throwWrongType(("variable " + name).c_str(), value);
    const Json range = jsonObjectField(w.view, "time_range"); // the window and the command line read it unchecked
    str(range, "from");
    str(range, "to");
    return w;
}
} // namespace

Workspace workspaceFromJson(const Json &original)
{
    try {
        return workspaceFromCheckedJson(original);
    } catch (const Json::exception &e) { // a value of a type no check foresaw: an error, never a crash
        throw Error(std::string("a value has the wrong type: ") + jsonProblem(e));
    }
}

Json workspaceToJson(const Workspace &w)
{
    Json sources = Json::array(), queries = Json::array(), boards = Json::array(), incidents = Json::array();
    for (const SourceConfig &s : w.sources)
        sources.push_back(sourceToJson(s));
    for (const SavedQuery &q : w.queries) {
        Json item = {{"name", q.name}};
        if (!q.folder.empty())
            item["folder"] = q.folder;
        item["query"] = queryToJson(q.query);
        if (q.snapshot)
            item["snapshot"] = snapshotToJson(*q.snapshot);
        if (!q.view.empty())
            item["view"] = q.view;
        queries.push_back(std::move(item));
    }
    for (const Board &b : w.boards)
        boards.push_back(boardToJson(b));
    for (const Incident &i : w.incidents)
        incidents.push_back(incidentToJson(i));
    return {{"flightdeck_workspace", Workspace::kFormatVersion},
            {"sources", sources},
            {"queries", queries},
            {"boards", boards},
            {"incidents", incidents},
            {"view", w.view}};
}

Workspace loadWorkspace(const QString &path)
{
    if (const QFileInfo info(path); info.exists() && !info.isFile()) // a FIFO would be read for ever
        throw Error(QStringLiteral("workspace %1 is not a file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot open workspace %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    const Json j = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded())
        throw Error(QStringLiteral("workspace %1 is not valid JSON (truncated or damaged?)").arg(path));
    try {
        checkJsonDepth(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        Workspace w = workspaceFromJson(j);
        w.filePath = QFileInfo(path).absoluteFilePath();
        return w;
    } catch (const Error &e) {
        throw Error(QStringLiteral("workspace %1: %2").arg(path, e.message()));
    }
}

void saveWorkspace(const Workspace &w, const QString &path)
{
    if (w.loadedVersion < Workspace::kFormatVersion && QFileInfo::exists(path)) {
        const QString backup = path + QStringLiteral(".v%1.bak").arg(w.loadedVersion);
        if (!QFileInfo::exists(backup) && !QFile::copy(path, backup))
            throw Error(QStringLiteral("cannot keep a copy of the older workspace as %1").arg(backup));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("cannot write workspace %1: %2").arg(path, file.errorString()));
    const std::string text = workspaceToJson(w).dump(2) + "\n";
    if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) || !file.commit())
        throw Error(QStringLiteral("cannot write workspace %1: %2").arg(path, file.errorString()));
}

} // namespace fd
