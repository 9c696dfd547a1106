#pragma once

class QFontMetrics;
class QTableView;

namespace fd {

// The look every table of events shares: whole rows, no grid or wrapping, fixed row heights (the table
// must not measure rows it does not show), the last column stretched.
void styleEventTable(QTableView *table);

// Widths of the fixed columns that fit their usual content in the table's font.
struct EventColumnWidths {
    int time = 0;
    int severity = 0;
    int service = 0;
};
EventColumnWidths eventColumnWidths(const QFontMetrics &metrics);

} // namespace fd
