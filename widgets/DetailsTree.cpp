#include "DetailsTree.h"

#include "models/Query.h"
#include "models/Time.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QMenu>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>

namespace fd {

namespace {

constexpr int kShortArrayChars = 80;
const std::string kAttributes = "attributes";
const std::string kResource = "resource";
const std::string kBody = "body";

QString formatMs(DurationNs d)
{
    return QStringLiteral("%1 ms").arg(static_cast<double>(d) / 1e6, 0, 'f', 3);
}

QString severityValue(const Json &v)
{
    const auto number = jsonInt(v);
    if (!number)
        return toQString(jsonValueText(v));
    const int n = *number;
    const QString name = QString::fromStdString(severityName(n));
    return name.isEmpty() ? QString::number(n) : QStringLiteral("%1 (%2)").arg(name).arg(n);
}

} // namespace

DetailsTree::DetailsTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Field"), tr("Value")});
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setContextMenuPolicy(Qt::CustomContextMenu);
    setTextElideMode(Qt::ElideMiddle);
    header()->setStretchLastSection(true);
    setMouseTracking(true); // the pointing hand over a link
    connect(this, &QTreeWidget::itemDoubleClicked, this, &DetailsTree::onItemDoubleClicked);
    connect(this, &QTreeWidget::itemClicked, this, &DetailsTree::onItemClicked);
    connect(this, &QWidget::customContextMenuRequested, this, &DetailsTree::showContextMenu);
}

void DetailsTree::showPlaceholder(const QString &text)
{
    clear();
    m_showsRecord = false;
    auto *item = new QTreeWidgetItem(this, {text});
    item->setFirstColumnSpanned(true);
    item->setFlags(Qt::ItemIsEnabled);
    item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
}

void DetailsTree::showRecord(const Json &record)
{
    clear();
    m_itemsLeft = kShownItems;
    m_showsRecord = true;
    QTreeWidgetItem *fields = addSection(tr("Record"));
    for (const auto &[key, value] : record.items()) {
        if (key == kAttributes || key == kResource || key == kBody)
            continue;
        const QString name = QString::fromStdString(key);
        if (key == "trace_id" && value.is_string() && !value.get_ref<const std::string &>().empty())
            addTraceLink(fields, name, value.get<std::string>());
        else if (key == "severity")
            addFilterable(fields, name, value, key)->setText(1, severityValue(value));
        else if (key == "time" || key == "severity_text")
            addField(fields, name, toQString(jsonValueText(value)));
        else
            addFilterable(fields, name, value, key);
    }
    if (auto it = record.find(kBody); it != record.end())
        addBody(*it);
    if (auto it = record.find(kAttributes); it != record.end() && it->is_object() && !it->empty())
        addJsonMembers(addSection(tr("Attributes")), *it, {});
    if (auto it = record.find(kResource); it != record.end() && it->is_object() && !it->empty())
        addJsonMembers(addSection(tr("Resource")), *it, {});
    finish();
}

void DetailsTree::showSpan(const Span &span)
{
    clear();
    m_itemsLeft = kShownItems;
    m_showsRecord = false;
    QTreeWidgetItem *fields = addSection(tr("Span"));
    addFilterable(fields, tr("name"), span.name, "name");
    addFilterable(fields, tr("service.name"), span.service, "service.name");
    addTraceLink(fields, tr("trace_id"), span.traceId);
    addFilterable(fields, tr("span_id"), span.spanId, "span_id");
    addField(fields, tr("parent_span_id"),
             span.parentSpanId.empty() ? tr("(root)") : QString::fromStdString(span.parentSpanId));
    addField(fields, tr("kind"), QString::fromStdString(spanKindName(span.kind)));
    addField(fields, tr("start"), formatRfc3339(span.start));
    addField(fields, tr("end"), formatRfc3339(span.end));
    addField(fields, tr("duration"), formatMs(span.duration()));
    QString status = QString::fromStdString(statusCodeName(span.statusCode));
    if (!span.statusMessage.empty())
        status += QStringLiteral(": ") + QString::fromStdString(span.statusMessage);
    QTreeWidgetItem *statusItem = addField(fields, tr("status"), status);
    if (span.statusCode == static_cast<int>(StatusCode::Error))
        statusItem->setForeground(1, QColor(0xd3, 0x2f, 0x2f));

    if (span.attributes.is_object() && !span.attributes.empty())
        addJsonMembers(addSection(tr("Attributes")), span.attributes, {});
    if (span.resource.is_object() && !span.resource.empty())
        addJsonMembers(addSection(tr("Resource")), span.resource, {});
    addSpanEvents(span);
    addSpanLinks(span);
    finish();
}

QTreeWidgetItem *DetailsTree::findField(const QString &field) const
{
    const auto matches = findItems(field, Qt::MatchExactly | Qt::MatchRecursive, 0);
    for (QTreeWidgetItem *item : matches) {
        if (item->parent())
            return item;
    }
    return nullptr;
}

