#include "DoraView.h"
#include "IncidentEntries.h"
#include "TrendDelegate.h"
#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace fd {

namespace {

const QColor kFailed(0xd6, 0x36, 0x36);

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString hoursText(double hours)
{
    if (hours < 1)
        return DoraView::tr("%1 min").arg(std::lround(hours * 60));
    if (hours < 48)
        return DoraView::tr("%1 h").arg(hours, 0, 'f', 1);
    return DoraView::tr("%1 d").arg(hours / 24, 0, 'f', 1);
}

QString minutesText(double minutes)
{
    return minutes < 120 ? DoraView::tr("%1 min").arg(std::lround(minutes)) : hoursText(minutes / 60);
}

QString periodText(DurationNs d)
{
    if (d % kDay == 0)
        return d == kDay ? DoraView::tr("day") : DoraView::tr("%1 days").arg(d / kDay);
    return DoraView::tr("%1 h").arg(static_cast<double>(d) / kHour, 0, 'g', 3);
}

QString timeText(TimeNs t, const QString &format)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(format);
}

QString rangeText(const TimeRange &r)
{
    const QString format = QStringLiteral("ddd d MMM HH:mm");
    return QStringLiteral("%1 – %2").arg(timeText(r.from, format), timeText(r.to, format));
}

// The magnitude of a change, in the figure's unit.
QString deltaText(DoraFigure which, double delta)
{
    const double d = std::abs(delta);
    switch (which) {
    case DoraFigure::DeploysPerDay:
        return QString::number(d, 'f', d < 10 ? 1 : 0);
    case DoraFigure::LeadTime:
        return hoursText(d);
    case DoraFigure::ChangeFailureRate:
        return DoraView::tr("%1 pp").arg(std::lround(d * 100));
    case DoraFigure::TimeToRestore:
        return minutesText(d);
    }
    return {};
}

const char *lowerOrHigher(DoraFigure which)
{
    return lowerIsBetter(which) ? "lower is better" : "higher is better";
}

QStandardItem *item(const QString &text)
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    return i;
}

QTreeView *tableView(QWidget *parent)
{
    auto *v = new QTreeView(parent);
    v->setRootIsDecorated(false);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setAlternatingRowColors(true);
    v->setUniformRowHeights(true);
    return v;
}

// A short table as tall as its rows, so the deploys below get the room; a long one scrolls.
void fitToRows(QTreeView *view, int rows)
{
    constexpr int kMaxRows = 10;
    const int shown = std::clamp(rows, 1, kMaxRows);
    const int rowHeight = std::max(view->sizeHintForRow(0), view->fontMetrics().height() + 8);
    view->setFixedHeight(view->header()->sizeHint().height() + shown * rowHeight + 2 * view->frameWidth() + 2);
}

constexpr DoraFigure kFigures[] = {DoraFigure::DeploysPerDay, DoraFigure::LeadTime, DoraFigure::ChangeFailureRate,
                                   DoraFigure::TimeToRestore};

} // namespace

DoraView::DoraView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    m_note = new QLabel(this);
    m_note->setTextFormat(Qt::PlainText); // it quotes a source's words
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #b45309"));
    m_note->hide();
    m_figures = new QStandardItemModel(this);
    m_figuresView = tableView(this);
    m_figuresView->setModel(m_figures);
    m_figuresView->setItemDelegate(new TrendDelegate(m_figuresView));
    m_figuresView->setToolTip(tr("Click a service to see its deploys"));

    m_deploysTitle = new QLabel(this);
    QFont bold = m_deploysTitle->font();
    bold.setBold(true);
    m_deploysTitle->setFont(bold);
    m_deploys = new QStandardItemModel(this);
    m_deploysFilter = new QSortFilterProxyModel(this);
    m_deploysFilter->setSourceModel(m_deploys);
    m_deploysFilter->setFilterKeyColumn(DeployServiceColumn);
    m_deploysView = tableView(this);
    m_deploysView->setModel(m_deploysFilter);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->addWidget(m_title);
    layout->addWidget(m_note);
    layout->addWidget(m_figuresView);
    layout->addSpacing(6);
    layout->addWidget(m_deploysTitle);
    layout->addWidget(m_deploysView, 3);

    connect(m_figuresView, &QTreeView::clicked, this, &DoraView::onFigureClicked);
    connect(m_deploysView, &QTreeView::clicked, this, &DoraView::onDeployClicked);
    auto *addToIncident = new QAction(tr("Add to incident"), m_deploysView);
    addToIncident->setShortcut(Qt::CTRL | Qt::Key_I);
    addToIncident->setShortcutContext(Qt::WidgetShortcut);
    m_deploysView->addAction(addToIncident);
    m_deploysView->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(addToIncident, &QAction::triggered, this, &DoraView::addCurrentDeployToIncident);
    setTrend({});
}

