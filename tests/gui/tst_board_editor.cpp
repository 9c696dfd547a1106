#include "app/DemoWriter.h"
#include "app/MainWindow.h"
#include "models/Error.h"
#include "models/GridPlacement.h"
#include "models/Workspace.h"
#include "widgets/BoardEditorDialog.h"
#include "widgets/BoardPreview.h"
#include "widgets/ElidedLabel.h"
#include "widgets/MissionBoardView.h"
#include "widgets/QueryForm.h"
#include "widgets/TileEditorDialog.h"
#include "widgets/TileWidget.h"
#include "ModalDialogs.h"
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <cmath>
#include <functional>

using namespace fd;
using fdtest::clickMessageBox;
using fdtest::whenOpen;

namespace {

const TimeNs kNow = 1'763'650'000LL * kSecond;

class FakeSource : public DataSource
{
public:
    std::string id() const override { return "fake"; }
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &) override
    {
        Frame f;
        f.columns = {{"time", ColumnType::Time, {}}, {q.agg.text(), ColumnType::Double, {}}};
        const DurationNs step = q.interval > 0 ? q.interval : 5 * kMinute;
        int i = 0;
        for (TimeNs t = alignDown(range.from, step); t < range.to; t += step, ++i) {
            f.columns[0].cells.emplace_back(std::int64_t(t));
            f.columns[1].cells.emplace_back(50.0 + 10 * std::sin(i / 9.0));
        }
        f.total = static_cast<std::int64_t>(f.rowCount());
        return f;
    }
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }
};

Tile countTile(const std::string &name, int columns = 1, int rows = 1)
{
    Tile t;
    t.name = name;
    t.kind = "value";
    t.query.agg.kind = Aggregate::Kind::Count;
    t.range.method = "rolling";
    t.columns = columns;
    t.rows = rows;
    return t;
}

Board makeBoard(const std::string &name, std::initializer_list<Tile> tiles)
{
    Board b;
    b.name = name;
    b.tiles = tiles;
    return b;
}

std::vector<std::string> tileNames(const Board &b)
{
    std::vector<std::string> names;
    for (const Tile &t : b.tiles)
        names.push_back(t.name);
    return names;
}

// The names the view's tile widgets show, in order.
QStringList shownNames(const MissionBoardView &view)
{
    QStringList names;
    for (TileWidget *tile : view.tiles())
        names << tile->findChild<ElidedLabel *>()->fullText();
    return names;
}

void settle()
{
    for (int i = 0; i < 5; ++i)
        QTest::qWait(20);
}

QString outputPath(const char *name)
{
    return QStringLiteral(FD_BINARY_DIR "/") + QLatin1String(name);
}

void check(QListWidget *list, const QString &kind, bool on)
{
    const auto items = list->findItems(kind, Qt::MatchExactly);
    QCOMPARE(items.size(), 1);
    items.first()->setCheckState(on ? Qt::Checked : Qt::Unchecked);
}

} // namespace

