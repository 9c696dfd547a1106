#include "QuerySentence.h"
#include "QueryText.h"
#include "Time.h"
#include <QRegularExpression>

namespace fd {

namespace {

bool isOperatorChar(QChar c)
{
    return QStringView(u"=!<>~").contains(c);
}

// "!exists(f)" is a word, not "!" and "exists(f)".
bool startsNegatedExists(const QString &text, int i)
{
    return text[i] == u'!' && QStringView(text).mid(i + 1).startsWith(u"exists(");
}

QString unquoted(const QString &token)
{
    QString out;
    const QChar quote = token.front();
    const bool closed = token.size() >= 2 && token.back() == quote;
    const int end = int(token.size()) - (closed ? 1 : 0);
    for (int i = 1; i < end; ++i) {
        if (token[i] == u'\\' && i + 1 < end) {
            ++i;
            out += token[i] == u'n' ? QChar(u'\n') : token[i];
        } else {
            out += token[i];
        }
    }
    return out;
}

bool isStringClosed(const SentenceToken &t)
{
    if (t.kind != SentenceTokenKind::String || t.text.size() < 2 || t.text.back() != t.text.front())
        return false;
    int backslashes = 0;
    for (int i = int(t.text.size()) - 2; i > 0 && t.text[i] == u'\\'; --i)
        ++backslashes;
    return backslashes % 2 == 0;
}

const QStringList &keywords()
{
    static const QStringList words{ QStringLiteral("where"), QStringLiteral("and"), QStringLiteral("matching"),
        QStringLiteral("search"), QStringLiteral("by"), QStringLiteral("group"), QStringLiteral("every"),
        QStringLiteral("limit") };
    return words;
}

class Parser
{
public:
    explicit Parser(const QString &text) : m_text(text), m_tokens(tokenizeSentence(text)) {}

    Query parse()
    {
        if (m_tokens.isEmpty())
            fail("empty query: start with logs, spans or metrics", 0, 0);
        const SentenceToken &first = m_tokens.front();
        const auto signal = signalFromName(first.text.toLower().toStdString());
        if (first.kind != SentenceTokenKind::Word || !signal)
            failAt(first, "start with logs, spans or metrics");
        m_query.signal = *signal;
        m_i = 1;
        while (m_i < m_tokens.size())
            clause();
        return m_query;
    }

private:
    [[noreturn]] void fail(const std::string &message, int start, int end) { throw SentenceError(message, start, end); }
    [[noreturn]] void failAt(const SentenceToken &t, const std::string &message)
    {
        fail(message + " at \"" + t.text.toStdString() + "\"", t.start, t.end());
    }
    const SentenceToken &next(const std::string &what)
    {
        if (m_i >= m_tokens.size())
            fail("expected " + what + " at the end", int(m_text.size()), int(m_text.size()));
        return m_tokens[m_i++];
    }
    bool nextIsWord(QStringView word) const
    {
        return m_i < m_tokens.size() && m_tokens[m_i].kind == SentenceTokenKind::Word
            && m_tokens[m_i].text.compare(word, Qt::CaseInsensitive) == 0;
    }

    void clause()
    {
        const SentenceToken &t = m_tokens[m_i++];
        const QString word = t.kind == SentenceTokenKind::Word ? t.text.toLower() : QString();
        if (word == u"where" || (word == u"and" && m_afterCondition)) {
            condition();
            while (nextIsWord(u"and")) {
                ++m_i;
                condition();
            }
            m_afterCondition = true;
            return;
        }
        m_afterCondition = false;
        if (word == u"matching" || word == u"search") {
            const SentenceToken &arg = next("the text to search for");
            m_query.search = (arg.kind == SentenceTokenKind::String ? unquoted(arg.text) : arg.text).toStdString();
        } else if (word == u"by" || (word == u"group" && nextIsWord(u"by") && ++m_i)) {
            groupBy();
        } else if (word == u"every") {
            const SentenceToken &arg = next("an interval such as 5m");
            const auto d = parseDuration(arg.text);
            if (!d || *d <= 0)
                failAt(arg, "expected an interval such as 30s, 5m or 1h");
            m_query.interval = *d;
        } else if (word == u"limit") {
            const SentenceToken &arg = next("a row limit");
            bool ok = false;
            const int limit = arg.text.toInt(&ok);
            if (!ok || limit <= 0)
                failAt(arg, "expected a positive row limit");
            m_query.limit = limit;
        } else {
            aggregate(t);
        }
    }

