#include "FieldSidebar.h"
#include "ShareBarDelegate.h"

#include "models/JobRunner.h"
#include "models/Query.h"
#include "models/Telemetry.h"

#include <QHeaderView>
#include <QLocale>
#include <QScrollBar>
#include <QSet>

namespace fd {

FieldSidebar::FieldSidebar(QWidget *parent)
    : QTreeWidget(parent)
    , m_runner(new JobRunner(this))
{
    setObjectName(QStringLiteral("fieldSidebar"));
    setColumnCount(2);
    setHeaderLabels({ tr("Field / value"), tr("Share") });
    headerItem()->setToolTip(1, tr("Rows of the whole result holding the value, and their share"));
    setRootIsDecorated(true);
    setUniformRowHeights(false);
    setItemDelegateForColumn(1, new ShareBarDelegate(this));
    header()->setStretchLastSection(true);
    setColumnWidth(0, 130); // the share column keeps room for "24,593 · 88%" and its bar
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const QString condition = item ? item->data(0, ConditionRole).toString() : QString();
        if (!condition.isEmpty())
            Q_EMIT conditionRequested(condition);
    });
}

FieldSidebar::~FieldSidebar()
{
    m_runner->disconnect(this);
}

void FieldSidebar::summarize(DataSourcePtr source, const Query &query, const TimeRange &range,
    const std::vector<std::string> &fields, bool update)
{
    if (update && !source)
        return;
    if (!update) {
        clear();
        if (!source)
            return;
        auto *loading = new QTreeWidgetItem(this, { tr("Counting values…") });
        loading->setFirstColumnSpanned(true);
    }
    m_runner->run<std::shared_ptr<const std::vector<FieldSummary>>>(
        [source, query, range, fields](const CancelTokenPtr &cancel) {
            return std::make_shared<const std::vector<FieldSummary>>(
                source->summarizeFields(query, range, fields, kTopValues, cancel));
        },
        [this](const std::shared_ptr<const std::vector<FieldSummary>> &summaries) { show(*summaries); },
        [this](const QString &message) { showMessage(tr("Field values: %1").arg(message)); });
}

void FieldSidebar::cancel()
{
    m_runner->cancel();
}

void FieldSidebar::showMessage(const QString &text)
{
    clear();
    auto *item = new QTreeWidgetItem(this, { text });
    item->setFirstColumnSpanned(true);
}

bool FieldSidebar::isBusy() const
{
    return m_runner->busy();
}

QString FieldSidebar::valueText(const std::string &field, const Json &value)
{
    if (value.is_null())
        return tr("(missing)");
    if (const auto n = field == "severity" ? jsonInt(value) : std::nullopt)
        return QStringLiteral("%1 (%2)").arg(QString::fromStdString(severityName(*n))).arg(*n);
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString::fromStdString(value.dump());
}

QString FieldSidebar::conditionFor(const std::string &field, const Json &value)
{
    if (value.is_null())
        return QString::fromStdString(conditionToText({ field, Op::NotExists, nullptr }));
    return QString::fromStdString(conditionToText(textOnly({ field, Op::Eq, value })));
}

void FieldSidebar::show(const std::vector<FieldSummary> &summaries)
{
    // A recount of the same query replaces the items: the fields folded and the scroll stay as they were.
    QSet<QString> folded;
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->childCount() > 0 && !topLevelItem(i)->isExpanded())
            folded.insert(topLevelItem(i)->text(0));
    const int scrolled = verticalScrollBar()->value();
    clear();
    const QLocale locale;
    QFont bold = font();
    bold.setBold(true);
    for (const FieldSummary &s : summaries) {
        auto *fieldItem = new QTreeWidgetItem(this, { QString::fromStdString(s.field) });
        fieldItem->setFont(0, bold);
        fieldItem->setFirstColumnSpanned(true);
        if (s.values.empty())
            new QTreeWidgetItem(fieldItem, { tr("(no values)") });
        for (const FieldSummary::Value &v : s.values) {
            const double share = s.total > 0 ? static_cast<double>(v.count) / static_cast<double>(s.total) : 0.0;
            auto *item = new QTreeWidgetItem(fieldItem);
            item->setText(0, valueText(s.field, v.value));
            item->setText(1,
                tr("%1 · %2%")
                    .arg(locale.toString(static_cast<qlonglong>(v.count)))
                    .arg(share * 100, 0, 'f', share < 0.1 ? 1 : 0));
            item->setData(1, ShareBarDelegate::AfterRole, share);
            item->setData(0, ConditionRole, conditionFor(s.field, v.value));
            item->setToolTip(0, tr("Click to filter by %1").arg(conditionFor(s.field, v.value)));
        }
    }
    expandAll();
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (folded.contains(topLevelItem(i)->text(0)))
            topLevelItem(i)->setExpanded(false);
    verticalScrollBar()->setValue(scrolled);
    Q_EMIT summarized();
}

QTreeWidgetItem *FieldSidebar::valueItem(const QString &field, const QString &value) const
{
    for (int i = 0; i < topLevelItemCount(); ++i) {
        QTreeWidgetItem *f = topLevelItem(i);
        if (f->text(0) != field)
            continue;
        for (int c = 0; c < f->childCount(); ++c)
            if (f->child(c)->text(0) == value)
                return f->child(c);
    }
    return nullptr;
}

} // namespace fd
