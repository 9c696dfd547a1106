#pragma once
#include "Query.h"

#include <string>
#include <vector>

namespace fd {

// The parts of a query a backend's language cannot say, collected so that one error names them all
// ("LogQL cannot express: …; …") instead of failing at the first or dropping them silently.
class Unexpressible
{
public:
    explicit Unexpressible(std::string language);

    void add(std::string part);
    // `"<condition as written>" (why)`
    void addCondition(const Condition &c, const std::string &why);
    // A signal the backend does not hold: `signal "logs" (why)`.
    void addSignal(Signal signal, const std::string &why);
    // What a trace search (Jaeger, Tempo) never says: full-text search, group by, aggregate, interval.
    void addTraceSearchExtras(const Query &q, const std::string &intervalWhy);
    bool empty() const { return m_parts.empty(); }
    // Throws fd::Error naming every part; does nothing when there is none.
    void throwIfAny() const;

private:
    std::string m_language;
    std::vector<std::string> m_parts;
};

} // namespace fd
