#include "TraceQuery.h"
#include "Error.h"
#include "Time.h"

namespace fd {

namespace {

// A bare number is in milliseconds, as in the trace list.
double durationMs(const QString &text, const char *which)
{
    bool isNumber = false;
    const double ms = text.trimmed().toDouble(&isNumber);
    if (isNumber && ms >= 0)
        return ms;
    if (const auto d = parseDuration(text))
        return static_cast<double>(*d) / 1e6;
    throw Error(std::string("invalid ") + which + " duration \"" + text.toStdString() + "\": use e.g. 250, 250ms or 1.5s");
}

} // namespace

std::vector<Condition> TraceQuery::conditions() const
{
    std::vector<Condition> where;
    if (!service.trimmed().isEmpty())
        where.push_back({"service.name", Op::Eq, service.trimmed().toStdString()});
    if (!operation.trimmed().isEmpty())
        where.push_back({"name", Op::Eq, operation.trimmed().toStdString()});
    if (!minDuration.trimmed().isEmpty())
        where.push_back({"duration_ms", Op::Ge, durationMs(minDuration, "minimum")});
    if (!maxDuration.trimmed().isEmpty())
        where.push_back({"duration_ms", Op::Le, durationMs(maxDuration, "maximum")});
    if (status == Status::Error)
        where.push_back({"status", Op::Eq, "error"});
    else if (status == Status::Ok)
        where.push_back({"status", Op::Ne, "error"}); // unset counts as ok: most spans never set it
    for (Condition &c : parseWhereList(attributes.toStdString()))
        where.push_back(std::move(c));
    return where;
}

} // namespace fd