class TestBoardEditor : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void placementIsSparseAndClamped()
    {
        // A 2-wide tile that no longer fits on the row moves down; the cursor never goes back.
        const auto p = placeTiles({{1, 1}, {1, 1}, {2, 1}, {1, 2}, {4, 1}}, 3);
        QCOMPARE(p.size(), std::size_t(5));
        QVERIFY((p[0] == GridPlacement{0, 0, 1, 1}));
        QVERIFY((p[1] == GridPlacement{0, 1, 1, 1}));
        QVERIFY((p[2] == GridPlacement{1, 0, 1, 2}));
        QVERIFY((p[3] == GridPlacement{1, 2, 2, 1}));
        QVERIFY((p[4] == GridPlacement{3, 0, 1, 3})); // clamped to the grid, below the 2-high tile
        QCOMPARE(gridRows(p), 4);
        const auto tall = placeTiles({{1, 2}, {1, 1}, {1, 1}}, 2);
        QVERIFY((tall[2] == GridPlacement{1, 1, 1, 1})); // fills the hole beside the tall tile
    }

    void tileEditorBuildsARatioTile()
    {
        TileEditorDialog dialog(countTile("Old"), {QStringLiteral("local"), QStringLiteral("prom")});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.nameEdit()->setText(QStringLiteral("Login success"));
        dialog.kindBox()->setCurrentText(QStringLiteral("ratio"));
        QVERIFY(dialog.numeratorForm()->isVisible());
        QVERIFY(!dialog.queryForm()->isVisible());
        QCOMPARE(dialog.unitBox()->currentText(), QStringLiteral("%")); // a ratio's default unit
        dialog.decimalsBox()->setValue(1);

        QueryForm *num = dialog.numeratorForm();
        num->sourceBox()->setCurrentIndex(num->sourceBox()->findData(QStringLiteral("local")));
        num->whereEdit()->setText(QStringLiteral("event.name = dashboard_view"));
        num->aggregateBox()->setCurrentText(QStringLiteral("count"));
        num->intervalEdit()->setText(QStringLiteral("5m"));
        QueryForm *den = dialog.denominatorForm();
        den->whereEdit()->setText(QStringLiteral("event.name = login_page_view and service.name = auth"));
        den->intervalEdit()->setText(QStringLiteral("5m"));

        dialog.methodBox()->setCurrentIndex(0);
        auto *period = dialog.findChild<QComboBox *>(QStringLiteral("period"));
        period->setCurrentText(QStringLiteral("20000d"));
        dialog.findChild<QSpinBox *>(QStringLiteral("lookback"))->setValue(6);
        QCOMPARE(dialog.problem(), QStringLiteral("Normal range: 6 periods of 20000d reach past 292 years")); // int64 ns
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.grab().save(outputPath("board-editor-lookback-error.png")));
        period->setCurrentText(QStringLiteral("7d"));
        dialog.findChild<QSpinBox *>(QStringLiteral("lookback"))->setValue(4);
        for (const QString &kind : {QStringLiteral("rollback"), QStringLiteral("config"), QStringLiteral("incident_start"),
                                    QStringLiteral("incident_end"), QStringLiteral("note"), QStringLiteral("alert")})
            check(dialog.markerKindList(), kind, false);
        dialog.servicesEdit()->setText(QStringLiteral("auth, frontend"));
        QVERIFY(dialog.grab().save(outputPath("board-editor-tile.png")));

        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        const Tile t = dialog.tile();
        QCOMPARE(t.name, std::string("Login success"));
        QCOMPARE(t.kind, std::string("ratio"));
        QCOMPARE(t.unit, std::string("%"));
        QCOMPARE(t.decimals, 1);
        QCOMPARE(t.numerator.source, std::string("local"));
        QCOMPARE(t.numerator.where.size(), std::size_t(1));
        QCOMPARE(t.numerator.where[0].field, std::string("event.name"));
        QVERIFY(t.numerator.where[0].value == Json("dashboard_view"));
        QVERIFY(t.numerator.agg.kind == Aggregate::Kind::Count);
        QCOMPARE(t.numerator.interval, 5 * kMinute);
        QCOMPARE(t.denominator.source, std::string()); // "(first source)"
        QCOMPARE(t.denominator.where.size(), std::size_t(2));
        QCOMPARE(t.denominator.where[1].field, std::string("service.name"));
        QCOMPARE(t.range.method, std::string("seasonal"));
        QCOMPARE(t.range.period, 7 * kDay);
        QCOMPARE(t.range.lookback, 4);
        QVERIFY(t.markers.has_value());
        QCOMPARE(t.markers->kinds, (std::vector<std::string>{"deploy", "flag"}));
        QCOMPARE(t.markers->services, (std::vector<std::string>{"auth", "frontend"}));
        // What the dialog built survives the workspace file.
        const Tile again = tileFromJson(tileToJson(t));
        QVERIFY(tileToJson(again) == tileToJson(t));
    }

    void tileEditorBuildsNativeAndStaticTiles()
    {
        Tile start = countTile("Errors", 2, 1);
        TileEditorDialog dialog(start, {QStringLiteral("local"), QStringLiteral("prom")});
        dialog.kindBox()->setCurrentText(QStringLiteral("rate"));
        QCOMPARE(dialog.unitBox()->currentText(), QStringLiteral("/h"));
        dialog.unitBox()->setCurrentText(QStringLiteral("/min"));
        QueryForm *q = dialog.queryForm();
        q->sourceBox()->setCurrentIndex(q->sourceBox()->findData(QStringLiteral("prom")));
        q->signalBox()->setCurrentText(QStringLiteral("metrics"));
        q->nativeBox()->setChecked(true);
        QVERIFY(!dialog.okButton()->isEnabled()); // the native query is still empty
        QVERIFY(dialog.problem().contains(QStringLiteral("native")));
        q->nativeEdit()->setPlainText(QStringLiteral("sum(rate(http_requests_total{code=~\"5..\"}[5m]))"));
        dialog.methodBox()->setCurrentIndex(1);
        auto *low = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("staticLow"));
        auto *high = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("staticHigh"));
        low->setValue(5);
        high->setValue(2);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("low bound")));
        high->setValue(40);
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
        const Tile t = dialog.tile();
        QCOMPARE(t.kind, std::string("rate"));
        QCOMPARE(t.unit, std::string("/min"));
        QCOMPARE(t.query.source, std::string("prom"));
        QVERIFY(t.query.signal == Signal::Metrics);
        QCOMPARE(t.query.raw, std::string("sum(rate(http_requests_total{code=~\"5..\"}[5m]))"));
        QCOMPARE(t.range.method, std::string("static"));
        QCOMPARE(t.range.staticLow, 5.0);
        QCOMPARE(t.range.staticHigh, 40.0);
        QVERIFY(!t.markers.has_value()); // every kind, every service
        QCOMPARE(t.columns, 2); // the dialog keeps the grid size
    }

    void invalidInputDisablesOkWithAReason()
    {
        TileEditorDialog dialog(countTile("Checkout errors"), {QStringLiteral("local")});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.okButton()->isEnabled());
        QueryForm *q = dialog.queryForm();
        q->whereEdit()->setText(QStringLiteral("service.name auth"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().startsWith(QStringLiteral("Query: where: invalid filter")), qPrintable(dialog.problem()));
        auto *inline_ = q->findChild<QLabel *>(QStringLiteral("errorLabel"));
        QVERIFY(inline_->isVisible());
        QVERIFY(inline_->text().contains(QStringLiteral("service.name auth")));
        auto *bottom = dialog.findChild<QLabel *>(QStringLiteral("problem"));
        QVERIFY(bottom->isVisible());
        QCOMPARE(bottom->text(), dialog.problem());
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QVERIFY(dialog.isVisible()); // a disabled OK does nothing

        q->whereEdit()->setText(QStringLiteral("service.name = checkout and http.response.status_code >= 500"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(!inline_->isVisible());
        q->aggregateBox()->setCurrentText(QStringLiteral("p95(duration_ms"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("aggregate")));
        q->aggregateBox()->setCurrentText(QStringLiteral("p95(duration_ms)"));
        q->intervalEdit()->setText(QStringLiteral("five minutes"));
        QVERIFY(dialog.problem().contains(QStringLiteral("interval")));
        q->intervalEdit()->clear();
        dialog.nameEdit()->clear();
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("name")));
        dialog.nameEdit()->setText(QStringLiteral("Checkout p95"));
        for (int i = 0; i < dialog.markerKindList()->count(); ++i)
            dialog.markerKindList()->item(i)->setCheckState(Qt::Unchecked);
        QVERIFY(dialog.problem().contains(QStringLiteral("Markers")));
        check(dialog.markerKindList(), QStringLiteral("deploy"), true);
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
        QCOMPARE(dialog.tile().query.agg.text(), std::string("p95(duration_ms)"));
    }

    void unknownSourceAndKindsAreKept()
    {
        Tile tile = countTile("Legacy");
        tile.query.source = "gone";
        tile.markers = MarkerScope{{"deploy", "canary"}, {}};
        TileEditorDialog dialog(tile, {QStringLiteral("local")});
        QVERIFY(dialog.problem().contains(QStringLiteral("no source \"gone\"")));
        QCOMPARE(dialog.markerKindList()->findItems(QStringLiteral("canary"), Qt::MatchExactly).size(), 1);
        QueryForm *q = dialog.queryForm();
        q->sourceBox()->setCurrentIndex(q->sourceBox()->findData(QStringLiteral("local")));
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
        QCOMPARE(dialog.tile().markers->kinds, (std::vector<std::string>{"deploy", "canary"}));
    }

    // A board with two tiles of one name no longer loads (a script looks tiles up by name): none is saved.
    void twoTilesOfOneNameDisableOk()
    {
        BoardEditorDialog dialog(makeBoard("Business", {countTile("A"), countTile("B"), countTile("A")}), {QStringLiteral("local")});
        QVERIFY(!dialog.okButton()->isEnabled());
        QCOMPARE(dialog.problem(), QStringLiteral("Two tiles are called \"A\""));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(outputPath("board_editor_repeated_names.png")));
        dialog.setCurrentTile(2);
        dialog.removeTile();
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
    }

    void boardEditorAddsRemovesReordersResizes()
    {
        BoardEditorDialog dialog(makeBoard("Business", {countTile("A"), countTile("B"), countTile("C")}),
                                 {QStringLiteral("local")});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const auto button = [&](const char *name) { return dialog.findChild<QPushButton *>(QLatin1String(name)); };

        dialog.setCurrentTile(1);
        QTest::mouseClick(button("moveUp"), Qt::LeftButton);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"B", "A", "C"}));
        QCOMPARE(dialog.currentTile(), 0);
        QVERIFY(!button("moveUp")->isEnabled());
        QTest::mouseClick(button("moveDown"), Qt::LeftButton);
        QTest::mouseClick(button("moveDown"), Qt::LeftButton);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"A", "C", "B"}));

        dialog.setCurrentTile(0);
        dialog.widthBox()->setValue(2);
        dialog.heightBox()->setValue(2);
        QCOMPARE(dialog.board().tiles[0].columns, 2);
        QCOMPARE(dialog.board().tiles[0].rows, 2);
        const QRect wide = dialog.preview()->tileRect(0), narrow = dialog.preview()->tileRect(1);
        QVERIFY2(std::abs(wide.width() - 2 * narrow.width()) <= 10, qPrintable(QStringLiteral("%1 vs %2").arg(wide.width()).arg(narrow.width())));
        QVERIFY(std::abs(wide.height() - 2 * narrow.height()) <= 10);

        QTest::mouseClick(button("duplicateTile"), Qt::LeftButton);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"A", "A copy", "C", "B"}));
        QCOMPARE(dialog.board().tiles[1].columns, 2);
        dialog.setCurrentTile(2);
        QTest::mouseClick(button("removeTile"), Qt::LeftButton);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"A", "A copy", "B"}));

        // Add opens the tile editor; the new tile lands after the selection.
        dialog.setCurrentTile(0);
        whenOpen<TileEditorDialog>([](TileEditorDialog *editor) {
            editor->nameEdit()->setText(QStringLiteral("Signups"));
            editor->queryForm()->whereEdit()->setText(QStringLiteral("event.name = signup"));
            QTest::mouseClick(editor->okButton(), Qt::LeftButton);
        });
        QTest::mouseClick(button("addTile"), Qt::LeftButton);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"A", "Signups", "A copy", "B"}));
        QVERIFY(dialog.board().tiles[1].query.where.at(0).value == Json("signup"));

        // Edit; Cancel leaves the tile alone.
        dialog.setCurrentTile(3);
        whenOpen<TileEditorDialog>([](TileEditorDialog *editor) {
            editor->nameEdit()->setText(QStringLiteral("Renamed"));
            editor->reject();
        });
        QTest::mouseClick(button("editTile"), Qt::LeftButton);
        QCOMPARE(dialog.board().tiles[3].name, std::string("B"));
        whenOpen<TileEditorDialog>([](TileEditorDialog *editor) {
            editor->nameEdit()->setText(QStringLiteral("B2"));
            editor->unitBox()->setCurrentText(QStringLiteral("ms"));
            QTest::mouseClick(editor->okButton(), Qt::LeftButton);
        });
        QTest::mouseClick(button("editTile"), Qt::LeftButton);
        QCOMPARE(dialog.board().tiles[3].name, std::string("B2"));
        QCOMPARE(dialog.board().tiles[3].unit, std::string("ms"));
        QVERIFY(dialog.tileList()->item(3)->text().startsWith(QStringLiteral("B2\n")));

        dialog.setCurrentTile(1);
        QVERIFY(dialog.grab().save(outputPath("board-editor.png")));

        dialog.nameEdit()->setText(QStringLiteral("Ops"));
        dialog.setTakenNames({QStringLiteral("Ops")});
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("already")));
        dialog.nameEdit()->setText(QStringLiteral("  "));
        QVERIFY(!dialog.okButton()->isEnabled());
        dialog.nameEdit()->setText(QStringLiteral("Business 2"));
        QVERIFY(dialog.okButton()->isEnabled());
        QCOMPARE(dialog.board().name, std::string("Business 2"));
    }

    // Dragging a box onto another moves the tile there; dragging a corner resizes it.
    void previewDragMovesAndResizes()
    {
        BoardEditorDialog dialog(makeBoard("Business", {countTile("A"), countTile("B"), countTile("C")}),
                                 {QStringLiteral("local")});
        dialog.resize(900, 600);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        BoardPreview *preview = dialog.preview();
        const QPoint from = preview->tileRect(0).center(), to = preview->tileRect(2).center();
        QTest::mousePress(preview, Qt::LeftButton, {}, from);
        QTest::mouseMove(preview, from + QPoint(20, 0));
        QTest::mouseMove(preview, to);
        QTest::mouseRelease(preview, Qt::LeftButton, {}, to);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"B", "C", "A"}));
        QCOMPARE(dialog.currentTile(), 2);

        // The bottom-right corner of B, dragged one cell right and one down: 2×2.
        const QRect b = preview->tileRect(0);
        const QPoint corner = b.bottomRight() - QPoint(2, 2);
        QTest::mousePress(preview, Qt::LeftButton, {}, corner);
        const QPoint grown = corner + QPoint(preview->tileRect(1).left() - b.left(), b.height() + 10);
        QTest::mouseMove(preview, grown);
        QTest::mouseRelease(preview, Qt::LeftButton, {}, grown);
        QCOMPARE(dialog.board().tiles[0].columns, 2);
        QCOMPARE(dialog.board().tiles[0].rows, 2);
        QCOMPARE(dialog.widthBox()->value(), 2);
        QCOMPARE(tileNames(dialog.board()), (std::vector<std::string>{"B", "C", "A"})); // resizing moves nothing
    }

    void switchingBoardsShowsTheirTiles()
    {
        auto source = std::make_shared<FakeSource>();
        MissionBoardView view;
        view.resize(1500, 900);
        view.setSource(source);
        view.setTimeRange({kNow - 6 * kHour, kNow});
        view.setBoards({makeBoard("First", {countTile("X"), countTile("Y")}), makeBoard("Second", {countTile("Z")})}, 0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.boardSelector()->isVisible());
        QCOMPARE(view.boardSelector()->count(), 2);
        QCOMPARE(shownNames(view), (QStringList{QStringLiteral("X"), QStringLiteral("Y")}));
        view.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view.result() != nullptr, 20000);
        QCOMPARE(view.result()->board, std::string("First"));
        QVERIFY(view.grab().save(outputPath("board-selector.png")));

        view.boardSelector()->setCurrentIndex(1);
        QCOMPARE(view.currentBoard(), 1);
        QCOMPARE(shownNames(view), QStringList{QStringLiteral("Z")}); // at once, before the evaluation
        QTRY_VERIFY_WITH_TIMEOUT(view.result() != nullptr, 20000);
        QCOMPARE(view.result()->board, std::string("Second"));
        QCOMPARE(view.result()->tiles.size(), std::size_t(1));
        QVERIFY(view.tiles()[0]->valueText() != QStringLiteral("–")); // evaluated
    }

    void tileSpansShapeTheGrid()
    {
        auto source = std::make_shared<FakeSource>();
        MissionBoardView view;
        view.resize(1500, 1100); // three columns
        view.setSource(source);
        view.setTimeRange({kNow - 6 * kHour, kNow});
        view.setBoard(makeBoard("Spans", {countTile("Wide", 2, 1), countTile("A"), countTile("Tall", 1, 2), countTile("B"),
                                          countTile("C")}));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(view.result() != nullptr, 20000);
        settle();
        const auto &t = view.tiles();
        QCOMPARE(t.size(), std::size_t(5));
        const double ratio = double(t[0]->width()) / t[1]->width();
        QVERIFY2(ratio > 1.9 && ratio < 2.15, qPrintable(QString::number(ratio)));
        QCOMPARE(t[1]->y(), t[0]->y());
        QVERIFY(t[1]->x() > t[0]->x() + t[0]->width());
        QCOMPARE(t[2]->x(), t[0]->x()); // the tall tile starts the second row
        QVERIFY(t[2]->y() > t[0]->y());
        const double tall = double(t[2]->height()) / t[3]->height();
        QVERIFY2(tall > 1.9 && tall < 2.15, qPrintable(QString::number(tall)));
        QCOMPARE(t[3]->y(), t[2]->y()); // beside the tall tile
        QCOMPARE(t[4]->y(), t[3]->y()); // C fills the row beside B
        QVERIFY(view.grab().save(outputPath("board-2x1.png")));

        view.resize(900, 1100); // two columns: the wide tile fills a row
        settle();
        QCOMPARE(t[1]->y(), t[0]->y() + t[0]->height() + 10);
        QVERIFY(t[0]->width() > 2 * t[1]->width() - 20);
    }

    void boardActionsEditTheList()
    {
        MissionBoardView view;
        view.setSourceIds({QStringLiteral("local")});
        view.setBoards({makeBoard("First", {countTile("X")}), makeBoard("Second", {countTile("Z")})}, 1);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy edited(&view, &MissionBoardView::boardsEdited);

        whenOpen<BoardEditorDialog>([](BoardEditorDialog *dialog) {
            dialog->nameEdit()->setText(QStringLiteral("First")); // taken
            QVERIFY(!dialog->okButton()->isEnabled());
            dialog->nameEdit()->setText(QStringLiteral("Second (edited)"));
            dialog->widthBox()->setValue(3);
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        view.findChild<QToolButton *>(QStringLiteral("editBoard"))->click();
        QCOMPARE(edited.size(), 1);
        auto boards = edited[0][0].value<std::vector<Board>>();
        QCOMPARE(boards.size(), std::size_t(2));
        QCOMPARE(boards[1].name, std::string("Second (edited)"));
        QCOMPARE(boards[1].tiles[0].columns, 3);
        QCOMPARE(edited[0][1].toInt(), 1);
        QCOMPARE(view.boardSelector()->currentText(), QStringLiteral("Second (edited)"));

        whenOpen<BoardEditorDialog>([](BoardEditorDialog *dialog) {
            QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("New board"));
            whenOpen<TileEditorDialog>([](TileEditorDialog *editor) { QTest::mouseClick(editor->okButton(), Qt::LeftButton); });
            QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("addTile")), Qt::LeftButton);
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        view.findChild<QToolButton *>(QStringLiteral("newBoard"))->click();
        QCOMPARE(edited.size(), 2);
        QCOMPARE(view.boards().size(), std::size_t(3));
        QCOMPARE(view.currentBoard(), 2);
        QCOMPARE(view.boards()[2].tiles.size(), std::size_t(1));
        QCOMPARE(shownNames(view), QStringList{QStringLiteral("New tile")});

        clickMessageBox(QMessageBox::No);
        view.findChild<QToolButton *>(QStringLiteral("deleteBoard"))->click();
        QCOMPARE(edited.size(), 2);
        clickMessageBox(QMessageBox::Yes);
        view.findChild<QToolButton *>(QStringLiteral("deleteBoard"))->click();
        QCOMPARE(edited.size(), 3);
        QCOMPARE(edited[2][0].value<std::vector<Board>>().size(), std::size_t(2));
        QCOMPARE(view.currentBoard(), 1);
        QCOMPARE(shownNames(view), QStringList{QStringLiteral("Z")});
    }

    void mainWindowSavesBoardEdits()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString path = m_dir.filePath(QStringLiteral("demo.flightdeck.json"));
        DemoOptions options;
        options.days = 1;
        writeDemoFiles(m_dir.filePath(QStringLiteral("demo.sqlite")), path, options);
        const Workspace before = loadWorkspace(path);
        QVERIFY(!before.boards.empty());
        const std::string firstTile = before.boards[0].tiles.at(0).name;

        MainWindow window;
        window.show();
        QVERIFY(window.openWorkspace(path));
        QVERIFY(!window.isWindowModified());
        auto *board = window.findChild<MissionBoardView *>();
        QCOMPARE(board->boards().size(), before.boards.size());

        whenOpen<BoardEditorDialog>([](BoardEditorDialog *dialog) {
            dialog->setCurrentTile(0);
            dialog->widthBox()->setValue(2);
            QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("moveDown")), Qt::LeftButton);
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        });
        board->findChild<QToolButton *>(QStringLiteral("editBoard"))->click();
        QVERIFY(window.isWindowModified());
        QVERIFY(window.windowTitle().endsWith(QStringLiteral("[*]")));

        QAction *save = nullptr;
        for (QAction *a : window.menuBar()->findChildren<QAction *>())
            if (a->shortcut() == QKeySequence(QKeySequence::Save))
                save = a;
        QVERIFY(save);
        QSignalSpy saved(&window, &MainWindow::workspaceSaved); // written on a thread of its own
        save->trigger();
        QVERIFY(!window.isWindowModified());
        QVERIFY(saved.wait(20000));
        const Workspace after = loadWorkspace(path);
        QCOMPARE(after.boards.size(), before.boards.size());
        QCOMPARE(after.boards[0].tiles.at(1).name, firstTile);
        QCOMPARE(after.boards[0].tiles.at(1).columns, 2);
        QCOMPARE(after.boards[0].tiles.size(), before.boards[0].tiles.size());
        QCOMPARE(after.sources[0].path, before.sources[0].path);

        // Closing with unsaved edits asks: Cancel keeps the window, Discard closes it.
        clickMessageBox(QMessageBox::Yes);
        board->findChild<QToolButton *>(QStringLiteral("deleteBoard"))->click();
        QVERIFY(window.isWindowModified());
        clickMessageBox(QMessageBox::Cancel);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        clickMessageBox(QMessageBox::Discard);
        QVERIFY(window.close());
        QCOMPARE(loadWorkspace(path).boards.size(), before.boards.size()); // the delete was discarded
    }
};

QTEST_MAIN(TestBoardEditor)
#include "tst_board_editor.moc"
