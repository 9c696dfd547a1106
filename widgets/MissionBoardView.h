#pragma once
#include "models/Board.h"
#include "models/BoardEvaluator.h"
#include "models/DataSource.h"
#include "models/GridPlacement.h"
#include "models/Incident.h"
#include <QStringList>
#include <QWidget>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QScrollArea;
class QToolButton;

class QTimer;

namespace fd {

class ElidedLabel;

class AnomalyPanel;
class JobRunner;
class TileWidget;

// Mission control: the tiles of one board in a grid, each against its normal range and in its span
// of cells. Evaluation runs off the GUI thread; setResult() draws a finished result at once
// (headless export). With setBoards() it also offers a board selector and creating, editing and
// deleting boards, and reports every edit through boardsEdited().
class MissionBoardView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kLoadingDelayMs = 300; // tiles not evaluated by then say LOADING
    explicit MissionBoardView(QWidget *parent = nullptr);

    void setSource(DataSourcePtr source);
    // Shows one board on its own (no selector); its tiles appear at once, their values on refresh().
    void setBoard(const Board &board);
    // The workspace's boards, with a selector and the board actions; shows boards[current].
    void setBoards(const std::vector<Board> &boards, int current);
    const std::vector<Board> &boards() const { return m_boards; }
    int currentBoard() const { return m_current; }
    // The sources a tile's queries may name (the tile editor's choices).
    void setSourceIds(const QStringList &ids) { m_sourceIds = ids; }
    QComboBox *boardSelector() const { return m_selector; }
    void setTimeRange(const TimeRange &range);
    BoardResultPtr result() const { return m_result; }
    const std::vector<TileWidget *> &tiles() const { return m_tiles; }
    bool isBusy() const;
    // How many pixels of tiles lie below what is shown (an image of the board grows by them).
    int hiddenHeight() const;

public Q_SLOTS:
    void refresh();
    void setResult(BoardResultPtr result);
    // Stops a running evaluation; the tiles keep the last result.
    void cancel();
    // Shows boards()[index] and evaluates it.
    void selectBoard(int index);
    // These open a dialog (and delete asks first).
    void newBoard();
    void editBoard();
    void deleteBoard();

Q_SIGNALS:
    void statusMessage(const QString &message);
    void boardsEdited(std::vector<Board> boards, int current);
    // From the anomaly panel or a tile: the events of a tile's scope in a window.
    void openEvents(const Query &filter, const TimeRange &window);
    void evaluated(BoardResultPtr result);
    void addToIncident(const IncidentEntry &entry);
    // "Create incident" in the anomaly panel, pre-filled from the anomaly.
    void createIncident(const Incident &incident);

protected:
    void resizeEvent(QResizeEvent *event) override;

public:
    AnomalyPanel *anomalyPanel() const { return m_anomalyPanel; }

private:
    QWidget *buildBoardActions();
    TileWidget *makeTile(std::size_t index);
    void showAnomaly(std::size_t tileIndex, int anomalyIndex);
    void hideLoading();
    void showTileResult(std::size_t index, const TileResult &result, const TimeRange &range);
    void showError(const QString &message);
    void rebuildTiles(const std::vector<TileResult> &tiles, const TimeRange &range);
    void showPlaceholders();
    void setRowHeight();
    void layoutTiles();
    void fillSelector();
    void updateActions();
    void applyEdit(std::vector<Board> boards, int current);
    QStringList boardNames(int except) const;
    int columnsForWidth(int width) const;
    QString summary() const;

    DataSourcePtr m_source;
    Board m_board;
    std::vector<Board> m_boards;
    int m_current = -1;
    QStringList m_sourceIds;
    std::vector<GridSize> m_spans; // of m_tiles
    TimeRange m_range;
    BoardResultPtr m_result;
    JobRunner *m_runner = nullptr;
    QTimer *m_loadingDelay = nullptr;
    std::vector<bool> m_tileShown; // of m_tiles, in the evaluation under way
    AnomalyPanel *m_anomalyPanel = nullptr;
    ElidedLabel *m_title = nullptr;
    QComboBox *m_selector = nullptr;
    QWidget *m_boardActions = nullptr;
    QToolButton *m_editBoard = nullptr;
    QToolButton *m_deleteBoard = nullptr;
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
