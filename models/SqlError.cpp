#include "SqlError.h"
#include "Utf8Offset.h"
#include <QRegularExpression>

namespace fd {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// The first place `needle` occurs that is not inside a longer word.
std::optional<std::pair<int, int>> find(const QString &query, const QString &needle)
{
    if (needle.isEmpty())
        return std::nullopt;
    for (qsizetype at = query.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
         at = query.indexOf(needle, at + 1, Qt::CaseInsensitive)) {
        const qsizetype end = at + needle.size();
        const bool wordStart = at == 0 || !isWordChar(query[at - 1]) || !isWordChar(needle.front());
        const bool wordEnd = end == query.size() || !isWordChar(query[end]) || !isWordChar(needle.back());
        if (wordStart && wordEnd)
            return std::pair{ int(at), int(end) };
    }
    return std::nullopt;
}

} // namespace

std::optional<std::pair<int, int>> sqlErrorRange(const QString &message, const QString &query)
{
    static const QRegularExpression near(QStringLiteral(R"re(near "((?:[^"]|"")*)": syntax error)re"));
    static const QRegularExpression named(
        QStringLiteral(R"re((?:no such (?:column|table|function)|unrecognized token):\s*"?([^"\s]+)"?)re"));
    static const QRegularExpression position(QStringLiteral(R"(failed at position (\d+))"));
    if (const auto m = near.match(message); m.hasMatch())
        return find(query, m.captured(1).replace(QStringLiteral("\"\""), QStringLiteral("\"")));
    if (const auto m = named.match(message); m.hasMatch())
        return find(query, m.captured(1));
    if (const auto m = position.match(message); m.hasMatch()) { // ClickHouse: 1-based, in bytes of the trimmed query
        int lead = 0;
        while (lead < query.size() && query[lead].isSpace())
            ++lead;
        const int at = advanceUtf8(query, lead, qMax(0LL, m.captured(1).toLongLong() - 1));
        return std::pair{ at, qMin(at + 1, int(query.size())) };
    }
    if (message.contains(QStringLiteral("incomplete input"))) {
        int last = int(query.size()) - 1;
        while (last > 0 && query[last].isSpace())
            --last;
        return last < 0 ? std::nullopt : std::optional(std::pair{ last, last + 1 });
    }
    return std::nullopt;
}

} // namespace fd