    void aggregate(const SentenceToken &t)
    {
        if (t.kind == SentenceTokenKind::Word && t.text.endsWith(u'(') && m_i < m_tokens.size()
            && m_tokens[m_i].kind == SentenceTokenKind::String) { // count_distinct("user agent")
            const QString field = fieldName(m_tokens[m_i++], "expected a field name");
            const SentenceToken &close = next("\")\"");
            if (close.text != u")")
                failAt(close, "expected \")\"");
            try {
                m_query.agg = makeAggregate(t.text.chopped(1).toStdString(), field.toStdString());
            } catch (const Error &e) {
                fail(e.what(), t.start, close.end());
            }
            return;
        }
        if (t.kind == SentenceTokenKind::Word && !keywords().contains(t.text.toLower())) {
            try {
                m_query.agg = parseAggregate(t.text.toStdString());
                if (m_query.agg.kind != Aggregate::Kind::None)
                    return;
            } catch (const Error &e) {
                if (t.text.contains(u'('))
                    fail(e.what(), t.start, t.end());
            }
        }
        failAt(t, "expected where, matching, an aggregate (count, rate, sum(f) ...), by, every or limit");
    }

    // A field name, bare or quoted ("user agent").
    QString fieldName(const SentenceToken &t, const char *expected)
    {
        if (t.kind == SentenceTokenKind::String && isStringClosed(t) && t.text.size() > 2)
            return unquoted(t.text);
        if (t.kind != SentenceTokenKind::Word || keywords().contains(t.text.toLower()))
            failAt(t, expected);
        return t.text;
    }

    void condition()
    {
        const SentenceToken &field = next("a field");
        if (field.text == u"exists(" || field.text == u"!exists(") { // exists("user agent")
            const SentenceToken &quoted = next("a field");
            const QString name = fieldName(quoted, "expected a field name");
            const SentenceToken &close = next("\")\"");
            if (close.text != u")")
                failAt(close, "expected \")\"");
            m_query.where.push_back({name.toStdString(), field.text.front() == u'!' ? Op::NotExists : Op::Exists, nullptr});
            return;
        }
        const QString name = fieldName(field, "expected a field name");
        if (field.kind == SentenceTokenKind::Word && (field.text.startsWith(u"exists(") || field.text.startsWith(u"!exists("))) {
            try {
                m_query.where.push_back(parseWhere(field.text.toStdString()));
            } catch (const Error &e) {
                fail(e.what(), field.start, field.end());
            }
            return;
        }
        const SentenceToken &op = next("an operator (= != > >= < <= ~ !~)");
        if (op.kind != SentenceTokenKind::Operator)
            failAt(op, "expected an operator (= != > >= < <= ~ !~)");
        const SentenceToken &value = next("a value");
        if (value.kind == SentenceTokenKind::Comma || value.kind == SentenceTokenKind::Operator)
            failAt(value, "expected a value");
        try {
            // The operator as parseWhere reads it, and a bare value's type; a quoted one stays text, escapes and all.
            const QString typed = value.kind == SentenceTokenKind::Word ? value.text : QStringLiteral("x");
            Condition c = parseWhere(QString(u"f " + op.text + u' ' + typed).toStdString());
            c.field = name.toStdString();
            if (value.kind == SentenceTokenKind::Word) {
                m_query.where.push_back(std::move(c));
                return;
            }
            c.value = unquoted(value.text).toStdString();
            if (c.op == Op::Regex || c.op == Op::NotRegex) {
                const QRegularExpression check(unquoted(value.text));
                if (!check.isValid())
                    fail("invalid regular expression: " + check.errorString().toStdString(), value.start, value.end());
            }
            m_query.where.push_back(textOnly(std::move(c)));
        } catch (const SentenceError &) {
            throw;
        } catch (const Error &e) {
            fail(e.what(), field.start, value.end());
        }
    }

    void groupBy()
    {
        for (;;) {
            m_query.groupBy.push_back(fieldName(next("a field to group by"), "expected a field to group by").toStdString());
            if (m_i >= m_tokens.size() || m_tokens[m_i].kind != SentenceTokenKind::Comma)
                return;
            ++m_i;
        }
    }

