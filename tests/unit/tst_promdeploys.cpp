// Deploy and rollback markers from a version label (Prometheus `build_info`-style series).
#include "connectors/prometheus/PromDeployMarkers.h"
#include "models/Error.h"
#include <QTest>

using namespace fd;

namespace {

struct Sample {
    TimeNs time;
    std::string job;
    std::string version;
};

// A query_range frame as promFrame makes it: time, the labels (sorted, __name__ first), value.
Frame frameOf(const std::vector<Sample> &samples)
{
    Frame f;
    f.columns = { { "time", ColumnType::Time, {} }, { "__name__", ColumnType::String, {} },
        { "job", ColumnType::String, {} }, { "version", ColumnType::String, {} }, { "value", ColumnType::Double, {} } };
    for (const Sample &s : samples) {
        f.columns[0].cells.emplace_back(s.time);
        f.columns[1].cells.emplace_back(std::string("build_info"));
        f.columns[2].cells.emplace_back(s.job);
        f.columns[3].cells.emplace_back(s.version);
        f.columns[4].cells.emplace_back(1.0);
    }
    return f;
}

const PromDeploySpec kSpec { "build_info", "version", "job" };

} // namespace

class TestPromDeploys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void steadyVersionIsNoDeploy()
    {
        std::vector<Sample> s;
        for (int i = 0; i < 10; ++i)
            s.push_back({ i * kMinute, "auth", "2.13.0" });
        QVERIFY(deployMarkersFromFrame(frameOf(s), kSpec, "prom").empty());
    }

    void versionChangeIsADeployAtItsFirstSample()
    {
        std::vector<Sample> s;
        for (int i = 0; i < 10; ++i)
            s.push_back({ i * kMinute, "auth", i < 6 ? "2.13.0" : "2.14.0" });
        for (int i = 0; i < 10; ++i)
            s.push_back({ i * kMinute, "checkout", "1.0.0" }); // another service, unchanged
        const std::vector<Marker> m = deployMarkersFromFrame(frameOf(s), kSpec, "prom");
        QCOMPARE(m.size(), std::size_t(1));
        QCOMPARE(m[0].kind, std::string("deploy"));
        QCOMPARE(m[0].service, std::string("auth"));
        QCOMPARE(m[0].version, std::string("2.14.0"));
        QCOMPARE(m[0].time, 6 * kMinute);
        QCOMPARE(m[0].attributes["previous_version"].get<std::string>(), std::string("2.13.0"));
        QCOMPARE(m[0].attributes["source"].get<std::string>(), std::string("prom"));
    }

    void rollingDeployWithBothVersionsGivesOneMarker()
    {
        std::vector<Sample> s;
        for (int i = 0; i < 10; ++i) {
            if (i < 7)
                s.push_back({ i * kMinute, "auth", "2.13.0" });
            if (i >= 4)
                s.push_back({ i * kMinute, "auth", "2.14.0" });
        }
        const std::vector<Marker> m = deployMarkersFromFrame(frameOf(s), kSpec, "prom");
        QCOMPARE(m.size(), std::size_t(1));
        QCOMPARE(m[0].time, 4 * kMinute);
    }

    void returningToAnEarlierVersionIsARollback()
    {
        std::vector<Sample> s;
        for (int i = 0; i < 12; ++i)
            s.push_back({ i * kMinute, "auth", (i >= 4 && i < 8) ? "2.14.0" : "2.13.0" });
        const std::vector<Marker> m = deployMarkersFromFrame(frameOf(s), kSpec, "prom");
        QCOMPARE(m.size(), std::size_t(2));
        QCOMPARE(m[0].kind, std::string("deploy"));
        QCOMPARE(m[1].kind, std::string("rollback"));
        QCOMPARE(m[1].version, std::string("2.13.0"));
        QCOMPARE(m[1].time, 8 * kMinute);
    }

    void aScrapeGapIsNoDeploy()
    {
        std::vector<Sample> s;
        for (int i = 0; i < 10; ++i)
            if (i != 5)
                s.push_back({ i * kMinute, "auth", "2.13.0" });
        QVERIFY(deployMarkersFromFrame(frameOf(s), kSpec, "prom").empty());
    }

    void missingVersionLabelIsAnError()
    {
        PromDeploySpec spec = kSpec;
        spec.versionLabel = "release";
        const Frame frame = frameOf({ { 0, "auth", "1" } });
        QVERIFY_THROWS_EXCEPTION(Error, deployMarkersFromFrame(frame, spec, "prom"));
    }
};

QTEST_GUILESS_MAIN(TestPromDeploys)
#include "tst_promdeploys.moc"
