#include "FieldColumns.h"

namespace fd {

namespace {
Json objectAt(const Frame &f, int column, std::size_t row)
{
    const std::string *text = column < 0 ? nullptr : std::get_if<std::string>(&f.cell(row, std::size_t(column)));
    Json j = text ? parseJson(*text) : Json();
    return j.is_object() ? j : Json::object();
}

Cell fieldCell(const Json *v)
{
    if (!v || v->is_null())
        return {};
    if (const auto n = v->is_number_integer() ? jsonInt64(*v) : std::nullopt)
        return *n;
    if (v->is_number())
        return v->get<double>(); // a float, or an integer past int64
    return jsonValueText(*v);
}
} // namespace

const Json *findField(const Json &attributes, const Json &resource, std::string_view key)
{
    const Json *v = findDotted(attributes, key);
    return v ? v : findDotted(resource, key);
}

Frame withFieldColumns(Frame rows, const std::vector<std::string> &keys, const CancelTokenPtr &cancel)
{
    if (keys.empty())
        return rows;
    const int attributes = rows.columnIndex("attributes"), resource = rows.columnIndex("resource");
    const std::size_t first = rows.columns.size(), count = rows.rowCount();
    for (const std::string &key : keys)
        rows.columns.push_back({ key, ColumnType::String, {} });
    for (std::size_t r = 0; r < count; ++r) {
        if (r % 4096 == 0)
            throwIfCancelled(cancel);
        const Json fromAttributes = objectAt(rows, attributes, r), fromResource = objectAt(rows, resource, r);
        for (std::size_t c = first; c < rows.columns.size(); ++c)
            rows.columns[c].cells.push_back(fieldCell(findField(fromAttributes, fromResource, rows.columns[c].name)));
    }
    for (std::size_t c = first; c < rows.columns.size(); ++c)
        typeByCells(rows.columns[c]);
    return rows;
}

} // namespace fd
