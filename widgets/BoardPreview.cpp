#include "BoardPreview.h"
#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <utility>

namespace fd {

namespace {
constexpr int kPreviewGap = 6;
constexpr int kPreviewMargin = 4;
constexpr double kCellAspect = 0.6; // height / width of one cell, as on the mission-control tab
} // namespace

BoardPreview::BoardPreview(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("boardPreview"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true); // the resize cursor over a corner
}

void BoardPreview::setBoard(const Board &board)
{
    m_board = board;
    std::vector<GridSize> sizes;
    for (const Tile &t : board.tiles)
        sizes.push_back({t.columns, t.rows});
    m_placements = placeTiles(sizes, m_columns);
    update();
}

void BoardPreview::setColumns(int columns)
{
    m_columns = std::max(1, columns);
    setBoard(m_board);
}

void BoardPreview::setSelected(int index)
{
    m_selected = index;
    update();
}

QSizeF BoardPreview::cellSize() const
{
    const double width = (this->width() - 2 * kPreviewMargin - (m_columns - 1) * kPreviewGap) / double(m_columns);
    const int rows = std::max(gridRows(m_placements), 1);
    const double fitHeight = (height() - 2 * kPreviewMargin - (rows - 1) * kPreviewGap) / double(rows);
    return {width, std::max(12.0, std::min(width * kCellAspect, fitHeight))};
}

QRect BoardPreview::cellRect(const GridPlacement &p) const
{
    const QSizeF cell = cellSize();
    const double x = kPreviewMargin + p.column * (cell.width() + kPreviewGap);
    const double y = kPreviewMargin + p.row * (cell.height() + kPreviewGap);
    const double w = p.columns * cell.width() + (p.columns - 1) * kPreviewGap;
    const double h = p.rows * cell.height() + (p.rows - 1) * kPreviewGap;
    return QRectF(x, y, w, h).toAlignedRect();
}

QRect BoardPreview::tileRect(int index) const
{
    if (index < 0 || index >= static_cast<int>(m_placements.size()))
        return {};
    return cellRect(m_placements[index]);
}

int BoardPreview::tileAt(const QPoint &pos) const
{
    for (int i = 0; i < static_cast<int>(m_placements.size()); ++i)
        if (tileRect(i).contains(pos))
            return i;
    return -1;
}

void BoardPreview::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Window).darker(104));
    // The empty cells, so that spans read as spans.
    const int rows = std::max(gridRows(m_placements), 1);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < m_columns; ++c)
            painter.drawRoundedRect(QRectF(cellRect({r, c, 1, 1})).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    if (m_placements.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No tiles yet: add one"));
        return;
    }
    for (int i = 0; i < static_cast<int>(m_placements.size()); ++i)
        drawTile(painter, i);
    if (m_drag == Drag::Move && m_dropIndex >= 0 && m_dropIndex != m_dragIndex) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(tileRect(m_dropIndex)).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    }
}

void BoardPreview::drawTile(QPainter &painter, int index) const
{
    const Tile &tile = m_board.tiles[index];
    const QRectF box = QRectF(tileRect(index)).adjusted(0.5, 0.5, -0.5, -0.5);
    const bool selected = index == m_selected;
    const QColor accent = palette().color(QPalette::Highlight);
    painter.setPen(QPen(selected ? accent : palette().color(QPalette::Mid), selected ? 2 : 1));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(selected ? accent : QColor(0x8a, 0x8f, 0x98));
    painter.drawRoundedRect(QRectF(box.left(), box.top(), 4, box.height()), 2, 2);

    const QRectF text = box.adjusted(10, 6, -6, -6);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::Text));
    const QFontMetrics fm(bold);
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop,
                     fm.elidedText(QString::fromStdString(tile.name), Qt::ElideRight, int(text.width())));
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QString detail = QString::fromStdString(tile.kind);
    if (!tile.unit.empty())
        detail += QStringLiteral(" · ") + QString::fromStdString(tile.unit);
    const QRectF second = text.adjusted(0, fm.height() + 2, 0, 0);
    painter.drawText(second, Qt::AlignLeft | Qt::AlignTop, fontMetrics().elidedText(detail, Qt::ElideRight, int(text.width())));
    painter.drawText(text, Qt::AlignRight | Qt::AlignBottom, QStringLiteral("%1×%2").arg(tile.columns).arg(tile.rows));
}

namespace {
constexpr int kCornerGrip = 12; // px of a box's bottom-right corner that resize it
} // namespace

void BoardPreview::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_dragIndex = tileAt(m_pressPos);
    m_drag = Drag::None;
    if (m_dragIndex < 0 || event->button() != Qt::LeftButton)
        return;
    const QPoint corner = tileRect(m_dragIndex).bottomRight();
    m_drag = (corner - m_pressPos).manhattanLength() <= kCornerGrip ? Drag::Resize : Drag::Pending;
    Q_EMIT tileClicked(m_dragIndex);
}

void BoardPreview::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::None) {
        const int index = tileAt(pos);
        const bool onCorner = index >= 0 && (tileRect(index).bottomRight() - pos).manhattanLength() <= kCornerGrip;
        setCursor(onCorner ? Qt::SizeFDiagCursor : Qt::ArrowCursor);
        return;
    }
    if (m_drag == Drag::Resize) {
        const QSizeF cell = cellSize();
        const QRect box = tileRect(m_dragIndex);
        const int columns = std::clamp(int(std::lround((pos.x() - box.left() + kPreviewGap) / (cell.width() + kPreviewGap))), 1, kMaxTileSpan);
        const int rows = std::clamp(int(std::lround((pos.y() - box.top() + kPreviewGap) / (cell.height() + kPreviewGap))), 1, kMaxTileSpan);
        const Tile &t = m_board.tiles[m_dragIndex];
        if (columns != t.columns || rows != t.rows)
            Q_EMIT tileResized(m_dragIndex, columns, rows);
        return;
    }
    if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance())
        m_drag = Drag::Move;
    if (m_drag == Drag::Move) {
        setCursor(Qt::ClosedHandCursor);
        m_dropIndex = tileAt(pos);
        update();
    }
}

void BoardPreview::mouseReleaseEvent(QMouseEvent *)
{
    const Drag drag = std::exchange(m_drag, Drag::None);
    const int from = m_dragIndex, to = std::exchange(m_dropIndex, -1);
    setCursor(Qt::ArrowCursor);
    update();
    if (drag == Drag::Move && to >= 0 && to != from)
        Q_EMIT tileMoved(from, to);
}

void BoardPreview::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (const int index = tileAt(event->position().toPoint()); index >= 0)
        Q_EMIT tileDoubleClicked(index);
}

} // namespace fd
