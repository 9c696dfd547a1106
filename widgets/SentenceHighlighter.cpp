#include "SentenceHighlighter.h"
#include "models/QuerySentence.h"

namespace fd {

SentenceHighlighter::SentenceHighlighter(QTextDocument *document, bool dark) : QSyntaxHighlighter(document), m_dark(dark) {}

void SentenceHighlighter::setDark(bool dark)
{
    if (dark != m_dark) {
        m_dark = dark;
        rehighlight();
    }
}

QTextCharFormat SentenceHighlighter::format(Role role) const
{
    struct Style {
        QRgb fg[2];
        QRgb bg[2]; // 0: none
        bool bold;
    };
    static const Style styles[] = {
        { { 0x0b3f8c, 0x9cdcfe }, { 0, 0 }, true },               // Signal
        { { 0x8f0fa8, 0xd7a0e8 }, { 0, 0 }, true },               // Keyword
        { { 0x14545f, 0x4ec9b0 }, { 0xe0f2f1, 0x1d3b3a }, false }, // Field
        { { 0x8a4a00, 0xe0a060 }, { 0, 0 }, true },               // Operator
        { { 0x9a1212, 0xce9178 }, { 0xfdecea, 0x3d2422 }, false }, // Value
        { { 0x795e26, 0xdcdcaa }, { 0, 0 }, false },              // Argument
    };
    const Style &s = styles[int(role)];
    QTextCharFormat f;
    f.setForeground(QColor(s.fg[m_dark]));
    if (s.bg[m_dark])
        f.setBackground(QColor(s.bg[m_dark]));
    if (s.bold)
        f.setFontWeight(QFont::DemiBold);
    return f;
}

void SentenceHighlighter::highlightBlock(const QString &text)
{
    const QList<SentenceToken> tokens = tokenizeSentence(text);
    static const QStringList keywords{ QStringLiteral("where"), QStringLiteral("and"), QStringLiteral("matching"),
        QStringLiteral("search"), QStringLiteral("by"), QStringLiteral("group"), QStringLiteral("every"),
        QStringLiteral("limit") };
    Role expected = Role::Signal; // what a word in this place is
    for (const SentenceToken &t : tokens) {
        Role role = Role::Argument;
        const QString word = t.text.toLower();
        if (t.kind == SentenceTokenKind::Operator) {
            role = Role::Operator;
            expected = Role::Value;
        } else if (t.kind == SentenceTokenKind::Comma) {
            continue;
        } else if (expected == Role::Signal) {
            role = Role::Signal;
            expected = Role::Argument;
        } else if (expected == Role::Field || expected == Role::Value) {
            role = expected;
            expected = expected == Role::Field && !word.contains(u'(') ? Role::Operator : Role::Argument;
        } else if (t.kind == SentenceTokenKind::Word && keywords.contains(word)) {
            role = Role::Keyword;
            expected = word == u"where" || word == u"and" || word == u"by" ? Role::Field : Role::Argument;
        } else if (expected == Role::Operator) {
            expected = Role::Argument; // a by-field list: "by a, b"
        }
        if (role == Role::Argument && t.kind == SentenceTokenKind::String)
            role = Role::Value;
        setFormat(t.start, int(t.text.size()), format(role));
        if (role == Role::Field && expected == Role::Operator && t.end() < text.size() && text[t.end()] == u',')
            expected = Role::Field;
    }
}

} // namespace fd
