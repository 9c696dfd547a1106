#include "PromQlLexer.h"
#include <QRegularExpression>

namespace fd {

namespace {

using K = PromQlTokenKind;

bool isAsciiLetter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
}
bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}
bool isIdentChar(QChar c)
{
    return isAsciiLetter(c) || isDigit(c) || c == u'_' || c == u':';
}
bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}
bool isQuote(QChar c)
{
    return c == u'"' || c == u'\'' || c == u'`';
}

const QStringList &groupingKeywords()
{
    static const QStringList list { QStringLiteral("by"), QStringLiteral("without"), QStringLiteral("on"),
        QStringLiteral("ignoring"), QStringLiteral("group_left"), QStringLiteral("group_right") };
    return list;
}

// The index of the last token before `before` that is not a comment, or -1.
int lastSignificantBefore(const QList<PromQlToken> &tokens, int before)
{
    for (int i = before - 1; i >= 0; --i) {
        if (tokens[i].kind != K::Comment)
            return i;
    }
    return -1;
}

enum class BracketKind { Paren, Grouping, Brace, Bracket };

struct OpenBracket {
    BracketKind kind;
    int token; // index of the opening token
};

// One left-to-right pass: tokens, and the brackets still open at the end (what completion needs).
class Scanner
{
public:
    explicit Scanner(const QString &text)
        : m_text(text)
    {
        run();
    }

    QList<PromQlToken> tokens;
    QList<OpenBracket> stack;

private:
    void run();
    int lexString(int i);
    int lexNumber(int i);
    int lexWord(int i);
    int lexOperator(int i);
    void punctuation(int i);
    K classifyWord(const QString &word, int end) const;
    bool top(BracketKind kind) const { return !stack.isEmpty() && stack.last().kind == kind; }
    int lastSignificant() const;
    void push(K kind, int start, int end) { tokens.append({ kind, start, end - start }); }

    const QString &m_text;
};

void Scanner::run()
{
    const int n = int(m_text.size());
    int i = 0;
    while (i < n) {
        const QChar c = m_text[i];
        if (isSpace(c)) {
            ++i;
        } else if (c == u'#') {
            int end = int(m_text.indexOf(u'\n', i));
            end = end < 0 ? n : end;
            push(K::Comment, i, end);
            i = end;
        } else if (isQuote(c)) {
            i = lexString(i);
        } else if (isDigit(c) || (c == u'.' && i + 1 < n && isDigit(m_text[i + 1]))) {
            i = lexNumber(i);
        } else if (isAsciiLetter(c) || c == u'_' || (c == u':' && !top(BracketKind::Bracket))) {
            i = lexWord(i);
        } else if (QStringView(u"(){}[],:").contains(c)) {
            punctuation(i);
            ++i;
        } else if (c == u'@') {
            push(K::Keyword, i, i + 1);
            ++i;
        } else {
            i = lexOperator(i);
        }
    }
}

int Scanner::lexString(int i)
{
    const int n = int(m_text.size());
    const QChar quote = m_text[i];
    if (quote == u'`') { // raw string: no escapes, may span lines
        const int close = int(m_text.indexOf(u'`', i + 1));
        const int end = close < 0 ? n : close + 1;
        push(close < 0 ? K::Error : K::String, i, end);
        return end;
    }
    int j = i + 1;
    while (j < n && m_text[j] != u'\n') {
        if (m_text[j] == u'\\') {
            if (j + 1 >= n || m_text[j + 1] == u'\n') {
                ++j;
                break;
            }
            j += 2;
        } else if (m_text[j] == quote) {
            push(K::String, i, j + 1);
            return j + 1;
        } else {
            ++j;
        }
    }
    push(K::Error, i, j);
    return j;
}

int Scanner::lexNumber(int i)
{
    static const QRegularExpression mantissa(QStringLiteral("^(?:\\d+\\.?\\d*|\\.\\d+)[eE]$"));
    static const QRegularExpression number(
        QStringLiteral("^(?:0[xX][0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)$"));
    static const QRegularExpression duration(QStringLiteral("^(?:\\d+(?:ms|s|m|h|d|w|y))+$"));
    const int n = int(m_text.size());
    int j = i;
    // Take the whole run of number-ish characters so "5x" is one bad token, not "5" then "x".
    while (j < n) {
        const QChar c = m_text[j];
        if (isAsciiLetter(c) || isDigit(c) || c == u'_' || c == u'.') {
            ++j;
        } else if ((c == u'+' || c == u'-') && j + 1 < n && isDigit(m_text[j + 1])
            && mantissa.match(QStringView(m_text).mid(i, j - i)).hasMatch()) {
            ++j;
        } else {
            break;
        }
    }
    const QStringView run = QStringView(m_text).mid(i, j - i);
    const K kind = number.match(run).hasMatch() ? K::Number : duration.match(run).hasMatch() ? K::Duration : K::Error;
    push(kind, i, j);
    return j;
}

