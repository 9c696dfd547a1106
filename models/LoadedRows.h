#pragma once
#include "Cancel.h"
#include "EventPage.h"
#include "Frame.h"
#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fd {

// What the event table sorts its loaded rows by when the source cannot: a text column (case-insensitive),
// severity (the number, else the name's), or a field of the attributes, else of the resource.
struct RowSortKey {
    enum class Kind { Text, Severity, Field };
    Kind kind = Kind::Text;
    int column = -1;     // Text: the text's; Severity: the number's
    int nameColumn = -1; // Severity: the name's, for a row without a number
    std::string field;   // Field: a key, dotted paths as findDotted reads them
    int attributes = -1; // Field
    int resource = -1;   // Field
};

// A cell as the table shows it; empty for a column the page lacks.
QString pageText(const EventPage &page, std::size_t row, int column);
// A JSON column's object (attributes, resource); empty for anything else.
Json pageObject(const EventPage &page, std::size_t row, int column);
// The severity number of a row: its number, else the number of its name (severityText).
int pageSeverity(const EventPage &page, std::size_t row, int numberColumn, int nameColumn);

// A key of the rows' attributes or resources, and how many of the rows hold it.
struct KeyUse {
    std::string key;
    std::int64_t rows = 0;
    bool operator==(const KeyUse &) const = default;
};

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
    // The rows' positions in the key's order, rows alike in their order here; any thread, seconds for a
    // million rows sorted by an attribute (each row's JSON is parsed once).
    std::vector<std::uint32_t> sortedOrder(const RowSortKey &key, bool ascending, const CancelTokenPtr &cancel = {}) const;
    // Every top-level key of the two JSON columns (attributes, resource) with the rows holding it, the most held
    // first, then by name; any thread (each row's JSON is parsed: 50-300 ms for 5,000 wide events).
    std::vector<KeyUse> keyUse(int attributesColumn, int resourceColumn, const CancelTokenPtr &cancel = {}) const;

private:
    std::vector<std::shared_ptr<const EventPage>> m_pages;
    std::vector<Ref> m_rows;
};

} // namespace fd
