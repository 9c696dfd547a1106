#include "ValueCounts.h"
#include "Numbers.h"
#include <algorithm>
#include <cmath>
#include <cstring>

namespace fd {

namespace {

constexpr std::size_t kEntryBytes = 64; // a hash node, its key's header and an entry, roughly

void setKey(std::string &key, char tag, std::int64_t n)
{
    key.assign(1, tag);
    key.append(reinterpret_cast<const char *>(&n), sizeof n);
}

std::int64_t keyNumber(const std::string &key)
{
    std::int64_t n = 0;
    std::memcpy(&n, key.data() + 1, sizeof n);
    return n;
}

// A key per value: a whole double is the integer it equals, as SQLite compares them.
void keyOf(const Cell &cell, std::string &key)
{
    if (const auto *n = std::get_if<std::int64_t>(&cell)) {
        setKey(key, 'i', *n);
    } else if (const auto *d = std::get_if<double>(&cell)) {
        if (const auto whole = truncatedInt64(*d); whole && static_cast<double>(*whole) == *d) {
            setKey(key, 'i', *whole);
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

Cell valueOf(const std::string &key)
{
    switch (key.front()) {
    case 'i': return keyNumber(key);
    case 'd': {
        const std::int64_t bits = keyNumber(key);
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 's': return key.substr(1);
    default: return Cell();
    }
}

} // namespace

std::size_t ValueCounts::add(const Cell &cell)
{
    if (m_dropped)
        return 0;
    keyOf(cell, m_key);
    if (const auto it = m_entries.find(m_key); it != m_entries.end()) {
        ++it->second.count;
        return 0;
    }
    m_entries.emplace(m_key, Entry { 1, m_entries.size() });
    const std::size_t bytes = m_key.size() + kEntryBytes;
    m_bytes += bytes;
    return bytes;
}

void ValueCounts::drop()
{
    m_dropped = true;
    m_entries = {};
    m_bytes = 0;
}

std::vector<std::pair<Cell, std::int64_t>> ValueCounts::top(std::size_t n) const
{
    using Counted = std::unordered_map<std::string, Entry>::value_type;
    std::vector<const Counted *> entries;
    entries.reserve(m_entries.size());
    for (const Counted &entry : m_entries)
        entries.push_back(&entry);
    const auto more = [](const Counted *a, const Counted *b) {
        return a->second.count != b->second.count ? a->second.count > b->second.count
                                                  : a->second.order < b->second.order;
    };
    const auto end = entries.begin() + static_cast<std::ptrdiff_t>(std::min(n, entries.size()));
    std::partial_sort(entries.begin(), end, entries.end(), more);
    std::vector<std::pair<Cell, std::int64_t>> out;
    for (auto it = entries.begin(); it != end; ++it)
        out.emplace_back(valueOf((*it)->first), (*it)->second.count);
    return out;
}

} // namespace fd
