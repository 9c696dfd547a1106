#include "ClickHouseSql.h"
#include <cstdio>
#include <cstdlib>

namespace fd {

namespace {

std::string escaped(const std::string &text, bool quote)
{
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\0':
            out += "\\0";
            break;
        case '\'':
            out += quote ? "\\'" : "'";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// The end of a quoted part ('...' or `...`) that starts at i, after its closing quote.
std::size_t skipQuoted(const std::string &sql, std::size_t i)
{
    const char quote = sql[i];
    for (++i; i < sql.size(); ++i) {
        if (sql[i] == '\\')
            ++i;
        else if (sql[i] == quote)
            return i + 1;
    }
    return sql.size();
}

std::string literal(const ChParam &p)
{
    return p.type == "String" ? chStringLiteral(p.value) : p.value;
}

} // namespace

std::string ChParams::float64(double value)
{
    return add("Float64", chNumber(value));
}

std::string ChParams::add(const std::string &type, const std::string &value)
{
    for (const ChParam &p : m_params)
        if (p.type == type && p.value == value)
            return "{" + p.name + ":" + type + "}";
    m_params.push_back({ "p" + std::to_string(m_params.size() + 1), type, value });
    return "{" + m_params.back().name + ":" + type + "}";
}

std::string ChSql::inlined() const
{
    std::string out;
    for (std::size_t i = 0; i < sql.size();) {
        if (sql[i] == '\'' || sql[i] == '`') {
            const std::size_t end = skipQuoted(sql, i);
            out += sql.substr(i, end - i);
            i = end;
            continue;
        }
        if (sql[i] == '{') {
            const std::size_t close = sql.find('}', i);
            const std::string inside = close == std::string::npos ? std::string() : sql.substr(i + 1, close - i - 1);
            const std::string name = inside.substr(0, inside.find(':'));
            const ChParam *param = nullptr;
            for (const ChParam &p : params)
                if (p.name == name)
                    param = &p;
            if (param) {
                out += literal(*param);
                i = close + 1;
                continue;
            }
        }
        out += sql[i++];
    }
    return out;
}

std::string chStringLiteral(const std::string &text)
{
    return "'" + escaped(text, true) + "'";
}

std::string chParamValue(const ChParam &p)
{
    return p.type == "String" ? escaped(p.value, false) : p.value;
}

std::string chNumber(double v)
{
    char buf[40];
    for (const int precision : { 15, 17 }) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v)
            break;
    }
    return buf;
}

} // namespace fd
