#include "Unexpressible.h"
#include "Error.h"
#include "QueryText.h"

namespace fd {

Unexpressible::Unexpressible(std::string language)
    : m_language(std::move(language))
{
}

void Unexpressible::add(std::string part)
{
    m_parts.push_back(std::move(part));
}

void Unexpressible::addCondition(const Condition &c, const std::string &why)
{
    add("\"" + conditionToText(c) + "\" (" + why + ")");
}

void Unexpressible::addSignal(Signal signal, const std::string &why)
{
    add("signal \"" + signalName(signal) + "\" (" + why + ")");
}

void Unexpressible::addTraceSearchExtras(const Query &q, const std::string &intervalWhy)
{
    if (!q.search.empty())
        add("full-text search \"" + q.search + "\"");
    if (!q.groupBy.empty())
        add("group by " + joinText(q.groupBy, ", "));
    if (q.agg.kind != Aggregate::Kind::None)
        add("aggregate " + q.agg.text());
    if (q.interval > 0)
        add("an interval (" + intervalWhy + ")");
}

void Unexpressible::throwIfAny() const
{
    if (!m_parts.empty())
        throw Error(m_language + " cannot express: " + joinText(m_parts, "; "));
}

} // namespace fd
