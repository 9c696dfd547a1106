// Incidents: their JSON shape, pre-filling from an anomaly, the markers DORA reads from them (merged by
// the SourceRouter without double counting), and the migration of a version 1 workspace.

#include "IncidentSamples.h"
#include "TestHelpers.h"
#include "models/BoardEvaluator.h"
#include "models/Dora.h"
#include "models/Error.h"
#include "models/Incident.h"
#include "models/SourceRouter.h"
#include "models/Workspace.h"
#include "models/WorkspaceMigration.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace fd;

namespace {
TimeNs at(const char *rfc3339) { return *parseTime(QString::fromLatin1(rfc3339), 0); }

Marker marker(const char *kind, const char *service, TimeNs time)
{
    Marker m;
    m.kind = kind;
    m.service = service;
    m.time = time;
    return m;
}

// A source with fixed markers; nothing else.
class MarkerSource : public DataSource
{
public:
    explicit MarkerSource(std::vector<Marker> markers) : m_markers(std::move(markers)) {}
    std::string id() const override { return "local"; }
    Frame query(const Query &, const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &) override
    {
        std::vector<Marker> out;
        for (const Marker &m : m_markers)
            if (range.contains(m.time))
                out.push_back(m);
        return out;
    }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }

private:
    std::vector<Marker> m_markers;
};

} // namespace

