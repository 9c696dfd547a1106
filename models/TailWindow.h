#pragma once
#include "TimeEdge.h"

#include <limits>
#include <map>
#include <unordered_set>

namespace fd {

// Where a live tail that polls by time goes on: from a little below the newest row shown, not from it, so that
// a row stamped before rows already shown but stored after them (a shipper's late batch, another stream, an
// index refresh) still comes, once. The rows shown in that reach are known by their cells, in steps of the
// source's time resolution as TimeEdge keys them. The reach is kReach below the newest row, or the steps of
// the newest kMaxKeys rows when those are fewer: each poll reads the known rows again.
class TailWindow
{
public:
    static constexpr DurationNs kReach = 30 * kSecond;
    static constexpr std::size_t kMaxKeys = 500;

    // floor: the lowest time whose rows are all shown (the first page's cut leaves some of its last step out).
    explicit TailWindow(DurationNs resolution = 1, TimeNs floor = std::numeric_limits<TimeNs>::min())
        : m_resolution(std::max<DurationNs>(resolution, 1))
        , m_from(floor)
    {
    }

    // Where the next poll starts, inclusive: every row shown from here on is known.
    TimeNs from() const { return m_from; }
    // The rows shown in the reach: a poll asks for this many rows more than a page.
    std::size_t rowsKnown() const { return m_keys.size(); }

    // The page's rows but those shown already and those below the reach (a source that ignored the range).
    template <class Page>
    std::vector<std::uint32_t> newRows(const Page &page) const
    {
        std::unordered_multiset<std::string> pending;
        for (const auto &[step, key] : m_keys)
            pending.insert(key);
        const int timeColumn = page.columnIndex("time");
        std::vector<std::uint32_t> rows;
        for (std::size_t r = 0; r < page.rowCount(); ++r) {
            if (TimeEdge::timeAt(page, timeColumn, r) < m_from)
                continue;
            if (const auto it = pending.find(TimeEdge::rowKey(page, r)); it != pending.end()) {
                pending.erase(it);
                continue;
            }
            rows.push_back(static_cast<std::uint32_t>(r));
        }
        return rows;
    }

    // The rows are shown now; the reach moves up with the newest of them.
    template <class Page>
    void add(const Page &page, const std::vector<std::uint32_t> &rows)
    {
        const int timeColumn = page.columnIndex("time");
        for (std::uint32_t r : rows) {
            const TimeNs t = TimeEdge::timeAt(page, timeColumn, r);
            if (t < m_from)
                continue;
            const TimeNs step = alignDown(t, m_resolution);
            m_keys.emplace(step, TimeEdge::rowKey(page, r));
            m_newestStep = std::max(m_newestStep, step);
        }
        trim();
    }

private:
    void trim()
    {
        if (m_keys.empty())
            return;
        raiseFrom(alignDown(saturatedSub(m_newestStep, kReach), m_resolution));
        while (m_keys.size() > kMaxKeys && m_keys.begin()->first < m_newestStep)
            raiseFrom(saturatedAdd(m_keys.begin()->first, m_resolution));
    }
    // Rows below `from` are forgotten whole steps at a time: a step is known entirely or not at all.
    void raiseFrom(TimeNs from)
    {
        if (from <= m_from)
            return;
        m_from = from;
        m_keys.erase(m_keys.begin(), m_keys.lower_bound(from));
    }

    DurationNs m_resolution;
    TimeNs m_from;
    TimeNs m_newestStep = std::numeric_limits<TimeNs>::min();
    std::multimap<TimeNs, std::string> m_keys; // by step
};

} // namespace fd
