#pragma once
#include "models/Board.h"
#include "models/GridPlacement.h"
#include <QWidget>

namespace fd {

// A live sketch of a board's grid: each tile as a box at its place and span, the selected one
// highlighted. Clicking a box selects its tile; double-clicking asks to edit it; dragging a box onto
// another moves it there; dragging a box's bottom-right corner resizes it.
class BoardPreview : public QWidget
{
    Q_OBJECT
public:
    explicit BoardPreview(QWidget *parent = nullptr);

    void setBoard(const Board &board);
    void setColumns(int columns);
    int columns() const { return m_columns; }
    void setSelected(int index);
    // The box of a tile in widget coordinates; empty for no such tile.
    QRect tileRect(int index) const;

    QSize sizeHint() const override { return {520, 360}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

Q_SIGNALS:
    void tileClicked(int index);
    void tileDoubleClicked(int index);
    void tileMoved(int from, int to);
    void tileResized(int index, int columns, int rows);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QRect cellRect(const GridPlacement &p) const;
    QSizeF cellSize() const;
    int tileAt(const QPoint &pos) const;
    void drawTile(QPainter &painter, int index) const;

    Board m_board;
    std::vector<GridPlacement> m_placements;
    int m_columns = 3;
    int m_selected = -1;
    enum class Drag { None, Pending, Move, Resize };
    Drag m_drag = Drag::None;
    int m_dragIndex = -1;
    int m_dropIndex = -1;
    QPoint m_pressPos;
};

} // namespace fd
