#include "EventPage.h"

#include <cstring>
#include <unordered_map>

namespace fd {

namespace {

enum class Kind { Null, Int, Double, Text };

Kind kindOf(const Cell &c)
{
    return static_cast<Kind>(c.index());
}

double bitsToDouble(std::int64_t bits)
{
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

std::int64_t doubleToBits(double d)
{
    std::int64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

} // namespace

EventPage::EventPage(const Frame &frame)
    : m_rows(frame.rowCount())
{
    m_columns.reserve(frame.columns.size());
    for (const Column &c : frame.columns)
        m_columns.push_back(store(c));
}

EventPage::StoredColumn EventPage::store(const Column &column)
{
    StoredColumn out;
    out.name = column.name;
    out.type = column.type;
    Kind kind = Kind::Null;
    bool mixed = false;
    for (const Cell &c : column.cells) {
        const Kind k = kindOf(c);
        if (k == Kind::Null)
            continue;
        if (kind != Kind::Null && k != kind)
            mixed = true;
        kind = k;
    }
    if (mixed) {
        out.storage = Storage::Cells;
        out.cells = column.cells;
        return out;
    }
    switch (kind) {
    case Kind::Null:
        out.storage = Storage::Null;
        return out;
    case Kind::Text:
        storeText(column, out);
        return out;
    case Kind::Int:
    case Kind::Double:
        break;
    }
    out.storage = kind == Kind::Int ? Storage::Int : Storage::Double;
    out.ints.reserve(column.cells.size());
    for (std::size_t r = 0; r < column.cells.size(); ++r) {
        const Cell &c = column.cells[r];
        if (const auto *i = std::get_if<std::int64_t>(&c)) {
            out.ints.push_back(*i);
        } else if (const auto *d = std::get_if<double>(&c)) {
            out.ints.push_back(doubleToBits(*d));
        } else {
            out.ints.push_back(0);
            if (out.nulls.empty())
                out.nulls.resize(column.cells.size());
            out.nulls[r] = true;
        }
    }
    return out;
}

void EventPage::storeText(const Column &column, StoredColumn &out)
{
    out.storage = Storage::Text;
    out.ids.reserve(column.cells.size());
    std::unordered_map<std::string_view, std::uint32_t> seen;
    for (const Cell &c : column.cells) {
        const auto *s = std::get_if<std::string>(&c);
        if (!s) {
            out.ids.push_back(kNullId);
            continue;
        }
        // The views point into the frame's cells, which outlive this loop.
        const auto [it, added] = seen.try_emplace(std::string_view(*s), static_cast<std::uint32_t>(out.ends.size()));
        if (added) {
            out.arena += *s;
            out.ends.push_back(static_cast<std::uint32_t>(out.arena.size()));
        }
        out.ids.push_back(it->second);
    }
    out.arena.shrink_to_fit();
    out.ends.shrink_to_fit();
}

int EventPage::columnIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].name == name)
            return static_cast<int>(i);
    return -1;
}

bool EventPage::isNull(std::size_t row, std::size_t column) const
{
    const StoredColumn &c = m_columns[column];
    switch (c.storage) {
    case Storage::Null:
        return true;
    case Storage::Int:
    case Storage::Double:
        return !c.nulls.empty() && c.nulls[row];
    case Storage::Text:
        return c.ids[row] == kNullId;
    case Storage::Cells:
        return fd::isNull(c.cells[row]);
    }
    return true;
}

std::int64_t EventPage::integer(std::size_t row, std::size_t column) const
{
    const StoredColumn &c = m_columns[column];
    if (c.storage == Storage::Int)
        return c.ints[row];
    return cellToInt(cell(row, column));
}

bool EventPage::text(std::size_t row, std::size_t column, std::string_view &out) const
{
    const StoredColumn &c = m_columns[column];
    if (c.storage == Storage::Cells) {
        const auto *s = std::get_if<std::string>(&c.cells[row]);
        if (s)
            out = *s;
        return s != nullptr;
    }
    if (c.storage != Storage::Text || c.ids[row] == kNullId)
        return false;
    const std::uint32_t id = c.ids[row];
    const std::uint32_t begin = id == 0 ? 0 : c.ends[id - 1];
    out = std::string_view(c.arena).substr(begin, c.ends[id] - begin);
    return true;
}

Cell EventPage::cell(std::size_t row, std::size_t column) const
{
    const StoredColumn &c = m_columns[column];
    if (isNull(row, column))
        return std::monostate{};
    switch (c.storage) {
    case Storage::Int:
        return c.ints[row];
    case Storage::Double:
        return bitsToDouble(c.ints[row]);
    case Storage::Text: {
        std::string_view s;
        text(row, column, s);
        return std::string(s);
    }
    case Storage::Cells:
        return c.cells[row];
    case Storage::Null:
        break;
    }
    return std::monostate{};
}

std::size_t EventPage::bytes() const
{
    std::size_t n = sizeof(*this) + m_columns.capacity() * sizeof(StoredColumn);
    for (const StoredColumn &c : m_columns) {
        n += c.ints.capacity() * sizeof(std::int64_t) + c.nulls.capacity() / 8;
        n += (c.ids.capacity() + c.ends.capacity()) * sizeof(std::uint32_t) + c.arena.capacity();
        n += c.cells.capacity() * sizeof(Cell);
        for (const Cell &cell : c.cells)
            if (const auto *s = std::get_if<std::string>(&cell))
                n += s->capacity() > 15 ? s->capacity() : 0;
    }
    return n;
}

} // namespace fd
