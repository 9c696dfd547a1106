#include "TileEvents.h"
#include "WhatChanged.h"
#include <QStringList>

namespace fd {

namespace {

// WhatChanged names the warnings it looked at this way ("warnings and errors of auth, frontend").
const std::string kProblemPrefix = "warnings and errors of ";

std::vector<std::string> problemServices(const std::string &among)
{
    if (among.rfind(kProblemPrefix, 0) != 0)
        return {};
    std::vector<std::string> out;
    const QStringList names = QString::fromStdString(among.substr(kProblemPrefix.size())).split(QStringLiteral(", "));
    for (const QString &name : names)
        if (!name.trimmed().isEmpty())
            out.push_back(name.trimmed().toStdString());
    return out;
}

} // namespace

Query tileEventsQuery(const Tile &tile)
{
    Query q = tile.kind == "ratio" ? tile.denominator : tile.query;
    q.groupBy.clear();
    q.agg = {};
    q.interval = 0;
    q.raw.clear();
    return q;
}

Query changedValueFilter(const Tile &tile, const Json &change)
{
    const std::vector<std::string> services = problemServices(change.value("among", std::string()));
    Query q = services.empty() ? tileEventsQuery(tile) : problemLogs(services);
    const std::string field = change.value("field", std::string());
    if (!field.empty())
        q.where.push_back(textOnly({field, Op::Eq, change.value("value", Json())}));
    return q;
}

} // namespace fd
