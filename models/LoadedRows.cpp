#include "LoadedRows.h"
#include "Json.h"
#include "Telemetry.h"
#include <QString>
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

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

QString pageText(const EventPage &page, std::size_t row, int column)
{
    if (column < 0 || static_cast<std::size_t>(column) >= page.columnCount())
        return {};
    std::string_view s;
    if (page.text(row, static_cast<std::size_t>(column), s))
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    return QString::fromStdString(cellToString(page.cell(row, static_cast<std::size_t>(column))));
}

Json pageObject(const EventPage &page, std::size_t row, int column)
{
    std::string_view text;
    if (column < 0 || static_cast<std::size_t>(column) >= page.columnCount()
        || !page.text(row, static_cast<std::size_t>(column), text))
        return Json::object();
    Json j = parseJson(std::string(text));
    return j.is_object() ? j : Json::object();
}

int pageSeverity(const EventPage &page, std::size_t row, int numberColumn, int nameColumn)
{
    if (numberColumn >= 0 && static_cast<std::size_t>(numberColumn) < page.columnCount()
        && !page.isNull(row, static_cast<std::size_t>(numberColumn)))
        return static_cast<int>(page.integer(row, static_cast<std::size_t>(numberColumn)));
    return severityFromName(pageText(page, row, nameColumn).toStdString());
}

namespace {
QString fieldText(const EventPage &page, std::size_t row, const RowSortKey &key)
{
    for (const int column : {key.attributes, key.resource})
        if (const Json object = pageObject(page, row, column); const Json *v = findDotted(object, key.field))
            return QString::fromStdString(jsonValueText(*v));
    return {};
}

template <class Key, class Less>
std::vector<std::uint32_t> orderBy(const std::vector<Key> &keys, Less less, const CancelTokenPtr &cancel)
{
    std::vector<std::uint32_t> order(keys.size());
    std::iota(order.begin(), order.end(), 0U);
    std::size_t compared = 0;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (++compared % 65536 == 0)
            throwIfCancelled(cancel);
        return less(keys[a], keys[b]);
    });
    return order;
}
} // namespace

namespace {
// A key, or the dotted paths of the values inside it when it holds an object: an imported JSON line's
// {"http": {"status": 500}} offers http.status (as Honeycomb's columns do), which findDotted and the sources read.
void addLeafKeys(std::set<std::string> &keys, const std::string &key, const Json &value, int depth = 0)
{
    constexpr int kMaxDepth = 8; // deeper objects are offered whole
    if (!value.is_object() || value.empty() || depth >= kMaxDepth) {
        keys.insert(key);
        return;
    }
    for (const auto &[inner, innerValue] : value.items())
        addLeafKeys(keys, key + "." + inner, innerValue, depth + 1);
}
} // namespace

std::vector<KeyUse> LoadedRows::keyUse(int attributesColumn, int resourceColumn, const CancelTokenPtr &cancel) const
{
    std::map<std::string, std::int64_t> seen;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (i % 256 == 0)
            throwIfCancelled(cancel);
        const EventPage &page = *m_pages[m_rows[i].page];
        std::set<std::string> keys; // a key in both the attributes and the resource counts its row once
        for (const int column : {attributesColumn, resourceColumn}) {
            const Json object = pageObject(page, m_rows[i].row, column); // named: items() of a temporary dangles
            for (const auto &[key, value] : object.items())
                addLeafKeys(keys, key, value);
        }
        for (const std::string &key : keys)
            ++seen[key];
    }
    std::vector<KeyUse> out;
    out.reserve(seen.size());
    for (auto &[key, rows] : seen)
        out.push_back({key, rows});
    std::stable_sort(out.begin(), out.end(), [](const KeyUse &a, const KeyUse &b) { return a.rows > b.rows; });
    return out;
}

std::vector<std::uint32_t> LoadedRows::sortedOrder(const RowSortKey &key, bool ascending, const CancelTokenPtr &cancel) const
{
    const auto each = [&](auto keyOf) {
        std::vector<decltype(keyOf(EventPage(), 0))> keys;
        keys.reserve(m_rows.size());
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (i % 4096 == 0)
                throwIfCancelled(cancel);
            keys.push_back(keyOf(*m_pages[m_rows[i].page], m_rows[i].row));
        }
        return keys;
    };
    if (key.kind == RowSortKey::Kind::Severity) {
        const auto keys = each([&key](const EventPage &page, std::size_t row) {
            return pageSeverity(page, row, key.column, key.nameColumn);
        });
        return orderBy(keys, [ascending](int a, int b) { return ascending ? a < b : a > b; }, cancel);
    }
    const auto keys = each([&key](const EventPage &page, std::size_t row) {
        return key.kind == RowSortKey::Kind::Field ? fieldText(page, row, key) : pageText(page, row, key.column);
    });
    return orderBy(keys, [ascending](const QString &a, const QString &b) {
        const int c = QString::compare(a, b, Qt::CaseInsensitive);
        return ascending ? c < 0 : c > 0;
    }, cancel);
}

} // namespace fd
