#pragma once
#include <vector>

namespace fd {

// Where one tile sits in a board's grid, in cells from the top left.
struct GridPlacement {
    int row = 0, column = 0;
    int rows = 1, columns = 1;
    bool operator==(const GridPlacement &) const = default;
};

struct GridSize {
    int columns = 1, rows = 1;
};

// Places items in order, left to right then top to bottom, each at the first free spot at or after
// the previous one (CSS grid's sparse auto-placement, so the order on screen is the list's order).
// A span wider than the grid is narrowed to the grid.
std::vector<GridPlacement> placeTiles(const std::vector<GridSize> &sizes, int columns);
// Rows the placements take.
int gridRows(const std::vector<GridPlacement> &placements);

} // namespace fd