void DoraView::setTrend(const DoraTrend &trend)
{
    m_trend = trend;
    QStringList leftOut;
    for (const std::string &why : trend.leftOut)
        leftOut << QString::fromStdString(why);
    setNote(leftOut.isEmpty() ? QString() : tr("Not counted: %1").arg(leftOut.join(QStringLiteral("; "))));
    const TimeRange &r = trend.range;
    m_title->setText(r.length() > 0 ? tr("<b>DORA</b> · %1 · trends against the previous %2")
                                          .arg(rangeText(r), periodText(r.length()))
                                    : tr("<b>DORA</b>"));
    fillFigures();
    fillDeploys();
    setServiceFilter(m_service);
}

QString DoraView::titleText() const
{
    return m_title->text();
}

void DoraView::setUpdating(const TimeRange &range)
{
    m_updating = range;
    setNote(tr("Updating to %1…").arg(rangeText(range)));
}

void DoraView::setNotUpdated(const QString &why)
{
    if (m_trend.range.length() > 0)
        setNote(tr("Not updated to %1: %2. The figures are of the range above.").arg(rangeText(m_updating), why));
    else
        setNote(tr("No figures for %1: %2. Refresh computes them.").arg(rangeText(m_updating), why));
}

void DoraView::setNote(const QString &note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QString DoraView::noteText() const
{
    return m_note->text();
}

QString DoraView::figureText(DoraFigure which, double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    switch (which) {
    case DoraFigure::DeploysPerDay:
        return tr("%1 /day").arg(value, 0, 'f', value < 10 ? 1 : 0);
    case DoraFigure::LeadTime:
        return hoursText(value);
    case DoraFigure::ChangeFailureRate:
        return tr("%1 %").arg(std::lround(value * 100));
    case DoraFigure::TimeToRestore:
        return minutesText(value);
    }
    return {};
}

QString DoraView::trendText(DoraFigure which, const FigureTrend &t)
{
    if (!std::isfinite(t.delta))
        return {};
    if (t.verdict == 0)
        return tr("= same");
    const bool up = t.delta > 0;
    return (up ? QStringLiteral("▲ +") : QStringLiteral("▼ −")) + deltaText(which, t.delta);
}

void DoraView::appendFigureRow(const QString &label, const DoraTrendRow &row, bool bold)
{
    QList<QStandardItem *> items{item(label)};
    for (const DoraFigure which : kFigures) {
        const FigureTrend t = row.trend(which);
        QStandardItem *cell = item(figureText(which, t.current));
        cell->setData(t.current, ValueRole);
        cell->setData(trendText(which, t), TrendDelegate::TextRole);
        cell->setData(t.verdict, TrendDelegate::VerdictRole);
        cell->setToolTip(tr("previous %1: %2 (%3)")
                             .arg(periodText(m_trend.range.length()), figureText(which, t.previous),
                                  tr(lowerOrHigher(which))));
        items << cell;
    }
    items.front()->setToolTip(tr("%1 deploys, %2 in the previous period").arg(row.current.deploys).arg(row.previous.deploys));
    if (bold) {
        for (QStandardItem *i : items) {
            QFont f = i->font();
            f.setBold(true);
            i->setFont(f);
        }
    }
    m_figures->appendRow(items);
}

void DoraView::fillFigures()
{
    m_figures->clear();
    m_figures->setHorizontalHeaderLabels(
        {tr("Service"), tr("Deploys / day"), tr("Lead time (median)"), tr("Change failure rate"), tr("Time to restore (median)")});
    appendFigureRow(tr("All services"), m_trend.overall, true);
    for (const DoraTrendRow &row : m_trend.services)
        appendFigureRow(qs(row.service), row, false);
    QHeaderView *header = m_figuresView->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Stretch);
    header->setSectionResizeMode(ServiceColumn, QHeaderView::ResizeToContents);
    fitToRows(m_figuresView, m_figures->rowCount());
}

