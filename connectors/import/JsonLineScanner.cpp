#include "JsonLineScanner.h"
#include "Numbers.h"
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace fd {

namespace {
constexpr int kMaxWalkDepth = 8; // FieldKeys expands nested objects this deep
constexpr int kMaxLevel = 256;   // deeper texts go to the full parser

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

JsonLineScanner::Result JsonLineScanner::scan(std::string_view text)
{
    m_p = text.data();
    m_end = text.data() + text.size();
    m_unusual = false;
    m_members.clear();
    m_prefix.clear();
    m_arena.clear();
    m_paths.clear();
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        m_p += 3; // a byte order mark, skipped as nlohmann does
    skipSpace();
    const bool isObject = m_p < m_end && *m_p == '{';
    bool ok = isObject ? topObject() : value(0);
    if (ok) {
        skipSpace();
        ok = m_p == m_end || *m_p == '\0'; // nlohmann reads a NUL as the end of its input
    }
    if (m_unusual)
        return Result::Unusual;
    if (!ok)
        return Result::Invalid;
    return isObject ? Result::Object : Result::Other;
}

void JsonLineScanner::skipSpace()
{
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
        ++m_p;
}

void JsonLineScanner::notePath(std::string_view key)
{
    const auto offset = static_cast<std::uint32_t>(m_arena.size());
    if (!m_prefix.empty()) {
        m_arena += m_prefix;
        m_arena += '.';
    }
    m_arena += key;
    m_paths.emplace_back(offset, static_cast<std::uint32_t>(m_arena.size()) - offset);
}

bool JsonLineScanner::key(std::string_view *out)
{
    if (m_p >= m_end || *m_p != '"')
        return false;
    const char *start = m_p + 1;
    bool escaped = false;
    if (!string(&escaped))
        return false;
    if (escaped) {
        m_unusual = true; // the key's text differs from its value: FieldKeys and matching need it decoded
        return false;
    }
    *out = std::string_view(start, static_cast<std::size_t>(m_p - 1 - start));
    skipSpace();
    if (m_p >= m_end || *m_p != ':')
        return false;
    ++m_p;
    skipSpace();
    return true;
}

bool JsonLineScanner::topObject()
{
    ++m_p; // '{'
    skipSpace();
    if (m_p < m_end && *m_p == '}') {
        ++m_p;
        return true;
    }
    for (;;) {
        Member m;
        if (!key(&m.key))
            return false;
        const char *start = m_p;
        if (m_p >= m_end)
            return false;
        m.kind = *m_p;
        m.pathsBegin = static_cast<std::uint32_t>(m_paths.size());
        bool ok = false;
        if (m.kind == '{') {
            m_prefix.assign(m.key);
            ok = object(1, true, 1) >= 0;
        } else if (m.kind == '"') {
            ok = string(&m.escaped);
        } else if (m.kind == '-' || isDigit(m.kind)) {
            m.kind = '0';
            ok = number(&m.integer);
        } else {
            ok = value(1);
        }
        if (!ok)
            return false;
        m.pathsEnd = static_cast<std::uint32_t>(m_paths.size());
        m.value = std::string_view(start, static_cast<std::size_t>(m_p - start));
        for (const Member &other : m_members)
            if (other.key == m.key) {
                m_unusual = true; // which of the two wins is the full parser's rule
                return false;
            }
        m_members.push_back(m);
        const Separator next = separator('}');
        if (next != Separator::Comma)
            return next == Separator::Close;
    }
}

// After an object member or an array element: the closing bracket or a comma (consumed, with the space
// around it), or anything else.
JsonLineScanner::Separator JsonLineScanner::separator(char close)
{
    skipSpace();
    if (m_p >= m_end)
        return Separator::Invalid;
    if (*m_p == close) {
        ++m_p;
        return Separator::Close;
    }
    if (*m_p != ',')
        return Separator::Invalid;
    ++m_p;
    skipSpace();
    return Separator::Comma;
}

int JsonLineScanner::object(int walkDepth, bool expand, int level)
{
    if (level > kMaxLevel) {
        m_unusual = true;
        return -1;
    }
    ++m_p; // '{'
    skipSpace();
    if (m_p < m_end && *m_p == '}') {
        ++m_p;
        return 0;
    }
    int count = 0;
    for (;;) {
        std::string_view k;
        if (!key(&k) || m_p >= m_end)
            return -1;
        ++count;
        if (*m_p == '{') {
            const bool nested = expand && walkDepth < kMaxWalkDepth;
            const std::size_t prefixSize = m_prefix.size();
            if (nested) {
                m_prefix += '.';
                m_prefix += k;
            }
            const int inner = object(walkDepth + 1, nested, level + 1);
            m_prefix.resize(prefixSize);
            if (inner < 0)
                return -1;
            if (expand && (!nested || inner == 0))
                notePath(k);
        } else {
            if (!value(level + 1))
                return -1;
            if (expand)
                notePath(k);
        }
        const Separator next = separator('}');
        if (next != Separator::Comma)
            return next == Separator::Close ? count : -1;
    }
}

bool JsonLineScanner::array(int level)
{
    ++m_p; // '['
    skipSpace();
    if (m_p < m_end && *m_p == ']') {
        ++m_p;
        return true;
    }
    for (;;) {
        if (!value(level + 1))
            return false;
        const Separator next = separator(']');
        if (next != Separator::Comma)
            return next == Separator::Close;
    }
}

bool JsonLineScanner::value(int level)
{
    if (level > kMaxLevel) {
        m_unusual = true;
        return false;
    }
    skipSpace();
    if (m_p >= m_end)
        return false;
    bool flag = false;
    switch (*m_p) {
    case '{':
        return object(0, false, level) >= 0;
    case '[':
        return array(level);
    case '"':
        return string(&flag);
    case 't':
        return literal("true");
    case 'f':
        return literal("false");
    case 'n':
        return literal("null");
    default:
        return number(&flag);
    }
}

bool JsonLineScanner::literal(std::string_view word)
{
    if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::memcmp(m_p, word.data(), word.size()) != 0)
        return false;
    m_p += word.size();
    return true;
}

bool JsonLineScanner::number(bool *integer)
{
    const char *start = m_p;
    bool exponent = false;
    *integer = true;
    if (m_p < m_end && *m_p == '-')
        ++m_p;
    if (m_p >= m_end || !isDigit(*m_p))
        return false;
    if (*m_p == '0')
        ++m_p;
    else
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    if (m_p < m_end && *m_p == '.') {
        *integer = false;
        ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return false;
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
        *integer = false;
        exponent = true;
        ++m_p;
        if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
            ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return false;
        while (m_p < m_end && isDigit(*m_p))
            ++m_p;
    }
    // nlohmann refuses a number that overflows a double (1e999); only an exponent or 300 digits can.
    if (exponent || m_p - start > 300)
        return std::isfinite(std::strtod(std::string(start, m_p).c_str(), nullptr));
    return true;
}

bool JsonLineScanner::string(bool *escaped)
{
    ++m_p; // '"'
    while (m_p < m_end) {
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            ++m_p;
            return true;
        }
        if (c == '\\') {
            *escaped = true;
            if (!escape())
                return false;
        } else if (c < 0x20) {
            return false;
        } else if (c >= 0x80) {
            if (!utf8())
                return false;
        } else {
            ++m_p;
        }
    }
    return false;
}

