#include "FieldSummary.h"
#include "CellJson.h"
#include "DataSource.h"
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

Query fieldGroupsQuery(const Query &base, const std::string &field, int topValues)
{
    Query q = countQuery(base);
    q.groupBy = { field };
    q.limit = topValues;
    q.countTotal = false;
    return q;
}

FieldSummary summaryOfGroups(const std::string &field, const Frame &groups, std::int64_t total)
{
    const int valueColumn = groups.columnIndex(field);
    const int countColumn = static_cast<int>(groups.columns.size()) - 1;
    FieldSummary s { field, {}, total };
    for (std::size_t r = 0; valueColumn >= 0 && countColumn > valueColumn && r < groups.rowCount(); ++r)
        s.values.push_back({ groupCellJson(groups.cell(r, std::size_t(valueColumn)),
                                 groups.columns[std::size_t(valueColumn)].type),
            cellToInt(groups.cell(r, std::size_t(countColumn))) });
    return s;
}

std::vector<FieldSummary> summarizeFieldsByQueries(DataSource &source, const Query &base, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
{
    if (topValues <= 0)
        return {};
    const Frame totalFrame = source.query(countQuery(base), range, cancel);
    const std::int64_t total = totalFrame.rowCount() > 0 ? cellToInt(totalFrame.columns.back().cells.front()) : 0;
    std::vector<FieldSummary> out;
    for (const std::string &field : fields) {
        throwIfCancelled(cancel);
        const Frame groups = source.query(fieldGroupsQuery(base, field, topValues), range, cancel);
        out.push_back(summaryOfGroups(field, groups, total));
    }
    return out;
}

} // namespace fd
