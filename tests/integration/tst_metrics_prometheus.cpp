// The Metrics view on a real Prometheus (Debian's package, started here): the source picker, the form's
// PromQL shown under it, the PromQL editor running a query into the chart, completion of metric names
// from the server, and a bad query's message at its position.

#include "PrometheusProcess.h"
#include "connectors/prometheus/PrometheusSource.h"
#include "widgets/ChartView.h"
#include "widgets/MetricsView.h"
#include "widgets/PromQlEditor.h"

#include <QAbstractItemModel>
#include <QCompleter>
#include <QLabel>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fdtest;

class TestMetricsPrometheus : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    PrometheusProcess m_server;
    DataSourcePtr m_source;
    std::unique_ptr<MetricsView> m_view;

    TimeRange lastMinutes(int minutes) const { return { nowNs() - minutes * kMinute, nowNs() }; }

    double scrapedSamples(const Query &q) const
    {
        const Frame f = m_source->query(q, lastMinutes(1), makeCancelToken());
        return f.rowCount() == 1 ? cellToDouble(f.cell(0, std::size_t(f.columnIndex("value")))) : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        QVERIFY2(!binary.isEmpty(), "prometheus is not installed (packaging/install-deps.sh installs it)");
        QString error;
        QVERIFY2(m_server.start(binary, m_dir.path(), &error), qPrintable(error));
        PrometheusConfig config;
        config.url = m_server.url();
        config.scrapeInterval = kSecond;
        m_source = std::make_shared<PrometheusSource>("prom", config);
        m_view = std::make_unique<MetricsView>();
        m_view->resize(1200, 700);
        m_view->show();
        m_view->setSources({ { QStringLiteral("prom"), m_source } });
        m_view->setTimeRange(lastMinutes(2));
        // Wait for a few self-scrapes, so a range query has points to draw.
        Query scrapes;
        scrapes.signal = Signal::Metrics;
        scrapes.raw = "count_over_time(up[1m])";
        QTRY_VERIFY_WITH_TIMEOUT(scrapedSamples(scrapes) >= 5, 60000);
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_server.stop();
    }

    void formShowsItsPromQl()
    {
        Query q;
        q.signal = Signal::Metrics;
        q.where = parseWhereList("name = prometheus_http_requests_total");
        q.groupBy = { "handler" };
        q.agg = parseAggregate("rate");
        m_view->setRawMode(false);
        m_view->setQuery(q);
        QVERIFY2(m_view->nativeQueryText().startsWith(QLatin1String("PromQL: sum by (handler) (rate(prometheus_http_requests_total[")),
            qPrintable(m_view->nativeQueryText()));
    }

    void promQlEditorRunsIntoTheChart()
    {
        m_view->setRawMode(true);
        QVERIFY(m_view->promQlEditor()->isVisible());
        m_view->promQlEditor()->setPlainText(QStringLiteral("sum by (job) (up)"));
        m_view->setTimeRange(lastMinutes(2));
        QString status;
        const auto watch = connect(m_view.get(), &MetricsView::statusMessage, this, [&status](const QString &m) { status = m; });
        const auto unwatch = qScopeGuard([watch] { disconnect(watch); });
        m_view->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isBusy(), 30000);
        QVERIFY2(m_view->errorText().isEmpty(), qPrintable(m_view->errorText()));
        QVERIFY2(m_view->chart()->seriesCount() == 1, qPrintable(status));
        QCOMPARE(m_view->chart()->seriesNames().value(0), QStringLiteral("prometheus"));
        QVERIFY(m_view->chart()->drawnPointCount(QStringLiteral("prometheus")) > 2);
        const QString shot = QStringLiteral(FD_BINARY_DIR "/tst_metrics_prometheus.png");
        QVERIFY(m_view->grab().save(shot));
    }

    void metricNamesCompleteFromTheServer()
    {
        PromQlEditor *editor = m_view->promQlEditor();
        editor->setFocus();
        editor->setPlainText(QStringLiteral("prometheus_http_req"));
        QTextCursor c = editor->textCursor();
        c.movePosition(QTextCursor::End);
        editor->setTextCursor(c);
        editor->showCompletions();
        QTRY_VERIFY_WITH_TIMEOUT(!editor->completer()->completionModel()->match(editor->completer()->completionModel()->index(0, 0),
                                         Qt::DisplayRole, QStringLiteral("prometheus_http_requests_total"), 1, Qt::MatchExactly)
                                      .isEmpty(),
            10000);
    }

    void badPromQlShowsTheServersMessageAtItsPosition()
    {
        PromQlEditor *editor = m_view->promQlEditor();
        editor->setPlainText(QStringLiteral("sum(rate(up[5m])"));
        m_view->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isBusy(), 30000);
        QVERIFY2(m_view->errorText().contains(QLatin1String("parse error")), qPrintable(m_view->errorText()));
        QVERIFY2(editor->errorMessage().contains(QLatin1String("parse error")), qPrintable(editor->errorMessage()));
        QVERIFY(!editor->extraSelections().isEmpty()); // the position is underlined
    }
};

QTEST_MAIN(TestMetricsPrometheus)
#include "tst_metrics_prometheus.moc"
