#pragma once
#include "Error.h"
#include "Query.h"
#include <QList>
#include <QString>
#include <QStringList>

namespace fd {

// The query builder's sentence, a readable form of a Query (without `source` and `raw`):
//   logs where service.name = auth and severity >= ERROR matching "timeout" count by service.name every 5m limit 100
// Clauses after the signal come in any order; a value or search text with spaces or quotes is
// double-quoted with backslash escapes; `limit` is written only when it is not the default.

// Where a sentence is wrong, in QString positions [start, end), for an underline.
class SentenceError : public Error
{
public:
    SentenceError(const std::string &message, int start, int end) : Error(message), m_start(start), m_end(end) {}
    int start() const { return m_start; }
    int end() const { return m_end; }

private:
    int m_start;
    int m_end;
};

enum class SentenceTokenKind { Word, String, Operator, Comma };

struct SentenceToken {
    SentenceTokenKind kind = SentenceTokenKind::Word;
    QString text; // as written (a String keeps its quotes)
    int start = 0;
    int end() const { return start + int(text.size()); }
};

// Never fails: an unterminated string runs to the end.
QList<SentenceToken> tokenizeSentence(const QString &text);
// Throws SentenceError.
Query parseQuerySentence(const QString &text);
QString querySentence(const Query &q);
// A field name as the sentence writes it: bare when it reads back as one word, else quoted ("user agent").
QString sentenceField(const std::string &field);
// A field inside a call's parentheses as the sentence writes it: sum(duration_ms), count_distinct("user agent"),
// exists("a)b").
QString sentenceFieldInParens(const std::string &field);
// A value as the sentence writes it after the operator: bare when it reads back as the same text, else quoted.
QString sentenceValue(const QString &value, Op op = Op::Eq);
// A value a source offers for completion, which comes as text whatever type the events hold: the exact
// text of a number stays bare (it then matches the number and the text, "= 500"), others as sentenceValue.
QString completionValue(const QString &value);

// What the bar should offer at a cursor position.
enum class SentenceExpect { Nothing, Signal, Clause, Field, Operator, Value, Duration };

struct SentenceContext {
    SentenceExpect expect = SentenceExpect::Nothing;
    QString prefix;       // what is typed of the item (a value without its opening quote)
    int replaceStart = 0; // the completion replaces [replaceStart, cursor)
    QString field;        // Value: the condition's field
    bool afterCondition = false; // Clause: "and" may follow
};

SentenceContext sentenceContextAt(const QString &text, int cursor);
// Keywords and aggregate starts allowed as the next clause ("where" or "and", "matching", "count" ...).
QStringList sentenceClauseWords(bool afterCondition);
QStringList sentenceOperators();

} // namespace fd