void DoraView::fillDeploys()
{
    m_deploys->clear();
    m_deploys->setHorizontalHeaderLabels({tr("Time"), tr("Service"), tr("Version"), tr("Commit"), tr("Lead time"), tr("Result")});
    int index = 0;
    for (const DeployEntry &d : m_trend.deploys) {
        const Marker &m = d.marker;
        QList<QStandardItem *> items{item(timeText(m.time, QStringLiteral("ddd d MMM HH:mm"))), item(qs(m.service)),
                                     item(qs(m.version)), item(qs(m.commit).left(10)),
                                     item(std::isfinite(d.leadTimeHours) ? hoursText(d.leadTimeHours) : QStringLiteral("–")),
                                     item(d.failure.empty() ? QString() : tr("failed: %1").arg(qs(d.failure)))};
        items[ResultColumn]->setForeground(kFailed);
        if (!d.failure.empty())
            items[ResultColumn]->setToolTip(tr("followed within 1 h by %1").arg(qs(d.failure)));
        items[TimeColumn]->setToolTip(qs(m.title));
        items[CommitColumn]->setToolTip(qs(m.commit));
        for (QStandardItem *i : items)
            i->setData(index, DeployIndexRole);
        m_deploys->appendRow(items);
        ++index;
    }
    m_deploysView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void DoraView::setServiceFilter(const QString &service)
{
    m_service = service;
    m_deploysFilter->setFilterRegularExpression(
        service.isEmpty() ? QString() : QStringLiteral("^%1$").arg(QRegularExpression::escape(service)));
    updateDeploysTitle();
}

int DoraView::visibleDeployCount() const
{
    return m_deploysFilter->rowCount();
}

void DoraView::updateDeploysTitle()
{
    int failed = 0;
    for (int r = 0; r < m_deploysFilter->rowCount(); ++r)
        failed += m_deploysFilter->index(r, ResultColumn).data().toString().isEmpty() ? 0 : 1;
    const QString whose = m_service.isEmpty() ? tr("Deploys") : tr("Deploys of %1").arg(m_service);
    m_deploysTitle->setText(tr("%1 (%2, %3 failed)").arg(whose).arg(visibleDeployCount()).arg(failed));
}

void DoraView::onFigureClicked(const QModelIndex &index)
{
    setServiceFilter(index.row() == 0 ? QString() : m_figures->index(index.row(), ServiceColumn).data().toString());
}

const Marker *DoraView::deployAt(const QModelIndex &index) const
{
    const int i = index.siblingAtColumn(0).data(DeployIndexRole).toInt();
    if (!index.isValid() || i < 0 || static_cast<std::size_t>(i) >= m_trend.deploys.size())
        return nullptr;
    return &m_trend.deploys[static_cast<std::size_t>(i)].marker;
}

void DoraView::onDeployClicked(const QModelIndex &index)
{
    if (const Marker *m = deployAt(index))
        Q_EMIT markerActivated(*m);
}

void DoraView::addCurrentDeployToIncident()
{
    if (const Marker *m = deployAt(m_deploysView->currentIndex()))
        Q_EMIT addToIncident(markerEntry(*m));
}

} // namespace fd
