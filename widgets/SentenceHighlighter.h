#pragma once
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace fd {

// Colours the query bar's sentence by role; fields and values get a tinted background so each condition
// reads as tokens: signal, keyword, field, operator, value, aggregate/argument.
class SentenceHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Role { Signal, Keyword, Field, Operator, Value, Argument };

    explicit SentenceHighlighter(QTextDocument *document, bool dark = false);
    void setDark(bool dark);
    QTextCharFormat format(Role role) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_dark = false;
};

} // namespace fd
