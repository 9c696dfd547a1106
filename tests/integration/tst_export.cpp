// `flightdeck export` of the demo board to every format, checked the way a reader would: the image has
// the asked size and is not blank, the PDF holds the expected text, the HTML needs no other file.
#include "CliRunner.h"
#include <QImage>
#include <QSet>
#include <QTest>

using namespace fdtest;

class TestExport : public QObject
{
    Q_OBJECT
    Cli m_cli;
    QString m_workspace;

    RunResult exportTo(const QString &file, const QStringList &extra = {})
    {
        return m_cli.run(QStringList{QStringLiteral("export"), QStringLiteral("--workspace"), m_workspace,
                                     QStringLiteral("--board"), QStringLiteral("Business"), QStringLiteral("--out"),
                                     m_cli.path(file)} + extra, 120000);
    }

    QByteArray read(const QString &file)
    {
        QFile f(m_cli.path(file));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_workspace = m_cli.path(QStringLiteral("demo.flightdeck.json"));
        const RunResult r = m_cli.run({QStringLiteral("demo"), QStringLiteral("--store"), m_cli.path(QStringLiteral("demo.sqlite")),
                                       QStringLiteral("--workspace"), m_workspace}, 120000);
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    }

    void pngHasTheSizeAndIsNotBlank()
    {
        const RunResult r = exportTo(QStringLiteral("board.png"), {QStringLiteral("--size"), QStringLiteral("1200x700")});
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        const QImage image(m_cli.path(QStringLiteral("board.png")));
        QCOMPARE(image.size(), QSize(1200, 700));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 50);
        QVERIFY(colours.contains(qRgb(0xd3, 0x2f, 0x2f)) || colours.size() > 100); // the red tile or a rich picture
    }

    void svgIsAnSvg()
    {
        const RunResult r = exportTo(QStringLiteral("board.svg"));
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QVERIFY(read(QStringLiteral("board.svg")).contains("<svg"));
    }

    void pdfHasTheBoardText()
    {
        const RunResult r = exportTo(QStringLiteral("board.pdf"));
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QVERIFY(read(QStringLiteral("board.pdf")).startsWith("%PDF"));
        const RunResult text = runProgram(QStringLiteral("pdftotext"), {m_cli.path(QStringLiteral("board.pdf")), QStringLiteral("-")},
                                          m_cli.environment());
        if (!text.started)
            QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
        QVERIFY2(text.succeeded(), qPrintable(text.describe()));
        for (const char *expected : {"Business", "Login success", "Sign-ups / hour", "Anomalies", "Deploy auth 2.14.0", "DORA"})
            QVERIFY2(text.stdOut().contains(QString::fromUtf8(expected)), expected);
    }

    void htmlIsSelfContained()
    {
        const RunResult r = exportTo(QStringLiteral("board.html"));
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        const QByteArray html = read(QStringLiteral("board.html"));
        QVERIFY(html.contains("Login success"));
        QVERIFY(html.contains("src=\"data:image/png;base64,"));
        QVERIFY(!html.contains("http://") && !html.contains("https://") && !html.contains("<link"));
    }

    void markdownLinksItsPicture()
    {
        const RunResult r = exportTo(QStringLiteral("board.md"));
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        const QByteArray md = read(QStringLiteral("board.md"));
        QVERIFY(md.startsWith("# Business"));
        QVERIFY(md.contains("![board](board.png)"));
        QVERIFY(!QImage(m_cli.path(QStringLiteral("board.png"))).isNull());
        QVERIFY(md.contains("| Login success | bad |"));
    }

    void badRequestsFailClearly()
    {
        RunResult r = exportTo(QStringLiteral("board.docx"));
        QVERIFY(r.failedCleanly());
        QVERIFY(r.stdErr().contains(QStringLiteral(".pdf")));
        r = m_cli.run({QStringLiteral("export"), QStringLiteral("--workspace"), m_workspace, QStringLiteral("--board"),
                       QStringLiteral("Nope"), QStringLiteral("--out"), m_cli.path(QStringLiteral("x.png"))});
        QVERIFY(r.failedCleanly());
        QVERIFY(r.stdErr().contains(QStringLiteral("Nope")));
        r = exportTo(QStringLiteral("y.png"), {QStringLiteral("--size"), QStringLiteral("big")});
        QVERIFY(r.failedCleanly());
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
