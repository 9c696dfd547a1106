#include "PromQlError.h"
#include "Utf8Offset.h"
#include <QRegularExpression>

namespace fd {

namespace {

// The character index where 1-based `line` starts, or -1 when the query has fewer lines.
int lineStart(const QString &query, int line)
{
    int start = 0;
    for (int l = 1; l < line; ++l) {
        const int nl = int(query.indexOf(u'\n', start));
        if (nl < 0)
            return -1;
        start = nl + 1;
    }
    return start;
}

std::optional<int> lineColumn(const QString &query, qint64 line, qint64 byteInLine)
{
    const int start = line >= 1 && line <= query.size() + 1 ? lineStart(query, int(line)) : -1;
    if (start < 0 || byteInLine < 0)
        return std::nullopt;
    return advanceUtf8(query, start, byteInLine);
}

// Go's %q quoting, reversed enough for the text VictoriaMetrics quotes back.
QString goUnquote(QStringView quoted)
{
    QString out;
    for (int i = 0; i < quoted.size(); ++i) {
        if (quoted[i] != u'\\' || i + 1 >= quoted.size()) {
            out.append(quoted[i]);
            continue;
        }
        const QChar e = quoted[++i];
        if (e == u'n')
            out.append(u'\n');
        else if (e == u't')
            out.append(u'\t');
        else if (e == u'r')
            out.append(u'\r');
        else if ((e == u'x' || e == u'u' || e == u'U') && i + 1 < quoted.size()) {
            const int digits = e == u'x' ? 2 : e == u'u' ? 4 : 8;
            bool ok = false;
            const uint code = quoted.mid(i + 1, digits).toUInt(&ok, 16);
            if (ok) {
                out.append(QString::fromUcs4(reinterpret_cast<const char32_t *>(&code), 1));
                i += digits;
            }
        } else {
            out.append(e);
        }
    }
    return out;
}

std::optional<int> fromUnparsedTail(const QString &message, const QString &query)
{
    static const QRegularExpression unparsed(QStringLiteral("unparsed data(?: left)?: \"((?:[^\"\\\\]|\\\\.)*)\""));
    const QRegularExpressionMatch m = unparsed.match(message);
    if (!m.hasMatch())
        return std::nullopt;
    const QString tail = goUnquote(m.capturedView(1));
    if (query.endsWith(tail))
        return int(query.size() - tail.size());
    const qsizetype at = query.lastIndexOf(tail);
    return at < 0 ? std::nullopt : std::optional<int>(int(at));
}

} // namespace

std::optional<int> promQlErrorOffset(const QString &message, const QString &query)
{
    static const QRegularExpression modern(QStringLiteral("(\\d+):(\\d+): parse error"));
    static const QRegularExpression oldLine(QStringLiteral("parse error at line (\\d+), char (\\d+)"));
    static const QRegularExpression oldChar(QStringLiteral("parse error at char (\\d+)"));
    static const QRegularExpression position(QStringLiteral("at position (\\d+)"));
    std::optional<int> offset;
    if (const auto m = modern.match(message); m.hasMatch()) {
        offset = lineColumn(query, m.captured(1).toLongLong(), m.captured(2).toLongLong() - 1);
    } else if (const auto m = oldLine.match(message); m.hasMatch()) {
        // Prometheus < 2.20 counted a column past a line break one too far: 1 + pos - index of "\n".
        const qint64 line = m.captured(1).toLongLong();
        offset = lineColumn(query, line, m.captured(2).toLongLong() - (line > 1 ? 2 : 1));
    } else if (const auto m = oldChar.match(message); m.hasMatch()) {
        offset = lineColumn(query, 1, m.captured(1).toLongLong() - 1);
    } else if (const auto tail = fromUnparsedTail(message, query)) {
        offset = tail;
    } else if (const auto m = position.match(message); m.hasMatch()) {
        offset = advanceUtf8(query, 0, m.captured(1).toLongLong());
    }
    if (offset)
        offset = qBound(0, *offset, int(query.size()));
    return offset;
}

} // namespace fd
