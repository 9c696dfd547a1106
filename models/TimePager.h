#pragma once
#include "DataSource.h"

namespace fd {

// Every row of a row query ordered by time (newest first; oldest first with Query::oldestFirst) from a
// source that answers at most a limit of rows a query: pages of pageRows, each next one asked from the last
// row's time on (TimeEdge, to the source's time resolution), so that no row is skipped or handed over twice
// however many share a time.
// `page` gets each page's new rows. Throws fd::Error when a full page brings no new row (a source that
// ignores the range, or caps the limit below the rows of one time).
void pageRowsByTime(DataSource &source, const Query &q, const TimeRange &range, int pageRows,
    const CancelTokenPtr &cancel, const std::function<void(const Frame &)> &page);

} // namespace fd
