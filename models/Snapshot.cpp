#include "Snapshot.h"
#include "CellJson.h"
#include "Error.h"

namespace fd {

namespace {
ColumnType columnTypeFromName(const std::string &name)
{
    for (ColumnType t : {ColumnType::Time, ColumnType::Int64, ColumnType::Double, ColumnType::String, ColumnType::Json})
        if (name == columnTypeName(t))
            return t;
    throw Error("snapshot: unknown column type \"" + name + "\"");
}

Cell cellFromJson(const Json &v, ColumnType type)
{
    if (v.is_null())
        return std::monostate{};
    if (v.is_string())
        return v.get<std::string>();
    if (!v.is_number())
        throw Error(std::string("snapshot: a cell must be null, a number or a text"));
    if (type != ColumnType::Double && v.is_number_integer())
        if (const auto n = jsonInt64(v))
            return *n;
    return v.get<double>(); // a float, or an integer past int64, which a cast would wrap
}

TimeNs timeFromJson(const Json &j, const char *key)
{
    const std::optional<TimeNs> t = parseTime(QString::fromStdString(jsonField<std::string>(j, key, {})), 0);
    if (!t)
        throw Error(std::string("snapshot: \"") + key + "\" must be an RFC 3339 time");
    return *t;
}
} // namespace

Json snapshotToJson(const Snapshot &s)
{
    const Frame &f = *s.frame;
    Json columns = Json::array(), rows = Json::array();
    for (const Column &c : f.columns)
        columns.push_back({{"name", c.name}, {"type", columnTypeName(c.type)}});
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        Json row = Json::array();
        for (const Column &c : f.columns)
            row.push_back(cellToRawJson(c.cells[r]));
        rows.push_back(std::move(row));
    }
    Json out = {{"taken", formatRfc3339Std(s.taken)},
                {"from", formatRfc3339Std(s.range.from)},
                {"to", formatRfc3339Std(s.range.to)},
                {"native_query", f.nativeQuery},
                {"truncated", f.truncated},
                {"total", f.total},
                {"columns", std::move(columns)},
                {"rows", std::move(rows)}};
    if (!f.notes.empty())
        out["notes"] = f.notes;
    if (!f.statistics.empty())
        out["statistics"] = f.statistics;
    if (f.step > 0)
        out["step"] = formatDuration(f.step).toStdString();
    return out;
}

Snapshot snapshotFromJson(const Json &j)
{
    if (!j.is_object() || !j.contains("columns") || !j["columns"].is_array() || !j.contains("rows") || !j["rows"].is_array())
        throw Error(std::string("snapshot: needs \"columns\" and \"rows\" arrays"));
    auto frame = std::make_shared<Frame>();
    for (const Json &c : j["columns"]) {
        if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
            throw Error(std::string("snapshot: each column needs a \"name\""));
        frame->columns.push_back({c["name"].get<std::string>(), columnTypeFromName(jsonField<std::string>(c, "type", "string")), {}});
    }
    for (const Json &row : j["rows"]) {
        if (!row.is_array() || row.size() != frame->columns.size())
            throw Error("snapshot: each row needs " + std::to_string(frame->columns.size()) + " cells");
        for (std::size_t c = 0; c < row.size(); ++c)
            frame->columns[c].cells.push_back(cellFromJson(row[c], frame->columns[c].type));
    }
    frame->nativeQuery = jsonField<std::string>(j, "native_query", {});
    frame->truncated = jsonField<bool>(j, "truncated", false);
    const auto total = j.contains("total") ? jsonInt64(j["total"]) : std::optional<std::int64_t>(frame->rowCount());
    if (!total || *total < 0)
        throw Error("snapshot: \"total\" must be a count of rows, not " + j["total"].dump());
    frame->total = *total;
    if (j.contains("notes") && j["notes"].is_array())
        for (const Json &n : j["notes"])
            if (n.is_string())
                frame->notes.push_back(n.get<std::string>());
    frame->statistics = jsonField<std::string>(j, "statistics", {});
    if (const std::string step = jsonField<std::string>(j, "step", {}); !step.empty()) {
        const auto d = parseDuration(QString::fromStdString(step));
        if (!d || *d <= 0)
            throw Error("snapshot: invalid step \"" + step + "\" (e.g. 30s, 5m)");
        frame->step = *d;
    }
    return {timeFromJson(j, "taken"), {timeFromJson(j, "from"), timeFromJson(j, "to")}, std::move(frame)};
}

QString snapshotSummary(const Snapshot &s)
{
    const auto time = [](TimeNs t) { return formatRfc3339(t).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')); };
    const std::size_t rows = s.frame ? s.frame->rowCount() : 0;
    return QStringLiteral("%1 %2 of %3 – %4 UTC, taken %5 UTC")
        .arg(QString::number(rows), rows == 1 ? QStringLiteral("row") : QStringLiteral("rows"), time(s.range.from),
             time(s.range.to), time(s.taken));
}

} // namespace fd
