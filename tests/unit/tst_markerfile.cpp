#include "models/Rfc3339.h"
#include "models/Error.h"
#include "models/MarkerFile.h"
#include <QTest>

using namespace fd;

class TestMarkerFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonArrayAndLines()
    {
        const std::string array = R"j([{"time": "2026-11-20T10:00:00Z", "kind": "deploy", "service": "auth", "title": "Deploy 2.14.0",
            "version": "2.14.0", "commit": "abc", "commit_time": "2026-11-20T08:30:00Z"},
           {"kind": "flag", "title": "Enable x", "attributes": {"flag": "x"}}])j";
        const auto markers = parseMarkersJson(array, 42);
        QCOMPARE(markers.size(), std::size_t(2));
        QCOMPARE(markers[0].time, 1'795'168'800LL * kSecond);
        QCOMPARE(markers[0].commitTime, markers[0].time - 90 * kMinute);
        QCOMPARE(markers[1].time, TimeNs(42)); // no time: now
        QCOMPARE(markers[1].attributes["flag"].get<std::string>(), std::string("x"));
        const auto lines = parseMarkersJson("{\"kind\": \"note\", \"title\": \"a\"}\n\n{\"kind\": \"alert\", \"title\": \"b\"}\n", 1);
        QCOMPARE(lines.size(), std::size_t(2));
        QCOMPARE(lines[1].kind, std::string("alert"));
    }

    void csvWithQuotesAndExtraColumns()
    {
        const std::string csv = "time,kind,service,title,version,pipeline\r\n"
                                "2026-11-20T10:00:00Z,deploy,auth,\"Deploy auth, \"\"hotfix\"\"\",2.14.1,#812\n"
                                "1795172400,rollback,auth,Roll back,2.14.0,\n";
        const auto markers = parseMarkersCsv(csv, 0);
        QCOMPARE(markers.size(), std::size_t(2));
        QCOMPARE(markers[0].title, std::string("Deploy auth, \"hotfix\""));
        QCOMPARE(markers[0].attributes["pipeline"].get<std::string>(), std::string("#812"));
        QCOMPARE(markers[1].time, 1'795'172'400LL * kSecond);
        QVERIFY(!markers[1].attributes.contains("pipeline"));
    }

    // A commit clock a few seconds ahead of the deploy's (review) is a lead time of 0; an hour ahead is refused.
    void aCommitTimeAfterTheDeploy()
    {
        const auto marker = [](const char *commitTime) {
            return parseMarkersJson(std::string("{\"kind\": \"deploy\", \"title\": \"a\", \"time\": \"2026-12-05T10:00:00Z\", "
                                                "\"commit_time\": \"") + commitTime + "\"}", 0).at(0);
        };
        const Marker skewed = marker("2026-12-05T10:00:20Z");
        QCOMPARE(skewed.commitTime, skewed.time);
        QCOMPARE(marker("2026-12-05T09:00:00Z").commitTime, skewed.time - kHour);
        QVERIFY_THROWS_EXCEPTION(Error, marker("2026-12-05T12:00:00Z"));
        // Found by an exploratory test: a marker before 1970 without a commit time was given its own time as one.
        QCOMPARE(parseMarkersJson("{\"kind\": \"note\", \"title\": \"t\", \"time\": -5}", 0).at(0).commitTime, 0);
        QCOMPARE(parseMarkersJson("{\"kind\": \"deploy\", \"title\": \"t\", \"time\": \"1969-06-01T00:00:00Z\"}", 0).at(0).commitTime, 0);
    }

    void badInputNamesTheLine()
    {
        try {
            parseMarkersCsv("kind,title\ndeploy,ok\nbogus,x\n", 0);
            QFAIL("a bad kind was accepted");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("line 3")));
        }
        QVERIFY_THROWS_EXCEPTION(Error, parseMarkersCsv("kind,title\ndeploy\n", 0));
        QVERIFY_THROWS_EXCEPTION(Error, parseMarkersCsv("", 0));
        // Found by an exploratory test: a byte order mark joined the first column's name, and the marker was stored
        // now, with a "\ufefftime" attribute.
        const auto bom = parseMarkersCsv("\xEF\xBB\xBFtime, kind,title\n2026-11-05T10:00:00Z,deploy,x\n", 0);
        QCOMPARE(bom.at(0).time, parseRfc3339Strict("2026-11-05T10:00:00Z").value());
        QVERIFY(bom.at(0).attributes.empty());
        // Found by an exploratory test: a crash, not a message.
        QVERIFY_THROWS_EXCEPTION(Error, parseMarkersJson(std::string(200000, '[') + std::string(200000, ']'), 0));
        QVERIFY_THROWS_EXCEPTION(Error, parseMarkersJson("[{\"kind\": \"deploy\"}]", 0)); // no title
        QVERIFY_THROWS_EXCEPTION(Error, parseMarkersJson("{\"kind\": \"note\", \"title\": \"a\"}\nnot json\n", 0));
        // found by review: a number of seconds past 2262 was cast to int64 unchecked (the receiver's /v1/markers
        // reads markers the same way), and "-9223372036854775808" took std::abs of INT64_MIN
        for (const char *time : { "1e300", "-1e300", "\"-9223372036854775808\"", "\"9223372036854775807\"" }) {
            const std::string line = std::string("{\"kind\": \"note\", \"title\": \"a\", \"time\": ") + time + "}";
            try {
                parseMarkersJson(line, 0);
                QFAIL(qPrintable(QStringLiteral("accepted %1").arg(QString::fromLatin1(time))));
            } catch (const Error &e) {
                QVERIFY2(e.message().contains(QStringLiteral("marker field \"time\"")), qPrintable(e.message()));
            }
        }
        QCOMPARE(parseMarkersJson("{\"kind\": \"note\", \"title\": \"a\", \"time\": 1795168800.25}", 0).at(0).time,
                 1'795'168'800'250'000'000LL);
        QCOMPARE(parseMarkersJson("{\"kind\": \"note\", \"title\": \"a\", \"time\": 1764590400.0004}", 0).at(0).time,
                 1'764'590'400'000'400'000LL); // sub-millisecond, as the text form keeps it
    }
};

QTEST_GUILESS_MAIN(TestMarkerFile)
#include "tst_markerfile.moc"