    const QString &m_text;
    QList<SentenceToken> m_tokens;
    qsizetype m_i = 0;
    bool m_afterCondition = false;
    Query m_query;
};

QString valueText(const Condition &c)
{
    if (c.quoted)
        return QString::fromStdString(quotedLiteral(c.value.get<std::string>()));
    if (c.value.is_string())
        return sentenceValue(QString::fromStdString(c.value.get<std::string>()), c.op);
    return QString::fromStdString(c.value.dump());
}

QString aggregateText(const Aggregate &agg)
{
    if (agg.field.empty())
        return QString::fromStdString(agg.text());
    return QString::fromStdString(agg.functionName()) + u'(' + sentenceFieldInParens(agg.field) + u')';
}

} // namespace

QList<SentenceToken> tokenizeSentence(const QString &text)
{
    QList<SentenceToken> out;
    const int n = int(text.size());
    int i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const int start = i;
        SentenceTokenKind kind = SentenceTokenKind::Word;
        if (c == u'"' || c == u'\'') {
            kind = SentenceTokenKind::String;
            for (++i; i < n && text[i] != c; ++i) {
                if (text[i] == u'\\')
                    ++i;
            }
            i = qMin(i + 1, n);
        } else if (c == u',') {
            kind = SentenceTokenKind::Comma;
            ++i;
        } else if (isOperatorChar(c) && !startsNegatedExists(text, i)) {
            kind = SentenceTokenKind::Operator;
            ++i;
            if (i < n && text[i - 1] != u'~' && (text[i] == u'=' || (text[i - 1] == u'!' && text[i] == u'~')))
                ++i;
        } else {
            ++i;
            while (i < n && !text[i].isSpace() && text[i] != u'"' && text[i] != u'\'' && text[i] != u','
                   && !isOperatorChar(text[i]))
                ++i;
        }
        out.append({ kind, text.mid(start, i - start), start });
    }
    return out;
}

Query parseQuerySentence(const QString &text)
{
    return Parser(text).parse();
}

QString sentenceField(const std::string &field)
{
    const QString name = QString::fromStdString(field);
    const QList<SentenceToken> tokens = tokenizeSentence(name);
    const bool bare = tokens.size() == 1 && tokens.front().kind == SentenceTokenKind::Word && tokens.front().text == name
        && !keywords().contains(name.toLower()) && !name.startsWith(u"exists(") && !name.startsWith(u"!exists(");
    return bare ? name : QString::fromStdString(quotedLiteral(field));
}

QString sentenceFieldInParens(const std::string &field)
{
    const QString name = sentenceField(field);
    const bool bare = name == QString::fromStdString(field) && !name.contains(u'(') && !name.contains(u')');
    return bare ? name : QString::fromStdString(quotedLiteral(field));
}

QString sentenceValue(const QString &value, Op op)
{
    const QList<SentenceToken> tokens = tokenizeSentence(value);
    bool bare = tokens.size() == 1 && tokens.front().kind == SentenceTokenKind::Word && tokens.front().text == value
        && !keywords().contains(value.toLower());
    if (bare) {
        try {
            bare = parseWhere("f " + opName(op) + " " + value.toStdString()).value == Json(value.toStdString());
        } catch (const Error &) {
            bare = false;
        }
    }
    return bare ? value : QString::fromStdString(quotedLiteral(value.toStdString()));
}

QString completionValue(const QString &value)
{
    try {
        const Json number = parseWhere("f = " + value.toStdString()).value;
        if (number.is_number() && QString::fromStdString(number.dump()) == value)
            return value;
    } catch (const Error &) {
    }
    return sentenceValue(value);
}

QString querySentence(const Query &q)
{
    QString out = QString::fromStdString(signalName(q.signal));
    for (std::size_t i = 0; i < q.where.size(); ++i) {
        const Condition &c = q.where[i];
        out += i == 0 ? QStringLiteral(" where ") : QStringLiteral(" and ");
        if (c.op == Op::Exists || c.op == Op::NotExists) // the sentence's quoting, with its escapes (fuzz: "e)sf")
            out += QString::fromStdString(opName(c.op)) + u'(' + sentenceFieldInParens(c.field) + u')';
        else
            out += sentenceField(c.field) + QString::fromStdString(' ' + opName(c.op) + ' ') + valueText(c);
    }
    if (!q.search.empty())
        out += QStringLiteral(" matching ") + QString::fromStdString(quotedLiteral(q.search));
    if (q.agg.kind != Aggregate::Kind::None)
        out += u' ' + aggregateText(q.agg);
    if (!q.groupBy.empty())
        for (std::size_t i = 0; i < q.groupBy.size(); ++i)
            out += (i == 0 ? QStringLiteral(" by ") : QStringLiteral(", ")) + sentenceField(q.groupBy[i]);
    if (q.interval > 0)
        out += QStringLiteral(" every ") + formatDuration(q.interval);
    if (q.limit != Query().limit)
        out += QStringLiteral(" limit ") + QString::number(q.limit);
    return out;
}

