#include "connectors/demo/DemoDataset.h"
#include "connectors/store/Store.h"
#include "models/BoardEvaluator.h"
#include "models/Error.h"
#include "models/WhatChanged.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace fd;

namespace {

// 2026-01-14 10:00 UTC: three days of history at the same phase lie before it.
constexpr TimeNs kAnomalyStart = 1'768'384'800LL * kSecond;
constexpr DurationNs kWindow = 30 * kMinute;
constexpr int kEventsPerWindow = 100;

// What the events of one window look like: a version, and which of each ten get which answer.
struct WindowPlan {
    std::string version;
    int failuresPerTen = 0;   // 503, with an auth error line next to them
    int rejectionsPerTen = 0; // 401, with an auth warning
    std::string extraHost;    // when set, every host but one in five is this one
};

LogRecord logAt(TimeNs t, const std::string &service, const std::string &version, int severity, Json attributes,
                const std::string &host)
{
    LogRecord r;
    r.time = r.observedTime = t;
    r.severity = severity;
    r.severityText = severityName(severity);
    r.service = service;
    r.body = "login";
    r.attributes = std::move(attributes);
    r.resource = Json{{"service.name", service}, {"service.version", version}, {"host.name", host}};
    return r;
}

// Login attempts (always INFO) with their answer; the auth service logs its failures beside them.
void addWindow(TelemetryBatch &b, TimeNs from, const WindowPlan &p)
{
    for (int i = 0; i < kEventsPerWindow; ++i) {
        const TimeNs t = from + i * (kWindow / kEventsPerWindow);
        const int slot = i % 10;
        const int status = slot < p.failuresPerTen ? 503 : slot < p.failuresPerTen + p.rejectionsPerTen ? 401 : 200;
        const std::string host = !p.extraHost.empty() && i % 5 != 0 ? p.extraHost : ((i / 10) % 2 ? "h1" : "h2");
        b.logs.push_back(logAt(t, "auth", p.version, 9,
                               {{"event.name", "login"},
                                {"http.response.status_code", status},
                                {"session.id", "s-" + std::to_string(from / kSecond + i)}},
                               host));
        if (status == 503)
            b.logs.push_back(logAt(t, "auth", p.version, 17,
                                   {{"http.response.status_code", 503}, {"error.type", "TokenServiceUnavailable"}}, host));
        else if (status == 401)
            b.logs.push_back(logAt(t, "auth", p.version, 13,
                                   {{"http.response.status_code", 401}, {"error.type", "InvalidCredentials"}}, host));
    }
}

Tile loginTile(std::vector<std::string> scope)
{
    Tile t;
    t.name = "Logins";
    t.kind = "rate";
    t.query.where = {{"event.name", Op::Eq, "login"}};
    t.query.agg.kind = Aggregate::Kind::Count;
    t.query.interval = 5 * kMinute;
    t.range.lookback = 3;
    t.markers = MarkerScope{{}, std::move(scope)};
    return t;
}

const ChangedValue *find(const std::vector<ChangedValue> &values, const std::string &field, const Json &value)
{
    for (const ChangedValue &c : values)
        if (c.field == field && c.value == value)
            return &c;
    return nullptr;
}

} // namespace

