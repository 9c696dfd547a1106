#pragma once
#include "EventPage.h"
#include "Frame.h"
#include "Time.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace fd {

// Where a result ordered by time goes on (keyset paging): the next page asks for the range from the edge's
// step on, inclusive (ranges are half-open), and leaves out the rows of that step it had already, known by
// their cells. The step is the source's time resolution (SourceCapabilities::timeResolution): a source that
// orders by the millisecond returns a millisecond's rows in any order, so all of them are the edge's.
// Pages are EventPages (the event table) or Frames (an export).
class TimeEdge
{
public:
    explicit TimeEdge(DurationNs resolution = 1) : m_resolution(std::max<DurationNs>(resolution, 1)) {}

    // The first nanosecond of the edge's step.
    TimeNs time() const { return m_step; }
    // Just past the edge's step: a newest-first page goes on from the range up to here.
    TimeNs stepEnd() const { return saturatedAdd(m_step, m_resolution); }
    // Rows of the edge's step had already: a further page asks for this many rows more than a page.
    std::size_t rowsAtTime() const { return m_keys.size(); }

    // The page's rows but those had already (in the edge's step, the query returns them again).
    template <class Page>
    std::vector<std::uint32_t> newRows(const Page &page) const
    {
        std::unordered_multiset<std::string> pending(m_keys.begin(), m_keys.end());
        const int timeColumn = page.columnIndex("time");
        std::vector<std::uint32_t> rows;
        rows.reserve(page.rowCount());
        for (std::size_t r = 0; r < page.rowCount(); ++r) {
            if (!pending.empty() && stepOf(timeAt(page, timeColumn, r)) == m_step) {
                if (const auto it = pending.find(rowKey(page, r)); it != pending.end()) {
                    pending.erase(it);
                    continue;
                }
            }
            rows.push_back(static_cast<std::uint32_t>(r));
        }
        return rows;
    }

    // The edge moves to the step of rows' last (edgeIsLast) or first row, with the rows in that step.
    template <class Page>
    void advance(const Page &page, const std::vector<std::uint32_t> &rows, bool edgeIsLast)
    {
        if (rows.empty())
            return;
        const int timeColumn = page.columnIndex("time");
        const TimeNs step = stepOf(timeAt(page, timeColumn, edgeIsLast ? rows.back() : rows.front()));
        if (m_keys.empty() || step != m_step) {
            m_step = step;
            m_keys.clear();
        }
        for (std::uint32_t r : rows)
            if (stepOf(timeAt(page, timeColumn, r)) == step)
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

    // A row known by its cells.
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

private:
    static std::size_t columnCount(const EventPage &page) { return page.columnCount(); }
    static std::size_t columnCount(const Frame &frame) { return frame.columns.size(); }

    TimeNs stepOf(TimeNs t) const { return m_resolution == 1 ? t : alignDown(t, m_resolution); }

    DurationNs m_resolution;
    TimeNs m_step = 0;
    std::vector<std::string> m_keys;
};

} // namespace fd
