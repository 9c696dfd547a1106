#include "ValueCounts.h"
#include <algorithm>
#include <cmath>
#include <cstring>

namespace fd {

namespace {

void setKey(std::string &key, char tag, std::int64_t n)
{
    key.assign(1, tag);
    key.append(reinterpret_cast<const char *>(&n), sizeof n);
}

// A key per value: a whole double is the integer it equals, as SQLite compares them.
void keyOf(const Cell &cell, std::string &key)
{
    if (const auto *n = std::get_if<std::int64_t>(&cell)) {
        setKey(key, 'i', *n);
    } else if (const auto *d = std::get_if<double>(&cell)) {
        constexpr double kInt64End = 9223372036854775808.0; // 2^63
        if (std::trunc(*d) == *d && *d >= -kInt64End && *d < kInt64End) {
            setKey(key, 'i', static_cast<std::int64_t>(*d));
        } else {
            std::int64_t bits = 0;
            std::memcpy(&bits, d, sizeof bits);
            setKey(key, 'd', bits);
        }
    } else if (const auto *s = std::get_if<std::string>(&cell)) {
        key.assign(1, 's');
        key += *s;
    } else {
        key.assign(1, 'n');
    }
}

} // namespace

bool ValueCounts::add(const Cell &cell)
{
    if (m_dropped)
        return false;
    keyOf(cell, m_key);
    if (const auto it = m_entries.find(m_key); it != m_entries.end()) {
        ++it->second.count;
        return false;
    }
    m_entries.emplace(m_key, Entry { cell, 1, m_entries.size() });
    return true;
}

void ValueCounts::drop()
{
    m_dropped = true;
    m_entries = {};
}

std::vector<std::pair<Cell, std::int64_t>> ValueCounts::top(std::size_t n) const
{
    std::vector<const Entry *> entries;
    entries.reserve(m_entries.size());
    for (const auto &[key, entry] : m_entries)
        entries.push_back(&entry);
    const auto more = [](const Entry *a, const Entry *b) {
        return a->count != b->count ? a->count > b->count : a->order < b->order;
    };
    const auto end = entries.begin() + static_cast<std::ptrdiff_t>(std::min(n, entries.size()));
    std::partial_sort(entries.begin(), end, entries.end(), more);
    std::vector<std::pair<Cell, std::int64_t>> out;
    for (auto it = entries.begin(); it != end; ++it)
        out.emplace_back((*it)->value, (*it)->count);
    return out;
}

} // namespace fd
