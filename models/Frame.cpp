#include "Frame.h"
#include <numeric>
#include "ValidUtf8.h"
#include "Cancel.h"
#include "Error.h"
#include "FrameFileWriter.h"
#include "Time.h"
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <cstdio>
#include <string_view>

namespace fd {

const char *columnTypeName(ColumnType t)
{
    switch (t) {
    case ColumnType::Time: return "time";
    case ColumnType::Int64: return "int64";
    case ColumnType::Double: return "double";
    case ColumnType::String: return "string";
    case ColumnType::Json: return "json";
    }
    return "string";
}

int Frame::columnIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == name)
            return static_cast<int>(i);
    return -1;
}

bool isNull(const Cell &c) { return std::holds_alternative<std::monostate>(c); }

double cellToDouble(const Cell &c)
{
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return static_cast<double>(*i);
    if (const auto *d = std::get_if<double>(&c))
        return *d;
    if (const auto *s = std::get_if<std::string>(&c)) {
        char *end = nullptr;
        const double v = std::strtod(s->c_str(), &end);
        if (end && *end == '\0' && !s->empty())
            return v;
    }
    return NAN;
}

std::int64_t cellToInt(const Cell &c)
{
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return *i;
    if (const auto *d = std::get_if<double>(&c))
        return static_cast<std::int64_t>(*d);
    if (const auto *s = std::get_if<std::string>(&c))
        return std::strtoll(s->c_str(), nullptr, 10);
    return 0;
}

