#pragma once
#include "models/DoraTrend.h"
#include "models/Incident.h"
#include <QWidget>

class QLabel;
class QModelIndex;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace fd {

// The DORA panel for a range: all services and one row per service with the four figures, each
// against the previous period of the same length, and below the deploys behind them. Clicking a
// service narrows the deploys to it.
class DoraView : public QWidget
{
    Q_OBJECT
public:
    enum Column { ServiceColumn, DeploysColumn, LeadTimeColumn, FailureRateColumn, RestoreColumn };
    enum DeployColumn { TimeColumn, DeployServiceColumn, VersionColumn, CommitColumn, DeployLeadTimeColumn, ResultColumn };
    enum Role { ValueRole = Qt::UserRole + 1, DeployIndexRole };

    explicit DoraView(QWidget *parent = nullptr);

    // Clears the note.
    void setTrend(const DoraTrend &trend);
    // A line under the title while the figures for `range` are computed, and when they could not be (why):
    // the figures shown stay, of the range in the title.
    void setUpdating(const TimeRange &range);
    void setNotUpdated(const QString &why);
    QString noteText() const;
    const DoraTrend &trend() const { return m_trend; }

    // Row 0 is all services; figure cells hold the value (ValueRole), its text, and the trend
    // (TrendDelegate::TextRole, TrendDelegate::VerdictRole).
    QStandardItemModel *figuresModel() const { return m_figures; }
    // One row per deploy in the range, newest first.
    QStandardItemModel *deploysModel() const { return m_deploys; }
    QTreeView *figuresView() const { return m_figuresView; }
    QTreeView *deploysView() const { return m_deploysView; }
    // Shows only this service's deploys; empty shows all.
    void setServiceFilter(const QString &service);
    int visibleDeployCount() const;
    QString titleText() const;

    static QString figureText(DoraFigure which, double value);
    // "▲ +1.0", "▼ −1.3 h", "= same"; empty when either period has no value.
    static QString trendText(DoraFigure which, const FigureTrend &trend);

Q_SIGNALS:
    void markerActivated(const Marker &marker);
    // "Add to incident" on a deploy of the list.
    void addToIncident(const IncidentEntry &entry);

private:
    void fillFigures();
    void fillDeploys();
    void appendFigureRow(const QString &label, const DoraTrendRow &row, bool bold);
    void onFigureClicked(const QModelIndex &index);
    void onDeployClicked(const QModelIndex &index);
    void addCurrentDeployToIncident();
    const Marker *deployAt(const QModelIndex &index) const;
    void updateDeploysTitle();
    void setNote(const QString &note);

    DoraTrend m_trend;
    QLabel *m_title = nullptr;
    QLabel *m_note = nullptr;
    TimeRange m_updating; // the range asked for, while it is computed
    QLabel *m_deploysTitle = nullptr;
    QStandardItemModel *m_figures = nullptr;
    QStandardItemModel *m_deploys = nullptr;
    QSortFilterProxyModel *m_deploysFilter = nullptr;
    QTreeView *m_figuresView = nullptr;
    QTreeView *m_deploysView = nullptr;
    QString m_service;
};

} // namespace fd
