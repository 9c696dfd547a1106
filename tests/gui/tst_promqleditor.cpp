// The PromQL editor offscreen: completion from its own vocabulary and from an asynchronous source,
// insertion, Enter/Shift+Enter/Esc, history, error underlining, growth, highlighting, and a screenshot.
#include "widgets/PromQlCompletionSource.h"
#include "widgets/PromQlEditor.h"
#include "widgets/PromQlHighlighter.h"
#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QVBoxLayout>

using namespace fd;

namespace {

// Answers every request 30 ms later, as a server round trip would.
class FakeSource : public PromQlCompletionSource
{
public:
    explicit FakeSource(PromQlEditor *editor)
        : m_editor(editor)
    {
    }

    void requestMetricNames() override
    {
        ++metricRequests;
        QTimer::singleShot(30, m_editor, [e = m_editor] {
            e->setMetricNames({ QStringLiteral("go_goroutines"), QStringLiteral("http_requests_total"),
                QStringLiteral("http_request_duration_seconds_bucket"), QStringLiteral("up") });
        });
    }
    void requestLabelNames(const QString &metric) override
    {
        labelNameRequests << metric;
        QTimer::singleShot(30, m_editor, [e = m_editor, metric] {
            e->setLabelNames(metric, { QStringLiteral("code"), QStringLiteral("instance"), QStringLiteral("job") });
        });
    }
    void requestLabelValues(const QString &label, const QString &metric) override
    {
        valueRequests << label + u'/' + metric;
        QTimer::singleShot(30, m_editor, [e = m_editor, label, metric] {
            e->setLabelValues(label, metric,
                { QStringLiteral("api"), QStringLiteral("web"), QStringLiteral("worker \"x\""),
                    QStringLiteral("checkout") });
        });
    }

    int metricRequests = 0;
    QStringList labelNameRequests;
    QStringList valueRequests;

private:
    PromQlEditor *m_editor;
};

QStringList popupRows(const PromQlEditor &editor)
{
    QStringList rows;
    const QAbstractItemModel *model = editor.completer()->completionModel();
    for (int r = 0; r < model->rowCount(); ++r)
        rows << model->index(r, 0).data().toString();
    return rows;
}

bool popupOpen(const PromQlEditor &editor)
{
    return editor.completer()->popup()->isVisible();
}

void setText(PromQlEditor &editor, const QString &text, int cursor = -1)
{
    editor.setPlainText(text);
    QTextCursor c = editor.textCursor();
    c.setPosition(cursor < 0 ? int(text.size()) : cursor);
    editor.setTextCursor(c);
}

// The format the highlighter gave the character at `position` of the first block.
QTextCharFormat formatAt(const PromQlEditor &editor, int position)
{
    for (const QTextLayout::FormatRange &r : editor.document()->firstBlock().layout()->formats()) {
        if (r.start <= position && position < r.start + r.length)
            return r.format;
    }
    return {};
}

} // namespace

class TestPromQlEditor : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QWidget> m_window;
    PromQlEditor *m_editor = nullptr;
    std::unique_ptr<FakeSource> m_source;

