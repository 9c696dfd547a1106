#pragma once
// What an EventTableModel shows, as text, for the tests that read it (header-only).

#include "models/EventTableModel.h"
#include <QStringList>

namespace fdtest {

// One column of every loaded row, top to bottom.
inline QStringList column(const fd::EventTableModel &model, int col)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, col).data().toString();
    return out;
}

inline QStringList bodies(const fd::EventTableModel &model)
{
    return column(model, fd::EventTableModel::BodyColumn);
}

} // namespace fdtest
