#include "PromQlHighlighter.h"
#include <QTextDocument>

namespace fd {

namespace {

struct Style {
    QRgb light;
    QRgb dark;
    bool bold = false;
    bool italic = false;
};

// Indexed by PromQlTokenKind. Light colours keep >= 4.5:1 contrast on white, dark ones on #1e1e1e.
const std::array<Style, 12> kStyles { {
    { 0x0b3f8c, 0x9cdcfe }, // Identifier: metric names
    { 0x1a6e7e, 0x4ec9b0 }, // LabelName
    { 0xa31515, 0xce9178 }, // String
    { 0x0f7040, 0xb5cea8 }, // Number
    { 0x0f7040, 0xb5cea8, true }, // Duration
    { 0x795e26, 0xdcdcaa }, // Function
    { 0x8f0fa8, 0xd7a0e8, true }, // Keyword
    { 0x795e26, 0xdcdcaa, true }, // Aggregation
    { 0x8a4a00, 0xe0a060 }, // Operator
    { 0x555555, 0xa8a8a8 }, // Punctuation
    { 0x4f7a28, 0x7fad62, false, true }, // Comment
    { 0xc62828, 0xf48771 }, // Error
} };

} // namespace

PromQlHighlighter::PromQlHighlighter(QTextDocument *document, bool dark)
    : QSyntaxHighlighter(document)
    , m_dark(dark)
{
    makeFormats();
}

void PromQlHighlighter::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    makeFormats();
    rehighlight();
}

QTextCharFormat PromQlHighlighter::format(PromQlTokenKind kind) const
{
    return m_formats[std::size_t(kind)];
}

void PromQlHighlighter::makeFormats()
{
    for (std::size_t i = 0; i < kStyles.size(); ++i) {
        const Style &s = kStyles[i];
        QTextCharFormat f;
        f.setForeground(QColor(m_dark ? s.dark : s.light));
        if (s.bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(s.italic);
        if (PromQlTokenKind(i) == PromQlTokenKind::Error) {
            f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            f.setUnderlineColor(f.foreground().color());
        }
        m_formats[i] = f;
    }
}

void PromQlHighlighter::highlightBlock(const QString &text)
{
    // Lexed whole: a raw string or a "{" may open on an earlier line and decide this line's kinds.
    const QString all = document()->toPlainText();
    if (all != m_lexedText) {
        m_lexedText = all;
        m_tokens = PromQlLexer::tokenize(all);
    }
    const int from = currentBlock().position();
    const int to = from + int(text.size());
    for (const PromQlToken &t : m_tokens) {
        if (t.end() <= from)
            continue;
        if (t.start >= to)
            break;
        const int start = qMax(t.start, from);
        setFormat(start - from, qMin(t.end(), to) - start, m_formats[std::size_t(t.kind)]);
    }
    // Any change above this line may change it, so the state follows everything before its end.
    setCurrentBlockState(int(qHash(QStringView(all).left(to)) & 0x7fffffff));
}

} // namespace fd
