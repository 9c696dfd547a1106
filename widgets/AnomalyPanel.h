#pragma once
#include "models/Board.h"
#include "models/BoardEvaluator.h"
#include "models/Incident.h"
#include <QWidget>
#include <optional>

class QLabel;
class QModelIndex;
class QStandardItemModel;
class QTreeView;
class QUrl;

namespace fd {

// The side panel for one anomaly of a tile: what happened (window, direction, size against the
// expected value), the suspects ranked with the reasons for their rank and their marker, and what
// changed (attribute values whose share moved), each of which opens its events.
class AnomalyPanel : public QWidget
{
    Q_OBJECT
public:
    enum Role { SuspectIndexRole = Qt::UserRole + 1, LinkRole, ChangeIndexRole };

    explicit AnomalyPanel(QWidget *parent = nullptr);

    // The tile's query scope for openEvents(); without it the filter holds only field = value.
    void setTile(const Tile &tile);
    // Shows result.anomalies[anomalyIndex]; an index out of range shows the empty panel.
    void setTileResult(const TileResult &result, int anomalyIndex);
    void clear();

    int anomalyIndex() const { return m_anomalyIndex; }
    // The anomaly's window: its end, or for one still open the end of the tile's series.
    TimeRange anomalyWindow() const;
    QString headerText() const;
    // Top-level rows: the suspects, best first; their children: title, marker details, reasons, link.
    QStandardItemModel *suspectsModel() const { return m_suspects; }
    // One row per what-changed entry: "field = value", and the shares (see ShareBarDelegate).
    QStandardItemModel *changesModel() const { return m_changes; }
    QTreeView *suspectsView() const { return m_suspectsView; }
    QTreeView *changesView() const { return m_changesView; }
    // Whether a clicked link also opens in the browser (it always emits linkActivated()).
    void setOpenLinks(bool open) { m_openLinks = open; }

Q_SIGNALS:
    void openEvents(const Query &filter, const TimeRange &window);
    void markerActivated(const Marker &marker);
    void linkActivated(const QUrl &url);
    // Pre-filled from the anomaly: window, suspects and what changed.
    void createIncident(const Incident &incident);

private:
    const Anomaly *anomaly() const;
    void fillHeader();
    void fillSuspects();
    void fillChanges();
    void onSuspectClicked(const QModelIndex &index);
    void onChangeClicked(const QModelIndex &index);
    std::vector<std::size_t> rankedSuspects() const;

    std::optional<Tile> m_tile;
    TileResult m_result;
    int m_anomalyIndex = -1;
    bool m_openLinks = true;
    QLabel *m_header = nullptr;
    QLabel *m_noSuspects = nullptr;
    QLabel *m_noChanges = nullptr;
    QStandardItemModel *m_suspects = nullptr;
    QStandardItemModel *m_changes = nullptr;
    QTreeView *m_suspectsView = nullptr;
    QTreeView *m_changesView = nullptr;
};

} // namespace fd
