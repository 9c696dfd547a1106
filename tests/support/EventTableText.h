#pragma once
// What an EventTableModel shows, as text, for the tests that read it (header-only).

#include "models/EventTableModel.h"
#include <QStringList>

namespace fdtest {

// The body column of every loaded row, top to bottom.
inline QStringList bodies(const fd::EventTableModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, fd::EventTableModel::BodyColumn).data().toString();
    return out;
}

} // namespace fdtest
