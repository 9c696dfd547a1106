#include "MissionBoardView.h"
#include "ErrorLabel.h"
#include "JobRunner.h"
#include "TileWidget.h"
#include <QDateTime>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
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

} // namespace

MissionBoardView::MissionBoardView(QWidget *parent) : QWidget(parent), m_runner(new JobRunner(this))
{
    m_title = new QLabel(this);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_subtitle = new QLabel(this);
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
    m_gridLayout->setSpacing(10);
    gridColumn->addLayout(m_gridLayout);
    gridColumn->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_grid);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_subtitle, 1, Qt::AlignBottom);
    header->addWidget(m_busy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addLayout(header);
    layout->addWidget(m_error);
    layout->addWidget(m_scroll, 1);

    connect(m_runner, &JobRunner::busyChanged, m_busy, &QWidget::setVisible);
}

void MissionBoardView::setSource(DataSourcePtr source)
{
    m_source = std::move(source);
}

void MissionBoardView::setBoard(const Board &board)
{
    m_board = board;
    m_title->setText(QString::fromStdString(board.name));
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
        Q_EMIT statusMessage(m_source ? tr("The board has no tiles") : tr("No data source"));
        return;
    }
    m_error->hide();
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    Q_EMIT statusMessage(tr("Evaluating board %1…").arg(QString::fromStdString(m_board.name)));
    m_runner->run<BoardResultPtr>(
        [source = m_source, board = m_board, range = m_range](const CancelTokenPtr &cancel) {
            return std::make_shared<const BoardResult>(evaluateBoard(board, range, *source, cancel));
        },
        [this, timer](const BoardResultPtr &result) {
            setResult(result);
            Q_EMIT statusMessage(summary() + tr(" in %1 ms").arg(timer->elapsed()));
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
    m_title->setText(QString::fromStdString(m_result->board));
    m_subtitle->setText(rangeText(m_result->range));
    rebuildTiles();
}

void MissionBoardView::showError(const QString &message)
{
    m_error->setText(tr("Board evaluation failed: %1").arg(message));
    m_error->show();
    Q_EMIT statusMessage(m_error->text());
}

void MissionBoardView::rebuildTiles()
{
    const std::size_t count = m_result->tiles.size();
    while (m_tiles.size() > count) {
        delete m_tiles.back();
        m_tiles.pop_back();
    }
    while (m_tiles.size() < count)
        m_tiles.push_back(new TileWidget(m_grid));
    for (std::size_t i = 0; i < count; ++i)
        m_tiles[i]->setResult(m_result->tiles[i], m_result->range);
    m_columns = 0; // forces a new layout
    layoutTiles();
}

void MissionBoardView::layoutTiles()
{
    const int columns = columnsForWidth(width());
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (TileWidget *tile : m_tiles)
        m_gridLayout->removeWidget(tile);
    for (std::size_t i = 0; i < m_tiles.size(); ++i) {
        const int index = static_cast<int>(i);
        m_gridLayout->addWidget(m_tiles[i], index / columns, index % columns);
        m_tiles[i]->show();
    }
    for (int c = 0; c < 3; ++c)
        m_gridLayout->setColumnStretch(c, c < columns ? 1 : 0);
}

int MissionBoardView::columnsForWidth(int width) const
{
    return width >= 1300 ? 3 : 2;
}

QString MissionBoardView::summary() const
{
    int bad = 0, warn = 0;
    for (const TileResult &t : m_result->tiles) {
        bad += t.state == "bad";
        warn += t.state == "warn";
    }
    return tr("%1: %2 tiles, %3 bad, %4 warn")
        .arg(QString::fromStdString(m_result->board))
        .arg(m_result->tiles.size())
        .arg(bad)
        .arg(warn);
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
    Q_EMIT statusMessage(tr("Board evaluation cancelled."));
}

} // namespace fd
