#include "MissionBoardView.h"
#include "ElidedLabel.h"
#include "AnomalyPanel.h"
#include <QSplitter>
#include "BoardEditorDialog.h"
#include "ErrorLabel.h"
#include "JobRunner.h"
#include "TileWidget.h"
#include <QDateTime>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <algorithm>
#include <QVBoxLayout>

namespace fd {
namespace {

QString rangeText(const TimeRange &r)
{
    const auto local = [](TimeNs t) {
        return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    };
    return local(r.from) + QStringLiteral(" – ") + local(r.to);
}

constexpr int kTileMinHeight = 260; // one row of a tile; TileWidget's own limits
constexpr int kTileMaxHeight = 380;
constexpr int kSpacing = 10;
constexpr int kMaxColumns = 4;

int spanned(int cell, int count)
{
    return cell * count + kSpacing * (count - 1);
}

QToolButton *actionButton(const QString &text, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
}

} // namespace

MissionBoardView::MissionBoardView(QWidget *parent)
    : QWidget(parent), m_runner(new JobRunner(this)), m_loadingDelay(new QTimer(this))
{
    // Only an evaluation that takes a while says LOADING, so that a quick one (each watch tick's) does not flash
    m_loadingDelay->setSingleShot(true);
    m_loadingDelay->setInterval(kLoadingDelayMs);
    connect(m_loadingDelay, &QTimer::timeout, this, [this] {
        for (std::size_t i = 0; i < m_tiles.size(); ++i)
            if (i >= m_tileShown.size() || !m_tileShown[i])
                m_tiles[i]->showLoading();
    });
    m_title = new ElidedLabel(this); // a long name had widened the exported board past the size asked (review)
    m_title->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred); // whole while there is room
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_selector = new QComboBox(this);
    m_selector->setObjectName(QStringLiteral("boardSelector"));
    m_selector->setFont(titleFont);
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_selector->setToolTip(tr("The board to show"));
    m_selector->hide();
    m_subtitle = new QLabel(this);
    m_subtitle->setTextFormat(Qt::PlainText);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // indeterminate
    m_busy->setMaximumWidth(140);
    m_busy->setTextVisible(false);
    m_busy->hide();
    m_error = makeErrorLabel(this);

    m_grid = new QWidget;
    auto *gridColumn = new QVBoxLayout(m_grid);
    gridColumn->setContentsMargins(0, 0, 0, 0);
    m_gridLayout = new QGridLayout;
    m_gridLayout->setSpacing(kSpacing);
    gridColumn->addLayout(m_gridLayout);
    gridColumn->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_grid);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_selector);
    header->addWidget(m_subtitle, 1, Qt::AlignBottom);
    header->addWidget(m_busy);
    header->addWidget(buildBoardActions());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addLayout(header);
    layout->addWidget(m_error);
    m_anomalyPanel = new AnomalyPanel(this);
    m_anomalyPanel->hide();
    connect(m_anomalyPanel, &AnomalyPanel::openEvents, this, &MissionBoardView::openEvents);
    connect(m_anomalyPanel, &AnomalyPanel::createIncident, this, &MissionBoardView::createIncident);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_scroll);
    split->addWidget(m_anomalyPanel);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_runner, &JobRunner::busyChanged, m_busy, &QWidget::setVisible);
    connect(m_selector, &QComboBox::currentIndexChanged, this, &MissionBoardView::selectBoard);
}

QWidget *MissionBoardView::buildBoardActions()
{
    m_boardActions = new QWidget(this);
    auto *add = actionButton(tr("New board"), QStringLiteral("newBoard"), tr("Create a board and add tiles to it"),
                             m_boardActions);
    m_editBoard = actionButton(tr("Edit board…"), QStringLiteral("editBoard"),
                               tr("Add, edit, remove, reorder and resize this board's tiles"), m_boardActions);
    m_deleteBoard = actionButton(tr("Delete board"), QStringLiteral("deleteBoard"), tr("Remove this board from the workspace"),
                                 m_boardActions);
    auto *layout = new QHBoxLayout(m_boardActions);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QToolButton *b : {add, m_editBoard, m_deleteBoard})
        layout->addWidget(b);
    connect(add, &QToolButton::clicked, this, &MissionBoardView::newBoard);
    connect(m_editBoard, &QToolButton::clicked, this, &MissionBoardView::editBoard);
    connect(m_deleteBoard, &QToolButton::clicked, this, &MissionBoardView::deleteBoard);
    m_boardActions->hide();
    return m_boardActions;
}

