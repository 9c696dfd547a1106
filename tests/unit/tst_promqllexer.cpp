// The PromQL tokenizer, the completion context at a cursor, and the error positions of real server messages.
#include "models/PromQlError.h"
#include "models/PromQlLexer.h"
#include <QRandomGenerator>
#include <QTest>

using namespace fd;

Q_DECLARE_METATYPE(fd::PromQlExpect)

namespace {

using K = PromQlTokenKind;

QString kindName(K kind)
{
    switch (kind) {
    case K::Identifier:
        return QStringLiteral("ident");
    case K::LabelName:
        return QStringLiteral("label");
    case K::String:
        return QStringLiteral("str");
    case K::Number:
        return QStringLiteral("num");
    case K::Duration:
        return QStringLiteral("dur");
    case K::Function:
        return QStringLiteral("fn");
    case K::Keyword:
        return QStringLiteral("kw");
    case K::Aggregation:
        return QStringLiteral("agg");
    case K::Operator:
        return QStringLiteral("op");
    case K::Punctuation:
        return QStringLiteral("p");
    case K::Comment:
        return QStringLiteral("comment");
    case K::Error:
        return QStringLiteral("ERR");
    }
    return {};
}

// "kind:text" for each token, joined by spaces: readable when a comparison fails.
QString describe(const QString &text)
{
    QStringList out;
    for (const PromQlToken &t : PromQlLexer::tokenize(text))
        out << kindName(t.kind) + u':' + text.mid(t.start, t.length);
    return out.join(u' ');
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

// Tokens are non-empty, in order, inside the text, and everything between them is whitespace.
QString tokenInvariantViolation(const QString &text)
{
    int covered = 0;
    for (const PromQlToken &t : PromQlLexer::tokenize(text)) {
        if (t.length <= 0 || t.start < covered || t.end() > text.size())
            return QStringLiteral("bad token %1+%2 after %3").arg(t.start).arg(t.length).arg(covered);
        for (int i = covered; i < t.start; ++i) {
            if (!isBlank(text[i]))
                return QStringLiteral("character %1 (U+%2) in no token").arg(i).arg(text[i].unicode(), 4, 16);
        }
        covered = t.end();
    }
    for (int i = covered; i < text.size(); ++i) {
        if (!isBlank(text[i]))
            return QStringLiteral("trailing character %1 in no token").arg(i);
    }
    return {};
}

QString contextViolation(const QString &text, int cursor)
{
    const PromQlCompletionContext c = completionContextAt(text, cursor);
    if (c.replaceStart + c.prefix.size() != cursor || text.mid(c.replaceStart, c.prefix.size()) != c.prefix)
        return QStringLiteral("cursor %1: prefix '%2' at %3").arg(cursor).arg(c.prefix).arg(c.replaceStart);
    return {};
}

const QString kLongQuery = QStringLiteral(
    "# error ratio per job, excluding canaries\n"
    "sum by (job, instance) (\n"
    "  rate(http_requests_total{job=~\"api|web\", code=~\"5..\", path!=\"/healthz\\\"\"}[5m] offset -1h30m)\n"
    ") / ignoring(code) group_left(team)\n"
    "  sum without (code) (rate(http_requests_total{__name__=`x`, le='0.5'}[5m:30s] @ 1609746000)) # tail\n"
    "  > bool 0.05 and on(job) topk(3, histogram_quantile(0.99, sum(rate(x_bucket[1m])) by (le))) unless "
    "absent_over_time(up{job=\"é€😀\"}[1d]) or vector(1e-3) atan2 -Inf ^ 0x1F % .5 == NaN");

} // namespace

class TestPromQlLexer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tokenKinds_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("tokens");
        QTest::newRow("representative")
            << QStringLiteral("sum by (job) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m])) / 2")
            << QStringLiteral("agg:sum kw:by p:( label:job p:) p:( fn:rate p:( ident:http_requests_total p:{ "
                              "label:job op:= str:\"api\" p:, label:code op:=~ str:\"5..\" p:} p:[ dur:5m p:] p:) "
                              "p:) op:/ num:2");
        QTest::newRow("comments") << QStringLiteral("# ratio\nsum(x) # tail (not code)\n/ y")
                                  << QStringLiteral("comment:# ratio agg:sum p:( ident:x p:) "
                                                    "comment:# tail (not code) op:/ ident:y");
        QTest::newRow("hash inside string is no comment")
            << QStringLiteral("x{a=\"#1\"}") << QStringLiteral("ident:x p:{ label:a op:= str:\"#1\" p:}");
        QTest::newRow("compound duration")
            << QStringLiteral("rate(x[1h30m])") << QStringLiteral("fn:rate p:( ident:x p:[ dur:1h30m p:] p:)");
        QTest::newRow("subquery") << QStringLiteral("max_over_time(rate(x[5m])[1h:30s])")
                                  << QStringLiteral(
                                         "fn:max_over_time p:( fn:rate p:( ident:x p:[ dur:5m p:] p:) p:[ dur:1h p:: "
                                         "dur:30s p:] p:)");
        QTest::newRow("subquery without step")
            << QStringLiteral("x[1h:]") << QStringLiteral("ident:x p:[ dur:1h p:: p:]");
        QTest::newRow("offsets") << QStringLiteral("x offset 5m + y OFFSET -1w")
                                 << QStringLiteral("ident:x kw:offset dur:5m op:+ ident:y kw:OFFSET op:- dur:1w");
        QTest::newRow("at timestamp") << QStringLiteral("x @ 1609746000 offset 250ms")
                                      << QStringLiteral("ident:x kw:@ num:1609746000 kw:offset dur:250ms");
        QTest::newRow("at start()") << QStringLiteral("x @ start()") << QStringLiteral("ident:x kw:@ fn:start p:( p:)");
        QTest::newRow("start as a metric") << QStringLiteral("start") << QStringLiteral("ident:start");
        QTest::newRow("escaped quotes")
            << QStringLiteral("x{path=\"a\\\"b\\\\\", q='it\\'s'}")
            << QStringLiteral("ident:x p:{ label:path op:= str:\"a\\\"b\\\\\" p:, label:q op:= str:'it\\'s' p:}");
        QTest::newRow("raw string keeps backslashes")
            << QStringLiteral("x{re=~`a\\d+`}") << QStringLiteral("ident:x p:{ label:re op:=~ str:`a\\d+` p:}");
        QTest::newRow("unterminated string")
            << QStringLiteral("x{job=\"api}") << QStringLiteral("ident:x p:{ label:job op:= ERR:\"api}");
        QTest::newRow("unterminated string stops at the line end")
            << QStringLiteral("x{job=\"api\n}") << QStringLiteral("ident:x p:{ label:job op:= ERR:\"api p:}");
        QTest::newRow("unterminated raw string")
            << QStringLiteral("x{a=`b\nc") << QStringLiteral("ident:x p:{ label:a op:= ERR:`b\nc");
        QTest::newRow("backslash at the end") << QStringLiteral("\"a\\") << QStringLiteral("ERR:\"a\\");
        QTest::newRow("numbers") << QStringLiteral("1 0.5 .5 1e-3 2E+10 0x1F Inf -nan")
                                 << QStringLiteral(
                                        "num:1 num:0.5 num:.5 num:1e-3 num:2E+10 num:0x1F num:Inf op:- num:nan");
        QTest::newRow("bad numbers and durations")
            << QStringLiteral("x[5x] 1.5h 12abc") << QStringLiteral("ident:x p:[ ERR:5x p:] ERR:1.5h ERR:12abc");
        QTest::newRow("binary keywords")
            << QStringLiteral("a and on(job) group_left(team) b unless c or d > bool 1 atan2 e")
            << QStringLiteral("ident:a kw:and kw:on p:( label:job p:) kw:group_left p:( label:team p:) ident:b "
                              "kw:unless ident:c kw:or ident:d op:> kw:bool num:1 op:atan2 ident:e");
        QTest::newRow("operators") << QStringLiteral("a==b!=c<=d>=e<f>g+h-i*j/k%l^m")
                                   << QStringLiteral("ident:a op:== ident:b op:!= ident:c op:<= ident:d op:>= ident:e "
                                                     "op:< ident:f op:> ident:g op:+ ident:h op:- ident:i op:* "
                                                     "ident:j op:/ ident:k op:% ident:l op:^ ident:m");
        QTest::newRow("aggregations are case-insensitive, functions are not")
            << QStringLiteral("SUM BY (job) (Rate(x)) count_values(\"v\", x)")
            << QStringLiteral("agg:SUM kw:BY p:( label:job p:) p:( ident:Rate p:( ident:x p:) p:) agg:count_values "
                              "p:( str:\"v\" p:, ident:x p:)");
        QTest::newRow("keywords are label names inside braces")
            << QStringLiteral("x{offset=\"1\", by!~\"2\"}")
            << QStringLiteral("ident:x p:{ label:offset op:= str:\"1\" p:, label:by op:!~ str:\"2\" p:}");
        QTest::newRow("function name without a call is a metric")
            << QStringLiteral("rate + time()") << QStringLiteral("ident:rate op:+ fn:time p:( p:)");
        QTest::newRow("recording rule name") << QStringLiteral("job:http_requests:rate5m{a=\"b\"}")
                                             << QStringLiteral("ident:job:http_requests:rate5m p:{ label:a op:= "
                                                               "str:\"b\" p:}");
        QTest::newRow("stray characters")
            << QStringLiteral("x $ y ! ~ ; 😀") << QStringLiteral("ident:x ERR:$ ident:y ERR:! ERR:~ ERR:; ERR:😀");
        QTest::newRow("non-ASCII inside a string")
            << QStringLiteral("x{a=\"é€😀\"}") << QStringLiteral("ident:x p:{ label:a op:= str:\"é€😀\" p:}");
        QTest::newRow("multi-line") << QStringLiteral("sum(\n  x\n)\n") << QStringLiteral("agg:sum p:( ident:x p:)");
        QTest::newRow("empty") << QString() << QString();
    }

    void tokenKinds()
    {
        QFETCH(QString, query);
        QFETCH(QString, tokens);
        QCOMPARE(describe(query), tokens);
        QVERIFY2(tokenInvariantViolation(query).isEmpty(), qPrintable(tokenInvariantViolation(query)));
    }

    void tokenPositions()
    {
        const QString q = QStringLiteral("x{a=\"😀\"} # c");
        const QList<PromQlToken> tokens = PromQlLexer::tokenize(q);
        QCOMPARE(tokens.size(), 7);
        QCOMPARE(tokens[4], (PromQlToken { K::String, 4, 4 })); // the emoji is two UTF-16 units
        QCOMPARE(tokens[6], (PromQlToken { K::Comment, 10, 3 }));
    }

    void vocabulary()
    {
        const QStringList &fns = PromQlLexer::functions();
        for (const char *name : { "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear",
                 "histogram_quantile", "histogram_count", "histogram_sum", "histogram_fraction", "label_replace",
                 "label_join", "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "sqrt", "exp", "ln",
                 "log2", "log10", "vector", "scalar", "time", "timestamp", "sort", "sort_desc", "absent",
                 "absent_over_time", "changes", "resets", "day_of_week", "day_of_month", "days_in_month", "hour",
                 "minute", "month", "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
                 "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
                 "present_over_time", "sgn", "acos", "atanh", "deg", "rad", "pi" })
            QVERIFY2(fns.contains(QString::fromLatin1(name)), name);
        QCOMPARE(QSet<QString>(fns.begin(), fns.end()).size(), fns.size());
        QCOMPARE(PromQlLexer::aggregations().size(), 12);
        QVERIFY(PromQlLexer::keywords().contains(QStringLiteral("@")));
        QCOMPARE(PromQlLexer::durationUnits().join(u' '), QStringLiteral("ms s m h d w y"));
    }

    void noCrashOnAnyPrefix()
    {
        for (int n = 0; n <= kLongQuery.size(); ++n) {
            const QString prefix = kLongQuery.left(n);
            const QString violation = tokenInvariantViolation(prefix);
            QVERIFY2(violation.isEmpty(), qPrintable(QStringLiteral("prefix %1: %2").arg(n).arg(violation)));
            const QString c = contextViolation(prefix, n);
            QVERIFY2(c.isEmpty(), qPrintable(c));
        }
        for (int cursor = 0; cursor <= kLongQuery.size(); ++cursor) {
            const QString c = contextViolation(kLongQuery, cursor);
            QVERIFY2(c.isEmpty(), qPrintable(c));
        }
        QVERIFY(!describe(kLongQuery).contains(QStringLiteral("ERR:")));
    }

    void noCrashOnRandomInput()
    {
        QRandomGenerator rng(20240607);
        const QString alphabet = QStringLiteral("abz_:09.{}[]()=~!\"'`\\#@,+-*/%^<> \n\tmsshdwyéx😀");
        for (int round = 0; round < 3000; ++round) {
            QString text;
            const int length = int(rng.bounded(60));
            if (round % 2 == 0) {
                QByteArray bytes(length, Qt::Uninitialized);
                for (char &b : bytes)
                    b = char(rng.bounded(256));
                text = QString::fromUtf8(bytes);
                if (round % 4 == 0 && !text.isEmpty()) // a lone surrogate half
                    text[int(rng.bounded(int(text.size())))] = QChar(char16_t(0xd800 + rng.bounded(0x800)));
            } else {
                for (int i = 0; i < length; ++i)
                    text.append(alphabet[int(rng.bounded(int(alphabet.size())))]);
            }
            const QString violation = tokenInvariantViolation(text);
            QVERIFY2(violation.isEmpty(), qPrintable(violation + u" in " + text));
            for (int cursor = 0; cursor <= text.size(); ++cursor) {
                const QString c = contextViolation(text, cursor);
                QVERIFY2(c.isEmpty(), qPrintable(c + u" in " + text));
            }
            const std::optional<int> offset = promQlErrorOffset(text, text);
            QVERIFY(!offset || (*offset >= 0 && *offset <= text.size()));
        }
    }

    void completionContext_data()
    {
        QTest::addColumn<QString>("marked"); // the query with "|" at the cursor
        QTest::addColumn<PromQlExpect>("expect");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("quote");
        using E = PromQlExpect;
        const QString none;
        const QString m = QStringLiteral("http_requests_total");
        const QString job = QStringLiteral("job");
        const QString dq = QStringLiteral("\"");
        auto row = [](const char *name) -> QTestData & { return QTest::newRow(name); };
        row("empty") << QStringLiteral("|") << E::MetricOrFunction << none << none << none << none;
        row("partial metric or function")
            << QStringLiteral("ra|") << E::MetricOrFunction << QStringLiteral("ra") << none << none << none;
        row("cursor inside a word") << QStringLiteral("ra|te(x)") << E::MetricOrFunction << QStringLiteral("ra") << none
                                    << none << none;
        row("function argument") << QStringLiteral("rate(|") << E::MetricOrFunction << none << none << none << none;
        row("partial argument") << QStringLiteral("rate(http_req|") << E::MetricOrFunction << QStringLiteral("http_req")
                                << none << none << none;
        row("after an operator") << QStringLiteral("sum(rate(x[5m])) / |") << E::MetricOrFunction << none << none
                                 << none << none;
        row("second argument") << QStringLiteral("histogram_quantile(0.9, |") << E::MetricOrFunction << none << none
                               << none << none;
        row("after and") << QStringLiteral("x and |") << E::MetricOrFunction << none << none << none << none;
        row("after bool") << QStringLiteral("x > bool |") << E::MetricOrFunction << none << none << none << none;
        row("after group_left(...)") << QStringLiteral("a * on(job) group_left(team) |") << E::MetricOrFunction << none
                                     << none << none << none;
        row("on a new line after a comment") << QStringLiteral("rate(\n# the rate\nht|") << E::MetricOrFunction
                                             << QStringLiteral("ht") << none << none << none;
        row("label name") << m + QStringLiteral("{|") << E::LabelName << none << m << none << none;
        row("partial label name") << m + QStringLiteral("{jo|") << E::LabelName << QStringLiteral("jo") << m << none
                                  << none;
        row("label name after a comma, text after")
            << m + QStringLiteral("{job=\"api\", |}[5m]") << E::LabelName << none << m << none << none;
        row("metric from __name__") << QStringLiteral("{__name__=\"up\", |}") << E::LabelName << none
                                    << QStringLiteral("up") << none << none;
        row("label name, no metric") << QStringLiteral("{|") << E::LabelName << none << none << none << none;
        row("value right after =") << m + QStringLiteral("{job=|") << E::LabelValue << none << m << job << none;
        row("unquoted partial value") << m + QStringLiteral("{job=ap|") << E::LabelValue << QStringLiteral("ap") << m
                                      << job << none;
        row("value in an open quote") << m + QStringLiteral("{job=\"|") << E::LabelValue << none << m << job << dq;
        row("partial value in quotes") << m + QStringLiteral("{job=\"ap|\"}") << E::LabelValue << QStringLiteral("ap")
                                       << m << job << dq;
        row("regex match value") << m + QStringLiteral("{job=~\"a|") << E::LabelValue << QStringLiteral("a") << m << job
                                 << dq;
        row("negative regex, single quote") << m + QStringLiteral("{job!~'a|") << E::LabelValue << QStringLiteral("a")
                                            << m << job << QStringLiteral("'");
        row("second matcher") << QStringLiteral("x{job!=\"a\", code=|") << E::LabelValue << none << QStringLiteral("x")
                              << QStringLiteral("code") << none;
        row("after a closed value") << m + QStringLiteral("{job=\"api\"|") << E::Nothing << none << none << none
                                    << none;
        row("after a label name") << m + QStringLiteral("{job |") << E::Nothing << none << none << none << none;
        row("by, no expression yet") << QStringLiteral("sum by (|") << E::LabelName << none << none << none << none;
        row("by before the expression") << QStringLiteral("sum by (|) (rate(") + m + QStringLiteral("[5m]))")
                                        << E::LabelName << none << m << none << none;
        row("second grouping label") << QStringLiteral("sum by (job, in|) (rate(") + m + QStringLiteral("[5m]))")
                                     << E::LabelName << QStringLiteral("in") << m << none << none;
        row("without after the expression")
            << QStringLiteral("sum(rate(") + m + QStringLiteral("{job=\"a\"}[5m])) without (|") << E::LabelName << none
            << m << none << none;
        row("on()") << QStringLiteral("a / on(|") << E::LabelName << none << none << none << none;
        row("range") << QStringLiteral("rate(x[|") << E::Duration << none << none << none << none;
        row("range, number typed") << QStringLiteral("rate(x[5|") << E::Duration << QStringLiteral("5") << none << none
                                   << none;
        row("range, compound in progress")
            << QStringLiteral("rate(x[1h3|") << E::Duration << QStringLiteral("1h3") << none << none << none;
        row("subquery step") << QStringLiteral("max_over_time(x[1h:|") << E::Duration << none << none << none << none;
        row("offset") << QStringLiteral("x offset |") << E::Duration << none << none << none << none;
        row("negative offset") << QStringLiteral("x offset -|") << E::Duration << none << none << none << none;
        row("offset, number typed") << QStringLiteral("x offset 5|") << E::Duration << QStringLiteral("5") << none
                                    << none << none;
        row("inside a comment") << QStringLiteral("# comment |") << E::Nothing << none << none << none << none;
        row("code-like comment") << QStringLiteral("up # rate(|") << E::Nothing << none << none << none << none;
        row("after an expression") << QStringLiteral("up |") << E::Keyword << none << none << none << none;
        row("partial keyword") << QStringLiteral("up o|") << E::Keyword << QStringLiteral("o") << none << none << none;
        row("after a call") << QStringLiteral("rate(x[5m]) |") << E::Keyword << none << none << none << none;
        row("glued to a call") << QStringLiteral("rate(x[5m])|") << E::Nothing << none << none << none << none;
        row("after an aggregation") << QStringLiteral("sum |") << E::Keyword << none << none << none << none;
        row("after the by clause") << QStringLiteral("sum by (job) |") << E::Nothing << none << none << none << none;
        row("after a trailing by clause")
            << QStringLiteral("sum(x) by (job) |") << E::Keyword << none << none << none << none;
        row("after @") << QStringLiteral("x @ |") << E::Nothing << none << none << none << none;
        row("string argument") << QStringLiteral("label_replace(up, \"dst|") << E::Nothing << none << none << none
                               << none;
        row("typing a number") << QStringLiteral("histogram_quantile(0.9|") << E::Nothing << none << none << none
                               << none;
    }

    void completionContext()
    {
        QFETCH(QString, marked);
        QFETCH(PromQlExpect, expect);
        QFETCH(QString, prefix);
        QFETCH(QString, metric);
        QFETCH(QString, label);
        QFETCH(QString, quote);
        const int cursor = int(marked.indexOf(u'|'));
        QVERIFY(cursor >= 0);
        const QString text = QString(marked).remove(cursor, 1);
        const PromQlCompletionContext c = completionContextAt(text, cursor);
        QCOMPARE(int(c.expect), int(expect));
        QCOMPARE(c.prefix, prefix);
        QCOMPARE(c.replaceStart, cursor - int(prefix.size()));
        if (expect == PromQlExpect::LabelName || expect == PromQlExpect::LabelValue)
            QCOMPARE(c.metric, metric);
        QCOMPARE(c.label, label);
        QCOMPARE(c.quote.isNull() ? QString() : QString(c.quote), quote);
    }

    void contextOutOfRangeCursor()
    {
        QCOMPARE(int(completionContextAt(QStringLiteral("up"), 99).expect), int(PromQlExpect::MetricOrFunction));
        QCOMPARE(completionContextAt(QStringLiteral("up"), 99).prefix, QStringLiteral("up"));
        QCOMPARE(completionContextAt(QStringLiteral("up"), -5).replaceStart, 0);
    }

    // Messages captured from Prometheus 2.42.0 (Debian 12's prometheus package), /api/v1/query with curl,
    // unless the row says otherwise.
    void errorOffset_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("offset"); // -1: no position
        auto row = [](const char *name, const QString &q, const QString &m, int offset) {
            QTest::newRow(name) << q << m << offset;
        };
        row("label matching", QStringLiteral("up{job=}"),
            QStringLiteral("invalid parameter \"query\": 1:8: parse error: unexpected \"}\" in label matching, "
                           "expected string"),
            7);
        row("as the Prometheus connector reports it", QStringLiteral("up{job=}"),
            QStringLiteral("Prometheus bad_data error: invalid parameter \"query\": 1:8: parse error: unexpected "
                           "\"}\" in label matching, expected string"),
            7);
        row("unclosed parenthesis: the end", QStringLiteral("sum(rate(up[1m])"),
            QStringLiteral("invalid parameter \"query\": 1:17: parse error: unclosed left parenthesis"), 16);
        row("bad duration", QStringLiteral("rate(up[5x])"),
            QStringLiteral("invalid parameter \"query\": 1:9: parse error: bad duration syntax: \"5\""), 8);
        row("unexpected identifier", QStringLiteral("foo bar"),
            QStringLiteral("invalid parameter \"query\": 1:5: parse error: unexpected identifier \"bar\""), 4);
        row("grouping opts", QStringLiteral("sum by (job (up)"),
            QStringLiteral("invalid parameter \"query\": 1:13: parse error: unexpected \"(\" in grouping opts, "
                           "expected \",\" or \")\""),
            12);
        row("escape sequence", QStringLiteral("up{job=\"a\\q\"}"),
            QStringLiteral("invalid parameter \"query\": 1:8: parse error: unknown escape sequence U+0071 'q'"), 7);
        row("offset without duration", QStringLiteral("up offset"),
            QStringLiteral("invalid parameter \"query\": 1:10: parse error: unexpected end of input in offset, "
                           "expected duration"),
            9);
        row("unknown function", QStringLiteral("unknownfn(up)"),
            QStringLiteral("invalid parameter \"query\": 1:1: parse error: unknown function with name "
                           "\"unknownfn\""),
            0);
        row("second line", QStringLiteral("sum(up)\n  by (job) )"),
            QStringLiteral("invalid parameter \"query\": 2:13: parse error: unexpected right parenthesis ')'"), 20);
        row("after a comment line", QStringLiteral("# comment\nup{job=}"),
            QStringLiteral("invalid parameter \"query\": 2:8: parse error: unexpected \"}\" in label matching, "
                           "expected string"),
            17);
        row("columns count UTF-8 bytes", QStringLiteral("up{job=\"é€\"} + }"),
            QStringLiteral("invalid parameter \"query\": 1:19: parse error: unexpected character: '}'"), 15);
        row("query_range form", QStringLiteral("up{"),
            QStringLiteral("1:4: parse error: unexpected end of input inside braces"), 3);
        row("series match[] form", QStringLiteral("up{"),
            QStringLiteral("invalid parameter \"match[]\": 1:4: parse error: unexpected end of input inside braces"),
            3);
        // Older Prometheus (before 2.20), from its ParseErr format strings; no such server was at hand.
        row("old single line", QStringLiteral("up{job=}"),
            QStringLiteral("parse error at char 8: unexpected \"}\" in label matching, expected string"), 7);
        row("old multi-line", QStringLiteral("# comment\nup{job=}"),
            QStringLiteral("parse error at line 2, char 9: unexpected \"}\" in label matching, expected string"), 17);
        // VictoriaMetrics 1.79.5 (Debian's victoria-metrics package), /api/v1/query with curl: metricsql quotes
        // what it could not parse ("unparsed data: %q"), the position is where that tail starts.
        row("VictoriaMetrics label matching", QStringLiteral("up{job=}"),
            QStringLiteral("error when executing query=\"up{job=}\" for (time=1796156275487, step=300000): StringExpr: "
                           "unexpected token \"}\"; want \"string\"; unparsed data: \"}\""),
            7);
        row("VictoriaMetrics end of input", QStringLiteral("sum(rate(up[1m])"),
            QStringLiteral("error when executing query=\"sum(rate(up[1m])\" for (time=1796156275490, step=300000): "
                           "argList: unexpected token \"\"; want \",\", \")\"; unparsed data: \"\""),
            16);
        row("VictoriaMetrics bad duration", QStringLiteral("rate(up[5x])"),
            QStringLiteral("error when executing query=\"rate(up[5x])\" for (time=1796156275491, step=300000): "
                           "windowAndStep: unexpected token \"x\"; want \"]\"; unparsed data: \"x])\""),
            9);
        row("VictoriaMetrics unparsed data left", QStringLiteral("foo bar"),
            QStringLiteral(
                "error when executing query=\"foo bar\" for (time=1796156275493, step=300000): unparsed data "
                "left: \"bar\""),
            4);
        row("VictoriaMetrics second line", QStringLiteral("sum(up)\n  by (job) )"),
            QStringLiteral("error when executing query=\"sum(up)\\n  by (job) )\" for (time=1796156275494, "
                           "step=300000): unparsed data left: \")\""),
            19);
        row("VictoriaMetrics non-ASCII", QStringLiteral("up{job=\"é€\"} + }"),
            QStringLiteral("error when executing query=\"up{job=\\\"é€\\\"} + }\" for (time=1796156275495, "
                           "step=300000): singleExpr: unexpected token \"}\"; want \"(\", \"{\", \"-\", \"+\"; "
                           "unparsed data: \"}\""),
            15);
        row("VictoriaMetrics grouping", QStringLiteral("sum by (job (up)"),
            QStringLiteral("error when executing query=\"sum by (job (up)\" for (time=1796156275496, step=300000): "
                           "identList: unexpected token \"(\"; want \",\", \")\"; unparsed data: \"(up)\""),
            12);
        row("VictoriaMetrics escaped tail", QStringLiteral("up{job=\"a\"} foo{x=\"é\\\\\"}"),
            QStringLiteral("error when executing query=\"up{job=\\\"a\\\"} foo{x=\\\"é\\\\\\\\\\\"}\" for "
                           "(time=1796156275498, step=300000): unparsed data left: \"foo{x=\\\"é\\\\\\\\\\\"}\""),
            12);
        row("VictoriaMetrics unknown function", QStringLiteral("unknownfn(up)"),
            QStringLiteral("error when executing query=\"unknownfn(up)\" for (time=1796156275499, step=300000): "
                           "unknown func \"unknownfn\""),
            -1);
        // A generic "at position N" (0-based), for servers of that style; not taken from a real server.
        row("position", QStringLiteral("up{job=}"), QStringLiteral("cannot parse at position 7"), 7);
        row("no position", QStringLiteral("up"), QStringLiteral("query timed out in expression evaluation"), -1);
        row("line past the end", QStringLiteral("up"), QStringLiteral("3:1: parse error: unexpected"), -1);
        row("column past the end is clamped", QStringLiteral("up"), QStringLiteral("1:99: parse error: x"), 2);
    }

    void errorOffset()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        QFETCH(int, offset);
        const std::optional<int> got = promQlErrorOffset(message, query);
        QCOMPARE(got.value_or(-1), offset);
    }
};

QTEST_APPLESS_MAIN(TestPromQlLexer)
#include "tst_promqllexer.moc"