QTreeWidgetItem *DetailsTree::addSection(const QString &title)
{
    auto *item = new QTreeWidgetItem(this, {title});
    item->setFirstColumnSpanned(true);
    QFont bold = font();
    bold.setBold(true);
    item->setFont(0, bold);
    item->setFlags(Qt::ItemIsEnabled);
    return item;
}

// A value of megabytes had frozen the window for 40 s while the tree measured it (exploratory GUI test): the
// tree shows its start, and Copy value copies it whole.
QTreeWidgetItem *DetailsTree::addField(QTreeWidgetItem *parent, const QString &name, const QString &value)
{
    if (value.size() <= kShownChars) {
        auto *item = new QTreeWidgetItem(parent, {name, value});
        item->setToolTip(1, value);
        return item;
    }
    const QString shown = value.left(kShownChars) + tr(" … (%L1 characters in all: Copy value copies them)").arg(value.size());
    auto *item = new QTreeWidgetItem(parent, {name, shown});
    item->setData(1, FullTextRole, value);
    item->setToolTip(1, shown);
    return item;
}

QTreeWidgetItem *DetailsTree::addFilterable(QTreeWidgetItem *parent, const QString &name, const Json &value,
                                            const std::string &field)
{
    QTreeWidgetItem *item = addField(parent, name, toQString(jsonValueText(value)));
    if (!field.empty() && value.is_primitive() && !value.is_null()) {
        item->setData(0, FieldRole, QString::fromStdString(field));
        item->setData(0, ValueRole, QString::fromStdString(value.dump()));
    }
    return item;
}

void DetailsTree::addJson(QTreeWidgetItem *parent, const QString &name, const Json &value, const std::string &field)
{
    // However the members nest, a record shows at most kShownItems of them (review: 250 arrays of 999 made 250k rows).
    if (--m_itemsLeft < 0) {
        if (m_itemsLeft == -1)
            addField(parent, QStringLiteral("…"), tr("the rest is not shown: a record shows its first %L1 values").arg(kShownItems));
        return;
    }
    if (value.is_object()) {
        QTreeWidgetItem *item = addField(parent, name, tr("{%n field(s)}", nullptr, static_cast<int>(value.size())));
        if (field.empty()) { // no field to query (a body's JSON, an array's element): neither are its members
            int shown = 0;
            for (const auto &[key, member] : value.items())
                if (!noteMore(item, shown++, value.size()))
                    addJson(item, QString::fromStdString(key), member, {});
        } else {
            addJsonMembers(item, value, field + '.');
        }
        return;
    }
    if (value.is_array()) {
        const std::string compact = value.dump();
        const QString summary = compact.size() <= kShortArrayChars
            ? QString::fromStdString(compact)
            : tr("[%n item(s)]", nullptr, static_cast<int>(value.size()));
        QTreeWidgetItem *item = addField(parent, name, summary);
        int i = 0;
        for (const Json &element : value) {
            if (noteMore(item, i, value.size()))
                break;
            addJson(item, QStringLiteral("[%1]").arg(i++), element, {});
        }
        return;
    }
    addFilterable(parent, name, value, field);
}

// Past kShownMembers children, one line says how many more there are: a body of 100k elements had made as many rows.
bool DetailsTree::noteMore(QTreeWidgetItem *parent, int index, std::size_t count)
{
    if (index < kShownMembers)
        return false;
    if (index == kShownMembers)
        addField(parent, QStringLiteral("…"), tr("%L1 more not shown").arg(count - kShownMembers));
    return true;
}

void DetailsTree::addJsonMembers(QTreeWidgetItem *parent, const Json &object, const std::string &prefix)
{
    for (const auto &[key, value] : object.items())
        addJson(parent, QString::fromStdString(key), value, prefix + key);
}

void DetailsTree::addTraceLink(QTreeWidgetItem *parent, const QString &name, const std::string &traceId)
{
    QTreeWidgetItem *item = addFilterable(parent, name, traceId, "trace_id");
    if (traceId.empty())
        return;
    item->setData(0, TraceLinkRole, QString::fromStdString(traceId));
    item->setForeground(1, palette().link());
    QFont underlined = font();
    underlined.setUnderline(true);
    item->setFont(1, underlined);
    item->setToolTip(1, tr("Click to open trace %1").arg(QString::fromStdString(traceId)));
}

// A body that is JSON text is shown pretty-printed; any other body as it is.
void DetailsTree::addBody(const Json &body)
{
    QTreeWidgetItem *section = addSection(tr("Body"));
    Json parsed;
    if (body.is_string() && body.get_ref<const std::string &>().size() <= kParsedBodyBytes)
        parsed = parseJson(body.get_ref<const std::string &>());
    else if (!body.is_string())
        parsed = body;
    if (parsed.is_object() || parsed.is_array()) {
        const QString pretty = QString::fromStdString(parsed.dump(2));
        addField(section, tr("body (JSON)"), pretty);
        addJson(section, tr("fields"), parsed, {});
    } else {
        addFilterable(section, tr("body"), body, {});
    }
}

