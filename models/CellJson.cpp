#include "CellJson.h"

namespace fd {

Json cellToRawJson(const Cell &c)
{
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return *i;
    if (const auto *d = std::get_if<double>(&c))
        return *d;
    if (const auto *s = std::get_if<std::string>(&c))
        return *s;
    return nullptr;
}

Json groupCellJson(const Cell &c, ColumnType type)
{
    return type == ColumnType::Json ? cellToJson(c, type) : cellToRawJson(c);
}

} // namespace fd
