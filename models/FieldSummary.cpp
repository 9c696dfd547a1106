#include "FieldSummary.h"
#include "CellJson.h"
#include "Error.h"

namespace fd {

namespace {

Query countQuery(const Query &base)
{
    Query q = base;
    q.agg = Aggregate { Aggregate::Kind::Count, {}, 0 };
    q.groupBy.clear();
    q.interval = 0;
    q.raw.clear();
    return q;
}

} // namespace

std::vector<FieldSummary> summarizeFields(DataSource &source, const Query &base, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
{
    const Frame totalFrame = source.query(countQuery(base), range, cancel);
    const std::int64_t total = totalFrame.rowCount() > 0 ? cellToInt(totalFrame.columns.back().cells.front()) : 0;
    std::vector<FieldSummary> out;
    for (const std::string &field : fields) {
        throwIfCancelled(cancel);
        Query q = countQuery(base);
        q.groupBy = { field };
        q.limit = topValues;
        const Frame f = source.query(q, range, cancel);
        const int valueColumn = f.columnIndex(field);
        const int countColumn = static_cast<int>(f.columns.size()) - 1;
        FieldSummary s { field, {}, total };
        for (std::size_t r = 0; valueColumn >= 0 && countColumn > valueColumn && r < f.rowCount(); ++r)
            s.values.push_back(
                { groupCellJson(f.cell(r, std::size_t(valueColumn)), f.columns[std::size_t(valueColumn)].type), cellToInt(f.cell(r, std::size_t(countColumn))) });
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace fd