void DetailsTree::addSpanEvents(const Span &span)
{
    if (span.events.empty())
        return;
    QTreeWidgetItem *section = addSection(tr("Events (%1)").arg(span.events.size()));
    for (const SpanEvent &e : span.events) {
        QTreeWidgetItem *item = addField(section, QString::fromStdString(e.name),
                                         QStringLiteral("+") + formatMs(e.time - span.start));
        addField(item, tr("time"), formatRfc3339(e.time));
        if (e.attributes.is_object())
            addJsonMembers(item, e.attributes, {});
    }
}

void DetailsTree::addSpanLinks(const Span &span)
{
    if (span.links.empty())
        return;
    QTreeWidgetItem *section = addSection(tr("Links (%1)").arg(span.links.size()));
    for (const SpanLink &l : span.links) {
        QTreeWidgetItem *item = addField(section, tr("link"), QString::fromStdString(l.spanId));
        addTraceLink(item, tr("trace_id"), l.traceId);
        addField(item, tr("span_id"), QString::fromStdString(l.spanId));
        if (l.attributes.is_object())
            addJsonMembers(item, l.attributes, {});
    }
}

void DetailsTree::finish()
{
    for (int i = 0; i < topLevelItemCount(); ++i)
        topLevelItem(i)->setExpanded(true);
    resizeColumnToContents(0);
    horizontalScrollBar()->setValue(0); // a record is read from its start (exploratory test: the last one's scroll stayed)
}

// A link's value opens at one click, as links do (exploratory test: it took a double-click).
void DetailsTree::onItemClicked(QTreeWidgetItem *item, int column)
{
    const QString traceId = traceLinkAt(item, column);
    if (!traceId.isEmpty())
        Q_EMIT traceActivated(traceId);
}

// A double-click on the field's name; on the value, the click before it has opened the trace.
void DetailsTree::onItemDoubleClicked(QTreeWidgetItem *item, int column)
{
    const QString traceId = traceLinkOf(item);
    if (!traceId.isEmpty() && traceLinkAt(item, column).isEmpty())
        Q_EMIT traceActivated(traceId);
}

// Enter on a link's row, whichever column is current (review: on the value it did nothing).
void DetailsTree::keyPressEvent(QKeyEvent *event)
{
    const QString traceId = traceLinkOf(currentItem());
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && !traceId.isEmpty()) {
        Q_EMIT traceActivated(traceId);
        return;
    }
    QTreeWidget::keyPressEvent(event);
}

QString DetailsTree::traceLinkAt(const QTreeWidgetItem *item, int column)
{
    return column == 1 ? traceLinkOf(item) : QString();
}

QString DetailsTree::traceLinkOf(const QTreeWidgetItem *item)
{
    return item ? item->data(0, TraceLinkRole).toString() : QString();
}

void DetailsTree::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const bool overLink = !traceLinkAt(itemAt(pos), columnAt(pos.x())).isEmpty();
    viewport()->setCursor(overLink ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QTreeWidget::mouseMoveEvent(event);
}

void DetailsTree::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = itemAt(pos);
    if (!item || !item->parent())
        return;
    QMenu *menu = buildMenu(item);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(viewport()->mapToGlobal(pos));
}

// A popup rather than exec(): tests and the user reach its actions the same way, without a nested loop.
QMenu *DetailsTree::buildMenu(QTreeWidgetItem *item)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("fieldMenu"));
    const QVariant whole = item->data(1, FullTextRole);
    const QString value = whole.isValid() ? whole.toString() : item->text(1);
    menu->addAction(tr("Copy value"), this, [value] { QApplication::clipboard()->setText(value); });

    const QString traceId = traceLinkOf(item);
    if (!traceId.isEmpty())
        menu->addAction(tr("Open trace"), this, [this, traceId] { Q_EMIT traceActivated(traceId); });

    const QString field = item->data(0, FieldRole).toString();
    if (!field.isEmpty()) {
        const Json json = parseJson(item->data(0, ValueRole).toString().toStdString());
        const auto condition = [&](Op op) { return QString::fromStdString(conditionToText(textOnly({field.toStdString(), op, json}))); };
        const QString include = condition(Op::Eq);
        const QString exclude = condition(Op::Ne);
        menu->addSeparator();
        menu->addAction(tr("Filter by %1").arg(include), this, [this, include] { Q_EMIT conditionRequested(include); });
        menu->addAction(tr("Exclude %1").arg(exclude), this, [this, exclude] { Q_EMIT conditionRequested(exclude); });
        if (m_eventActions)
            menu->addAction(tr("Group by %1").arg(field), this, [this, field] { Q_EMIT groupByRequested(field); });
    }
    if (m_eventActions && m_showsRecord) {
        menu->addSeparator();
        menu->addAction(tr("Show context"), this, [this] { Q_EMIT contextRequested(); });
    }
    return menu;
}

} // namespace fd