void MissionBoardView::setSource(DataSourcePtr source)
{
    m_source = std::move(source);
}

void MissionBoardView::setBoard(const Board &board)
{
    if (m_runner->busy())
        m_runner->cancel(); // its result would be the old board's
    hideLoading(); // nor does the new board's layout wait for anything
    m_board = board;
    m_result = nullptr;
    m_error->hide();
    m_title->setFullText(QString::fromStdString(board.name));
    showPlaceholders();
}

void MissionBoardView::setBoards(const std::vector<Board> &boards, int current)
{
    m_boards = boards;
    m_current = -1;
    m_title->hide();
    m_selector->show();
    m_boardActions->show();
    fillSelector();
    if (m_boards.empty()) {
        setBoard({});
        m_subtitle->setText(tr("No boards yet: “New board” creates one."));
    } else {
        m_current = std::clamp(current, 0, static_cast<int>(m_boards.size()) - 1);
        m_selector->setCurrentIndex(m_current);
        setBoard(m_boards[m_current]);
    }
    updateActions();
}

void MissionBoardView::fillSelector()
{
    const QSignalBlocker block(m_selector);
    m_selector->clear();
    for (const Board &b : m_boards)
        m_selector->addItem(QString::fromStdString(b.name));
}

void MissionBoardView::updateActions()
{
    m_selector->setEnabled(!m_boards.empty());
    m_editBoard->setEnabled(m_current >= 0);
    m_deleteBoard->setEnabled(m_current >= 0);
}

void MissionBoardView::selectBoard(int index)
{
    if (index < 0 || index >= static_cast<int>(m_boards.size()) || index == m_current)
        return;
    m_current = index;
    m_selector->setCurrentIndex(index);
    setBoard(m_boards[index]);
    updateActions();
    if (m_source)
        refresh();
}

QStringList MissionBoardView::boardNames(int except) const
{
    QStringList names;
    for (int i = 0; i < static_cast<int>(m_boards.size()); ++i)
        if (i != except)
            names << QString::fromStdString(m_boards[i].name);
    return names;
}

void MissionBoardView::newBoard()
{
    const QStringList taken = boardNames(-1);
    QString name = tr("New board");
    for (int n = 2; taken.contains(name); ++n)
        name = tr("New board %1").arg(n);
    Board board;
    board.name = name.toStdString();
    BoardEditorDialog dialog(board, m_sourceIds, this);
    dialog.setWindowTitle(tr("New board"));
    dialog.setTakenNames(taken);
    if (dialog.exec() != QDialog::Accepted)
        return;
    std::vector<Board> boards = m_boards;
    boards.push_back(dialog.board());
    applyEdit(std::move(boards), static_cast<int>(m_boards.size()));
}

void MissionBoardView::editBoard()
{
    if (m_current < 0)
        return;
    BoardEditorDialog dialog(m_boards[m_current], m_sourceIds, this);
    dialog.setTakenNames(boardNames(m_current));
    if (dialog.exec() != QDialog::Accepted)
        return;
    std::vector<Board> boards = m_boards;
    boards[m_current] = dialog.board();
    applyEdit(std::move(boards), m_current);
}

void MissionBoardView::deleteBoard()
{
    if (m_current < 0)
        return;
    const Board &board = m_boards[m_current];
    const auto answer = QMessageBox::question(this, tr("Delete board"),
                                              tr("Delete the board “%1” and its %n tile(s)?", nullptr,
                                                 static_cast<int>(board.tiles.size()))
                                                  .arg(QString::fromStdString(board.name)));
    if (answer != QMessageBox::Yes)
        return;
    std::vector<Board> boards = m_boards;
    boards.erase(boards.begin() + m_current);
    const int current = std::min(m_current, static_cast<int>(boards.size()) - 1);
    applyEdit(std::move(boards), current);
}

void MissionBoardView::applyEdit(std::vector<Board> boards, int current)
{
    setBoards(boards, current);
    Q_EMIT boardsEdited(m_boards, m_current);
    if (m_source && m_current >= 0)
        refresh();
}

void MissionBoardView::setTimeRange(const TimeRange &range)
{
    m_range = range;
}

bool MissionBoardView::isBusy() const
{
    return m_runner->busy();
}

