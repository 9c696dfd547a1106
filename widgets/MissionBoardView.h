#pragma once
#include "models/Board.h"
#include "models/BoardEvaluator.h"
#include "models/DataSource.h"
#include <QWidget>
#include <vector>

class QGridLayout;
class QLabel;
class QProgressBar;
class QScrollArea;

namespace fd {

class JobRunner;
class TileWidget;

// Mission control: the tiles of one board in a grid, each against its normal range. Evaluation
// runs off the GUI thread; setResult() draws a finished result at once (headless export).
class MissionBoardView : public QWidget
{
    Q_OBJECT
public:
    explicit MissionBoardView(QWidget *parent = nullptr);

    void setSource(DataSourcePtr source);
    void setBoard(const Board &board);
    void setTimeRange(const TimeRange &range);
    BoardResultPtr result() const { return m_result; }
    const std::vector<TileWidget *> &tiles() const { return m_tiles; }
    bool isBusy() const;

public Q_SLOTS:
    void refresh();
    void setResult(BoardResultPtr result);
    // Stops a running evaluation; the tiles keep the last result.
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showError(const QString &message);
    void rebuildTiles();
    void layoutTiles();
    int columnsForWidth(int width) const;
    QString summary() const;

    DataSourcePtr m_source;
    Board m_board;
    TimeRange m_range;
    BoardResultPtr m_result;
    JobRunner *m_runner = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_error = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_grid = nullptr;
    QGridLayout *m_gridLayout = nullptr;
    std::vector<TileWidget *> m_tiles;
    int m_columns = 0;
};

} // namespace fd
