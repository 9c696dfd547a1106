#include "TraceCompareView.h"

#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

namespace fd {

namespace {

const QColor kSlower(0xd3, 0x2f, 0x2f);
const QColor kFaster(0x2e, 0x7d, 0x32);
const QColor kAdded(0x19, 0x76, 0xd2);

QString msText(DurationNs d)
{
    const double ms = static_cast<double>(d) / 1e6;
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
}

QStandardItem *item(const QString &text, const QVariant &sort)
{
    auto *i = new QStandardItem(text);
    i->setData(sort, TraceCompareView::kSortRole);
    i->setEditable(false);
    return i;
}

// The stronger the change, the stronger the tint: 100% slower (or half the time) is full strength.
QColor tint(const PathDiff &d)
{
    if (d.added())
        return QColor(kAdded.red(), kAdded.green(), kAdded.blue(), 50);
    if (d.missing())
        return QColor(128, 128, 128, 50);
    const double r = d.relativeDelta();
    if (std::abs(r) < 0.05)
        return Qt::transparent;
    const QColor base = r > 0 ? kSlower : kFaster;
    const int alpha = static_cast<int>(30 + 130 * std::min(1.0, std::abs(r > 0 ? r : r / 0.5)));
    return QColor(base.red(), base.green(), base.blue(), alpha);
}

} // namespace

TraceCompareView::TraceCompareView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_model(new QStandardItemModel(this))
    , m_view(new QTreeView(this))
{
    m_title->setObjectName(QStringLiteral("compareTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setTextFormat(Qt::PlainText);
    setHeaders(false);
    m_model->setSortRole(kSortRole);
    m_view->setObjectName(QStringLiteral("compareTree"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(false);
    m_view->setSortingEnabled(false); // the tree order is the point; the deltas are coloured instead
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    setPlaceholder(tr("Right-click a trace in the list and choose \"Compare with the open trace\" or \"Compare with the "
                      "median of similar traces\"."));
}

void TraceCompareView::setPlaceholder(const QString &text)
{
    m_model->removeRows(0, m_model->rowCount());
    m_title->setText(text);
}

void TraceCompareView::setHeaders(bool median)
{
    if (median)
        m_model->setHorizontalHeaderLabels({tr("Operation path"), tr("Count median → trace"), tr("Median total"),
                                            tr("This trace"), tr("Δ (trace − median)"), tr("Δ %")});
    else
        m_model->setHorizontalHeaderLabels({tr("Operation path"), tr("Count A → B"), tr("Total A"), tr("Total B"),
                                            tr("Δ (B − A)"), tr("Δ %")});
}

TraceCompareView::Counts TraceCompareView::fill(const std::vector<PathDiff> &diff, const MedianProfile *profile)
{
    m_model->removeRows(0, m_model->rowCount());
    Counts counts;
    std::map<std::vector<std::string>, QStandardItem *> parents;
    for (const PathDiff &d : diff) {
        counts.added += d.added() ? 1 : 0;
        counts.missing += d.missing() ? 1 : 0;
        if (d.path.size() == 1) {
            counts.rootA += d.totalA;
            counts.rootB += d.totalB;
        }
        QString name = QString::fromStdString(d.path.back());
        if (d.added())
            name = (profile ? tr("+ %1  (not in most traces)") : tr("+ %1  (added in B)")).arg(name);
        else if (d.missing())
            name = (profile ? tr("− %1  (missing: most traces have it)") : tr("− %1  (missing in B)")).arg(name);
        QList<QStandardItem *> row{
            item(name, name),
            item(QStringLiteral("%1 → %2").arg(d.countA).arg(d.countB), QVariant::fromValue<qint64>(d.countB - d.countA)),
            item(d.countA ? msText(d.totalA) : QStringLiteral("—"), QVariant::fromValue<qint64>(d.totalA)),
            item(d.countB ? msText(d.totalB) : QStringLiteral("—"), QVariant::fromValue<qint64>(d.totalB)),
            item((d.delta() > 0 ? QStringLiteral("+") : QString()) + msText(d.delta()), QVariant::fromValue<qint64>(d.delta())),
            item(d.added() || d.missing() ? QString() : QStringLiteral("%1%2%").arg(QLatin1String(d.relativeDelta() > 0 ? "+" : ""))
                                                                           .arg(d.relativeDelta() * 100, 0, 'f', 0),
                 d.relativeDelta()),
        };
        QString tip = QString::fromStdString(d.text());
        if (profile) {
            const PathMedian *m = profile->find(d.path);
            tip += QLatin1Char('\n') + tr("in %1 of the %2 similar traces").arg(m ? m->traces : 0).arg(profile->traces);
        }
        row[PathColumn]->setToolTip(tip);
        for (int c = CountColumn; c < ColumnCount; ++c)
            row[c]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        const QColor background = tint(d);
        for (QStandardItem *i : row)
            i->setBackground(background);
        if (d.missing())
            for (QStandardItem *i : row)
                i->setForeground(QColor(120, 120, 120));
        std::vector<std::string> parentPath(d.path.begin(), d.path.end() - 1);
        const auto parent = parents.find(parentPath);
        if (parent != parents.end())
            parent->second->appendRow(row);
        else
            m_model->appendRow(row);
        parents[d.path] = row.front();
    }
    m_view->expandAll();
    return counts;
}

void TraceCompareView::setComparison(const QString &traceA, const QString &traceB, const std::vector<PathDiff> &diff)
{
    setHeaders(false);
    const Counts c = fill(diff, nullptr);
    QString title = tr("A: %1   B: %2   ·   %3 → %4").arg(traceA, traceB, msText(c.rootA), msText(c.rootB));
    title += tr("   ·   %n path(s) added", nullptr, c.added) + tr(", %n missing", nullptr, c.missing);
    m_title->setText(title + QLatin1Char('\n') + tr("Red: slower in B, green: faster (the stronger, the larger the change)."));
}

void TraceCompareView::setMedianComparison(const QString &traceId, const MedianComparison &comparison)
{
    setHeaders(true);
    const Counts c = fill(comparison.diff, &comparison.profile);
    QString title = tr("Trace %1 against the median of %n similar trace(s)", nullptr,
                       static_cast<int>(comparison.profile.traces)).arg(traceId);
    title += tr(" (%1 • %2)   ·   median %3 → %4")
                 .arg(QString::fromStdString(comparison.service), QString::fromStdString(comparison.operation),
                      msText(c.rootA), msText(c.rootB));
    title += tr("   ·   %n path(s) not in most traces", nullptr, c.added) + tr(", %n missing", nullptr, c.missing);
    m_title->setText(title + QLatin1Char('\n')
                     + tr("Red: slower than the median, green: faster (the stronger, the larger the change)."));
}

} // namespace fd
