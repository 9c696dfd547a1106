#include "QueryText.h"
#include "Error.h"
#include <QRegularExpression>

namespace fd {

std::string quotedLiteral(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '\\' || c == '"')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

void requireValidPattern(const std::string &pattern)
{
    const QRegularExpression re(QString::fromStdString(pattern));
    if (!re.isValid())
        throw Error(QStringLiteral("\"%1\" is no regular expression: %2 at %3")
                        .arg(QString::fromStdString(pattern), re.errorString())
                        .arg(re.patternErrorOffset()));
}

std::string unanchoredPattern(const std::string &pattern)
{
    requireValidPattern(pattern);
    // The wrapping crosses line breaks (RE2's . does not: "line1\nfoo" had missed ~ foo); the pattern keeps its own.
    return "(?s:.*)(" + pattern + ")(?s:.*)";
}

std::string_view withoutByteOrderMark(std::string_view text)
{
    return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string joinText(const std::vector<std::string> &parts, std::string_view separator)
{
    std::string out;
    for (const std::string &p : parts) {
        if (!out.empty())
            out += separator;
        out += p;
    }
    return out;
}

std::string formatGoDuration(DurationNs d)
{
    struct Unit {
        DurationNs size;
        const char *name;
    };
    static const Unit units[] = { { kHour, "h" }, { kMinute, "m" }, { kSecond, "s" }, { 1'000'000, "ms" }, { 1'000, "us" } };
    for (const Unit &u : units)
        if (d != 0 && d % u.size == 0)
            return std::to_string(d / u.size) + u.name;
    return std::to_string(d) + "ns";
}

std::string paddedHexId(std::string_view text, std::size_t digits)
{
    if (text.empty() || text.size() > digits)
        return {};
    std::string out(digits - text.size(), '0');
    for (char c : text) {
        if (c >= 'A' && c <= 'F')
            c = char(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return {};
        out += c;
    }
    return out;
}

std::string storedId(std::string text)
{
    std::string hex = paddedHexId(text, text.size());
    return hex.empty() ? text : hex;
}

} // namespace fd
