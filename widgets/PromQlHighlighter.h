#pragma once
#include "models/PromQlLexer.h"
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <array>

namespace fd {

// Colours PromQL by PromQlLexer token kind, with one palette for light and one for dark backgrounds.
class PromQlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit PromQlHighlighter(QTextDocument *document, bool dark = false);

    void setDark(bool dark);
    bool isDark() const { return m_dark; }
    QTextCharFormat format(PromQlTokenKind kind) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    void makeFormats();

    bool m_dark = false;
    std::array<QTextCharFormat, 12> m_formats;
    QString m_lexedText;
    QList<PromQlToken> m_tokens;
};

} // namespace fd
