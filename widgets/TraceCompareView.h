#pragma once
#include "models/TraceCompare.h"
#include "models/TraceMedian.h"

#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTreeView;

namespace fd {

// Two traces side by side per operation path: how often and how long each path ran in A (the
// baseline) and B, the difference coloured red where B is slower and green where it is faster, paths
// only in B marked added and paths only in A missing. Or one trace (B) against the median of similar
// traces (A), where added and missing are against what most of those traces have.
class TraceCompareView : public QWidget
{
    Q_OBJECT
public:
    enum Column { PathColumn, CountColumn, TotalAColumn, TotalBColumn, DeltaColumn, RelativeColumn, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit TraceCompareView(QWidget *parent = nullptr);

    void setComparison(const QString &traceA, const QString &traceB, const std::vector<PathDiff> &diff);
    void setMedianComparison(const QString &traceId, const MedianComparison &comparison);
    void setPlaceholder(const QString &text);
    QStandardItemModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

private:
    struct Counts {
        int added = 0, missing = 0;
        DurationNs rootA = 0, rootB = 0;
    };
    // Fills the tree; `profile` (may be null) gives each path's "in k of N traces".
    Counts fill(const std::vector<PathDiff> &diff, const MedianProfile *profile);
    void setHeaders(bool median);

    QLabel *m_title = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
};

} // namespace fd
