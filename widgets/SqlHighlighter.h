#pragma once
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace fd {

// Colours SQL (SQLite and ClickHouse dialects) for the raw query editor: keywords, functions, strings,
// quoted identifiers, numbers and comments, with one palette for light and one for dark backgrounds.
class SqlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Kind { Keyword, Function, String, Identifier, Number, Comment, Operator };

    explicit SqlHighlighter(QTextDocument *document, bool dark = false);
    void setDark(bool dark);
    QTextCharFormat format(Kind kind) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_dark = false;
};

} // namespace fd