void MissionBoardView::refresh()
{
    if (!m_source || m_board.tiles.empty()) {
        const QString empty = m_boards.empty() ? tr("This workspace has no board: New board makes one") // not "tiles"
                                               : tr("The board has no tiles: Edit board adds them");
        Q_EMIT statusMessage(m_source ? empty : tr("No data source"));
        m_runner->cancel(); // a board before this one
        hideLoading();
        if (m_source) { // nothing to evaluate, but the range's deploys and incidents still give DORA figures
            auto none = std::make_shared<BoardResult>();
            none->board = m_board.name;
            none->range = m_range;
            Q_EMIT evaluated(none);
        }
        return;
    }
    m_error->hide();
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    Q_EMIT statusMessage(tr("Evaluating board %1…").arg(QString::fromStdString(m_board.name)));
    m_tileShown.assign(m_tiles.size(), false);
    m_loadingDelay->start();
    using TilePart = std::pair<std::size_t, TileResult>;
    m_runner->runReporting<BoardResultPtr, TilePart>(
        [source = m_source, board = m_board, range = m_range](const CancelTokenPtr &cancel,
                                                              const std::function<void(TilePart)> &report) {
            return std::make_shared<const BoardResult>(evaluateBoard(board, range, *source, cancel,
                [&report](std::size_t index, const TileResult &tile) { report({index, tile}); }));
        },
        // Each tile as it comes (exploratory test: one slow source had kept every tile empty until it answered)
        [this, range = m_range](const TilePart &part) { showTileResult(part.first, part.second, range); },
        [this, timer](const BoardResultPtr &result) {
            m_loadingDelay->stop();
            setResult(result);
            Q_EMIT statusMessage(summary() + tr(" in %1 ms").arg(timer->elapsed()));
            Q_EMIT evaluated(result);
        },
        [this](const QString &message) { showError(message); });
}

void MissionBoardView::setResult(BoardResultPtr result)
{
    m_result = std::move(result);
    m_error->hide();
    if (!m_result)
        return;
    m_range = m_result->range;
    m_title->setFullText(QString::fromStdString(m_result->board));
    m_subtitle->setText(rangeText(m_result->range));
    rebuildTiles(m_result->tiles, m_result->range);
}

void MissionBoardView::hideLoading()
{
    m_loadingDelay->stop();
    for (TileWidget *tile : m_tiles)
        if (tile->isLoading())
            tile->hideLoading();
}

void MissionBoardView::showTileResult(std::size_t index, const TileResult &result, const TimeRange &range)
{
    if (index < m_tiles.size() && index < m_board.tiles.size() && m_board.tiles[index].name == result.name) {
        m_tiles[index]->setResult(result, range);
        if (index < m_tileShown.size())
            m_tileShown[index] = true;
    }
}

void MissionBoardView::showError(const QString &message)
{
    hideLoading();
    m_error->setText(tr("Board evaluation failed: %1").arg(message));
    m_error->show();
    Q_EMIT statusMessage(m_error->text());
}

// The board's tiles, named but without values, so that a board shows its layout before it is evaluated.
void MissionBoardView::showPlaceholders()
{
    std::vector<TileResult> tiles;
    for (const Tile &t : m_board.tiles) {
        TileResult r;
        r.name = t.name;
        r.unit = t.unit;
        r.decimals = t.decimals;
        tiles.push_back(std::move(r));
    }
    rebuildTiles(tiles, m_range);
}

void MissionBoardView::rebuildTiles(const std::vector<TileResult> &tiles, const TimeRange &range)
{
    const std::size_t count = tiles.size();
    while (m_tiles.size() > count) {
        delete m_tiles.back();
        m_tiles.pop_back();
    }
    while (m_tiles.size() < count)
        m_tiles.push_back(makeTile(m_tiles.size()));
    m_spans.assign(count, GridSize{});
    for (std::size_t i = 0; i < count; ++i) {
        if (i < m_board.tiles.size() && m_board.tiles[i].name == tiles[i].name)
            m_tiles[i]->setTile(m_board.tiles[i], QString::fromStdString(m_board.name));
        m_tiles[i]->setResult(tiles[i], range);
        // A result made for another version of the board keeps single cells.
        if (i < m_board.tiles.size() && m_board.tiles[i].name == tiles[i].name)
            m_spans[i] = {m_board.tiles[i].columns, m_board.tiles[i].rows};
    }
    setRowHeight();
    m_columns = 0; // forces a new layout
    layoutTiles();
}

