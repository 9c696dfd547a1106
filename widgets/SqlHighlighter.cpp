#include "SqlHighlighter.h"
#include <QSet>

namespace fd {

namespace {

enum State { Plain = 0, InBlockComment = 1 };

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w : { "select", "from", "where", "and", "or", "not", "group", "by", "order", "limit", "offset",
                 "as", "on", "join", "left", "right", "inner", "outer", "cross", "case", "when", "then", "else", "end",
                 "in", "is", "null", "like", "glob", "between", "distinct", "having", "asc", "desc", "with", "union",
                 "all", "exists", "cast", "escape", "using", "natural", "true", "false", "interval", "format", "settings",
                 "prewhere", "final", "array", "over", "partition", "window", "filter", "collate", "regexp" })
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document, bool dark) : QSyntaxHighlighter(document), m_dark(dark) {}

void SqlHighlighter::setDark(bool dark)
{
    if (dark != m_dark) {
        m_dark = dark;
        rehighlight();
    }
}

// The PromQL palette's colours for the same roles, so both editors look alike.
QTextCharFormat SqlHighlighter::format(Kind kind) const
{
    struct Style {
        QRgb light;
        QRgb dark;
        bool bold;
    };
    static const Style styles[] = { { 0x8f0fa8, 0xd7a0e8, true }, { 0x795e26, 0xdcdcaa, false },
        { 0xa31515, 0xce9178, false }, { 0x1a6e7e, 0x4ec9b0, false }, { 0x0f7040, 0xb5cea8, false },
        { 0x4f7a28, 0x7fad62, false }, { 0x8a4a00, 0xe0a060, false } };
    const Style &s = styles[int(kind)];
    QTextCharFormat f;
    f.setForeground(QColor(m_dark ? s.dark : s.light));
    if (s.bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(kind == Kind::Comment);
    return f;
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    const int n = int(text.size());
    int i = 0;
    if (previousBlockState() == InBlockComment) {
        const qsizetype close = text.indexOf(QStringLiteral("*/"));
        const int end = close < 0 ? n : int(close) + 2;
        setFormat(0, end, format(Kind::Comment));
        if (close < 0) {
            setCurrentBlockState(InBlockComment);
            return;
        }
        i = end;
    }
    setCurrentBlockState(Plain);
    while (i < n) {
        const QChar c = text[i];
        const int start = i;
        if (c == u'-' && i + 1 < n && text[i + 1] == u'-') {
            setFormat(i, n - i, format(Kind::Comment));
            return;
        }
        if (c == u'/' && i + 1 < n && text[i + 1] == u'*') {
            const qsizetype close = text.indexOf(QStringLiteral("*/"), i + 2);
            const int end = close < 0 ? n : int(close) + 2;
            setFormat(i, end - i, format(Kind::Comment));
            if (close < 0)
                setCurrentBlockState(InBlockComment);
            i = end;
        } else if (c == u'\'' || c == u'"' || c == u'`') {
            for (++i; i < n; ++i) {
                if (text[i] == c && !(i + 1 < n && text[i + 1] == c))
                    break;
                if (text[i] == c)
                    ++i; // a doubled quote stays inside
            }
            i = qMin(i + 1, n);
            setFormat(start, i - start, format(c == u'\'' ? Kind::String : Kind::Identifier));
        } else if (c.isDigit()) {
            while (i < n && (text[i].isLetterOrNumber() || text[i] == u'.'))
                ++i;
            setFormat(start, i - start, format(Kind::Number));
        } else if (isWordChar(c)) {
            while (i < n && isWordChar(text[i]))
                ++i;
            const QString word = text.mid(start, i - start).toLower();
            int next = i;
            while (next < n && text[next] == u' ')
                ++next;
            if (keywords().contains(word))
                setFormat(start, i - start, format(Kind::Keyword));
            else if (next < n && text[next] == u'(')
                setFormat(start, i - start, format(Kind::Function));
        } else {
            if (QStringView(u"=<>!|+-*/%").contains(c))
                setFormat(i, 1, format(Kind::Operator));
            ++i;
        }
    }
}

} // namespace fd
