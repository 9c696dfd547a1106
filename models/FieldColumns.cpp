#include "FieldColumns.h"

namespace fd {

namespace {
Json objectAt(const Frame &f, int column, std::size_t row)
{
    if (column < 0 || !std::holds_alternative<std::string>(f.cell(row, std::size_t(column))))
        return Json::object();
    Json j = parseJson(std::get<std::string>(f.cell(row, std::size_t(column))));
    return j.is_object() ? j : Json::object();
}
} // namespace

const Json *findField(const Json &attributes, const Json &resource, std::string_view key)
{
    const Json *v = findDotted(attributes, key);
    return v ? v : findDotted(resource, key);
}

Frame withFieldColumns(const Frame &rows, const std::vector<std::string> &keys)
{
    Frame out = rows;
    const std::size_t first = out.columns.size();
    for (const std::string &key : keys)
        if (out.columnIndex(key) < 0)
            out.columns.push_back({ key, ColumnType::String, {} });
    if (out.columns.size() == first)
        return out;
    const int attributes = rows.columnIndex("attributes"), resource = rows.columnIndex("resource");
    for (std::size_t r = 0; r < rows.rowCount(); ++r) {
        const Json fromAttributes = objectAt(rows, attributes, r), fromResource = objectAt(rows, resource, r);
        for (std::size_t c = first; c < out.columns.size(); ++c) {
            const Json *v = findField(fromAttributes, fromResource, out.columns[c].name);
            out.columns[c].cells.push_back(v ? Cell(jsonValueText(*v)) : Cell());
        }
    }
    return out;
}

} // namespace fd
