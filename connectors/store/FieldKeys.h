#pragma once
#include "models/Json.h"
#include "models/Query.h"
#include "models/Time.h"
#include <map>
#include <string>
#include <string_view>

struct sqlite3;

namespace fd {

// The attribute keys a batch brings, per signal and metric, with the times they were seen; kept in
// the store's field_keys table so completion lists every key of a range without scanning records.
// Nested objects give dotted paths ({"http": {"status": 500}} gives http.status).
class FieldKeys
{
public:
    void add(Signal signal, std::string_view metric, const Json &attributes, TimeNs time);
    // One key path (dotted for nested objects), as the import's scanner finds them.
    void addPath(Signal signal, std::string_view metric, std::string_view path, TimeNs time);
    bool empty() const { return m_seen.empty(); }
    bool operator==(const FieldKeys &) const = default;
    // Upserts into field_keys (inside the caller's transaction).
    void save(sqlite3 *db) const;

private:
    struct Seen {
        TimeNs first;
        TimeNs last;
        bool operator==(const Seen &) const = default;
    };
    using Keys = std::map<std::string, Seen, std::less<>>;
    Keys &scope(Signal signal, std::string_view metric);
    static void note(Keys &keys, std::string_view path, TimeNs time);
    static void walk(Keys &keys, const Json &object, const std::string &prefix, TimeNs time, int depth);
    std::map<std::pair<int, std::string>, Keys> m_seen; // (signal, metric) -> key -> times
};

} // namespace fd
