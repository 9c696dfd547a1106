#pragma once
#include "Frame.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// The rows of one fetched page of events, stored compactly for a table of millions of rows: a column of
// numbers as one int64/double array, a column of text as a per-column string table (equal values kept
// once, so a service name or a resource costs 4 bytes a row) of offsets into one UTF-8 arena. JSON
// columns stay their text and are parsed by whoever needs a value. A column whose cells mix types keeps
// the cells. Every cell reads back exactly as it came, in O(1).
class EventPage
{
public:
    EventPage() = default;
    explicit EventPage(const Frame &frame);

    std::size_t rowCount() const { return m_rows; }
    std::size_t columnCount() const { return m_columns.size(); }
    const std::string &columnName(std::size_t column) const { return m_columns[column].name; }
    ColumnType columnType(std::size_t column) const { return m_columns[column].type; }
    int columnIndex(const std::string &name) const; // -1 when absent

    bool isNull(std::size_t row, std::size_t column) const;
    // The cell as a number (0 for null, as cellToInt).
    std::int64_t integer(std::size_t row, std::size_t column) const;
    // Sets out to the cell's text; false when the cell is no text.
    bool text(std::size_t row, std::size_t column, std::string_view &out) const;
    // The cell as the frame had it.
    Cell cell(std::size_t row, std::size_t column) const;

    // Heap bytes held (for the benchmark's figures).
    std::size_t bytes() const;

private:
    enum class Storage { Null, Int, Double, Text, Cells };
    struct StoredColumn {
        std::string name;
        ColumnType type = ColumnType::String;
        Storage storage = Storage::Null;
        std::vector<std::int64_t> ints; // Int; Double as the bit pattern
        std::vector<bool> nulls; // Int and Double: empty when no cell is null
        std::vector<std::uint32_t> ids; // Text: index into ends, kNullId for null
        std::vector<std::uint32_t> ends; // Text: where each distinct string ends in arena
        std::string arena;
        std::vector<Cell> cells; // Cells
    };
    static constexpr std::uint32_t kNullId = 0xffffffffu;

    static StoredColumn store(const Column &column);
    static void storeText(const Column &column, StoredColumn &out);

    std::size_t m_rows = 0;
    std::vector<StoredColumn> m_columns;
};

} // namespace fd
