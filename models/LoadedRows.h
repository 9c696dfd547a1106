#pragma once
#include "Cancel.h"
#include "EventPage.h"
#include "Frame.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace fd {

// Rows of an event table's pages in the order it shows them, holding the pages: frame() copies their cells
// and may run on another thread while the table goes on (a page never changes once loaded).
class LoadedRows
{
public:
    struct Ref {
        std::uint32_t page;
        std::uint32_t row;
    };

    LoadedRows() = default;
    LoadedRows(std::vector<std::shared_ptr<const EventPage>> pages, std::vector<Ref> rows)
        : m_pages(std::move(pages)), m_rows(std::move(rows))
    {
    }

    std::size_t size() const { return m_rows.size(); }
    // One frame typed like the first page; checks the token every few thousand rows.
    Frame frame(const CancelTokenPtr &cancel = {}) const;

private:
    std::vector<std::shared_ptr<const EventPage>> m_pages;
    std::vector<Ref> m_rows;
};

} // namespace fd
