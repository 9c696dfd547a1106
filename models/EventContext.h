#pragma once
#include "DataSource.h"

namespace fd {

// The events of one service around one event: rows newest first, as a logs query returns them.
struct EventContext {
    Frame rows;
    int selected = -1; // the row of the event asked about; -1 when the source no longer has it
};

// The `before` events of `service` just before time t, every one at t, and the `after` just after it,
// over at most a day each way. Queries only use the Query shape (newest first with a limit): the
// window after t narrows or widens until it holds the `after` nearest events and is not truncated.
// `body` picks the selected row among those at t. Throws what the source throws.
EventContext loadEventContext(DataSource &source, const Query &base, const std::string &service, TimeNs t,
    const std::string &body, int before, int after, const CancelTokenPtr &cancel);

} // namespace fd