TileWidget *MissionBoardView::makeTile(std::size_t index)
{
    auto *tile = new TileWidget(m_grid);
    connect(tile, &TileWidget::anomalyActivated, this, [this, index](int anomaly) { showAnomaly(index, anomaly); });
    connect(tile, &TileWidget::openEvents, this, &MissionBoardView::openEvents);
    connect(tile, &TileWidget::addToIncident, this, &MissionBoardView::addToIncident);
    // One crosshair for the whole board: hovering a tile shows the same time on every other tile.
    connect(tile, &TileWidget::hoveredTime, this, [this, tile](TimeNs t) {
        for (TileWidget *other : m_tiles)
            if (other != tile)
                other->showCrosshairAt(t);
    });
    connect(tile, &TileWidget::hoverLeft, this, [this, tile] {
        for (TileWidget *other : m_tiles)
            if (other != tile)
                other->hideCrosshair();
    });
    return tile;
}

void MissionBoardView::showAnomaly(std::size_t tileIndex, int anomalyIndex)
{
    if (tileIndex >= m_tiles.size())
        return;
    if (tileIndex < m_board.tiles.size())
        m_anomalyPanel->setTile(m_board.tiles[tileIndex]);
    m_anomalyPanel->setTileResult(m_tiles[tileIndex]->result(), anomalyIndex); // its part of an evaluation under way
    if (m_anomalyPanel->isHidden()) {
        // Its long lines (links, reasons) would otherwise claim most of the width from the tiles.
        auto *split = static_cast<QSplitter *>(m_anomalyPanel->parentWidget());
        const int total = split->width();
        const int panel = std::clamp(total * 3 / 10, m_anomalyPanel->minimumWidth(), 480);
        m_anomalyPanel->show();
        split->setSizes({total - panel, panel});
    }
}

// One height for every grid row, so that a tile two rows high is as tall as two tiles and the gap.
void MissionBoardView::setRowHeight()
{
    int row = kTileMinHeight;
    for (std::size_t i = 0; i < m_tiles.size(); ++i) {
        const int rows = m_spans[i].rows;
        row = std::max(row, (m_tiles[i]->sizeHint().height() - kSpacing * (rows - 1) + rows - 1) / rows);
    }
    row = std::min(row, kTileMaxHeight);
    for (std::size_t i = 0; i < m_tiles.size(); ++i)
        m_tiles[i]->setFixedHeight(spanned(row, m_spans[i].rows));
}

void MissionBoardView::layoutTiles()
{
    const int columns = columnsForWidth(width());
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (TileWidget *tile : m_tiles)
        m_gridLayout->removeWidget(tile);
    const std::vector<GridPlacement> places = placeTiles(m_spans, columns);
    for (std::size_t i = 0; i < m_tiles.size(); ++i) {
        const GridPlacement &p = places[i];
        m_gridLayout->addWidget(m_tiles[i], p.row, p.column, p.rows, p.columns);
        m_tiles[i]->show();
    }
    for (int c = 0; c < kMaxColumns; ++c)
        m_gridLayout->setColumnStretch(c, c < columns ? 1 : 0);
}

int MissionBoardView::hiddenHeight() const
{
    return m_scroll->verticalScrollBar()->maximum();
}

int MissionBoardView::columnsForWidth(int width) const
{
    return width >= 1800 ? 4 : width >= 1300 ? 3 : 2;
}

QString MissionBoardView::summary() const
{
    int bad = 0, warn = 0, failed = 0;
    for (const TileResult &t : m_result->tiles) {
        bad += t.state == "bad";
        warn += t.state == "warn";
        failed += !t.error.empty();
    }
    QString text = tr("%1: %2 tiles, %3 bad, %4 warn")
                       .arg(QString::fromStdString(m_result->board))
                       .arg(m_result->tiles.size())
                       .arg(bad)
                       .arg(warn);
    if (failed > 0)
        text += tr(", %1 failed").arg(failed);
    for (const std::string &warning : m_result->warnings)
        text += QStringLiteral("; ") + QString::fromStdString(warning);
    return text;
}

void MissionBoardView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutTiles();
}

void MissionBoardView::cancel()
{
    if (!m_runner->busy())
        return;
    m_runner->cancel();
    hideLoading();
    Q_EMIT statusMessage(tr("Board evaluation cancelled."));
}

} // namespace fd
