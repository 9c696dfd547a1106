#pragma once
#include "EventPage.h"
#include "Frame.h"
#include "Time.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// Where a result ordered by time goes on (keyset paging): the next page asks for the range from the edge's
// time on, inclusive (ranges are half-open), and leaves out the rows at that time it had already, known
// by their cells. Pages are EventPages (the event table) or Frames (an export).
class TimeEdge
{
public:
    TimeNs time() const { return m_time; }
    // Rows at the edge's time had already: a further page asks for this many rows more than a page.
    std::size_t rowsAtTime() const { return m_keys.size(); }

    // The page's rows but those had already (at the edge's time, the query returns them again).
    template <class Page>
    std::vector<std::uint32_t> newRows(const Page &page) const
    {
        std::vector<std::string> pending = m_keys;
        const int timeColumn = page.columnIndex("time");
        std::vector<std::uint32_t> rows;
        rows.reserve(page.rowCount());
        for (std::size_t r = 0; r < page.rowCount(); ++r) {
            if (!pending.empty() && timeAt(page, timeColumn, r) == m_time) {
                const auto it = std::find(pending.begin(), pending.end(), rowKey(page, r));
                if (it != pending.end()) {
                    pending.erase(it);
                    continue;
                }
            }
            rows.push_back(static_cast<std::uint32_t>(r));
        }
        return rows;
    }

    // The edge moves to the time of rows' last (edgeIsLast) or first row, with the rows at that time.
    template <class Page>
    void advance(const Page &page, const std::vector<std::uint32_t> &rows, bool edgeIsLast)
    {
        if (rows.empty())
            return;
        const int timeColumn = page.columnIndex("time");
        const TimeNs t = timeAt(page, timeColumn, edgeIsLast ? rows.back() : rows.front());
        if (m_keys.empty() || t != m_time) {
            m_time = t;
            m_keys.clear();
        }
        for (std::uint32_t r : rows)
            if (timeAt(page, timeColumn, r) == t)
                m_keys.push_back(rowKey(page, r));
    }

    // The time of a row (0 when the page has no time column, -1).
    static TimeNs timeAt(const EventPage &page, int column, std::size_t row)
    {
        return column < 0 ? 0 : page.integer(row, static_cast<std::size_t>(column));
    }
    static TimeNs timeAt(const Frame &frame, int column, std::size_t row)
    {
        return column < 0 ? 0 : cellToInt(frame.cell(row, static_cast<std::size_t>(column)));
    }

private:
    static std::size_t columnCount(const EventPage &page) { return page.columnCount(); }
    static std::size_t columnCount(const Frame &frame) { return frame.columns.size(); }
    template <class Page>
    static std::string rowKey(const Page &page, std::size_t row)
    {
        std::string key;
        for (std::size_t c = 0; c < columnCount(page); ++c) {
            key += cellToString(page.cell(row, c));
            key += '\x1f';
        }
        return key;
    }

    TimeNs m_time = 0;
    std::vector<std::string> m_keys;
};

} // namespace fd