int Scanner::lexWord(int i)
{
    int j = i;
    while (j < m_text.size() && isIdentChar(m_text[j]))
        ++j;
    push(classifyWord(m_text.mid(i, j - i), j), i, j);
    return j;
}

K Scanner::classifyWord(const QString &word, int end) const
{
    if (top(BracketKind::Brace) || top(BracketKind::Grouping))
        return K::LabelName;
    const QString lower = word.toLower(); // Prometheus matches keywords case-insensitively, functions exactly
    if (PromQlLexer::aggregations().contains(lower))
        return K::Aggregation;
    if (PromQlLexer::keywords().contains(lower))
        return K::Keyword;
    if (lower == u"atan2")
        return K::Operator;
    if (lower == u"inf" || lower == u"nan")
        return K::Number;
    int next = end;
    while (next < m_text.size() && isSpace(m_text[next]))
        ++next;
    if (next < m_text.size() && m_text[next] == u'(') {
        if (PromQlLexer::functions().contains(word))
            return K::Function;
        const int prev = lastSignificant(); // "@ start()" and "@ end()"
        if ((word == u"start" || word == u"end") && prev >= 0 && m_text[tokens[prev].start] == u'@')
            return K::Function;
    }
    return K::Identifier;
}

int Scanner::lexOperator(int i)
{
    static const QStringList twoChar { QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="),
        QStringLiteral(">="), QStringLiteral("=~"), QStringLiteral("!~") };
    const QStringView rest = QStringView(m_text).mid(i);
    for (const QString &op : twoChar) {
        if (rest.startsWith(op)) {
            push(K::Operator, i, i + 2);
            return i + 2;
        }
    }
    if (QStringView(u"+-*/%^<>=").contains(rest.front())) {
        push(K::Operator, i, i + 1);
        return i + 1;
    }
    const int length = rest.size() > 1 && rest[0].isHighSurrogate() && rest[1].isLowSurrogate() ? 2 : 1;
    push(K::Error, i, i + length);
    return i + length;
}

void Scanner::punctuation(int i)
{
    const QChar c = m_text[i];
    const int index = int(tokens.size());
    push(K::Punctuation, i, i + 1);
    if (c == u'(') {
        const int prev = lastSignificantBefore(tokens, index);
        const bool grouping = prev >= 0 && tokens[prev].kind == K::Keyword
            && groupingKeywords().contains(m_text.mid(tokens[prev].start, tokens[prev].length).toLower());
        stack.append({ grouping ? BracketKind::Grouping : BracketKind::Paren, index });
    } else if (c == u'{') {
        stack.append({ BracketKind::Brace, index });
    } else if (c == u'[') {
        stack.append({ BracketKind::Bracket, index });
    } else if ((c == u')' && (top(BracketKind::Paren) || top(BracketKind::Grouping)))
        || (c == u'}' && top(BracketKind::Brace)) || (c == u']' && top(BracketKind::Bracket))) {
        stack.removeLast();
    }
}

int Scanner::lastSignificant() const
{
    return lastSignificantBefore(tokens, int(tokens.size()));
}

bool isPunct(const QString &text, const QList<PromQlToken> &tokens, int i, char16_t c)
{
    return i >= 0 && i < tokens.size() && tokens[i].kind == K::Punctuation && text[tokens[i].start] == c;
}

int nextSignificant(const QList<PromQlToken> &tokens, int from)
{
    for (int i = from; i < tokens.size(); ++i) {
        if (tokens[i].kind != K::Comment)
            return i;
    }
    return -1;
}

// The index of the parenthesis matching the one at i (searching forward from "(", backward from ")"), or -1.
int matchingParen(const QString &text, const QList<PromQlToken> &tokens, int i)
{
    const int step = text[tokens[i].start] == u'(' ? 1 : -1;
    int depth = 0;
    for (int k = i; k >= 0 && k < tokens.size(); k += step) {
        if (isPunct(text, tokens, k, u'('))
            depth += step;
        else if (isPunct(text, tokens, k, u')'))
            depth -= step;
        if (depth == 0)
            return k;
    }
    return -1;
}

