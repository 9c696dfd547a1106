// Prometheus alerting rules exported from tiles, checked by Debian's own `promtool check rules`.
#include "models/AlertRule.h"
#include "models/Error.h"
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

Tile promTile(const std::string &method)
{
    Tile t;
    t.name = "Login success ratio";
    t.kind = "ratio";
    t.unit = "%";
    t.numerator.raw = R"(sum(rate(logins_total{result="success"}[5m])))";
    t.denominator.raw = "sum(rate(logins_total[5m]))";
    t.range.method = method;
    t.range.staticLow = 60;
    t.range.staticHigh = 100;
    return t;
}

} // namespace

class TestAlertRule : public QObject
{
    Q_OBJECT

    // promtool's verdict on the rule file, or why it could not run.
    QString promtoolCheck(const std::string &yaml)
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            return QStringLiteral("SKIP");
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("rule.yml")));
        if (!f.open(QIODevice::WriteOnly) || f.write(yaml.data(), qint64(yaml.size())) != qint64(yaml.size()))
            return QStringLiteral("cannot write the rule file");
        f.close();
        QProcess p;
        p.start(promtool, { QStringLiteral("check"), QStringLiteral("rules"), f.fileName() });
        if (!p.waitForFinished(60000))
            return QStringLiteral("promtool did not finish");
        return p.exitCode() == 0 ? QString() : QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    }

private Q_SLOTS:
    void everyMethodGivesARulePromtoolAccepts_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("seasonal") << QStringLiteral("seasonal");
        QTest::newRow("rolling") << QStringLiteral("rolling");
        QTest::newRow("static") << QStringLiteral("static");
    }

    void everyMethodGivesARulePromtoolAccepts()
    {
        QFETCH(QString, method);
        const std::string yaml = prometheusAlertRule("Business", promTile(method.toStdString()), 0.2, 5 * kMinute);
        const QString verdict = promtoolCheck(yaml);
        if (verdict == QLatin1String("SKIP"))
            QSKIP("promtool is not installed (Debian's prometheus package has it)");
        QVERIFY2(verdict.isEmpty(), qPrintable(verdict + QStringLiteral("\n") + QString::fromStdString(yaml)));
        QVERIFY(yaml.find("alert: LoginSuccessRatioOutOfRange") != std::string::npos);
        QVERIFY(yaml.find("for: 10m") != std::string::npos); // two 5-minute buckets make an anomaly
    }

    void seasonalRuleComparesWithTheSameTimeOfEarlierPeriods()
    {
        const std::string yaml = prometheusAlertRule("Business", promTile("seasonal"), 0.2, 5 * kMinute);
        for (int day = 1; day <= 7; ++day)
            QVERIFY2(yaml.find("offset " + std::to_string(day) + "d") != std::string::npos, yaml.c_str());
        QVERIFY(yaml.find("< 0.8 *") != std::string::npos);
        QVERIFY(yaml.find("> 1.2 *") != std::string::npos);
        QVERIFY(yaml.find("100 * (sum(rate(logins_total{result=\"success\"}[5m])))") != std::string::npos);
    }

    void tileWithoutPromQlIsRefused()
    {
        Tile t = promTile("seasonal");
        t.denominator.raw.clear();
        QVERIFY(tilePromQl(t).empty());
        QVERIFY_THROWS_EXCEPTION(Error, prometheusAlertRule("Business", t, 0.2, 5 * kMinute));
    }
};

QTEST_GUILESS_MAIN(TestAlertRule)
#include "tst_alertrule.moc"
