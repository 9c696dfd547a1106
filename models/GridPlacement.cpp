#include "GridPlacement.h"
#include <algorithm>

namespace fd {

namespace {
class Occupancy
{
public:
    explicit Occupancy(int columns) : m_columns(columns) {}

    bool isFree(int row, int column, int rows, int columns) const
    {
        for (int r = row; r < row + rows; ++r)
            for (int c = column; c < column + columns; ++c)
                if (r < static_cast<int>(m_cells.size()) && m_cells[r][c])
                    return false;
        return true;
    }

    void take(const GridPlacement &p)
    {
        while (static_cast<int>(m_cells.size()) < p.row + p.rows)
            m_cells.emplace_back(m_columns, false);
        for (int r = p.row; r < p.row + p.rows; ++r)
            for (int c = p.column; c < p.column + p.columns; ++c)
                m_cells[r][c] = true;
    }

private:
    int m_columns;
    std::vector<std::vector<bool>> m_cells;
};
} // namespace

std::vector<GridPlacement> placeTiles(const std::vector<GridSize> &sizes, int columns)
{
    columns = std::max(1, columns);
    Occupancy grid(columns);
    std::vector<GridPlacement> out;
    out.reserve(sizes.size());
    int row = 0, column = 0; // the cursor: never moves back
    for (const GridSize &size : sizes) {
        GridPlacement p;
        p.columns = std::clamp(size.columns, 1, columns);
        p.rows = std::max(1, size.rows);
        while (column + p.columns > columns || !grid.isFree(row, column, p.rows, p.columns)) {
            if (++column + p.columns > columns) {
                column = 0;
                ++row;
            }
        }
        p.row = row;
        p.column = column;
        grid.take(p);
        out.push_back(p);
        column += p.columns;
    }
    return out;
}

int gridRows(const std::vector<GridPlacement> &placements)
{
    int rows = 0;
    for (const GridPlacement &p : placements)
        rows = std::max(rows, p.row + p.rows);
    return rows;
}

} // namespace fd