QString unquote(QStringView token)
{
    QString out;
    const QStringView body = token.mid(1, token.size() - 2);
    for (int i = 0; i < body.size(); ++i) {
        if (body[i] == u'\\' && token.front() != u'`' && i + 1 < body.size())
            ++i;
        out.append(body[i]);
    }
    return out;
}

// The whole text, tokenized, for what lies beyond the cursor (the expression a by-clause aggregates).
class FullText
{
public:
    explicit FullText(const QString &text)
        : m_text(text)
        , m_tokens(PromQlLexer::tokenize(text))
    {
    }

    QString selectorMetric(int braceStart) const;
    QString groupingMetric(int parenStart) const;

private:
    int tokenAt(int start) const;
    QString at(int i) const { return m_text.mid(m_tokens[i].start, m_tokens[i].length); }
    QString firstMetricIn(int open) const;

    const QString &m_text;
    QList<PromQlToken> m_tokens;
};

int FullText::tokenAt(int start) const
{
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (m_tokens[i].start == start)
            return i;
    }
    return -1;
}

QString FullText::selectorMetric(int braceStart) const
{
    const int brace = tokenAt(braceStart);
    if (brace < 0)
        return {};
    const int prev = lastSignificantBefore(m_tokens, brace);
    if (prev >= 0 && m_tokens[prev].kind == K::Identifier)
        return at(prev);
    for (int k = brace + 1; k + 2 < m_tokens.size() && !isPunct(m_text, m_tokens, k, u'}'); ++k) {
        if (m_tokens[k].kind == K::LabelName && at(k) == u"__name__" && at(k + 1) == u"="
            && m_tokens[k + 2].kind == K::String)
            return unquote(at(k + 2));
    }
    return {};
}

QString FullText::groupingMetric(int parenStart) const
{
    const int open = tokenAt(parenStart);
    const int keyword = open < 0 ? -1 : lastSignificantBefore(m_tokens, open);
    const QString kw = keyword < 0 ? QString() : at(keyword).toLower();
    if (kw != u"by" && kw != u"without")
        return {};
    const int owner = lastSignificantBefore(m_tokens, keyword);
    if (owner >= 0 && m_tokens[owner].kind == K::Aggregation) { // sum by (job) (expr)
        const int close = matchingParen(m_text, m_tokens, open);
        const int arg = close < 0 ? -1 : nextSignificant(m_tokens, close + 1);
        return isPunct(m_text, m_tokens, arg, u'(') ? firstMetricIn(arg) : QString();
    }
    if (isPunct(m_text, m_tokens, owner, u')')) { // sum(expr) by (job)
        const int argOpen = matchingParen(m_text, m_tokens, owner);
        const int agg = argOpen < 0 ? -1 : lastSignificantBefore(m_tokens, argOpen);
        return agg >= 0 && m_tokens[agg].kind == K::Aggregation ? firstMetricIn(argOpen) : QString();
    }
    return {};
}

QString FullText::firstMetricIn(int open) const
{
    const int close = matchingParen(m_text, m_tokens, open);
    const int end = close < 0 ? int(m_tokens.size()) : close;
    for (int k = open + 1; k < end; ++k) {
        if (m_tokens[k].kind == K::Identifier)
            return at(k);
    }
    return {};
}

// Reads the text before the cursor: the partial word, the brackets still open and the token before.
class ContextFinder
{
public:
    ContextFinder(const QString &text, int cursor)
        : m_text(text)
        , m_before(text.left(cursor))
        , m_scan(m_before)
        , m_full(text)
    {
        m_ctx.replaceStart = cursor;
    }

    PromQlCompletionContext find();

private:
    const QList<PromQlToken> &tokens() const { return m_scan.tokens; }
    QString at(int i) const { return m_before.mid(tokens()[i].start, tokens()[i].length); }
    bool punct(int i, char16_t c) const { return isPunct(m_before, tokens(), i, c); }
    bool inside(BracketKind kind) const { return !m_scan.stack.isEmpty() && m_scan.stack.last().kind == kind; }
    int openStart() const { return tokens()[m_scan.stack.last().token].start; }
    bool isKeyword(int i, QStringView word) const
    {
        return i >= 0 && tokens()[i].kind == K::Keyword && at(i).toLower() == word;
    }
    bool isMatcher(int i) const;
    bool expectsDuration(int prev) const;
    bool isWord(int i) const;

