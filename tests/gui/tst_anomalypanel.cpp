// The anomaly side panel, the tile's clicks and context menu, and the DORA panel.
#include "models/AlertRule.h"
#include "models/TileEvents.h"
#include "widgets/AnomalyPanel.h"
#include "widgets/ChartCanvas.h"
#include "widgets/ChartView.h"
#include "widgets/DoraView.h"
#include "widgets/ShareBarDelegate.h"
#include "widgets/TileWidget.h"
#include "widgets/TrendDelegate.h"
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QMenu>
#include <QTest>
#include <QTreeView>
#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace fd;

namespace {

const TimeNs kNow = 1'763'650'000LL * kSecond;
const TimeRange kRange{kNow - 6 * kHour, kNow};

Marker marker(const std::string &kind, const std::string &service, TimeNs t, const std::string &title,
              const std::string &version = {}, const std::string &commit = {}, const std::string &url = {})
{
    Marker m;
    m.time = t;
    m.kind = kind;
    m.service = service;
    m.title = title;
    m.version = version;
    m.commit = commit;
    m.url = url;
    return m;
}

Tile loginTile(bool promQl)
{
    Tile t;
    t.name = "Login success";
    t.kind = "ratio";
    t.unit = "%";
    t.numerator.where = {{"event.name", Op::Eq, "dashboard_view"}};
    t.denominator.where = {{"event.name", Op::Eq, "login_page_view"}};
    for (Query *q : {&t.numerator, &t.denominator}) {
        q->agg = parseAggregate("count");
        q->interval = 5 * kMinute;
    }
    if (promQl) {
        t.numerator.raw = R"(sum(rate(logins_total{result="success"}[5m])))";
        t.denominator.raw = "sum(rate(logins_total[5m]))";
    }
    t.markers = MarkerScope{{"deploy", "rollback", "flag"}, {"auth", "frontend"}};
    return t;
}

// A six-hour login-success tile, flat band 80 ± 8, with an earlier closed anomaly and a drop
// that is still going on, with suspects (out of rank order) and what changed.
TileResult plantedResult()
{
    TileResult r;
    r.name = "Login success";
    r.unit = "%";
    r.state = "bad";
    r.series.start = kRange.from;
    r.series.step = 5 * kMinute;
    const std::size_t n = static_cast<std::size_t>(kRange.length() / r.series.step); // 72
    for (std::size_t i = 0; i < n; ++i) {
        const bool early = i >= 20 && i < 26, late = i + 9 >= n;
        r.series.values.push_back(late ? 47.0 + std::sin(i * 1.3) : early ? 66.0 : 80.0 + 2.5 * std::sin(i * 0.7));
        r.band.expected.push_back(80);
        r.band.low.push_back(72);
        r.band.high.push_back(88);
    }
    r.value = r.series.values.back();
    r.expected = 80;
    r.low = 72;
    r.high = 88;

    Anomaly early;
    early.start = r.series.timeAt(20);
    early.end = r.series.timeAt(26);
    early.direction = -1;
    early.size = -0.18;
    Anomaly late;
    late.start = r.series.timeAt(n - 9);
    late.open = true;
    late.direction = -1;
    late.size = -0.41;
    const Marker deploy = marker("deploy", "auth", late.start - 12 * kMinute, "Deploy auth 2.14.0", "2.14.0",
                                 "9f3c2a17e4b05d6c", "https://ci.example.com/auth/pipelines/4711");
    const Marker flag = marker("flag", "frontend", late.start - 48 * kMinute, "Flag new-login-flow on for 50 %");
    const Marker other = marker("deploy", "checkout", late.start - 100 * kMinute, "Deploy checkout 7.3.1", "7.3.1", "51ab09e");
    late.suspects = {Suspect{0.31, {"deploy 1 h 40 min before start"}, other},
                     Suspect{0.93, {"deploy 12 min before start", "service auth in scope", "service.version = 2.14.0 in what changed"}, deploy},
                     Suspect{0.55, {"flag 48 min before start", "service frontend in scope"}, flag}};
    late.whatChanged = Json::array(
        {{{"field", "service.version"}, {"value", "2.14.0"}, {"share_baseline", 0.0}, {"share_anomaly", 0.97}, {"among", "tile events"}},
         {{"field", "http.response.status_code"}, {"value", 503}, {"share_baseline", 0.02}, {"share_anomaly", 0.64},
          {"among", "warnings and errors of auth, frontend"}},
         {{"field", "exception.type"}, {"value", "TokenValidationError"}, {"share_baseline", 0.0}, {"share_anomaly", 0.41},
          {"among", "warnings and errors of auth, frontend"}},
         {{"field", "user_agent.os.name"}, {"value", "iOS"}, {"share_baseline", 0.34}, {"share_anomaly", 0.22}, {"among", "tile events"}}});
    r.anomalies = {early, late};
    r.markers = {other, flag, deploy};
    return r;
}

void click(QTreeView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    QVERIFY2(rect.isValid(), "the row is not shown");
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

QString outputPath(const char *name)
{
    return QStringLiteral(FD_BINARY_DIR "/") + QLatin1String(name);
}

void show(QWidget &w, QSize size)
{
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    for (int i = 0; i < 5; ++i)
        QTest::qWait(20);
}

// The markers of two periods of two days: 6 deploys now (2 failed), 4 before (1 failed), one
// incident in each (40 min now, 90 min before).
std::vector<Marker> doraMarkers(TimeNs t0)
{
    auto deploy = [](const std::string &service, TimeNs t, double leadHours, const std::string &version) {
        Marker m = marker("deploy", service, t, "Deploy " + service + " " + version, version, "c0ffee" + version);
        m.commitTime = t - static_cast<TimeNs>(leadHours * kHour);
        return m;
    };
    const TimeNs p0 = t0 - 2 * kDay;
    std::vector<Marker> m{
        deploy("auth", p0 + 3 * kHour, 5, "2.8.0"),
        marker("incident_start", "auth", p0 + 3 * kHour + 10 * kMinute, "Login failures"),
        marker("incident_end", "auth", p0 + 3 * kHour + 100 * kMinute, "Login failures resolved"),
        deploy("checkout", p0 + 10 * kHour, 1, "7.0.0"),
        deploy("auth", p0 + 30 * kHour, 7, "2.9.0"),
        deploy("checkout", p0 + 36 * kHour, 1, "7.0.1"),
        deploy("auth", t0 + 2 * kHour, 1, "2.10.0"),
        deploy("checkout", t0 + 5 * kHour, 0.5, "7.1.0"),
        deploy("auth", t0 + 8 * kHour, 2, "2.11.0"),
        marker("rollback", "auth", t0 + 8 * kHour + 30 * kMinute, "Roll back auth 2.11.0"),
        deploy("auth", t0 + 20 * kHour, 3, "2.12.0"),
        deploy("auth", t0 + 30 * kHour, 4, "2.13.0"),
        deploy("checkout", t0 + 40 * kHour, 1.5, "7.2.0"),
        marker("incident_start", "auth", t0 + 44 * kHour, "Slow logins"),
        marker("incident_end", "auth", t0 + 44 * kHour + 40 * kMinute, "Slow logins resolved"),
    };
    return m;
}

// A week of a small shop and the week before: several deploys a day per service with git commits,
// some rolled back, a few incidents, anomalies after two deploys.
struct Week {
    std::vector<Marker> markers;
    std::vector<AnomalyWindow> anomalies;
};

Week realisticWeeks(TimeNs end)
{
    std::uint32_t seed = 12345;
    auto next = [&seed](int n) {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(n));
    };
    struct Service { const char *name; int perDay; int major; };
    const Service services[] = {{"frontend", 3, 5}, {"auth", 2, 2}, {"checkout", 2, 7}, {"payments", 1, 3}, {"search", 1, 1}};
    Week w;
    const TimeNs start = end - 14 * kDay;
    for (const Service &s : services) {
        int minor = 10;
        for (int day = 0; day < 14; ++day) {
            const bool recent = day >= 7;
            const int count = s.perDay + next(2) + (recent && std::string(s.name) == "frontend" ? 1 : 0);
            for (int k = 0; k < count; ++k) {
                const TimeNs t = start + day * kDay + (8 + next(10)) * kHour + next(60) * kMinute;
                const std::string version = std::to_string(s.major) + "." + std::to_string(++minor) + ".0";
                char commit[13];
                std::snprintf(commit, sizeof commit, "%06x%06x", next(1 << 24), next(1 << 24));
                Marker m = marker("deploy", s.name, t, std::string("Deploy ") + s.name + " " + version, version, commit,
                                  "https://ci.example.com/" + std::string(s.name) + "/" + version);
                m.commitTime = t - (recent ? 40 + next(200) : 90 + next(400)) * kMinute;
                w.markers.push_back(m);
                const int fate = next(recent ? 14 : 10);
                if (fate == 0)
                    w.markers.push_back(marker("rollback", s.name, t + (20 + next(30)) * kMinute, "Roll back " + version));
                else if (fate == 1)
                    w.anomalies.push_back(t + (10 + next(30)) * kMinute);
            }
        }
    }
    const std::pair<int, int> incidents[] = {{2, 95}, {5, 140}, {9, 50}, {12, 35}};
    for (const auto &[day, minutes] : incidents) {
        const TimeNs t = start + day * kDay + 3 * kHour;
        w.markers.push_back(marker("incident_start", "auth", t, "Login failures"));
        w.markers.push_back(marker("incident_end", "auth", t + minutes * kMinute, "Login failures resolved"));
    }
    std::sort(w.markers.begin(), w.markers.end(), [](const Marker &a, const Marker &b) { return a.time < b.time; });
    return w;
}

QModelIndex findRow(const QAbstractItemModel *model, const QString &text, int column = 0)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, column).data().toString() == text)
            return model->index(r, column);
    return {};
}

} // namespace

class TestAnomalyPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void panelListsSuspectsInRankOrder()
    {
        AnomalyPanel panel;
        QAbstractItemModelTester suspectsTester(panel.suspectsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester changesTester(panel.changesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setTile(loginTile(false));
        panel.setTileResult(plantedResult(), 1);
        show(panel, {440, 720});

        const QString header = panel.headerText();
        QVERIFY2(header.contains(QStringLiteral("Login success")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("Anomaly 2 of 2")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("down 41 %")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("against 80 % expected")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("ongoing (45 min)")), qPrintable(header));

        const QStandardItemModel *s = panel.suspectsModel();
        QCOMPARE(s->rowCount(), 3);
        QCOMPARE(s->index(0, 0).data().toString(), QStringLiteral("1. deploy · auth 2.14.0"));
        QCOMPARE(s->index(0, 1).data().toString(), QStringLiteral("0.93"));
        QCOMPARE(s->index(1, 0).data().toString(), QStringLiteral("2. flag · frontend"));
        QCOMPARE(s->index(1, 1).data().toString(), QStringLiteral("0.55"));
        QCOMPARE(s->index(2, 0).data().toString(), QStringLiteral("3. deploy · checkout 7.3.1"));
        QCOMPARE(s->index(0, 0).data(Qt::DecorationRole).value<QColor>(), ChartView::markerColor("deploy"));

        // The best suspect's children: title, facts, each reason, the link.
        QStringList children;
        const QModelIndex best = s->index(0, 0);
        for (int r = 0; r < s->rowCount(best); ++r)
            children << s->index(r, 0, best).data().toString();
        QCOMPARE(children.first(), QStringLiteral("Deploy auth 2.14.0"));
        QVERIFY2(children.at(1).contains(QStringLiteral("version 2.14.0")) && children.at(1).contains(QStringLiteral("commit 9f3c2a17e4")),
                 qPrintable(children.join(QLatin1Char('|'))));
        QVERIFY(children.contains(QStringLiteral("✓ deploy 12 min before start")));
        QVERIFY(children.contains(QStringLiteral("✓ service auth in scope")));
        QVERIFY(children.contains(QStringLiteral("✓ service.version = 2.14.0 in what changed")));
        QCOMPARE(children.last(), QStringLiteral("https://ci.example.com/auth/pipelines/4711"));
        QVERIFY(panel.suspectsView()->isExpanded(best));

        const QStandardItemModel *c = panel.changesModel();
        QCOMPARE(c->rowCount(), 4);
        QCOMPARE(c->index(0, 0).data().toString(), QStringLiteral("service.version = 2.14.0"));
        QCOMPARE(c->index(0, 1).data().toString(), QStringLiteral("0% → 97%"));
        QCOMPARE(c->index(1, 0).data().toString(), QStringLiteral("http.response.status_code = 503"));
        QCOMPARE(c->index(3, 1).data(ShareBarDelegate::AfterRole).toDouble(), 0.22);

        QVERIFY(panel.grab().save(outputPath("anomaly_panel.png")));
    }

    void clickingWhatChangedOpensEvents()
    {
        AnomalyPanel panel;
        panel.setTile(loginTile(false));
        const TileResult result = plantedResult();
        panel.setTileResult(result, 1);
        show(panel, {440, 720});
        QSignalSpy spy(&panel, &AnomalyPanel::openEvents);

        click(panel.changesView(), panel.changesModel()->index(0, 1));
        QCOMPARE(spy.count(), 1);
        Query filter = spy.at(0).at(0).value<Query>();
        const TimeRange window = spy.at(0).at(1).value<TimeRange>();
        QCOMPARE(filter.signal, Signal::Logs);
        QCOMPARE(filter.agg.kind, Aggregate::Kind::None);
        QCOMPARE(filter.interval, DurationNs(0));
        QCOMPARE(filter.where.size(), std::size_t(2));
        QVERIFY(filter.where[0] == (Condition{"event.name", Op::Eq, "login_page_view"}));
        QVERIFY(filter.where[1] == (Condition{"service.version", Op::Eq, "2.14.0"}));
        QCOMPARE(window.from, result.anomalies[1].start);
        QCOMPARE(window.to, kRange.to); // still open: up to the end of the series
        QCOMPARE(panel.anomalyWindow().from, window.from);
        QCOMPARE(panel.anomalyWindow().to, window.to);

        // Found among the warnings of the services: their logs, and the number stays a number.
        click(panel.changesView(), panel.changesModel()->index(1, 0));
        QCOMPARE(spy.count(), 2);
        filter = spy.at(1).at(0).value<Query>();
        QCOMPARE(filter.where.size(), std::size_t(3));
        QVERIFY(filter.where[0] == (Condition{"severity", Op::Ge, "WARN"}));
        QVERIFY(filter.where[1] == (Condition{"service.name", Op::Regex, "^(auth|frontend)$"}));
        QVERIFY(filter.where[2] == (Condition{"http.response.status_code", Op::Eq, 503}));
        QVERIFY(filter.where[2].value.is_number());

        // The earlier, closed anomaly: its own window.
        panel.setTileResult(result, 0);
        QCOMPARE(panel.anomalyWindow().from, result.anomalies[0].start);
        QCOMPARE(panel.anomalyWindow().to, result.anomalies[0].end);
        QCOMPARE(panel.changesModel()->rowCount(), 0);
        QCOMPARE(panel.suspectsModel()->rowCount(), 0);
        QVERIFY(panel.changesView()->isHidden());
    }

    void clickingSuspectActivatesMarker()
    {
        AnomalyPanel panel;
        panel.setOpenLinks(false);
        panel.setTileResult(plantedResult(), 1);
        show(panel, {440, 720});
        QSignalSpy markers(&panel, &AnomalyPanel::markerActivated);
        QSignalSpy links(&panel, &AnomalyPanel::linkActivated);

        click(panel.suspectsView(), panel.suspectsModel()->index(1, 0));
        QCOMPARE(markers.count(), 1);
        QCOMPARE(markers.at(0).at(0).value<Marker>().kind, std::string("flag"));
        QCOMPARE(markers.at(0).at(0).value<Marker>().service, std::string("frontend"));

        // A reason row belongs to its suspect; the link row opens the link instead.
        const QModelIndex best = panel.suspectsModel()->index(0, 0);
        click(panel.suspectsView(), panel.suspectsModel()->index(2, 0, best));
        QCOMPARE(markers.count(), 2);
        QCOMPARE(markers.at(1).at(0).value<Marker>().version, std::string("2.14.0"));
        const int linkRow = panel.suspectsModel()->rowCount(best) - 1;
        click(panel.suspectsView(), panel.suspectsModel()->index(linkRow, 0, best));
        QCOMPARE(markers.count(), 2);
        QCOMPARE(links.count(), 1);
        QCOMPARE(links.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://ci.example.com/auth/pipelines/4711")));
    }

    void emptyPanelSaysWhy()
    {
        AnomalyPanel panel;
        QAbstractItemModelTester tester(panel.suspectsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        TileResult r = plantedResult();
        r.anomalies[1].suspects.clear();
        panel.setTileResult(r, 1);
        QCOMPARE(panel.suspectsModel()->rowCount(), 0);
        QVERIFY(panel.suspectsView()->isHidden());
        panel.setTileResult(r, 7); // no such anomaly
        QCOMPARE(panel.anomalyIndex(), -1);
        QCOMPARE(panel.changesModel()->rowCount(), 0);
        QVERIFY(panel.headerText().contains(QStringLiteral("Select an anomaly")));
    }

    void tileClickActivatesAnomaly()
    {
        TileWidget tile;
        tile.setResult(plantedResult(), kRange);
        show(tile, {520, 320});
        QSignalSpy spy(&tile, &TileWidget::anomalyActivated);

        // The body (the coloured edge, outside every child): the latest anomaly.
        QTest::mouseClick(&tile, Qt::LeftButton, {}, QPoint(3, tile.height() / 2));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 1);

        // The shaded span of the earlier anomaly in the chart: that one.
        ChartView *chart = tile.chart();
        const TileResult r = plantedResult();
        const TimeNs middle = r.anomalies[0].start + (r.anomalies[0].end - r.anomalies[0].start) / 2;
        const QPoint onSpan = chart->plotSurface()->mapFrom(chart, QPoint(chart->xForTime(middle), chart->height() / 2));
        QTest::mouseClick(chart->plotSurface(), Qt::LeftButton, {}, onSpan);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toInt(), 0);

        // Elsewhere in the chart: the latest again.
        const QPoint offSpan = chart->plotSurface()->mapFrom(chart, QPoint(chart->xForTime(kRange.from + kHour), chart->height() / 2));
        QTest::mouseClick(chart->plotSurface(), Qt::LeftButton, {}, offSpan);
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.at(2).at(0).toInt(), 1);

        // A tile without anomalies asks for nothing.
        TileResult calm = plantedResult();
        calm.anomalies.clear();
        calm.state = "ok";
        tile.setResult(calm, kRange);
        QTest::mouseClick(&tile, Qt::LeftButton, {}, QPoint(3, tile.height() / 2));
        QTest::mouseClick(chart->plotSurface(), Qt::LeftButton, {}, onSpan);
        QCOMPARE(spy.count(), 3);
    }

    void exportAlertRuleWritesYaml()
    {
        TileWidget tile;
        const TileResult result = plantedResult();
        tile.setResult(result, kRange);
        QVERIFY(!tile.exportAlertRuleAction()->isEnabled()); // no tile yet
        QVERIFY(tile.actions().contains(tile.exportAlertRuleAction()));
        std::unique_ptr<QMenu> menu(tile.contextMenuAt(QPoint(2, 2)));
        QVERIFY(menu->actions().contains(tile.exportAlertRuleAction()));

        const Tile prom = loginTile(true);
        tile.setTile(prom, QStringLiteral("Business"));
        QVERIFY(tile.exportAlertRuleAction()->isEnabled());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("login.yml"));
        QString error;
        QVERIFY2(TileWidget::writeAlertRule(path, QStringLiteral("Business"), prom, result, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString yaml = QString::fromUtf8(f.readAll());
        QVERIFY2(yaml.contains(QStringLiteral("alert: LoginSuccessOutOfRange")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("name: \"flightdeck Business\"")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("logins_total{result=\"success\"}")), qPrintable(yaml));
        // The band is 80 ± 8: a relative half-width of 0.1, over 5-minute buckets, 2 of them.
        QVERIFY2(yaml.contains(QStringLiteral("< 0.9 * ")) && yaml.contains(QStringLiteral("> 1.1 * ")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("for: 10m")), qPrintable(yaml));
        QCOMPARE(yaml.toStdString(), TileWidget::alertRuleYaml(QStringLiteral("Business"), prom, result));

        // A tile over the store's queries has no PromQL: disabled, and the helper refuses.
        const Tile store = loginTile(false);
        tile.setTile(store, QStringLiteral("Business"));
        QVERIFY(!tile.exportAlertRuleAction()->isEnabled());
        const QString other = dir.filePath(QStringLiteral("store.yml"));
        QVERIFY(!TileWidget::writeAlertRule(other, QStringLiteral("Business"), store, result, &error));
        QVERIFY2(error.contains(QStringLiteral("PromQL")), qPrintable(error));
        QVERIFY(!QFile::exists(other));
        QVERIFY(tile.openEventsAction()->isEnabled());
    }

    void openEventsActionUsesLatestAnomaly()
    {
        TileWidget tile;
        const TileResult result = plantedResult();
        tile.setResult(result, kRange);
        QVERIFY(!tile.openEventsAction()->isEnabled());
        const Tile t = loginTile(false);
        tile.setTile(t, QStringLiteral("Business"));
        QSignalSpy spy(&tile, &TileWidget::openEvents);
        tile.openEventsAction()->trigger();
        QCOMPARE(spy.count(), 1);
        const Query filter = spy.at(0).at(0).value<Query>();
        QVERIFY(filter == tileEventsQuery(t));
        QCOMPARE(filter.where.size(), std::size_t(1));
        QVERIFY(filter.where[0].value == Json("login_page_view"));
        const TimeRange window = spy.at(0).at(1).value<TimeRange>();
        QCOMPARE(window.from, result.anomalies[1].start);
        QCOMPARE(window.to, kRange.to);

        TileResult calm = result;
        calm.anomalies.clear();
        tile.setResult(calm, kRange);
        tile.openEventsAction()->trigger();
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(1).value<TimeRange>().from, kRange.from);
    }

    // Right-click on a marker line of a tile offers to add that marker to the incident.
    void tileMarkerGoesToTheIncident()
    {
        TileWidget tile;
        const TileResult result = plantedResult();
        tile.setResult(result, kRange);
        show(tile, {720, 320});
        const Marker &deploy = result.markers[2];
        ChartView *chart = tile.chart();
        const QPoint onLine = chart->mapTo(&tile, QPoint(chart->xForTime(deploy.time), chart->height() / 2));
        std::unique_ptr<QMenu> menu(tile.contextMenuAt(onLine));
        QAction *add = menu->actions().last();
        QCOMPARE(add->text(), QStringLiteral("Add deploy \"Deploy auth 2.14.0\" to incident"));
        QSignalSpy added(&tile, &TileWidget::addToIncident);
        add->trigger();
        QCOMPARE(added.count(), 1);
        const IncidentEntry entry = added.at(0).at(0).value<IncidentEntry>();
        QCOMPARE(entry.kind, std::string("marker"));
        QCOMPARE(entry.time, deploy.time);
        QCOMPARE(entry.title, std::string("deploy: Deploy auth 2.14.0"));
        QCOMPARE(entry.text, std::string("service auth, version 2.14.0, commit 9f3c2a17e4b05d6c"));
        QVERIFY(entry.ref["marker"]["url"] == Json("https://ci.example.com/auth/pipelines/4711"));

        std::unique_ptr<QMenu> away(tile.contextMenuAt(chart->mapTo(&tile, QPoint(chart->xForTime(kRange.from + kHour), chart->height() / 2))));
        QCOMPARE(away->actions().size(), tile.actions().size()); // no marker there: the tile's own actions only
    }

    void tileForwardsHoverAndCrosshair()
    {
        TileWidget tile;
        tile.setResult(plantedResult(), kRange);
        show(tile, {520, 320});
        const TimeNs t = kRange.from + 2 * kHour;
        tile.showCrosshairAt(t);
        QCOMPARE(tile.chart()->crosshairTime(), std::optional<TimeNs>(t));
        // The value box is the window's base colour, not the tile chart's transparent one (exploratory test: black)
        const auto *canvas = dynamic_cast<ChartCanvas *>(tile.chart()->plotSurface()->parentWidget());
        QVERIFY(canvas);
        QCOMPARE(canvas->readoutBackground().rgb(), QApplication::palette().color(QPalette::Base).rgb());
        QCOMPARE(canvas->readoutBackground().alpha(), 225);
        QVERIFY(tile.grab().save(QStringLiteral(FD_BINARY_DIR "/tst_tile-crosshair.png")));
        tile.hideCrosshair();
        QVERIFY(!tile.chart()->crosshairTime().has_value());

        QSignalSpy hovered(&tile, &TileWidget::hoveredTime);
        QSignalSpy left(&tile, &TileWidget::hoverLeft);
        ChartView *chart = tile.chart();
        const QPoint pos = chart->plotSurface()->mapFrom(chart, QPoint(chart->xForTime(t), chart->height() / 2));
        QMouseEvent move(QEvent::MouseMove, QPointF(pos), QPointF(chart->plotSurface()->mapToGlobal(pos)), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(chart->plotSurface(), &move);
        QVERIFY(hovered.count() >= 1);
        const TimeNs h = hovered.last().at(0).value<TimeNs>();
        QVERIFY2(std::abs(h - t) < 10 * kMinute, qPrintable(formatRfc3339(h)));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(chart->plotSurface(), &leave);
        QCOMPARE(left.count(), 1);
    }

    void doraViewShowsFiguresAndTrends()
    {
        const TimeNs t0 = kNow - 2 * kDay;
        const std::vector<AnomalyWindow> anomalies{t0 + 5 * kHour + 20 * kMinute};
        DoraView view;
        QAbstractItemModelTester figuresTester(view.figuresModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester deploysTester(view.deploysModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setTrend(computeDoraTrend(doraMarkers(t0), anomalies, {t0, kNow}));
        show(view, {980, 620});
        QVERIFY(view.noteText().isEmpty());
        // Markers of a source that could not be read: the figures say they lack them (exploratory test: they did not)
        DoraTrend partial = computeDoraTrend(doraMarkers(t0), anomalies, {t0, kNow});
        partial.leftOut = {"markers of source \"prom\" left out: connection refused"};
        view.setTrend(partial);
        QCOMPARE(view.noteText(), QStringLiteral("Not counted: markers of source \"prom\" left out: connection refused"));
        view.setTrend(computeDoraTrend(doraMarkers(t0), anomalies, {t0, kNow}));
        QVERIFY(view.noteText().isEmpty());

        const QStandardItemModel *f = view.figuresModel();
        QCOMPARE(f->rowCount(), 3);
        QCOMPARE(f->index(0, DoraView::ServiceColumn).data().toString(), QStringLiteral("All services"));
        auto cell = [f](int row, int column) { return f->index(row, column); };
        QCOMPARE(cell(0, DoraView::DeploysColumn).data().toString(), QStringLiteral("3.0 /day"));
        QCOMPARE(cell(0, DoraView::DeploysColumn).data(TrendDelegate::TextRole).toString(), QStringLiteral("▲ +1.0"));
        QCOMPARE(cell(0, DoraView::DeploysColumn).data(TrendDelegate::VerdictRole).toInt(), 1);
        QCOMPARE(cell(0, DoraView::LeadTimeColumn).data(DoraView::ValueRole).toDouble(), 1.75);
        QCOMPARE(cell(0, DoraView::LeadTimeColumn).data(TrendDelegate::VerdictRole).toInt(), 1); // shorter
        QCOMPARE(cell(0, DoraView::FailureRateColumn).data().toString(), QStringLiteral("33 %"));
        QCOMPARE(cell(0, DoraView::FailureRateColumn).data(TrendDelegate::TextRole).toString(), QStringLiteral("▲ +8 pp"));
        QCOMPARE(cell(0, DoraView::FailureRateColumn).data(TrendDelegate::VerdictRole).toInt(), -1); // more failures
        QCOMPARE(cell(0, DoraView::RestoreColumn).data().toString(), QStringLiteral("40 min"));
        QCOMPARE(cell(0, DoraView::RestoreColumn).data(TrendDelegate::TextRole).toString(), QStringLiteral("▼ −50 min"));
        QCOMPARE(cell(0, DoraView::RestoreColumn).data(TrendDelegate::VerdictRole).toInt(), 1);

        const QModelIndex checkout = findRow(f, QStringLiteral("checkout"));
        QVERIFY(checkout.isValid());
        QCOMPARE(cell(checkout.row(), DoraView::DeploysColumn).data(TrendDelegate::TextRole).toString(), QStringLiteral("= same"));
        QCOMPARE(cell(checkout.row(), DoraView::FailureRateColumn).data().toString(), QStringLiteral("50 %"));
        QCOMPARE(cell(checkout.row(), DoraView::FailureRateColumn).data(TrendDelegate::VerdictRole).toInt(), -1);
        QCOMPARE(cell(checkout.row(), DoraView::RestoreColumn).data().toString(), QStringLiteral("–"));
        QCOMPARE(TrendDelegate::verdictColor(1), QColor(0x2e, 0x9d, 0x4f));
        QCOMPARE(TrendDelegate::verdictColor(-1), QColor(0xd6, 0x36, 0x36));

        // The deploys behind them, newest first, the failed ones saying why.
        const QStandardItemModel *d = view.deploysModel();
        QCOMPARE(d->rowCount(), 6);
        QCOMPARE(d->index(0, DoraView::VersionColumn).data().toString(), QStringLiteral("7.2.0"));
        QCOMPARE(d->index(0, DoraView::DeployLeadTimeColumn).data().toString(), QStringLiteral("1.5 h"));
        const QModelIndex rolledBack = findRow(d, QStringLiteral("2.11.0"), DoraView::VersionColumn);
        QCOMPARE(d->index(rolledBack.row(), DoraView::ResultColumn).data().toString(), QStringLiteral("failed: rollback"));
        const QModelIndex anomalous = findRow(d, QStringLiteral("7.1.0"), DoraView::VersionColumn);
        QCOMPARE(d->index(anomalous.row(), DoraView::ResultColumn).data().toString(), QStringLiteral("failed: anomaly"));
        int failed = 0;
        for (int r = 0; r < d->rowCount(); ++r)
            failed += d->index(r, DoraView::ResultColumn).data().toString().isEmpty() ? 0 : 1;
        QCOMPARE(failed, 2);

        QVERIFY(view.grab().save(outputPath("dora_view_planted.png")));

        // A service narrows the deploys; all services shows them all again.
        click(view.figuresView(), view.figuresView()->model()->index(findRow(f, QStringLiteral("auth")).row(), 0));
        QCOMPARE(view.visibleDeployCount(), 4);
        QSignalSpy activated(&view, &DoraView::markerActivated);
        click(view.deploysView(), view.deploysView()->model()->index(0, DoraView::VersionColumn));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).value<Marker>().version, std::string("2.13.0"));
        QSignalSpy added(&view, &DoraView::addToIncident);
        QTest::keyClick(view.deploysView(), Qt::Key_I, Qt::ControlModifier);
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.at(0).at(0).value<IncidentEntry>().kind, std::string("marker"));
        QVERIFY(added.at(0).at(0).value<IncidentEntry>().ref["marker"]["version"] == Json("2.13.0"));
        click(view.figuresView(), view.figuresView()->model()->index(0, 0));
        QCOMPARE(view.visibleDeployCount(), 6);
    }

    void screenshotsOfTheBoardPieces()
    {
        const Week week = realisticWeeks(kNow);
        DoraView dora;
        dora.setTrend(computeDoraTrend(week.markers, week.anomalies, {kNow - 7 * kDay, kNow}));
        show(dora, {1000, 680});
        QCOMPARE(dora.figuresModel()->rowCount(), 6);
        QVERIFY(dora.deploysModel()->rowCount() > 40);
        QVERIFY(dora.grab().save(outputPath("dora_view.png")));

        // The panel beside its tile, as the board will show them.
        QWidget pair;
        TileWidget *tile = new TileWidget(&pair);
        tile->setResult(plantedResult(), kRange);
        AnomalyPanel *panel = new AnomalyPanel(&pair);
        panel->setTileResult(plantedResult(), 1);
        tile->setGeometry(0, 0, 520, 330);
        panel->setGeometry(530, 0, 440, 720);
        show(pair, {980, 720});
        QVERIFY(pair.grab().save(outputPath("anomaly_panel_with_tile.png")));
    }
};

QTEST_MAIN(TestAnomalyPanel)
#include "tst_anomalypanel.moc"