class TestWhatChanged : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The baseline days and the half hour before run 2.13.0 with a few 401s; the anomaly runs 2.14.0 with 60 % 503s.
    void newVersionAndFailuresRankFirst()
    {
        StoreSource source = storeWith({{"2.13.0", 0, 1, {}}, {"2.14.0", 6, 0, {}}}, QStringLiteral("deploy.sqlite"));
        const auto changes = WhatChanged(loginTile({"auth"}), source, makeCancelToken())
                                 .explain({kAnomalyStart, kAnomalyStart + kWindow});
        QVERIFY(changes.size() >= 3);
        QCOMPARE(changes[0].field, std::string("service.version"));
        QCOMPARE(changes[0].value.dump(), std::string(R"("2.14.0")"));
        QCOMPARE(changes[0].shareBaseline, 0.0);
        QCOMPARE(changes[0].shareAnomaly, 1.0);
        QCOMPARE(changes[0].among, std::string("tile events"));
        // Among auth's warnings and errors, every line is now a 503 where none was before.
        QCOMPARE(changes[1].field, std::string("http.response.status_code"));
        QCOMPARE(changes[1].value.dump(), std::string("503"));
        QCOMPARE(changes[1].shareBaseline, 0.0);
        QCOMPARE(changes[1].shareAnomaly, 1.0);
        QCOMPARE(changes[1].among, std::string("warnings and errors of auth"));
        QCOMPARE(changes[2].field, std::string("severity"));
        QCOMPARE(changes[2].value.dump(), std::string(R"("ERROR")"));
        QVERIFY(changes.size() <= 5);
        // Each field = value once, and nothing that stayed put (the hosts, the session ids).
        QCOMPARE(find(changes, "http.response.status_code", 503), &changes[1]);
        QVERIFY(!find(changes, "host.name", "h1"));
        for (const ChangedValue &c : changes)
            QVERIFY(c.field != "session.id" && c.field != "event.name");

        const Json j = WhatChanged::toJson(changes);
        QCOMPARE(j[0].dump(), (Json{{"field", "service.version"}, {"value", "2.14.0"}, {"share_baseline", 0.0},
                                    {"share_anomaly", 1.0}, {"among", "tile events"}})
                                  .dump());
    }

    // Without warnings in scope, the tile's own events tell: 60 of its 100 events answered 503.
    void sharesOfTheTileEvents()
    {
        StoreSource source = storeWith({{"2.13.0", 0, 1, {}}, {"2.14.0", 6, 0, {}}}, QStringLiteral("tile.sqlite"));
        const auto changes = WhatChanged(loginTile({"frontend"}), source, makeCancelToken())
                                 .explain({kAnomalyStart, kAnomalyStart + kWindow});
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[0].value.dump(), std::string(R"("2.14.0")"));
        QCOMPARE(changes[1].field, std::string("http.response.status_code"));
        QCOMPARE(changes[1].value.dump(), std::string("503"));
        QCOMPARE(changes[1].shareBaseline, 0.0);
        QCOMPARE(changes[1].shareAnomaly, 0.6);
    }

    // A version already live in the half hour before the anomaly did not change when the numbers did.
    void aChangeAlreadyThereBeforeRanksBelowOneAtTheStart()
    {
        StoreSource source = storeWith({{"2.13.0", 0, 0, {}}, {"2.14.0", 0, 0, "h3"}}, QStringLiteral("early.sqlite"),
                                       WindowPlan{"2.14.0", 0, 0, {}});
        const auto changes = WhatChanged(loginTile({"frontend"}), source, makeCancelToken())
                                 .explain({kAnomalyStart, kAnomalyStart + kWindow});
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[0].field, std::string("host.name"));
        QCOMPARE(changes[0].value.dump(), std::string(R"("h3")"));
        QCOMPARE(changes[0].shareAnomaly, 0.8);
        QCOMPARE(changes[0].score, 0.8);
        QCOMPARE(changes[1].value.dump(), std::string(R"("2.14.0")"));
        QCOMPARE(changes[1].score, 0.5);
    }

    void tooFewEventsSayNothing()
    {
        StoreSource source = storeWith({{"2.13.0", 0, 0, {}}, {"2.14.0", 6, 0, {}}}, QStringLiteral("few.sqlite"));
        WhatChangedOptions options;
        options.minEvents = kEventsPerWindow + 1;
        const auto changes = WhatChanged(loginTile({"frontend"}), source, makeCancelToken(), options)
                                 .explain({kAnomalyStart, kAnomalyStart + kWindow});
        QVERIFY(changes.empty());
        QCOMPARE(WhatChanged::toJson(changes).dump(), std::string("[]"));
    }

    void cancelledBeforeItStarts()
    {
        StoreSource source = storeWith({{"2.13.0", 0, 0, {}}, {"2.14.0", 6, 0, {}}}, QStringLiteral("cancel.sqlite"));
        const CancelTokenPtr cancel = makeCancelToken();
        cancel->cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, WhatChanged(loginTile({"auth"}), source, cancel)
                                                .explain({kAnomalyStart, kAnomalyStart + kWindow}));
    }

    // The demo's bad auth deploy: the login page views come from frontend, so auth's own error lines name it.
    void demoLoginDropNamesTheAuthDeploy()
    {
        const QString path = m_dir.filePath(QStringLiteral("demo.sqlite"));
        const TimeNs end = kAnomalyStart + 2 * kHour + 7 * kMinute;
        {
            Store store(path);
            writeDemo(store, DemoOptions{8, 1, end});
        }
        QFile file(QStringLiteral(FD_SOURCE_DIR "/resources/demo.flightdeck.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Json workspace = Json::parse(file.readAll().toStdString());
        const Tile tile = tileFromJson(workspace["boards"][0]["tiles"][0]);
        QCOMPARE(tile.name, std::string("Login success"));

        StoreSource source("local", path);
        const TimeRange range{end - kDay, end};
        const TileResult r = evaluateTile(tile, range, source, source.markers({range.from - 2 * kHour, end}, nullptr), {});
        QVERIFY(!r.anomalies.empty());
        const Anomaly &a = r.anomalies.back();
        QVERIFY(a.open);
        QVERIFY(!a.whatChanged.empty());
        const Json &top = a.whatChanged.front();
        QCOMPARE(top["field"].get<std::string>(), std::string("service.version"));
        QCOMPARE(top["value"].get<std::string>(), std::string("2.14.0"));
        QCOMPARE(top["share_baseline"].get<double>(), 0.0);
        QVERIFY(top["share_anomaly"].get<double>() > 0.9);
        QVERIFY(!a.suspects.empty());
        QCOMPARE(a.suspects.front().marker.version, std::string("2.14.0"));
        QCOMPARE(a.suspects.front().reasons.back(), std::string("service.version = 2.14.0 in what changed"));
    }

private:
    // Three baseline days at the anomaly's phase as `baseline`, the half hour before it as `before`
    // (the baseline unless given), and the anomaly window as `anomaly`.
    StoreSource storeWith(std::pair<WindowPlan, WindowPlan> plans, const QString &name,
                          std::optional<WindowPlan> before = std::nullopt)
    {
        const QString path = m_dir.filePath(name);
        Store store(path);
        TelemetryBatch b;
        for (int day = 1; day <= 3; ++day)
            addWindow(b, kAnomalyStart - day * kDay, plans.first);
        addWindow(b, kAnomalyStart - kWindow, before.value_or(plans.first));
        addWindow(b, kAnomalyStart, plans.second);
        store.insert(b);
        return StoreSource("local", path);
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestWhatChanged)
#include "tst_whatchanged.moc"