namespace {
// Fifteen significant digits (past them a double's digits are noise: 0.1 + 0.2), written out without an
// exponent from 1e-9 to 1e21 (a rate of 4.6e-05 reads 0.000046…), as a person and a spreadsheet read them.
std::string decimalText(double d)
{
    if (std::isinf(d))
        return d > 0 ? "+Inf" : "-Inf"; // as Prometheus writes them
    char buf[64];
    const double a = std::abs(d);
    if (a != 0 && (a < 1e-9 || a >= 1e21)) {
        std::snprintf(buf, sizeof buf, "%.15g", d);
        return buf;
    }
    const int decimals = a == 0 ? 0 : std::max(0, 14 - int(std::floor(std::log10(a))));
    std::string text(buf, std::size_t(std::snprintf(buf, sizeof buf, "%.*f", decimals, d)));
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.')
            text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

// Bytes of a UTF-8 text a terminal shows as characters: every byte but the continuation ones.
std::size_t characters(const std::string &s)
{
    return std::size_t(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

// The first `count` characters of s.
std::string firstCharacters(const std::string &s, std::size_t count)
{
    std::size_t end = 0;
    for (std::size_t seen = 0; end < s.size(); ++end)
        if ((static_cast<unsigned char>(s[end]) & 0xC0) != 0x80 && seen++ == count)
            break;
    return s.substr(0, end);
}
} // namespace

std::string cellToString(const Cell &c)
{
    if (const auto *s = std::get_if<std::string>(&c))
        return *s;
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return std::to_string(*i);
    if (const auto *d = std::get_if<double>(&c))
        return std::isnan(*d) ? std::string() : decimalText(*d);
    return {};
}

void typeByCells(Column &column)
{
    bool integers = true, any = false;
    for (const Cell &c : column.cells) {
        if (isNull(c))
            continue;
        any = true;
        const bool integer = std::holds_alternative<std::int64_t>(c);
        if (!integer && !std::holds_alternative<double>(c))
            return;
        integers = integers && integer;
    }
    if (any)
        column.type = integers ? ColumnType::Int64 : ColumnType::Double;
}

Json cellToJson(const Cell &c, ColumnType type)
{
    if (isNull(c))
        return nullptr;
    switch (type) {
    case ColumnType::Time:
        return formatRfc3339Std(cellToInt(c));
    case ColumnType::Json:
        if (const auto *s = std::get_if<std::string>(&c)) {
            Json j = Json::parse(*s, nullptr, false);
            return j.is_discarded() ? Json(*s) : j;
        }
        break;
    default:
        break;
    }
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return *i;
    if (const auto *d = std::get_if<double>(&c))
        return std::isfinite(*d) ? Json(*d) : std::isnan(*d) ? Json() : Json(decimalText(*d)); // JSON has no infinity
    return std::get<std::string>(c);
}

void keepLargestRows(Frame &f, std::size_t limit, std::size_t valueColumn)
{
    if (valueColumn >= f.columns.size())
        return;
    std::vector<std::size_t> order(f.rowCount());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double x = cellToDouble(f.cell(a, valueColumn)), y = cellToDouble(f.cell(b, valueColumn));
        return std::isnan(y) ? !std::isnan(x) : x > y; // NaN compares with nothing: last, or the sort is undefined
    });
    if (limit > 0 && order.size() > limit) {
        order.resize(limit);
        f.truncated = true;
    }
    for (Column &c : f.columns) {
        std::vector<Cell> cells;
        cells.reserve(order.size());
        for (const std::size_t row : order)
            cells.push_back(std::move(c.cells[row]));
        c.cells = std::move(cells);
    }
}

namespace {
// The columns' names as keys of a row object, a repeated one numbered ("time", "time 2"): a group by time
// beside the buckets, or a raw query's "SELECT 1 AS a, 2 AS a", had kept one value of the two.
std::vector<std::string> rowKeys(const Frame &f)
{
    std::vector<std::string> keys;
    std::set<std::string> taken;
    for (const Column &col : f.columns) {
        std::string key = col.name;
        for (int n = 2; taken.count(key); ++n)
            key = col.name + " " + std::to_string(n);
        taken.insert(key);
        keys.push_back(std::move(key));
    }
    return keys;
}

Json rowToJson(const Frame &f, const std::vector<std::string> &keys, std::size_t r)
{
    Json row = Json::object();
    for (std::size_t c = 0; c < f.columns.size(); ++c)
        row[keys[c]] = cellToJson(f.columns[c].cells[r], f.columns[c].type);
    return row;
}
} // namespace

std::string frameToJsonLines(const Frame &f)
{
    const std::vector<std::string> keys = rowKeys(f);
    std::string out;
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        out += rowToJson(f, keys, r).dump() + '\n';
    return out;
}

void writeFrameFile(const Frame &f, const QString &path)
{
    writeFrameFile(f, path, CancelToken());
}

void writeFrameFile(const Frame &f, const QString &path, const CancelToken &cancel)
{
    throwIfCancelled(&cancel);
    FrameFileWriter file(path);
    file.append(f);
    throwIfCancelled(&cancel); // the file is discarded, the one at the path untouched
    file.commit();
}

Json frameToJson(const Frame &f)
{
    Json out;
    const std::vector<std::string> keys = rowKeys(f);
    Json columns = Json::array();
    for (std::size_t c = 0; c < f.columns.size(); ++c)
        columns.push_back({{"name", keys[c]}, {"type", columnTypeName(f.columns[c].type)}});
    out["columns"] = std::move(columns);
    Json rows = Json::array();
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        rows.push_back(rowToJson(f, keys, r));
    out["rows"] = std::move(rows);
    out["truncated"] = f.truncated;
    out["total"] = f.total;
    if (!f.notes.empty())
        out["notes"] = f.notes;
    if (!f.statistics.empty())
        out["statistics"] = f.statistics;
    return out;
}

namespace {
std::string displayText(const Cell &c, ColumnType type)
{
    if (type == ColumnType::Time && !isNull(c))
        return formatRfc3339Std(cellToInt(c));
    return cellToString(c);
}

// displayText, a double in its shortest text that reads back as the same double: a script's CSV had rounded to 15
// digits what its JSON wrote whole (exploratory test).
std::string exactText(const Cell &c, ColumnType type)
{
    const double *d = std::get_if<double>(&c);
    if (!d || !std::isfinite(*d))
        return displayText(c, type);
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, *d).ptr;
    return std::string(buf, end);
}

// A text a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one) gets a leading ',
// as Kibana's CSV export does: a log line is anybody's text.
std::string withoutFormula(std::string s)
{
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    return s;
}

std::string csvEscape(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"')
            out += '"';
        out += ch;
    }
    return out + '"';
}
} // namespace

