#pragma once
#include <QList>
#include <QString>
#include <QStringList>

namespace fd {

enum class PromQlTokenKind {
    Identifier, // a metric name (or any name that is none of the kinds below)
    LabelName, // inside {...} or a by/without/on/ignoring/group_left/group_right clause
    String, // "...", '...' or `...`
    Number, // 42, 0.5, 1e-3, 0x1f, Inf, NaN
    Duration, // 5m, 1h30m, 250ms
    Function, // a known function name followed by "("
    Keyword, // by without on ignoring group_left group_right offset bool and or unless @
    Aggregation, // sum avg count min max group stddev stdvar topk bottomk quantile count_values
    Operator, // + - * / % ^ == != < <= > >= = =~ !~ atan2
    Punctuation, // ( ) { } [ ] , and the ":" of a subquery
    Comment, // # to the end of the line
    Error, // an unterminated string, a bad number or duration, a stray character
};

struct PromQlToken {
    PromQlTokenKind kind = PromQlTokenKind::Error;
    int start = 0;
    int length = 0;

    int end() const { return start + length; }
    bool operator==(const PromQlToken &) const = default;
};

// What the editor should offer at a cursor position.
enum class PromQlExpect {
    Nothing, // inside a comment or a string that is no label value, or where no list helps
    MetricOrFunction, // an expression starts here
    LabelName, // inside {...} or a grouping clause
    LabelValue, // after label= / != / =~ / !~
    Duration, // after "[", a subquery ":" or "offset"
    Keyword, // after a complete expression: a binary keyword or a modifier
};

struct PromQlCompletionContext {
    PromQlExpect expect = PromQlExpect::Nothing;
    QString prefix; // what is already typed of the item: the partial word, value or duration
    int replaceStart = 0; // where that prefix starts; the completion replaces [replaceStart, cursor)
    QString metric; // the selector's (or aggregated expression's) metric name, when known
    QString label; // LabelValue: the label being matched
    QChar quote; // LabelValue: the open quote the cursor is in; null when the value still needs quotes
};

// A tokenizer for PromQL as Prometheus 2.x lexes it, tolerant of any input (it never fails,
// bad pieces become Error tokens), plus the static vocabulary the editor completes from.
class PromQlLexer
{
public:
    static QList<PromQlToken> tokenize(const QString &text);

    static const QStringList &functions();
    static const QStringList &aggregations();
    static const QStringList &keywords();
    static const QStringList &durationUnits();
};

PromQlCompletionContext completionContextAt(const QString &text, int cursor);

} // namespace fd
