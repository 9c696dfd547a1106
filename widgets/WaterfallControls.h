#pragma once
#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace fd {

class ServiceLegend;
class TraceWaterfall;

// The controls above a trace waterfall: span search with "k of N" and stepping, collapsing below a
// depth and expanding all, zoom reset, the filters (errors, critical path, long spans, services) with
// a note on what they hide, and the service colour legend, whose chips filter by service too.
class WaterfallControls : public QWidget
{
    Q_OBJECT
public:
    explicit WaterfallControls(TraceWaterfall *waterfall, QWidget *parent = nullptr);

    ServiceLegend *legend() const { return m_legend; }
    // Applies the search text now instead of after the typing pause.
    void flushSearch();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildSearchRow();
    QWidget *buildFilterRow();
    void onTreeChanged();
    void rebuildServiceMenu();
    void setServiceSelection(const QStringList &services);
    void applyFilter();
    void updateSearchLabel(int current, int count);
    void updateFilterNote();

    TraceWaterfall *m_waterfall;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QLabel *m_searchCount = nullptr;
    QSpinBox *m_depth = nullptr;
    QPushButton *m_resetZoom = nullptr;
    QCheckBox *m_errorsOnly = nullptr;
    QCheckBox *m_criticalOnly = nullptr;
    QSpinBox *m_minDuration = nullptr;
    QToolButton *m_servicesButton = nullptr;
    QMenu *m_servicesMenu = nullptr;
    QLabel *m_filterNote = nullptr;
    ServiceLegend *m_legend = nullptr;
};

} // namespace fd
