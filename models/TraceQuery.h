#pragma once
#include "Query.h"

#include <QString>
#include <vector>

namespace fd {

// A trace search as a form fills it; every field may be empty (no condition).
struct TraceQuery {
    enum class Status { Any, Error, Ok };
    QString service;
    QString operation;
    QString minDuration; // "250" (ms), "250ms", "1.5s" ...
    QString maxDuration;
    Status status = Status::Any;
    QString attributes; // "http.route = /checkout and retry > 0"

    // The span conditions for DataSource::findTraces; throws fd::Error for a bad duration or attribute.
    std::vector<Condition> conditions() const;
};

} // namespace fd
