#pragma once
#include "models/Json.h"
#include "models/Telemetry.h"

#include <QTreeWidget>

class QMenu;

namespace fd {

// Every field of one log record or span as a two-column field/value tree, in sections
// (intrinsic fields, body, attributes, resource, events, links). Trace ids are links.
class DetailsTree : public QTreeWidget
{
    Q_OBJECT
public:
    enum ItemRole {
        TraceLinkRole = Qt::UserRole + 1, // QString: a trace id that a click on the value opens
        FieldRole,                        // QString: the field name a query can filter on
        ValueRole,                        // QString: the value as JSON text, keeping its type
        FullTextRole,                     // QString: the whole value, where the shown text is cut short
    };
    static constexpr int kShownChars = 2000;        // of a value; Copy value copies all of it
    static constexpr std::size_t kParsedBodyBytes = 1 << 20; // a longer body is shown as text, not parsed as JSON
    static constexpr int kShownMembers = 1000;      // of a JSON object or array in a body
    static constexpr int kShownItems = 20000;       // JSON values of a record in all, however they nest

    explicit DetailsTree(QWidget *parent = nullptr);

    // A record as EventTableModel::record() gives it: one key per frame column.
    void showRecord(const Json &record);
    void showSpan(const Span &span);
    void showPlaceholder(const QString &text);

    // Adds "Group by" to filterable values and "Show context" to every field of a record.
    void setEventActions(bool on) { m_eventActions = on; }

    // The first item (depth-first) whose field column reads `field`; nullptr when none.
    QTreeWidgetItem *findField(const QString &field) const;

Q_SIGNALS:
    void traceActivated(const QString &traceId);
    // "field = value" (or "!=") text for a query's filter box, asked for from the context menu.
    void conditionRequested(const QString &condition);
    void groupByRequested(const QString &field);
    // The neighbouring events of the shown record's service.
    void contextRequested();

private:
    QTreeWidgetItem *addSection(const QString &title);
    QTreeWidgetItem *addField(QTreeWidgetItem *parent, const QString &name, const QString &value);
    QTreeWidgetItem *addFilterable(QTreeWidgetItem *parent, const QString &name, const Json &value,
                                   const std::string &field);
    void addJson(QTreeWidgetItem *parent, const QString &name, const Json &value, const std::string &field);
    void addJsonMembers(QTreeWidgetItem *parent, const Json &object, const std::string &prefix);
    bool noteMore(QTreeWidgetItem *parent, int index, std::size_t count); // true past kShownMembers
    void addTraceLink(QTreeWidgetItem *parent, const QString &name, const std::string &traceId);
    void addBody(const Json &body);
    void addSpanEvents(const Span &span);
    void addSpanLinks(const Span &span);
    void finish();
    void onItemDoubleClicked(QTreeWidgetItem *item, int column);
    void onItemClicked(QTreeWidgetItem *item, int column);
    static QString traceLinkOf(const QTreeWidgetItem *item); // "" when the row is no link
    static QString traceLinkAt(const QTreeWidgetItem *item, int column); // on its value only
    void showContextMenu(const QPoint &pos);
    QMenu *buildMenu(QTreeWidgetItem *item);
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

    bool m_eventActions = false;
    bool m_showsRecord = false;
    int m_itemsLeft = kShownItems; // of the record shown
};

} // namespace fd
