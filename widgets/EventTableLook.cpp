#include "EventTableLook.h"
#include <QFontMetrics>
#include <QHeaderView>
#include <QTableView>

namespace fd {

void styleEventTable(QTableView *table)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
}

EventColumnWidths eventColumnWidths(const QFontMetrics &metrics)
{
    const int digit = metrics.horizontalAdvance(QLatin1Char('0'));
    return {digit * 25, digit * 9, digit * 14};
}

} // namespace fd
