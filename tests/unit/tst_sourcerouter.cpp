// The SourceRouter sends a query that names no source to the default source, or to the first source
// holding its signal when the default does not; a trace is looked up in every source holding spans.

#include "models/Error.h"
#include "models/PinnedSource.h"
#include "models/SourceRouter.h"
#include <QElapsedTimer>
#include <QTest>
#include <chrono>
#include <future>
#include <thread>

using namespace fd;

namespace {
// A source that holds some signals and answers with its own id.
class FakeSource : public DataSource
{
public:
    FakeSource(std::string id, SourceCapabilities caps, std::vector<Span> spans = {}, bool failTraces = false)
        : m_id(std::move(id)), m_caps(caps), m_spans(std::move(spans)), m_failTraces(failTraces)
    {
    }
    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override { return m_caps; }
    std::string compile(const Query &, const TimeRange &) const override { return m_id; }
    Frame query(const Query &q, const TimeRange &, const CancelTokenPtr &) override
    {
        Frame f;
        f.nativeQuery = m_id;
        lastQuery = q;
        return f;
    }
    Query lastQuery;
    std::vector<Marker> markerList;
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return markerList; }
    std::chrono::milliseconds delay{0}; // before it answers a trace, unless cancelled
    std::vector<Span> trace(const std::string &id, const CancelTokenPtr &cancel) override
    {
        const auto until = std::chrono::steady_clock::now() + delay;
        while (std::chrono::steady_clock::now() < until) {
            throwIfCancelled(cancel);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (m_failTraces)
            throw Error("source \"" + m_id + "\": HTTP 503");
        return !m_spans.empty() && m_spans.front().traceId == id ? m_spans : std::vector<Span>{};
    }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override
    {
        Frame f;
        f.nativeQuery = m_id;
        return f;
    }
    std::vector<std::string> fieldNames(Signal, const std::string &, const TimeRange &, const CancelTokenPtr &) override
    {
        return {m_id};
    }

private:
    std::string m_id;
    SourceCapabilities m_caps;
    std::vector<Span> m_spans;
    bool m_failTraces;
};

const SourceCapabilities kLogs{"LogQL", true, false, false, false, false};
const SourceCapabilities kSpans{"TraceQL", false, true, false, false, false};
const SourceCapabilities kMetrics{"PromQL", false, false, true, true, false};

Span span(const char *traceId)
{
    Span s;
    s.traceId = traceId;
    s.spanId = "01";
    return s;
}

SourceRouter::Factory madeFrom(std::map<std::string, DataSourcePtr> sources)
{
    return [sources](const std::string &id) {
        const auto it = sources.find(id);
        if (it == sources.end())
            throw Error("source \"" + id + "\" cannot be made");
        return it->second;
    };
}

SourceRouter router(std::map<std::string, DataSourcePtr> sources, std::vector<std::string> order)
{
    return SourceRouter(order, order.front(), madeFrom(std::move(sources)));
}

Span span(const char *traceId, const char *spanId)
{
    Span s = span(traceId);
    s.spanId = spanId;
    return s;
}

Query query(Signal s, const std::string &source = {})
{
    Query q;
    q.signal = s;
    q.source = source;
    return q;
}
} // namespace

class TestSourceRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void querySignalPicksASourceThatHoldsIt()
    {
        auto r = router({{"loki", std::make_shared<FakeSource>("loki", kLogs)},
                         {"tempo", std::make_shared<FakeSource>("tempo", kSpans)},
                         {"prom", std::make_shared<FakeSource>("prom", kMetrics)}},
                        {"loki", "broken", "tempo", "prom"});
        QCOMPARE(r.query(query(Signal::Logs), {}, nullptr).nativeQuery, std::string("loki"));
        QCOMPARE(r.query(query(Signal::Spans), {}, nullptr).nativeQuery, std::string("tempo")); // "broken" is skipped
        QCOMPARE(r.compile(query(Signal::Metrics), {}), std::string("prom"));
        QCOMPARE(r.query(query(Signal::Spans, "loki"), {}, nullptr).nativeQuery, std::string("loki")); // named: as asked
        QCOMPARE(r.recentTraces({}, 10, nullptr).nativeQuery, std::string("tempo"));
        QVERIFY_THROWS_EXCEPTION(Error, r.query(query(Signal::Logs, "broken"), {}, nullptr));
    }

    // Views ask what the source answering their query can do, not the default source.
    void capabilitiesAreThoseOfTheSourceAQueryGoesTo()
    {
        SourceCapabilities store{"SQL", true, true, true, false, true};
        store.oldestFirst = true;
        auto r = router({{"loki", std::make_shared<FakeSource>("loki", kLogs)},
                         {"store", std::make_shared<FakeSource>("store", store)},
                         {"prom", std::make_shared<FakeSource>("prom", kMetrics)}},
                        {"loki", "store", "prom"});
        QCOMPARE(r.capabilities().language, std::string("LogQL"));
        QCOMPARE(r.capabilitiesFor(query(Signal::Logs)).language, std::string("LogQL"));
        QVERIFY(!r.capabilitiesFor(query(Signal::Logs)).oldestFirst);
        QVERIFY(r.capabilitiesFor(query(Signal::Logs, "store")).oldestFirst);
        QCOMPARE(r.capabilitiesFor(query(Signal::Spans)).language, std::string("SQL"));
        QCOMPARE(r.capabilitiesFor(query(Signal::Metrics)).language, std::string("SQL")); // the first that holds it
        QVERIFY(r.capabilitiesFor(query(Signal::Logs, "gone")).language.empty()); // no such source: nothing
    }

    void variablesAreFilledIn()
    {
        QCOMPARE(expandVariables("$service-${env}/$unknown $ ${open", {{"service", "auth"}, {"env", "prod"}}),
                 std::string("auth-prod/$unknown $ ${open"));
        QVERIFY(variablesFromJson(parseJson("{\"variables\": {\"service\": \"auth\", \"n\": 3}}"))
                == (Variables{{"service", "auth"}}));
        auto loki = std::make_shared<FakeSource>("loki", kLogs);
        SourceRouter r({"loki"}, "loki", [loki](const std::string &) { return loki; });
        r.setVariables({{"service", "checkout"}});
        Query q = query(Signal::Logs);
        q.where = parseWhereList("service.name = $service and status >= 500 and latency < $limit");
        q.search = "timeout in $service";
        r.setVariables({{"service", "checkout"}, {"limit", "10.5"}});
        r.query(q, {}, nullptr);
        QVERIFY(loki->lastQuery.where[0].value == Json("checkout"));
        QVERIFY(loki->lastQuery.where[1].value == Json(500)); // numbers stay numbers
        QVERIFY(loki->lastQuery.where[2].value == Json(10.5)); // as typed (review: text, which no number is below)
        QCOMPARE(loki->lastQuery.search, std::string("timeout in checkout"));

        // An export's pages go to the same source, with the variables filled in too.
        int pages = 0;
        loki->lastQuery = {};
        QVERIFY(!r.queryPages(q, {}, nullptr, [&pages](const Frame &f) { pages += f.nativeQuery == "loki"; }));
        QCOMPARE(pages, 1);
        QCOMPARE(loki->lastQuery.search, std::string("timeout in checkout"));
        QVERIFY(r.query(q, {}, nullptr).notes.empty());

        // Exploratory test: a query saved with $service, run where no such variable is, found nothing without a
        // word. It is matched as written, and said; a raw query's '$.x' (a JSON path) is no variable.
        r.setVariables({});
        q.where = parseWhereList("service.name = $service and price = '$5'");
        q.raw = "SELECT json_extract(attrs, '$.min') FROM logs";
        QVERIFY(r.query(q, {}, nullptr).notes.empty()); // the raw query runs, not the conditions
        q.raw.clear();
        const Frame noted = r.query(q, {}, nullptr);
        QCOMPARE(noted.notes, std::vector<std::string>{"$service is no variable of this workspace: it is matched as written"});
        std::vector<std::string> pageNotes;
        QVERIFY(!r.queryPages(q, {}, nullptr, [&pageNotes](const Frame &f) { pageNotes = f.notes; }));
        QCOMPARE(pageNotes, noted.notes);
        QCOMPARE(expandVariables("$$service ${a${b}} $x.y", {{"service", "s"}, {"b", "B"}, {"x.y", "X"}}),
                 std::string("$s ${aB} X")); // as before the references were read out on their own
    }

    // A workspace whose store is gone still opens: capabilities say "nothing", queries say why.
    void anUnavailableSourceCanDoNothingAndSaysWhy()
    {
        SourceRouter r({"local"}, "local", [](const std::string &) -> DataSourcePtr { throw Error(std::string("store gone.sqlite does not exist")); });
        const SourceCapabilities caps = r.capabilities();
        QVERIFY(!caps.logs && !caps.spans && !caps.metrics && caps.language.empty());
        QVERIFY_THROWS_EXCEPTION(Error, r.query(Query{}, {0, 1}, makeCancelToken()));
    }

    // Exploratory test: a colleague's workspace naming a git clone or a source type not here failed the whole board
    // and its export, though no tile read it. Its markers are left out, and said to be; the workspace's own still fail.
    void markersOfASourceNotHereAreLeftOutAndSaid()
    {
        SourceCapabilities withMarkers = kLogs;
        withMarkers.markers = true;
        auto store = std::make_shared<FakeSource>("store", withMarkers);
        Marker deploy;
        deploy.kind = "deploy";
        deploy.time = 5;
        store->markerList = {deploy};
        auto r = router({{"store", store}}, {"store", "repo"});
        QVERIFY_THROWS_EXCEPTION(Error, r.markers({0, 10}, nullptr));
        std::vector<std::string> leftOut;
        const std::vector<Marker> markers = r.markersLeavingOut({0, 10}, nullptr, leftOut);
        QCOMPARE(markers.size(), std::size_t(1));
        QCOMPARE(leftOut, std::vector<std::string>{"markers of source \"repo\" left out: source \"repo\" cannot be made"});
        r.markersLeavingOut({0, 10}, nullptr, leftOut); // a second read (DORA's further incidents) says it once
        QCOMPARE(leftOut.size(), std::size_t(1));
        auto gone = router({{"repo", store}}, {"store", "repo"}); // the default's own markers are no colleague's
        QVERIFY_THROWS_EXCEPTION(Error, gone.markersLeavingOut({0, 10}, nullptr, leftOut));
    }

    void defaultWinsWhenItHoldsTheSignal()
    {
        const SourceCapabilities all{"SQL", true, true, true, false, true};
        auto r = router({{"store", std::make_shared<FakeSource>("store", all)},
                         {"tempo", std::make_shared<FakeSource>("tempo", kSpans)}},
                        {"store", "tempo"});
        QCOMPARE(r.query(query(Signal::Spans), {}, nullptr).nativeQuery, std::string("store"));
    }

    void aTraceIdFromTheLogsOpensFromTheTraceSource()
    {
        auto r = router({{"loki", std::make_shared<FakeSource>("loki", kLogs)},
                         {"jaeger", std::make_shared<FakeSource>("jaeger", kSpans, std::vector<Span>{span("aaa")})},
                         {"tempo", std::make_shared<FakeSource>("tempo", kSpans, std::vector<Span>{span("bbb")})}},
                        {"loki", "jaeger", "tempo"});
        QCOMPARE(r.trace("bbb", nullptr).size(), std::size_t(1));
        QCOMPARE(r.trace("aaa", nullptr).front().traceId, std::string("aaa"));
        QVERIFY(r.trace("ccc", nullptr).empty());
    }

    void aSourceThatFailsIsNamedWhenNoOneHasTheTrace()
    {
        auto r = router({{"tempo", std::make_shared<FakeSource>("tempo", kSpans, std::vector<Span>{}, true)},
                         {"jaeger", std::make_shared<FakeSource>("jaeger", kSpans, std::vector<Span>{span("aaa")})}},
                        {"tempo", "jaeger"});
        QCOMPARE(r.trace("aaa", nullptr).size(), std::size_t(1)); // found elsewhere: the failure does not matter
        try {
            r.trace("zzz", nullptr);
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("HTTP 503")));
            QVERIFY(e.message().contains(QStringLiteral("zzz")));
        }
    }

    // Sources that did not answer had been asked one after another, each within its timeout: three took three.
    void sourcesAreAskedForATraceAtOnceAndTheFirstInOrderAnswers()
    {
        auto slow = std::make_shared<FakeSource>("slow", kSpans, std::vector<Span>{span("aaa")});
        auto failing = std::make_shared<FakeSource>("failing", kSpans, std::vector<Span>{}, true);
        auto fast = std::make_shared<FakeSource>("fast", kSpans, std::vector<Span>{span("aaa")});
        auto never = std::make_shared<FakeSource>("never", kSpans);
        slow->delay = failing->delay = std::chrono::milliseconds(400);
        never->delay = std::chrono::hours(1); // answers only when cancelled
        auto r = router({{"slow", slow}, {"failing", failing}, {"fast", fast}}, {"slow", "failing", "fast"});
        QElapsedTimer timer;
        timer.start();
        QVERIFY_THROWS_EXCEPTION(Error, r.trace("zzz", nullptr));
        QVERIFY2(timer.elapsed() < 750, qPrintable(QString::number(timer.elapsed()))); // not 400 + 400
        QCOMPARE(r.trace("aaa", nullptr).front().traceId, std::string("aaa"));
        auto waiting = router({{"fast", fast}, {"never", never}}, {"fast", "never"});
        timer.restart();
        QCOMPARE(waiting.trace("aaa", nullptr).size(), std::size_t(1)); // the one still asking is cancelled
        QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed())));
        const CancelTokenPtr cancel = makeCancelToken();
        auto stuck = router({{"never", never}}, {"never"});
        auto asked = std::async(std::launch::async, [&] { return stuck.trace("aaa", cancel); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        cancel->cancel();
        QVERIFY(asked.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
        QVERIFY_THROWS_EXCEPTION(Cancelled, asked.get());
    }

    // A view's source picker: a second trace source is reached, with the router's variables and markers.
    void aPinnedSourceAnswersForThePickedSource()
    {
        auto first = std::make_shared<FakeSource>("jaeger", kSpans, std::vector<Span>{span("aaa", "f1")});
        auto second = std::make_shared<FakeSource>("jaeger-eu", kSpans, std::vector<Span>{span("aaa", "s1")});
        auto loki = std::make_shared<FakeSource>("loki", kLogs);
        first->markerList.push_back(Marker{}); // the default source's
        const std::vector<std::string> order{"jaeger", "jaeger-eu", "loki"};
        auto r = std::make_shared<SourceRouter>(order, "jaeger", madeFrom({{"jaeger", first}, {"jaeger-eu", second},
                                                                           {"loki", loki}}));
        r->setVariables({{"service", "checkout"}});
        PinnedSource eu(r, "jaeger-eu");
        QCOMPARE(eu.id(), std::string("jaeger-eu"));
        Query q = query(Signal::Spans);
        q.search = "$service";
        QCOMPARE(eu.query(q, {}, nullptr).nativeQuery, std::string("jaeger-eu"));
        QCOMPARE(second->lastQuery.search, std::string("checkout"));
        QCOMPARE(eu.query(query(Signal::Spans, "jaeger"), {}, nullptr).nativeQuery, std::string("jaeger")); // named
        QCOMPARE(eu.compile(q, {}), std::string("jaeger-eu"));
        QCOMPARE(eu.recentTraces({}, 10, nullptr).nativeQuery, std::string("jaeger-eu"));
        QCOMPARE(eu.fieldNames(Signal::Spans, {}, {}, nullptr), std::vector<std::string>{"jaeger-eu"});
        QCOMPARE(eu.capabilities().language, std::string("TraceQL"));
        QCOMPARE(eu.trace("aaa", nullptr).front().spanId, std::string("s1")); // the picked source first
        QCOMPARE(r->trace("aaa", nullptr).front().spanId, std::string("f1"));
        QCOMPARE(eu.markers({}, nullptr).size(), std::size_t(1)); // every source's markers, as the router's
        QVERIFY(!eu.traceSummaries({"aaa"}, nullptr)); // the fake cannot summarize
        PinnedSource gone(r, "gone");
        QVERIFY(gone.capabilities().language.empty());
        QVERIFY_THROWS_EXCEPTION(Error, gone.query(query(Signal::Logs), {}, nullptr));
        QVERIFY_THROWS_EXCEPTION(Error, gone.recentTraces({}, 10, nullptr));
    }
};

QTEST_GUILESS_MAIN(TestSourceRouter)
#include "tst_sourcerouter.moc"
