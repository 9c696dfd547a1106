#pragma once
#include "Json.h"
#include "Time.h"
#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace fd {

class CancelToken;

enum class ColumnType { Time, Int64, Double, String, Json };
const char *columnTypeName(ColumnType t);

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Column {
    std::string name;
    ColumnType type = ColumnType::String;
    std::vector<Cell> cells;
};

// The columnar result of every query; tables, charts and tiles all read frames.
struct Frame {
    std::vector<Column> columns;
    bool truncated = false;
    // The source itself left out further groups (Elasticsearch's top terms): the groups it gave are whole, the
    // frame is truncated all the same.
    bool groupsLeftOut = false;
    std::int64_t total = 0;
    std::string nativeQuery; // what the query compiled to (SQL, PromQL ...)
    std::vector<std::string> notes; // for the user: what may make the result partial or differ, one line each
    std::string statistics; // the engine's account of its work ("Loki processed 1.2 MB …"); no warning
    // Of a row query to a source with SourceCapabilities::arrivalOrder: the arrival mark up to which the
    // rows are in this result, for Query::arrivedAfter and arrivedUpTo; -1 otherwise.
    std::int64_t arrivalMark = -1;
    // Of a query over an interval: the bucket length the engine computed with, which an engine's cap on points
    // can make coarser than Query::interval; 0 when it is Query::interval.
    DurationNs step = 0;

    std::size_t rowCount() const { return columns.empty() ? 0 : columns.front().cells.size(); }
    int columnIndex(const std::string &name) const;
    const Cell &cell(std::size_t row, std::size_t col) const { return columns[col].cells[row]; }
};
using FramePtr = std::shared_ptr<const Frame>;

bool isNull(const Cell &c);
double cellToDouble(const Cell &c);     // NaN for null or text that is no number
std::int64_t cellToInt(const Cell &c);  // 0 for null
std::string cellToString(const Cell &c);
// A column whose type was not known before its cells came (a raw query's, a group of attribute values) takes
// the type they share: Int64 when every cell is an integer, Double when every one is a number; nulls aside.
void typeByCells(Column &column);
// Rows in descending order of the value column (no number last), cut to `limit` (0: all), truncated when cut:
// "the top N groups", as the store's grouped aggregates are.
void keepLargestRows(Frame &f, std::size_t limit, std::size_t valueColumn);
// A cell as JSON in the column's type (a time as RFC 3339, a json column parsed).
Json cellToJson(const Cell &c, ColumnType type);

// {"columns": [...], "rows": [...], "truncated": .., "total": ..} as DESIGN.md specifies, and "notes"
// when there are any.
Json frameToJson(const Frame &f);
// Who reads the CSV: a script gets every text as it is; a spreadsheet gets texts that start like a
// formula (=, +, -, @) with a leading ' so that it never runs them.
enum class CsvReader { Script, Spreadsheet };
std::string frameToCsv(const Frame &f, CsvReader reader = CsvReader::Script);
// frameToCsv in its two parts, for a result written a page at a time: the header line, then the rows' lines.
std::string csvHeader(const Frame &f, CsvReader reader);
std::string csvRows(const Frame &f, CsvReader reader);
// One JSON object per row and line, typed as in frameToJson.
std::string frameToJsonLines(const Frame &f);
// Writes CSV (for a spreadsheet) for a .csv path, JSON lines otherwise, atomically; throws fd::Error.
void writeFrameFile(const Frame &f, const QString &path);
// The same, for a job that can stop: cancelled before the file is committed, it leaves the path as it was
// and throws Cancelled.
void writeFrameFile(const Frame &f, const QString &path, const CancelToken &cancel);
std::string frameToTable(const Frame &f, std::size_t maxColumnWidth = 60);
// Text for a terminal: valid UTF-8, with control characters (C0, DEL and C1, which start escape sequences or move
// the cursor) and line separators as spaces.
std::string terminalText(std::string text);

} // namespace fd