// At a backslash: one escape; a \u high surrogate must be followed by a \u low surrogate.
bool JsonLineScanner::escape()
{
    auto unit = [this](const char *p) {
        if (m_end - p < 6 || p[0] != '\\' || p[1] != 'u')
            return -1;
        const auto v = parseWhole<std::uint16_t>(std::string_view(p + 2, 4), 16);
        return v ? int(*v) : -1;
    };
    if (m_end - m_p < 2)
        return false;
    switch (m_p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        m_p += 2;
        return true;
    case 'u': {
        const int u = unit(m_p);
        if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
            return false;
        if (u >= 0xD800 && u <= 0xDBFF) {
            const int low = unit(m_p + 6);
            if (low < 0xDC00 || low > 0xDFFF)
                return false;
            m_p += 12;
        } else {
            m_p += 6;
        }
        return true;
    }
    default:
        return false;
    }
}

// At a byte >= 0x80: one well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates).
bool JsonLineScanner::utf8()
{
    const auto *p = reinterpret_cast<const unsigned char *>(m_p);
    const auto left = m_end - m_p;
    auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) { return i < left && p[i] >= lo && p[i] <= hi; };
    const unsigned char c = p[0];
    int n = 0;
    if (c >= 0xC2 && c <= 0xDF)
        n = cont(1) ? 2 : 0;
    else if (c == 0xE0)
        n = cont(1, 0xA0) && cont(2) ? 3 : 0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        n = cont(1) && cont(2) ? 3 : 0;
    else if (c == 0xED)
        n = cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    else if (c == 0xF0)
        n = cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    else if (c >= 0xF1 && c <= 0xF3)
        n = cont(1) && cont(2) && cont(3) ? 4 : 0;
    else if (c == 0xF4)
        n = cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    m_p += n;
    return n > 0;
}

} // namespace fd
