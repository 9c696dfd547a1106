#pragma once
#include <QString>

namespace fd {

// Where the PromQL editor gets the names only a server knows. The editor does not own it. Each request
// returns at once; the answer comes later (or never) through PromQlEditor::setMetricNames, setLabelNames
// and setLabelValues with the same arguments. An empty metric means "any metric".
class PromQlCompletionSource
{
public:
    virtual ~PromQlCompletionSource() = default;

    virtual void requestMetricNames() = 0;
    virtual void requestLabelNames(const QString &metric) = 0;
    virtual void requestLabelValues(const QString &label, const QString &metric) = 0;
};

} // namespace fd
