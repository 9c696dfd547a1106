#include "FieldKeys.h"
#include "SqliteStatement.h"

namespace fd {

namespace {
constexpr int kMaxDepth = 8;
// Keys that are really values (ids as keys) must not flood the table.
constexpr std::size_t kMaxKeys = 2000;
}

void FieldKeys::note(Keys &keys, std::string_view path, TimeNs time)
{
    if (const auto it = keys.find(path); it != keys.end()) {
        it->second.first = std::min(it->second.first, time);
        it->second.last = std::max(it->second.last, time);
    } else if (keys.size() < kMaxKeys) {
        keys.emplace(std::string(path), Seen{time, time});
    }
}

void FieldKeys::walk(Keys &keys, const Json &object, const std::string &prefix, TimeNs time, int depth)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool nested = it->is_object() && !it->empty() && depth < kMaxDepth;
        if (prefix.empty() && !nested) {
            note(keys, it.key(), time); // the common flat key: no string built
            continue;
        }
        const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (nested)
            walk(keys, *it, path, time, depth + 1);
        else
            note(keys, path, time);
    }
}

FieldKeys::Keys &FieldKeys::scope(Signal signal, std::string_view metric)
{
    auto it = m_seen.find(std::pair<int, std::string>(int(signal), metric)); // metric names are short
    if (it == m_seen.end())
        it = m_seen.emplace(std::pair<int, std::string>(int(signal), metric), Keys{}).first;
    return it->second;
}

void FieldKeys::add(Signal signal, std::string_view metric, const Json &attributes, TimeNs time)
{
    if (!attributes.is_object() || attributes.empty())
        return;
    walk(scope(signal, metric), attributes, {}, time, 0);
}

void FieldKeys::addPath(Signal signal, std::string_view metric, std::string_view path, TimeNs time)
{
    note(scope(signal, metric), path, time);
}

void FieldKeys::save(sqlite3 *db) const
{
    SqliteStatement st(db, "INSERT INTO field_keys(signal, metric, key, first_seen, last_seen) VALUES (?1,?2,?3,?4,?5) "
                           "ON CONFLICT(signal, metric, key) DO UPDATE SET "
                           "first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)");
    for (const auto &[scope, keys] : m_seen)
        for (const auto &[key, seen] : keys) {
            st.bind(1, std::int64_t(scope.first)).bind(2, scope.second).bind(3, key).bind(4, seen.first);
            st.bind(5, seen.last).run();
        }
}

} // namespace fd
