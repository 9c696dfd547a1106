#include "TimePager.h"
#include "Error.h"
#include "TimeEdge.h"

namespace fd {

namespace {

Frame onlyRows(const Frame &f, const std::vector<std::uint32_t> &rows)
{
    Frame out;
    out.columns.reserve(f.columns.size());
    for (const Column &c : f.columns) {
        Column picked { c.name, c.type, {} };
        picked.cells.reserve(rows.size());
        for (std::uint32_t r : rows)
            picked.cells.push_back(c.cells[r]);
        out.columns.push_back(std::move(picked));
    }
    out.notes = f.notes;
    out.total = static_cast<std::int64_t>(rows.size());
    return out;
}

} // namespace

void pageRowsByTime(DataSource &source, const Query &q, const TimeRange &range, int pageRows,
    const CancelTokenPtr &cancel, const std::function<void(const Frame &)> &page)
{
    TimeEdge edge(source.capabilitiesFor(q).timeResolution);
    TimeRange next = range;
    std::int64_t handedOver = 0;
    for (;;) {
        throwIfCancelled(cancel);
        Query pageQuery = q;
        pageQuery.limit = pageRows + static_cast<int>(edge.rowsAtTime());
        pageQuery.countTotal = false;
        const Frame f = source.query(pageQuery, next, cancel);
        std::vector<std::uint32_t> rows = edge.newRows(f);
        const int timeColumn = f.columnIndex("time");
        if (timeColumn >= 0) // a row outside the range asked is one handed over before (or none of the result)
            std::erase_if(rows, [&](std::uint32_t r) { return !next.contains(TimeEdge::timeAt(f, timeColumn, r)); });
        if (!rows.empty())
            page(onlyRows(f, rows));
        handedOver += static_cast<std::int64_t>(rows.size());
        if (!f.truncated && static_cast<int>(f.rowCount()) < pageQuery.limit)
            return;
        if (timeColumn < 0)
            throw Error(std::string("the source's rows have no time to read them a page at a time by"));
        if (rows.empty())
            throw Error("the source answered the same " + std::to_string(f.rowCount()) + " rows again after "
                + std::to_string(handedOver) + ": it cannot be read a page at a time by time");
        edge.advance(f, rows, true);
        next = q.oldestFirst ? TimeRange { edge.time(), range.to } : TimeRange { range.from, edge.stepEnd() };
    }
}

} // namespace fd
