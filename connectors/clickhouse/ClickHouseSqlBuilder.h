#pragma once
#include "ClickHouseSchema.h"
#include "ClickHouseSql.h"
#include "models/Query.h"
#include "models/Time.h"
#include <optional>
#include <string>
#include <vector>

namespace fd {

enum class ChFieldKind { Time, Int, Real, Text, Severity, Status, SpanKind, Attribute };

// A Flightdeck field as a ClickHouse expression.
struct ChField {
    std::string expr;
    ChFieldKind kind;
    std::string exists; // attributes: the condition that the key is there
    bool numeric() const
    {
        return kind == ChFieldKind::Time || kind == ChFieldKind::Int || kind == ChFieldKind::Real
            || kind == ChFieldKind::Severity;
    }
};

// The parts every statement over one relation shares: fields (intrinsic columns and map attributes),
// the WHERE clause of a query (time range, conditions, search), time buckets. User text goes into
// parameters. Throws fd::Error naming a column the table lacks or a condition it cannot express.
class ChSqlBuilder
{
public:
    ChSqlBuilder(const Query &q, const TimeRange &range, const ChRelation &rel);

    const ChTable &table() const { return m_rel.table; }
    const std::string &from() const { return m_rel.from; }
    const std::string &attributesMap() const { return m_attrs; } // "" when the table has none
    const std::string &resourceMap() const { return m_resource; }
    ChParams &params() { return m_params; }

    ChField field(const std::string &name);
    // The record's attribute, else the resource's, even for a name an intrinsic field has.
    ChField attribute(const std::string &name);
    // The column of an intrinsic field ("time" -> "Timestamp"); throws when the table lacks it.
    std::string column(const std::string &fieldName) const;
    std::string where(const std::string &metricName = {});
    // The start of the query's interval bucket, in nanoseconds.
    std::string bucket() const;
    // Ends the statement with LIMIT limit (none for 0) and OFFSET offset (none for 0).
    ChSql finish(std::string sql, std::vector<ColumnType> types, int limit, std::int64_t offset = 0);

    // The Flightdeck names of the intrinsic fields of a signal whose columns the table has.
    static std::vector<std::string> intrinsicFields(Signal signal, const ChTable &table);

private:
    [[noreturn]] void missing(const std::string &column, const std::string &what) const;
    std::optional<ChField> intrinsic(const std::string &name) const;
    std::string timeBound(const std::string &column, TimeNs t, const char *op);
    std::string condition(const Condition &c);
    // sameNumber: the number a text value also matches (numberAlsoMatched), or null.
    std::string compare(const ChField &f, Op op, Json value, const Json &sameNumber = Json());
    static std::string textAsNumber(const ChField &f, const std::string &sqlOp, const std::string &number);
    // The level compared, where the record has one: a record without a level (0) has no low one, as in the store.
    static std::string levelCompared(const ChField &f, const std::string &sqlOp, const std::string &number);
    std::string enumCondition(const ChField &f, const Condition &c, const std::string &name);
    std::string severityCondition(const ChField &f, const Condition &c);

    const Query &m_q;
    TimeRange m_range;
    const ChRelation &m_rel;
    std::string m_attrs, m_resource;
    ChParams m_params;
};

} // namespace fd
