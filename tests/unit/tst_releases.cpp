#include "connectors/store/Store.h"
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
TelemetryBatch batch(const std::string &service, const std::string &version, TimeNs t)
{
    TelemetryBatch b;
    LogRecord r;
    r.time = t;
    r.service = service;
    r.resource = {{"service.name", service}, {"service.version", version}};
    b.logs.push_back(r);
    Span s;
    s.traceId = std::string(32, 'a');
    s.spanId = std::string(16, 'b');
    s.service = service;
    s.start = t - kSecond; // the earliest record of the version dates the release
    s.end = t;
    s.resource = r.resource;
    b.spans.push_back(s);
    return b;
}
} // namespace

// Automatic release markers: a service.version seen for the first time marks a deploy.
class TestReleases : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newVersionsBecomeDeployMarkers()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("r.sqlite")));
        const TimeNs t = 1'800'000'000LL * kSecond;
        store.insert(batch("auth", "2.13.0", t));          // first version: not a change
        store.insert(batch("auth", "2.13.0", t + kMinute));
        store.insert(batch("auth", "2.14.0", t + kHour));  // a release
        store.insert(batch("auth", "2.13.0", t + kHour + kMinute)); // rolling deploy: the old one still reports
        store.insert(batch("auth", "2.14.0", t + 2 * kHour));
        store.insert(batch("search", "1.0.0", t + 2 * kHour)); // another service's first version
        const auto markers = store.markers({0, t + kDay});
        QCOMPARE(markers.size(), std::size_t(1));
        const Marker &m = markers.front();
        QCOMPARE(m.kind, std::string("deploy"));
        QCOMPARE(m.service, std::string("auth"));
        QCOMPARE(m.version, std::string("2.14.0"));
        QCOMPARE(m.time, t + kHour - kSecond);
        QCOMPARE(m.attributes["previous_version"].get<std::string>(), std::string("2.13.0"));
        QCOMPARE(m.attributes["source"].get<std::string>(), std::string("telemetry"));
    }

    void detectionCanBeTurnedOff()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("r.sqlite")));
        store.setReleaseDetection(false);
        store.insert(batch("auth", "1", 1));
        store.insert(batch("auth", "2", 2));
        QCOMPARE(store.counts().markers, 0);
    }
};

QTEST_GUILESS_MAIN(TestReleases)
#include "tst_releases.moc"
