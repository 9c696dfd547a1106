#pragma once
#include "Frame.h"
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fd {

// How often each value of one column occurs, as a GROUP BY tells values apart (500 and 500.0 are one, 500
// and "500" two). drop() forgets them all (a column of ids that would take too much memory, to be counted
// another way).
class ValueCounts
{
public:
    // Returns the bytes a new value takes (its text and the map's own), 0 for a value seen before.
    std::size_t add(const Cell &cell);
    std::size_t distinct() const { return m_entries.size(); }
    std::size_t bytes() const { return m_bytes; }
    void drop();
    bool dropped() const { return m_dropped; }
    // The n most frequent values, most first; ties in the order first seen. A whole double is given as the
    // integer it equals.
    std::vector<std::pair<Cell, std::int64_t>> top(std::size_t n) const;

private:
    struct Entry {
        std::int64_t count = 0;
        std::size_t order = 0;
    };
    bool m_dropped = false;
    std::size_t m_bytes = 0;
    std::unordered_map<std::string, Entry> m_entries; // by key (keyOf), which holds the value
    std::string m_key;                                // reused: no allocation per cell of a value seen before
};

} // namespace fd
