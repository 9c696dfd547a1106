#pragma once
#include "Json.h"
#include "Time.h"
#include <optional>
#include <string>
#include <vector>

namespace fd {

enum class Signal { Logs, Spans, Metrics };
std::string signalName(Signal s);
std::optional<Signal> signalFromName(const std::string &s);

enum class Op { Eq, Ne, Gt, Ge, Lt, Le, Regex, NotRegex, Exists, NotExists };
std::string opName(Op op);
bool isOrdering(Op op); // > >= < <=

struct Condition {
    std::string field;
    Op op = Op::Eq;
    Json value; // string, number or bool; null for exists/!exists
    // The value was quoted (or is a text cell's): = and != match the text alone, not also the number it
    // reads as ("1.10", "02134"). Set by textOnly, only where it changes what matches. (Text after > >= < <=
    // is compared with an attribute's text values, quoted or not; the JSON form marks it "quoted" when it
    // reads as a number. A numeric field, duration_ms or severity, reads any numeric text as its number.)
    bool quoted = false;
    bool operator==(const Condition &) const = default;
};
// The value of a condition on duration_ms (else nanoseconds) in nanoseconds; nullopt when it is no number
// or past 292 years.
std::optional<DurationNs> conditionDuration(const Condition &c);

struct Aggregate {
    enum class Kind { None, Count, Rate, Sum, Avg, Min, Max, Percentile, CountDistinct };
    Kind kind = Kind::None;
    std::string field;      // for sum/avg/min/max/pNN/count_distinct
    double percentile = 0;  // 0..100 for pNN
    std::string text() const; // "count", "p95(duration_ms)" ... also the result column name
    std::string functionName() const; // "count", "sum", "p99.9", "count_distinct"; "" for none
    bool operator==(const Aggregate &) const = default;
};
// "count", "rate", "sum(f)", "p99(f)", "count_distinct(f)"; throws fd::Error.
Aggregate parseAggregate(const std::string &text);
// FUNCTION(FIELD) with the field's name as it is (unquoted); throws fd::Error for an unknown function.
Aggregate makeAggregate(const std::string &function, const std::string &field);

// One query shape for every backend (DESIGN.md, "Query").
struct Query {
    Signal signal = Signal::Logs;
    std::string source;
    std::vector<Condition> where;
    std::string search;
    std::vector<std::string> groupBy;
    Aggregate agg;
    DurationNs interval = 0; // 0: a single value or rows
    int limit = 1000;        // 0: none (DataSource::queryPages; the JSON form and the command line take positive ones)
    std::string raw;         // a native query that wins when set
    bool oldestFirst = false; // rows in ascending time (sources whose capabilities say oldestFirst)
    // false for a further page of a result whose total the caller has: a source may skip counting every
    // matching row again (Frame::total then counts the rows returned). Not part of the query's JSON.
    bool countTotal = true;
    // Arrival marks (sources whose capabilities say arrivalOrder; -1: unused), not part of the query's JSON.
    // After: only rows stored after that mark, in the order they arrived (a live tail: rows stamped with an
    // earlier time than those shown still come). Up to: only rows stored by then (further pages of a result
    // show it as it was when its first page was read).
    std::int64_t arrivedAfter = -1;
    std::int64_t arrivedUpTo = -1;
    // Rows ordered by this field first, then newest first (sources whose capabilities say sortByField; empty:
    // by time), skipping the first rowOffset of that order: a further page of such a result (rows stored
    // after its first page are left out by arrivedUpTo; rows removed meanwhile, by retention, shift it).
    // sortByAttribute: the field is an attribute key (the record's, then the resource's), even one named
    // like an intrinsic field ("id", "body"). Not part of the query's JSON: the order a view shows.
    std::string sortField;
    bool sortByAttribute = false;
    bool sortDescending = false;
    std::int64_t rowOffset = 0;

    bool operator==(const Query &) const = default;
};

// Whether the query answers with aggregates (a value, groups or a time series) rather than rows.
bool aggregates(const Query &q);
// The name of an aggregated result's value column: "value" for metrics, "count" without an aggregate, else the
// aggregate's text. A group by a field of that name comes before it, under the same name.
std::string aggregateColumnName(const Query &q);
// The message for a pattern (~, !~) on a time field, which compares as a time (it had matched the digits of the
// nanoseconds).
std::string patternOnTimeError(const std::string &field);

// Both throw fd::Error with a message for the user.
Query queryFromJson(const Json &j);
Json queryToJson(const Query &q);
// Throws fd::Error naming the first key of a query's JSON (or of a condition: "where[0].vlaue") that queryFromJson
// does not read: a script's typo ("serach") had run another query without a word. A workspace's queries are
// read without this check, so that a newer version's additions do not stop an older one.
void checkQueryKeys(const Json &j);
// A condition's value as typed after OP: quoted text stays text; a number is one, except that = and != keep
// the text of a number that does not print back as itself ("02134", "1.10"), and a pattern stays text.
Json valueFromText(const std::string &text, Op op);
// The number a text value also stands for when equality kept it as text ("02134" is 2134, "1.50" 1.5);
// null for any other value (a quoted "500" is text alone). A backend matches it as the text and the number.
Json numberInText(const Json &value);
// numberInText of the condition's value, null when the condition is quoted: what an attribute matches
// besides the text.
Json numberAlsoMatched(const Condition &c);
// The condition with its text value matched as text alone (quoted).
Condition textOnly(Condition c);
// "FIELD OP VALUE", "exists(FIELD)", "!exists(FIELD)"; a quoted value stays text, a quoted field ("user agent")
// is the text inside its quotes.
Condition parseWhere(const std::string &expr);
// A field name alone as parseWhere reads one (--group-by "user agent"): without its quotes.
std::string parseField(const std::string &text);
// Several conditions joined by " and " / "&&" / ","; empty text gives none.
std::vector<Condition> parseWhereList(const std::string &text);
std::string conditionToText(const Condition &c);
// The inverse of parseWhereList: conditions joined by " and ".
std::string whereListToText(const std::vector<Condition> &where);

} // namespace fd