std::string csvHeader(const Frame &f, CsvReader reader)
{
    std::string out;
    for (std::size_t c = 0; c < f.columns.size(); ++c)
        out += (c ? "," : "") + csvEscape(reader == CsvReader::Spreadsheet ? withoutFormula(f.columns[c].name) : f.columns[c].name);
    return out + '\n';
}

std::string csvRows(const Frame &f, CsvReader reader)
{
    const bool spreadsheet = reader == CsvReader::Spreadsheet;
    std::string out;
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        for (std::size_t c = 0; c < f.columns.size(); ++c) {
            const Column &column = f.columns[c];
            // a spreadsheet holds 15 digits (0.3, not 0.30000000000000004); a script reads the double back whole
            std::string text = spreadsheet ? displayText(column.cells[r], column.type) : exactText(column.cells[r], column.type);
            if (spreadsheet && std::holds_alternative<std::string>(column.cells[r])) // a number is no formula: -5 stays -5
                text = withoutFormula(std::move(text));
            out += (c ? "," : "") + csvEscape(text);
        }
        out += '\n';
    }
    return out;
}

std::string frameToCsv(const Frame &f, CsvReader reader) { return csvHeader(f, reader) + csvRows(f, reader); }

std::string terminalText(std::string text)
{
    text = validUtf8(text);
    const auto byteAt = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0; };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto ch = static_cast<unsigned char>(text[i]);
        if (ch < 0x20 || ch == 0x7F) {
            text[i] = ' ';
        } else if (ch == 0xC2 && byteAt(i + 1) >= 0x80 && byteAt(i + 1) <= 0x9F) { // U+0080..U+009F
            text.replace(i, 2, " ");
        } else if (ch == 0xE2 && byteAt(i + 1) == 0x80 && (byteAt(i + 2) == 0xA8 || byteAt(i + 2) == 0xA9)) {
            text.replace(i, 3, " "); // U+2028, U+2029: line and paragraph separators
        }
    }
    return text;
}

std::string frameToTable(const Frame &f, std::size_t maxWidth)
{
    const std::size_t n = f.rowCount();
    std::vector<std::vector<std::string>> text(f.columns.size());
    std::vector<std::size_t> width(f.columns.size());
    for (std::size_t c = 0; c < f.columns.size(); ++c) {
        width[c] = f.columns[c].name.size();
        for (std::size_t r = 0; r < n; ++r) {
            std::string s = terminalText(displayText(f.columns[c].cells[r], f.columns[c].type));
            if (characters(s) > maxWidth)
                s = firstCharacters(s, maxWidth - 3) + "...";
            width[c] = std::max(width[c], characters(s));
            text[c].push_back(std::move(s));
        }
    }
    std::string out;
    auto line = [&](auto cellText) {
        for (std::size_t c = 0; c < f.columns.size(); ++c) {
            std::string s = cellText(c);
            out += s;
            if (c + 1 < f.columns.size())
                out += std::string(width[c] - std::min(width[c], characters(s)) + 2, ' ');
        }
        out += '\n';
    };
    line([&](std::size_t c) { return f.columns[c].name; });
    for (std::size_t r = 0; r < n; ++r)
        line([&](std::size_t c) { return text[c][r]; });
    if (f.truncated) // a total no larger than the rows shown is unknown
        out += f.total > std::int64_t(n) ? "(showing " + std::to_string(n) + " of " + std::to_string(f.total) + " rows)\n"
                                         : "(showing " + std::to_string(n) + " rows; more match)\n";
    for (const std::string &note : f.notes)
        out += "(" + note + ")\n";
    if (!f.statistics.empty())
        out += "(" + f.statistics + ")\n";
    return out;
}

} // namespace fd