    PromQlCompletionContext make(PromQlExpect expect) const;
    PromQlCompletionContext insideString(int i);
    PromQlCompletionContext afterNumber(int i);
    PromQlCompletionContext fromState(int prev);
    PromQlCompletionContext afterToken(int prev, bool typing);
    PromQlCompletionContext afterClose(int prev, bool typing) const;
    PromQlCompletionContext labelValue(int label);

    const QString &m_text;
    const QString m_before;
    Scanner m_scan;
    FullText m_full;
    PromQlCompletionContext m_ctx;
};

PromQlCompletionContext ContextFinder::make(PromQlExpect expect) const
{
    PromQlCompletionContext c = m_ctx;
    c.expect = expect;
    return c;
}

bool ContextFinder::isMatcher(int i) const
{
    if (i < 0 || tokens()[i].kind != K::Operator)
        return false;
    const QString op = at(i);
    return op == u"=" || op == u"!=" || op == u"=~" || op == u"!~";
}

bool ContextFinder::expectsDuration(int prev) const
{
    if (inside(BracketKind::Bracket))
        return punct(prev, u'[') || punct(prev, u':');
    if (isKeyword(prev, u"offset"))
        return true;
    return prev >= 0 && tokens()[prev].kind == K::Operator && at(prev) == u"-"
        && isKeyword(lastSignificantBefore(tokens(), prev), u"offset");
}

bool ContextFinder::isWord(int i) const
{
    const PromQlToken &t = tokens()[i];
    const QChar first = m_before[t.start];
    return t.kind != K::Punctuation && t.kind != K::String && t.kind != K::Comment && t.kind != K::Error
        && (isAsciiLetter(first) || first == u'_' || first == u':');
}

PromQlCompletionContext ContextFinder::find()
{
    int last = int(tokens().size()) - 1;
    if (last >= 0 && tokens()[last].end() == m_before.size()) {
        const PromQlToken &t = tokens()[last];
        const QChar first = m_before[t.start];
        if (t.kind == K::Comment)
            return make(PromQlExpect::Nothing);
        if (isQuote(first))
            return t.kind == K::Error ? insideString(last) : make(PromQlExpect::Nothing);
        if (isDigit(first) || first == u'.')
            return afterNumber(last);
        if (isWord(last)) {
            m_ctx.prefix = at(last);
            m_ctx.replaceStart = t.start;
            --last;
        }
    }
    return fromState(lastSignificantBefore(tokens(), last + 1));
}

PromQlCompletionContext ContextFinder::labelValue(int label)
{
    m_ctx.label = at(label);
    m_ctx.metric = m_full.selectorMetric(openStart());
    return make(PromQlExpect::LabelValue);
}

PromQlCompletionContext ContextFinder::insideString(int i)
{
    const int op = lastSignificantBefore(tokens(), i);
    const int label = op < 0 ? -1 : lastSignificantBefore(tokens(), op);
    if (!inside(BracketKind::Brace) || !isMatcher(op) || label < 0 || tokens()[label].kind != K::LabelName)
        return make(PromQlExpect::Nothing);
    m_ctx.quote = m_before[tokens()[i].start];
    m_ctx.replaceStart = tokens()[i].start + 1;
    m_ctx.prefix = m_before.mid(m_ctx.replaceStart);
    return labelValue(label);
}

PromQlCompletionContext ContextFinder::afterNumber(int i)
{
    if (!expectsDuration(lastSignificantBefore(tokens(), i)))
        return make(PromQlExpect::Nothing);
    m_ctx.prefix = at(i);
    m_ctx.replaceStart = tokens()[i].start;
    return make(PromQlExpect::Duration);
}

PromQlCompletionContext ContextFinder::fromState(int prev)
{
    if (inside(BracketKind::Brace)) {
        if (punct(prev, u'{') || punct(prev, u',')) {
            m_ctx.metric = m_full.selectorMetric(openStart());
            return make(PromQlExpect::LabelName);
        }
        const int label = prev < 0 ? -1 : lastSignificantBefore(tokens(), prev);
        if (isMatcher(prev) && label >= 0 && tokens()[label].kind == K::LabelName)
            return labelValue(label);
        return make(PromQlExpect::Nothing);
    }
    if (inside(BracketKind::Grouping)) {
        if (!punct(prev, u'(') && !punct(prev, u','))
            return make(PromQlExpect::Nothing);
        m_ctx.metric = m_full.groupingMetric(openStart());
        return make(PromQlExpect::LabelName);
    }
    if (prev < 0)
        return make(PromQlExpect::MetricOrFunction);
    if (expectsDuration(prev))
        return make(PromQlExpect::Duration);
    if (inside(BracketKind::Bracket))
        return make(PromQlExpect::Nothing);
    // A keyword only once the user has moved on from the expression: "up o", "rate(x[5m]) ".
    const bool typing = !m_ctx.prefix.isEmpty() || tokens()[prev].end() < m_ctx.replaceStart;
    return afterToken(prev, typing);
}