QStringList sentenceClauseWords(bool afterCondition)
{
    return { afterCondition ? QStringLiteral("and") : QStringLiteral("where"), QStringLiteral("matching"),
        QStringLiteral("count"), QStringLiteral("rate"), QStringLiteral("sum("), QStringLiteral("avg("),
        QStringLiteral("min("), QStringLiteral("max("), QStringLiteral("p95("), QStringLiteral("count_distinct("),
        QStringLiteral("by"), QStringLiteral("every"), QStringLiteral("limit") };
}

QStringList sentenceOperators()
{
    return { QStringLiteral("="), QStringLiteral("!="), QStringLiteral(">"), QStringLiteral(">="),
        QStringLiteral("<"), QStringLiteral("<="), QStringLiteral("~"), QStringLiteral("!~") };
}

SentenceContext sentenceContextAt(const QString &text, int cursor)
{
    const QString head = text.left(cursor);
    QList<SentenceToken> tokens = tokenizeSentence(head);
    SentenceContext ctx;
    ctx.replaceStart = cursor;
    // The word (or open string) the cursor ends is what is typed of the item, not a finished token.
    if (!tokens.isEmpty() && !head.back().isSpace()) {
        const SentenceToken &last = tokens.back();
        if (last.kind == SentenceTokenKind::Word || (last.kind == SentenceTokenKind::String && !isStringClosed(last))) {
            ctx.prefix = last.kind == SentenceTokenKind::String ? unquoted(last.text) : last.text;
            ctx.replaceStart = last.start;
            tokens.removeLast();
        } else if (last.kind == SentenceTokenKind::String) {
            return ctx; // right after a closing quote
        }
    }
    enum class State { Start, Clause, AfterCondition, ConditionField, Operator, Value, Search, ByField, AfterBy,
        Duration, Limit };
    State state = State::Start;
    QString field;
    for (const SentenceToken &t : std::as_const(tokens)) {
        const QString word = t.kind == SentenceTokenKind::Word ? t.text.toLower() : QString();
        switch (state) {
        case State::Start:
        case State::Search:
        case State::Duration:
        case State::Limit:
        case State::Value:
            state = state == State::Value ? State::AfterCondition : State::Clause;
            break;
        case State::ConditionField:
            field = t.text;
            state = word.startsWith(u"exists(") || word.startsWith(u"!exists(") ? State::AfterCondition : State::Operator;
            break;
        case State::Operator:
            state = State::Value;
            break;
        case State::ByField:
            state = State::AfterBy;
            break;
        case State::AfterBy:
            if (t.kind == SentenceTokenKind::Comma) {
                state = State::ByField;
                break;
            }
            [[fallthrough]];
        case State::Clause:
        case State::AfterCondition:
            if (word == u"where" || word == u"and")
                state = State::ConditionField;
            else if (word == u"matching" || word == u"search")
                state = State::Search;
            else if (word == u"by")
                state = State::ByField;
            else if (word == u"every")
                state = State::Duration;
            else if (word == u"limit")
                state = State::Limit;
            else
                state = State::Clause;
            break;
        }
    }
    switch (state) {
    case State::Start: ctx.expect = SentenceExpect::Signal; break;
    case State::Clause:
    case State::AfterCondition:
    case State::AfterBy: {
        const int paren = int(ctx.prefix.indexOf(u'('));
        if (!tokens.isEmpty() && tokens.back().kind == SentenceTokenKind::Word && tokens.back().text.endsWith(u'(')) {
            // count_distinct("user ag|
            ctx.expect = SentenceExpect::Field;
        } else if (paren >= 0) { // sum(dur| completes the aggregate's field
            ctx.expect = SentenceExpect::Field;
            ctx.replaceStart += paren + 1;
            ctx.prefix = ctx.prefix.mid(paren + 1);
        } else {
            ctx.expect = SentenceExpect::Clause;
            ctx.afterCondition = state == State::AfterCondition;
        }
        break;
    }
    case State::ConditionField:
    case State::ByField: ctx.expect = SentenceExpect::Field; break;
    case State::Operator: ctx.expect = SentenceExpect::Operator; break;
    case State::Value:
        ctx.expect = SentenceExpect::Value;
        ctx.field = field;
        break;
    case State::Duration: ctx.expect = SentenceExpect::Duration; break;
    case State::Search:
    case State::Limit: ctx.expect = SentenceExpect::Nothing; break;
    }
    return ctx;
}

} // namespace fd
