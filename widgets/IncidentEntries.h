#pragma once
#include "models/Incident.h"
#include "models/Query.h"
#include <QString>

class QWidget;

namespace fd {

struct TraceTree;

// Timeline entries made from what a view shows, for its "Add to incident" action.
IncidentEntry eventEntry(const Json &record); // a row of EventTableModel::record()
IncidentEntry spanEntry(const Span &span);
// A deploy, rollback, flag flip ... at its time, kept whole so it can be opened and counted again.
IncidentEntry markerEntry(const Marker &marker);
// The trace's root, size and errors, with a picture of what `waterfall` shows.
IncidentEntry traceEntry(const TraceTree &tree, const QWidget &waterfall);
// A picture of `widget` (a tile, a chart) at `time`, referring to `ref`.
IncidentEntry snapshotEntry(const QWidget &widget, const QString &title, TimeNs time, Json ref);
IncidentEntry queryEntry(const Query &query, const TimeRange &range, const QString &nativeQuery, const QWidget &chart);

} // namespace fd