class TestIncident : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonRoundTripKeepsEveryFieldAndOrdersTheTimeline()
    {
        const Incident i = incidentFromJson(parseJson(kVersion2Incident));
        QCOMPARE(i.title, std::string("Login drop"));
        QCOMPARE(i.severity, std::string("SEV2"));
        QCOMPARE(i.end - i.start, 47 * kMinute);
        QCOMPARE(i.actionItems.size(), std::size_t(2));
        QCOMPARE(i.timeline.size(), std::size_t(3));
        QCOMPARE(i.timeline[0].kind, std::string("marker")); // 07:58 first, although listed second
        QCOMPARE(i.timeline[2].title, std::string("rolled back"));
        QCOMPARE(i.timeline[1].image, std::string("iVBORw0KGgo="));

        const Incident again = incidentFromJson(incidentToJson(i));
        QCOMPARE(incidentToJson(again).dump(), incidentToJson(i).dump());
    }

    void badFieldsAreNamed()
    {
        const auto message = [](const char *json) {
            try {
                incidentFromJson(parseJson(json));
            } catch (const Error &e) {
                return e.message();
            }
            return QString();
        };
        QVERIFY(message(R"({"severity": "SEV1"})").contains(QStringLiteral("title")));
        QVERIFY(message(R"({"title": "x", "severity": "urgent"})").contains(QStringLiteral("SEV1, SEV2, SEV3, SEV4")));
        QVERIFY(message(R"({"title": "x", "start": "yesterday-ish"})").contains(QStringLiteral("start")));
        QVERIFY(message(R"({"title": "x", "timeline": [{"kind": "rumour"}]})").contains(QStringLiteral("kind")));
    }

    // Found by an exploratory test: an entry without a time (as the version 1 migration writes them) was of 1970,
    // listed first in the postmortem.
    void anEntryWithoutATimeIsOfTheIncidentsStart()
    {
        const Incident i = incidentFromJson(parseJson(
            R"({"title": "x", "start": "2026-12-01T10:00:00Z", "timeline": [{"kind": "note", "title": "kept"},
                {"time": "2026-12-01T09:00:00Z", "kind": "note", "title": "before"}]})"));
        QCOMPARE(i.timeline[1].title, std::string("kept"));
        QCOMPARE(i.timeline[1].time, i.start);
    }

    void addEntryKeepsTimeOrderAndInsertionOrderAtTheSameTime()
    {
        Incident i;
        i.addEntry({300, "note", "c", {}, {}, {}});
        i.addEntry({100, "note", "a", {}, {}, {}});
        i.addEntry({300, "note", "d", {}, {}, {}});
        i.addEntry({200, "note", "b", {}, {}, {}});
        std::string order;
        for (const IncidentEntry &e : i.timeline)
            order += e.title;
        QCOMPARE(order, std::string("abcd"));
    }

    void fromAnomalyIsPrefilled()
    {
        Anomaly a;
        a.start = at("2026-11-21T08:00:00Z");
        a.end = at("2026-11-21T08:45:00Z");
        a.direction = -1;
        a.size = -0.41;
        Suspect s;
        s.score = 0.9;
        s.reasons = {"deploy 2 min before start", "service auth in scope"};
        s.marker = marker("deploy", "auth", at("2026-11-21T07:58:00Z"));
        s.marker.title = "auth 2.14.0";
        a.suspects = {s};
        a.whatChanged = Json::array({{{"field", "service.version"}, {"value", "2.14.0"}, {"share_baseline", 0.0}, {"share_anomaly", 0.97}},
                                     {{"field", "http.response.status_code"}, {"value", 500}, {"share_baseline", 0.01}, {"share_anomaly", 0.4}}});

        const Incident i = incidentFromAnomaly("Login success", a);
        QCOMPARE(i.title, std::string("Login success dropped"));
        QCOMPARE(i.severity, std::string("SEV2")); // a 41 % drop
        QCOMPARE(i.start, a.start);
        QCOMPARE(i.end, a.end);
        QCOMPARE(i.service, std::string("auth"));
        QVERIFY(i.summary.find("-41 %") != std::string::npos);
        QCOMPARE(i.timeline.front().kind, std::string("marker")); // the deploy came first
        QVERIFY(i.timeline.front().text.find("service auth in scope") != std::string::npos);
        bool changed = false;
        for (const IncidentEntry &e : i.timeline)
            changed |= e.title == "What changed: service.version = 2.14.0" && e.text == "0 % → 97 % of events";
        QVERIFY(changed);
        QVERIFY(std::any_of(i.timeline.begin(), i.timeline.end(), [](const IncidentEntry &e) {
            return e.title == "What changed: http.response.status_code = 500"; // a number, not only text
        }));
        QCOMPARE(i.timeline.back().title, std::string("Login success back in range"));
    }

    void markersFeedDoraTimeToRestoreAndFailureRate()
    {
        Incident open;
        open.title = "still burning";
        open.start = at("2026-11-21T12:00:00Z");
        Incident closed = incidentFromJson(parseJson(kVersion2Incident));
        const auto markers = incidentMarkers({closed, open});
        QCOMPARE(markers.size(), std::size_t(3)); // start + end, and a start without an end
        QCOMPARE(markers[0].kind, std::string("incident_start"));
        QCOMPARE(markers[1].kind, std::string("incident_end"));

        std::vector<Marker> all = markers;
        all.push_back(marker("deploy", "auth", at("2026-11-21T07:30:00Z"))); // 30 min before the incident
        all.push_back(marker("deploy", "auth", at("2026-11-20T07:30:00Z"))); // nothing after it
        const Dora d = computeDora(all, {}, {at("2026-11-20T00:00:00Z"), at("2026-11-22T00:00:00Z")});
        QCOMPARE(d.overall.timeToRestoreMinutesMedian, 47.0);
        QCOMPARE(d.overall.changeFailureRate, 0.5);
    }

    // Found by an exploratory test: an incident of the range resolved more than an hour after it had no restore
    // time, its end being past the markers read.
    void anIncidentResolvedLongAfterTheRangeHasItsRestoreTime()
    {
        MarkerSource source({marker("incident_start", "auth", at("2026-11-20T22:00:00Z")),
                             marker("incident_end", "auth", at("2026-11-21T00:30:00Z")),
                             marker("incident_start", "pay", at("2026-11-20T05:00:00Z")),
                             marker("incident_end", "pay", at("2026-11-20T05:20:00Z"))});
        const TimeRange range{at("2026-11-20T00:00:00Z"), at("2026-11-20T23:00:00Z")};
        const std::vector<Marker> markers = doraMarkers(source, range.from, range.to, makeCancelToken());
        QCOMPARE(markers.size(), std::size_t(4));
        QCOMPARE(computeDora(markers, {}, range).overall.timeToRestoreMinutesMedian, 85.0); // of 20 and 150
        // resolved within the hour after it: nothing more to read
        MarkerSource near({marker("incident_start", "auth", at("2026-11-20T22:00:00Z")),
                           marker("incident_end", "auth", at("2026-11-20T23:30:00Z")),
                           marker("deploy", "auth", at("2026-11-21T02:00:00Z"))});
        QCOMPARE(doraMarkers(near, range.from, range.to, makeCancelToken()).size(), std::size_t(2));
        // review: an incident never closed does not take the end of the next one of its service
        MarkerSource later({marker("incident_start", "auth", at("2026-11-20T22:00:00Z")),
                            marker("incident_start", "auth", at("2026-11-21T10:00:00Z")),
                            marker("incident_end", "auth", at("2026-11-21T10:30:00Z"))});
        const Dora open = computeDora(doraMarkers(later, range.from, range.to, makeCancelToken()), {}, range);
        QVERIFY(std::isnan(open.overall.timeToRestoreMinutesMedian));
        // second review: an incident inside another closes first, the outer one at its own end (70 and 10 had
        // become "open" and 10); an end at the time of a new start closes the earlier one; markers in any order
        const std::vector<Marker> nested{marker("incident_end", "pay", at("2026-11-20T12:00:00Z")),
                                         marker("incident_start", "pay", at("2026-11-20T11:00:00Z")),
                                         marker("incident_end", "pay", at("2026-11-20T11:10:00Z")),
                                         marker("incident_start", "pay", at("2026-11-20T10:00:00Z")),
                                         marker("incident_start", "pay", at("2026-11-20T14:00:00Z")),
                                         marker("incident_end", "pay", at("2026-11-20T15:00:00Z")),
                                         marker("incident_start", "pay", at("2026-11-20T15:00:00Z")),
                                         marker("incident_end", "pay", at("2026-11-20T15:30:00Z"))};
        QCOMPARE(computeDora(nested, {}, range).overall.timeToRestoreMinutesMedian, 45.0); // of 10, 30, 60, 120
        // Found by an exploratory test: started and resolved at one instant, it had stayed open (the end sorts
        // before a start of its time), for a later end to close with hours of restore time.
        const std::vector<Marker> instant{marker("incident_start", "pay", at("2026-11-20T10:00:00Z")),
                                          marker("incident_end", "pay", at("2026-11-20T10:00:00Z")),
                                          marker("incident_start", "pay", at("2026-11-20T14:00:00Z")),
                                          marker("incident_end", "pay", at("2026-11-20T14:30:00Z"))};
        QCOMPARE(computeDora(instant, {}, range).overall.timeToRestoreMinutesMedian, 15.0); // of 0 and 30
        // review: an end sent twice closes no incident of another title that starts at its time
        const auto titled = [](Marker m, const char *title) {
            m.title = title;
            return m;
        };
        const std::vector<Marker> repeated{titled(marker("incident_start", "pay", at("2026-11-20T09:00:00Z")), "A"),
                                           titled(marker("incident_end", "pay", at("2026-11-20T10:00:00Z")), "A"),
                                           titled(marker("incident_end", "pay", at("2026-11-20T10:00:00Z")), "A"),
                                           titled(marker("incident_start", "pay", at("2026-11-20T10:00:00Z")), "B"),
                                           titled(marker("incident_end", "pay", at("2026-11-20T11:00:00Z")), "B")};
        QCOMPARE(computeDora(repeated, {}, range).overall.timeToRestoreMinutesMedian, 60.0); // of 60 and 60, not 0
    }

    // DESIGN.md: time to restore runs from an anomaly or incident start to back in range or resolved;
    // an anomaly inside an incident is that incident's, and an open anomaly has not been restored.
    void anomaliesBackInRangeAreRestoresToo()
    {
        const Incident i = incidentFromJson(parseJson(kVersion2Incident)); // 08:00 - 08:47
        const TimeRange day{at("2026-11-21T00:00:00Z"), at("2026-11-22T00:00:00Z")};
        const std::vector<AnomalyWindow> anomalies{
            {at("2026-11-21T03:00:00Z"), at("2026-11-21T03:20:00Z")}, // 20 min, no incident
            {at("2026-11-21T08:05:00Z"), at("2026-11-21T08:40:00Z")}, // inside the incident: not again
            {at("2026-11-21T07:54:00Z"), at("2026-11-21T08:30:00Z")}, // seen before it was declared: not again
            {at("2026-11-21T07:00:00Z"), at("2026-11-21T07:50:00Z")}, // 50 min, over before it
            {at("2026-11-21T20:00:00Z"), 0}};                         // still out of range
        const Dora d = computeDora(incidentMarkers({i}), anomalies, day);
        QCOMPARE(d.overall.timeToRestoreMinutesMedian, 47.0); // of 20, 47 and 50
    }

    void routerMergesIncidentMarkersOnce()
    {
        const Incident i = incidentFromJson(parseJson(kVersion2Incident));
        // The store already holds the same incident's start (marked with `flightdeck mark`), not its end.
        auto store = std::make_shared<MarkerSource>(std::vector<Marker>{marker("incident_start", "auth", i.start)});
        SourceRouter router({"local"}, "local", [store](const std::string &) { return store; });
        router.setWorkspaceMarkers(incidentMarkers({i}));
        const auto merged = router.markers({i.start - kHour, i.end + kHour}, nullptr);
        QCOMPARE(merged.size(), std::size_t(2));
        QCOMPARE(merged[0].kind, std::string("incident_start"));
        QCOMPARE(merged[1].kind, std::string("incident_end"));
        QCOMPARE(router.markers({i.end + kHour, i.end + 2 * kHour}, nullptr).size(), std::size_t(0)); // outside the range
    }

    void uniqueTitles()
    {
        Incident a;
        a.title = "Login drop";
        Incident b = a;
        b.title = "Login drop (2)";
        QCOMPARE(uniqueIncidentTitle({a, b}, "Login drop"), std::string("Login drop (3)"));
        QCOMPARE(uniqueIncidentTitle({a}, "Other"), std::string("Other"));
    }

    void version1WorkspaceMigratesWithoutLosingAnything()
    {
        Json j = parseJson(kVersion1Workspace);
        const auto notes = migrateWorkspaceJson(j);
        QCOMPARE(j["flightdeck_workspace"].get<int>(), 2);
        QCOMPARE(notes.size(), std::size_t(1));
        const Workspace w = workspaceFromJson(parseJson(kVersion1Workspace));
        QCOMPARE(w.loadedVersion, 1);
        QCOMPARE(w.incidents.size(), std::size_t(2));
        const Incident &outage = w.incidents[0];
        QCOMPARE(outage.title, std::string("Checkout outage")); // "name" became "title"
        QCOMPARE(outage.service, std::string("checkout"));
        QCOMPARE(outage.end - outage.start, 90 * kMinute);
        QCOMPARE(outage.timeline.size(), std::size_t(1)); // the keys version 2 has no place for, kept as a note
        QVERIFY(outage.timeline[0].text.find("PD-1234") != std::string::npos);
        QVERIFY(outage.timeline[0].text.find("rolled back 3.1.0") != std::string::npos);
        QCOMPARE(w.incidents[1].title, std::string("Incident 2"));
        QVERIFY(w.incidents[1].timeline.at(0).text.find("a loose note somebody left") != std::string::npos);
        // Written back, it is a version 2 document that reads the same.
        const Workspace again = workspaceFromJson(workspaceToJson(w));
        QCOMPARE(again.loadedVersion, Workspace::kFormatVersion);
        QCOMPARE(incidentToJson(again.incidents[0]).dump(), incidentToJson(outage).dump());
    }

    void savingOverAnOlderVersionKeepsABackup()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.flightdeck.json"));
        QVERIFY(fdtest::writeFile(path, kVersion1Workspace));
        Workspace w = loadWorkspace(path);
        w.incidents[0].owner = "ana";
        saveWorkspace(w, path);
        QFile backup(path + QStringLiteral(".v1.bak"));
        QVERIFY(backup.open(QIODevice::ReadOnly));
        QCOMPARE(backup.readAll(), QByteArray(kVersion1Workspace));
        const Workspace saved = loadWorkspace(path);
        QCOMPARE(saved.loadedVersion, 2);
        QCOMPARE(saved.incidents[0].owner, std::string("ana"));
    }

    void newerVersionIsRefused()
    {
        Json j = {{"flightdeck_workspace", Workspace::kFormatVersion + 1}};
        QVERIFY_THROWS_EXCEPTION(Error, migrateWorkspaceJson(j));
    }
};

QTEST_GUILESS_MAIN(TestIncident)
#include "tst_incident.moc"