private Q_SLOTS:
    void init()
    {
        m_window = std::make_unique<QWidget>();
        m_window->resize(760, 120);
        auto *layout = new QVBoxLayout(m_window.get());
        m_editor = new PromQlEditor(m_window.get());
        layout->addWidget(m_editor);
        layout->addStretch();
        m_source = std::make_unique<FakeSource>(m_editor);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_editor->setFocus();
    }

    void cleanup()
    {
        m_window.reset();
        m_source.reset();
    }

    void typingCompletesFunctions()
    {
        QTest::keyClicks(m_editor, QStringLiteral("histogram_q"));
        QVERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor), QStringList { QStringLiteral("histogram_quantile") });
        QSignalSpy runs(m_editor, &PromQlEditor::runRequested);
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(runs.count(), 0); // Enter took the completion
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("histogram_quantile()"));
        QCOMPARE(m_editor->textCursor().position(), 19); // inside the parentheses
        QVERIFY(!popupOpen(*m_editor));

        // Shift+Enter is a new line with the list open too (exploratory test: it took the list's item)
        setText(*m_editor, QString());
        QTest::keyClicks(m_editor, QStringLiteral("histogram_q"));
        QVERIFY(popupOpen(*m_editor));
        QTest::keyClick(m_editor, Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(!popupOpen(*m_editor));
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("histogram_q\n"));
        QCOMPARE(runs.count(), 0);
    }

    void completionReplacesThePartialWord()
    {
        setText(*m_editor, QStringLiteral("sum(ra(x[5m]))"), 6);
        m_editor->showCompletions();
        QVERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor), (QStringList { QStringLiteral("rad"), QStringLiteral("rate") }));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QTest::keyClick(m_editor, Qt::Key_Tab);
        // "(" already follows, so only the name is replaced
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("sum(rate(x[5m]))"));
        QCOMPARE(m_editor->textCursor().position(), 8);
    }

    void popupNavigationAndEscape()
    {
        QSignalSpy cancels(m_editor, &PromQlEditor::cancelRequested);
        QTest::keyClicks(m_editor, QStringLiteral("count"));
        QVERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor),
            (QStringList {
                QStringLiteral("count"), QStringLiteral("count_values"), QStringLiteral("count_over_time") }));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QCOMPARE(m_editor->completer()->popup()->currentIndex().row(), 1);
        QTest::keyClick(m_editor, Qt::Key_Escape);
        QVERIFY(!popupOpen(*m_editor));
        QCOMPARE(cancels.count(), 0);
        QTest::keyClick(m_editor, Qt::Key_Escape);
        QCOMPARE(cancels.count(), 1);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("count"));
    }

    void asyncLabelValuesFillThePopup()
    {
        m_editor->setCompletionSource(m_source.get());
        QTest::keyClicks(m_editor, QStringLiteral("http_requests_total{job=\""));
        QCOMPARE(m_source->valueRequests, QStringList { QStringLiteral("job/http_requests_total") });
        QVERIFY(!popupOpen(*m_editor)); // nothing to show before the answer
        QTRY_VERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor),
            (QStringList { QStringLiteral("api"), QStringLiteral("web"), QStringLiteral("worker \"x\""),
                QStringLiteral("checkout") }));
        QTest::keyClicks(m_editor, QStringLiteral("w"));
        QCOMPARE(popupRows(*m_editor), (QStringList { QStringLiteral("web"), QStringLiteral("worker \"x\"") }));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QTest::keyClick(m_editor, Qt::Key_Return);
        // the partial value replaced, the quote inside escaped, the closing quote added
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("http_requests_total{job=\"worker \\\"x\\\"\""));
        QCOMPARE(m_editor->textCursor().position(), int(m_editor->toPlainText().size()));

        // Cached: a second value list for the same label and metric asks nothing more.
        QTest::keyClicks(m_editor, QStringLiteral(", job!~"));
        QVERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor).size(), 4);
        QCOMPARE(m_source->valueRequests.size(), 1);
        QTest::keyClick(m_editor, Qt::Key_Return); // unquoted context: the value arrives quoted
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("http_requests_total{job=\"worker \\\"x\\\"\", job!~\"api\""));
    }

    void valueBeforeAnExistingClosingQuote()
    {
        m_editor->setCompletionSource(m_source.get());
        setText(*m_editor, QStringLiteral("up{job=\"c\"} + 1"), 9);
        m_editor->showCompletions();
        QCOMPARE(m_source->valueRequests, QStringList { QStringLiteral("job/up") });
        QTRY_VERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor), QStringList { QStringLiteral("checkout") });
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("up{job=\"checkout\"} + 1"));
        QCOMPARE(m_editor->textCursor().position(), 17); // after the closing quote
    }

    void metricAndLabelNamesFromTheSource()
    {
        m_editor->setCompletionSource(m_source.get());
        QTest::keyClicks(m_editor, QStringLiteral("requ"));
        QCOMPARE(m_source->metricRequests, 1);
        QTRY_VERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor),
            (QStringList {
                QStringLiteral("http_requests_total"), QStringLiteral("http_request_duration_seconds_bucket") }));
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("http_requests_total"));
        QTest::keyClicks(m_editor, QStringLiteral("{"));
        QCOMPARE(m_source->labelNameRequests, QStringList { QStringLiteral("http_requests_total") });
        QTRY_VERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor),
            (QStringList { QStringLiteral("code"), QStringLiteral("instance"), QStringLiteral("job") }));
        QTest::keyClicks(m_editor, QStringLiteral("j"));
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("http_requests_total{job"));
        QCOMPARE(m_source->metricRequests, 1);
    }

    void groupingKeywordOpensLabelNames()
    {
        m_editor->setCompletionSource(m_source.get());
        setText(*m_editor, QStringLiteral("sum(rate(http_requests_total[5m])) "));
        m_editor->showCompletions();
        QVERIFY(popupOpen(*m_editor));
        QVERIFY(popupRows(*m_editor).contains(QStringLiteral("without")));
        QTest::keyClicks(m_editor, QStringLiteral("b"));
        QCOMPARE(popupRows(*m_editor), (QStringList { QStringLiteral("by"), QStringLiteral("bool") }));
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("sum(rate(http_requests_total[5m])) by ()"));
        QCOMPARE(m_source->labelNameRequests, QStringList { QStringLiteral("http_requests_total") });
        QTRY_VERIFY(popupOpen(*m_editor));
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("sum(rate(http_requests_total[5m])) by (code)"));
    }

    void rangeDurations()
    {
        QTest::keyClicks(m_editor, QStringLiteral("rate(up["));
        QVERIFY(popupOpen(*m_editor));
        QCOMPARE(popupRows(*m_editor).first(), QStringLiteral("1m"));
        QTest::keyClicks(m_editor, QStringLiteral("5"));
        QCOMPARE(popupRows(*m_editor).join(u' '), QStringLiteral("5ms 5s 5m 5h 5d 5w 5y"));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QTest::keyClick(m_editor, Qt::Key_Down);
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("rate(up[5m"));
    }

    void noPopupInComments()
    {
        QTest::keyClicks(m_editor, QStringLiteral("# rate of up"));
        QVERIFY(!popupOpen(*m_editor));
        m_editor->showCompletions();
        QVERIFY(!popupOpen(*m_editor));
    }

    void enterRunsShiftEnterAddsALine()
    {
        QSignalSpy runs(m_editor, &PromQlEditor::runRequested);
        setText(*m_editor, QStringLiteral("sum(up)"));
        const int oneLine = m_editor->height();
        QTest::keyClick(m_editor, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(m_editor, QStringLiteral("/ 2"));
        QTest::keyClick(m_editor, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(m_editor, QStringLiteral("# x"));
        QCOMPARE(runs.count(), 0);
        QCOMPARE(m_editor->document()->blockCount(), 3);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("sum(up)\n/ 2\n# x"));
        QVERIFY2(m_editor->height() > 2 * oneLine,
            qPrintable(QStringLiteral("%1 vs %2").arg(m_editor->height()).arg(oneLine)));
        QCOMPARE(m_editor->verticalScrollBar()->maximum(), 0); // three lines fit without scrolling
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(runs.count(), 1);
        QCOMPARE(m_editor->history(), QStringList { QStringLiteral("sum(up)\n/ 2\n# x") });
        for (int i = 0; i < 12; ++i)
            QTest::keyClick(m_editor, Qt::Key_Return, Qt::ShiftModifier);
        const int capped = m_editor->height();
        QTest::keyClick(m_editor, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(m_editor->height(), capped); // grows only up to kMaxLines
    }

    void history()
    {
        QSignalSpy runs(m_editor, &PromQlEditor::runRequested);
        setText(*m_editor, QStringLiteral("up"));
        QTest::keyClick(m_editor, Qt::Key_Return);
        setText(*m_editor, QStringLiteral("rate(x[5m])"));
        QTest::keyClick(m_editor, Qt::Key_Enter);
        QCOMPARE(runs.count(), 2);
        QCOMPARE(m_editor->history(), (QStringList { QStringLiteral("rate(x[5m])"), QStringLiteral("up") }));
        setText(*m_editor, QStringLiteral("dra"));
        QTest::keyClick(m_editor, Qt::Key_Up);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("rate(x[5m])"));
        QTest::keyClick(m_editor, Qt::Key_Up);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("up"));
        QTest::keyClick(m_editor, Qt::Key_Up); // the oldest: stays
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("up"));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("rate(x[5m])"));
        QTest::keyClick(m_editor, Qt::Key_Down);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("dra")); // back to the draft
        setText(*m_editor, QStringLiteral("  up "));
        QTest::keyClick(m_editor, Qt::Key_Return);
        QCOMPARE(m_editor->history(), (QStringList { QStringLiteral("up"), QStringLiteral("rate(x[5m])") }));

        // Up inside a multi-line query moves the cursor; only the first line walks the history.
        m_editor->setHistory({ QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a") });
        QCOMPARE(m_editor->history(), (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
        setText(*m_editor, QStringLiteral("x\ny"));
        QTest::keyClick(m_editor, Qt::Key_Up);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("x\ny"));
        QCOMPARE(m_editor->textCursor().blockNumber(), 0);
        QTest::keyClick(m_editor, Qt::Key_Up);
        QCOMPARE(m_editor->toPlainText(), QStringLiteral("a"));
    }

    void showErrorUnderlinesTheOffset_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        // Messages from Prometheus 2.42.0, as its connector reports them.
        QTest::newRow("unexpected }") << QStringLiteral("up{job=}")
                                      << QStringLiteral("Prometheus bad_data error: invalid parameter \"query\": 1:8: "
                                                        "parse error: unexpected \"}\" in label matching, expected "
                                                        "string")
                                      << 7 << 8;
        QTest::newRow("bad duration: the whole token")
            << QStringLiteral("rate(up[5x])")
            << QStringLiteral("invalid parameter \"query\": 1:9: parse error: bad duration syntax: \"5\"") << 8 << 10;
        QTest::newRow("end of input: the last character")
            << QStringLiteral("sum(rate(up[1m])  ")
            << QStringLiteral("invalid parameter \"query\": 1:19: parse error: unclosed left parenthesis") << 15 << 16;
        QTest::newRow("second line") << QStringLiteral("# c\nup{job=}")
                                     << QStringLiteral("invalid parameter \"query\": 2:8: parse error: unexpected "
                                                       "\"}\" in label matching, expected string")
                                     << 11 << 12;
        QTest::newRow("no position: nothing underlined") // exploratory test: "connection refused" underlined all
            << QStringLiteral("up") << QStringLiteral("query timed out in expression evaluation") << 0 << 0;
    }

    void showErrorUnderlinesTheOffset()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        QFETCH(int, start);
        QFETCH(int, end);
        QSignalSpy changes(m_editor, &PromQlEditor::errorChanged);
        setText(*m_editor, query);
        m_editor->showError(message);
        const QList<QTextEdit::ExtraSelection> selections = m_editor->extraSelections();
        QCOMPARE(selections.size(), start < end ? 1 : 0);
        if (start < end) {
            QCOMPARE(selections[0].cursor.selectionStart(), start);
            QCOMPARE(selections[0].cursor.selectionEnd(), end);
            QCOMPARE(selections[0].format.underlineStyle(), QTextCharFormat::WaveUnderline);
        }
        QCOMPARE(m_editor->toolTip(), message);
        QCOMPARE(m_editor->errorMessage(), message);
        QCOMPARE(changes.count(), 1);

        m_editor->highlighter()->rehighlight(); // re-colouring is no edit
        QCOMPARE(m_editor->extraSelections().size(), start < end ? 1 : 0);
        QCOMPARE(m_editor->errorMessage(), message);
        QTest::keyClick(m_editor, Qt::Key_Space);
        QVERIFY(m_editor->extraSelections().isEmpty());
        QVERIFY(m_editor->toolTip().isEmpty());
        QCOMPARE(changes.count(), 2);
        QCOMPARE(changes.last().first().toString(), QString());
    }

    void highlightsByKind()
    {
        setText(*m_editor, QStringLiteral("sum by (job) (rate(x{job=\"a\"}[5m])) # c"));
        PromQlHighlighter *h = m_editor->highlighter();
        QVERIFY(!h->isDark());
        const auto colour = [&](int position) { return formatAt(*m_editor, position).foreground().color(); };
        QCOMPARE(colour(0), h->format(PromQlTokenKind::Aggregation).foreground().color());
        QCOMPARE(colour(4), h->format(PromQlTokenKind::Keyword).foreground().color());
        QCOMPARE(colour(8), h->format(PromQlTokenKind::LabelName).foreground().color());
        QCOMPARE(colour(14), h->format(PromQlTokenKind::Function).foreground().color());
        QCOMPARE(colour(19), h->format(PromQlTokenKind::Identifier).foreground().color());
        QCOMPARE(colour(25), h->format(PromQlTokenKind::String).foreground().color());
        QCOMPARE(colour(30), h->format(PromQlTokenKind::Duration).foreground().color());
        QCOMPARE(colour(37), h->format(PromQlTokenKind::Comment).foreground().color());
        QSet<QRgb> distinct;
        for (int k = 0; k <= int(PromQlTokenKind::Error); ++k) {
            const QTextCharFormat f = h->format(PromQlTokenKind(k));
            distinct.insert(
                f.foreground().color().rgb() ^ (f.fontWeight() == QFont::Bold ? 1 : 0) ^ (f.fontItalic() ? 2 : 0));
        }
        QCOMPARE(distinct.size(), int(PromQlTokenKind::Error) + 1);

        const QColor light = colour(14);
        QPalette dark = m_editor->palette();
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xd4, 0xd4, 0xd4));
        m_editor->setPalette(dark);
        QVERIFY(h->isDark());
        QVERIFY(colour(14) != light);
        QVERIFY(colour(14).lightness() > 128);
    }

    void highlightSpansLines()
    {
        setText(*m_editor, QStringLiteral("x{\njob=\"a\"}"));
        const QTextBlock second = m_editor->document()->firstBlock().next();
        const QColor label = m_editor->highlighter()->format(PromQlTokenKind::LabelName).foreground().color();
        bool found = false;
        for (const QTextLayout::FormatRange &r : second.layout()->formats())
            found = found || (r.start == 0 && r.length == 3 && r.format.foreground().color() == label);
        QVERIFY(found); // "job" is a label name because of the "{" on the line above
    }

    void screenshot()
    {
        m_editor->setCompletionSource(m_source.get());
        const QString query = QStringLiteral("# 5xx share per job\n"
                                             "sum by (job) (rate(http_requests_total{code=~\"5..\", job=\"\"}[5m]))\n"
                                             "  / on(job) sum by (job) (rate(http_requests_total[5m])) > bool 0.05");
        setText(*m_editor, query, int(query.indexOf(QStringLiteral("job=\"\"")) + 5));
        m_editor->showCompletions();
        QTRY_VERIFY(popupOpen(*m_editor));
        QAbstractItemView *popup = m_editor->completer()->popup();
        const QPoint windowAt = m_window->mapToGlobal(QPoint(0, 0));
        const QRect popupRect(popup->mapToGlobal(QPoint(0, 0)) - windowAt, popup->size());
        QVERIFY2(popupRect.top() >= m_editor->geometry().top(), "the popup opens below the cursor line");
        const QRect all = m_window->rect().united(popupRect);
        QImage image(all.size(), QImage::Format_ARGB32);
        image.fill(m_window->palette().color(QPalette::Window));
        QPainter p(&image);
        p.drawPixmap(-all.topLeft(), m_window->grab());
        p.drawPixmap(popupRect.topLeft() - all.topLeft(), popup->grab());
        p.end();
        QVERIFY(image.save(QStringLiteral(FD_BINARY_DIR "/tst_promqleditor.png")));
        QCOMPARE(m_editor->verticalScrollBar()->maximum(), 0);
    }

    void screenshotDarkWithError()
    {
        const QPalette original = QApplication::palette();
        QPalette dark = original;
        dark.setColor(QPalette::Window, QColor(0x25, 0x25, 0x26));
        dark.setColor(QPalette::WindowText, QColor(0xd4, 0xd4, 0xd4));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xd4, 0xd4, 0xd4));
        QApplication::setPalette(dark);
        const QString query = QStringLiteral("sum by (job) (rate(http_requests_total{job=\"api\"}[5x])) # 5x: typo\n"
                                             "  / 2 > bool 0.5 unless on(job) absent(up{job=~'a|b'}) offset -1h30m");
        setText(*m_editor, query);
        // Prometheus 2.42.0's answer to the first line.
        m_editor->showError(
            QStringLiteral("invalid parameter \"query\": 1:51: parse error: bad duration syntax: \"5\""));
        const QTextCursor underlined = m_editor->extraSelections().value(0).cursor;
        QCOMPARE(underlined.selectedText(), QStringLiteral("5x"));
        QTRY_VERIFY(m_editor->highlighter()->isDark());
        const bool saved = m_window->grab().save(QStringLiteral(FD_BINARY_DIR "/tst_promqleditor_dark.png"));
        QApplication::setPalette(original);
        QVERIFY(saved);
    }
};

QTEST_MAIN(TestPromQlEditor)
#include "tst_promqleditor.moc"
