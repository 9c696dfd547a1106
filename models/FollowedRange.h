#pragma once
#include "Time.h"
#include <functional>
#include <utility>

namespace fd {

// A view's time range: fixed, or followed, that is asked again of `now` (the picker's "last 24 hours") as each
// run starts, so that a query run an hour later searches the last 24 hours, not the 24 before the view opened.
class FollowedRange {
public:
    void fix(const TimeRange &range)
    {
        m_now = nullptr;
        m_range = range;
    }
    void follow(std::function<TimeRange()> now)
    {
        m_now = std::move(now);
        m_range = m_now();
    }
    // The range of a run starting now.
    const TimeRange &renew()
    {
        if (m_now)
            m_range = m_now();
        return m_range;
    }
    // Moves the range (the live tail's growth) without ending the following: the next run asks `now` again.
    void stretch(const TimeRange &range) { m_range = range; }
    const TimeRange &current() const { return m_range; }

private:
    std::function<TimeRange()> m_now; // set: followed
    TimeRange m_range;
};

} // namespace fd