PromQlCompletionContext ContextFinder::afterToken(int prev, bool typing)
{
    const PromQlExpect keyword = typing ? PromQlExpect::Keyword : PromQlExpect::Nothing;
    switch (tokens()[prev].kind) {
    case K::Keyword: {
        const QString word = at(prev).toLower();
        const bool binary = word == u"and" || word == u"or" || word == u"unless" || word == u"bool";
        return make(binary ? PromQlExpect::MetricOrFunction : PromQlExpect::Nothing);
    }
    case K::Operator:
        return make(PromQlExpect::MetricOrFunction);
    case K::Punctuation:
        if (punct(prev, u'(') || punct(prev, u','))
            return make(PromQlExpect::MetricOrFunction);
        return punct(prev, u')') ? afterClose(prev, typing) : make(keyword);
    case K::Aggregation:
    case K::Identifier:
    case K::Number:
    case K::Duration:
    case K::String:
        return make(keyword);
    default:
        return make(PromQlExpect::Nothing);
    }
}

PromQlCompletionContext ContextFinder::afterClose(int prev, bool typing) const
{
    const PromQlExpect keyword = typing ? PromQlExpect::Keyword : PromQlExpect::Nothing;
    const int open = matchingParen(m_before, tokens(), prev);
    const int kw = open < 0 ? -1 : lastSignificantBefore(tokens(), open);
    if (kw < 0 || tokens()[kw].kind != K::Keyword || !groupingKeywords().contains(at(kw).toLower()))
        return make(keyword);
    if (isKeyword(kw, u"by") || isKeyword(kw, u"without")) { // "sum by (job) " still needs its "(expr)"
        const int owner = lastSignificantBefore(tokens(), kw);
        return make(owner >= 0 && tokens()[owner].kind == K::Aggregation ? PromQlExpect::Nothing : keyword);
    }
    return make(PromQlExpect::MetricOrFunction); // on(...) / group_left(...) precede the right-hand side
}

} // namespace

const QStringList &PromQlLexer::functions()
{
    static const QStringList list = [] {
        QStringList l;
        for (const char *name : { "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan",
                 "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
                 "count_over_time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg", "delta",
                 "deriv", "exp", "floor", "histogram_avg", "histogram_count", "histogram_fraction",
                 "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters", "hour",
                 "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2",
                 "mad_over_time", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
                 "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin",
                 "sinh", "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev_over_time",
                 "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year" })
            l.append(QString::fromLatin1(name));
        return l;
    }();
    return list;
}

const QStringList &PromQlLexer::aggregations()
{
    static const QStringList list { QStringLiteral("sum"), QStringLiteral("avg"), QStringLiteral("count"),
        QStringLiteral("min"), QStringLiteral("max"), QStringLiteral("group"), QStringLiteral("stddev"),
        QStringLiteral("stdvar"), QStringLiteral("topk"), QStringLiteral("bottomk"), QStringLiteral("quantile"),
        QStringLiteral("count_values") };
    return list;
}

const QStringList &PromQlLexer::keywords()
{
    static const QStringList list { QStringLiteral("by"), QStringLiteral("without"), QStringLiteral("on"),
        QStringLiteral("ignoring"), QStringLiteral("group_left"), QStringLiteral("group_right"),
        QStringLiteral("offset"), QStringLiteral("bool"), QStringLiteral("and"), QStringLiteral("or"),
        QStringLiteral("unless"), QStringLiteral("@") };
    return list;
}

const QStringList &PromQlLexer::durationUnits()
{
    static const QStringList list { QStringLiteral("ms"), QStringLiteral("s"), QStringLiteral("m"), QStringLiteral("h"),
        QStringLiteral("d"), QStringLiteral("w"), QStringLiteral("y") };
    return list;
}

QList<PromQlToken> PromQlLexer::tokenize(const QString &text)
{
    return Scanner(text).tokens;
}

PromQlCompletionContext completionContextAt(const QString &text, int cursor)
{
    return ContextFinder(text, qBound(0, cursor, int(text.size()))).find();
}

} // namespace fd
