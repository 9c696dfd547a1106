#include "LoadedRows.h"

namespace fd {

Frame LoadedRows::frame(const CancelTokenPtr &cancel) const
{
    Frame out;
    if (m_pages.empty())
        return out;
    const EventPage &first = *m_pages.front();
    for (std::size_t c = 0; c < first.columnCount(); ++c)
        out.columns.push_back({ first.columnName(c), first.columnType(c), {} });
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (i % 4096 == 0)
            throwIfCancelled(cancel);
        const EventPage &page = *m_pages[m_rows[i].page];
        for (std::size_t c = 0; c < out.columns.size() && c < page.columnCount(); ++c)
            out.columns[c].cells.push_back(page.cell(m_rows[i].row, c));
    }
    out.total = static_cast<std::int64_t>(out.rowCount());
    return out;
}

} // namespace fd
