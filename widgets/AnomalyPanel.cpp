#include "AnomalyPanel.h"
#include "ChartView.h"
#include "ShareBarDelegate.h"
#include "models/TileEvents.h"
#include <QDateTime>
#include <QDesktopServices>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTextDocumentFragment>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace fd {

namespace {

const QColor kDown(0xd6, 0x36, 0x36);
const QColor kUp(0xe0, 0x7a, 0x00);
const QColor kLink(0x2f, 0x6f, 0xeb);
const QColor kDim(0x6a, 0x6f, 0x78);

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString localTime(TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(QStringLiteral("ddd HH:mm"));
}

QString lengthText(DurationNs d)
{
    const auto minutes = d / kMinute;
    if (minutes < 120)
        return AnomalyPanel::tr("%1 min").arg(minutes);
    return AnomalyPanel::tr("%1 h").arg(static_cast<double>(d) / kHour, 0, 'f', 1);
}

QString percent(double share)
{
    return std::isfinite(share) ? QString::number(std::lround(share * 100)) + QStringLiteral(" %") : QStringLiteral("?");
}

double share(const Json &change, const char *key)
{
    const Json v = change.value(key, Json());
    return v.is_number() ? v.get<double>() : NAN;
}

// The mean of the series and of the expected value over the anomaly's buckets.
std::pair<double, double> observedAndExpected(const TileResult &r, const TimeRange &window)
{
    double observed = 0, expected = 0;
    int n = 0;
    for (std::size_t i = 0; i < r.series.size() && i < r.band.expected.size(); ++i) {
        const double v = r.series.values[i], e = r.band.expected[i];
        if (!window.contains(r.series.timeAt(i)) || !std::isfinite(v) || !std::isfinite(e))
            continue;
        observed += v;
        expected += e;
        ++n;
    }
    return n > 0 ? std::make_pair(observed / n, expected / n) : std::make_pair(double(NAN), double(NAN));
}

QStandardItem *item(const QString &text)
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    return i;
}

QStandardItem *detailItem(const QString &text, const QColor &color, int suspect)
{
    QStandardItem *i = item(text);
    if (color.isValid())
        i->setForeground(color);
    i->setData(suspect, AnomalyPanel::SuspectIndexRole);
    return i;
}

int rowHeight(const QTreeView *view, const QModelIndex &index)
{
    int h = view->fontMetrics().height();
    for (int c = 0; c < view->model()->columnCount(index.parent()); ++c)
        h = std::max(h, view->sizeHintForIndex(index.siblingAtColumn(c)).height());
    return h;
}

// A short list as tall as its rows (expanded children included), the room left goes below it; a
// long one scrolls.
void fitToRows(QTreeView *view, int maxRows)
{
    const QAbstractItemModel *model = view->model();
    int height = 0, rows = 0;
    for (int r = 0; r < model->rowCount() && rows < maxRows; ++r, ++rows) {
        const QModelIndex top = model->index(r, 0);
        height += rowHeight(view, top);
        for (int k = 0; k < model->rowCount(top) && rows < maxRows; ++k, ++rows)
            height += rowHeight(view, model->index(k, 0, top));
    }
    view->setFixedHeight(view->header()->sizeHint().height() + std::max(height, view->fontMetrics().height())
                         + 2 * view->frameWidth() + 2);
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

QLabel *placeholder(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #6a6f78; font-style: italic"));
    return l;
}

QTreeView *listView(QWidget *parent)
{
    auto *v = new QTreeView(parent);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setAlternatingRowColors(false);
    v->setMouseTracking(true);
    v->header()->setStretchLastSection(false);
    return v;
}

} // namespace

AnomalyPanel::AnomalyPanel(QWidget *parent) : QWidget(parent)
{
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_suspects = new QStandardItemModel(this);
    m_suspectsView = listView(this);
    m_suspectsView->setModel(m_suspects);
    m_suspectsView->setWordWrap(true);
    m_noSuspects = placeholder(this);

    m_changes = new QStandardItemModel(this);
    m_changesView = listView(this);
    m_changesView->setModel(m_changes);
    m_changesView->setRootIsDecorated(false);
    m_changesView->setItemDelegateForColumn(1, new ShareBarDelegate(m_changesView));
    m_changesView->setCursor(Qt::PointingHandCursor);
    m_noChanges = placeholder(this);

    auto *hint = new QLabel(tr("Click a value to see its events in the anomaly window."), this);
    hint->setStyleSheet(QStringLiteral("color: #6a6f78"));
    hint->setWordWrap(true);

    auto *createIncident = new QPushButton(tr("Create incident"), this);
    createIncident->setObjectName(QStringLiteral("createIncident"));
    createIncident->setToolTip(tr("Open an incident with this anomaly's window, suspects and what changed"));
    connect(createIncident, &QPushButton::clicked, this, [this] {
        if (const Anomaly *a = anomaly())
            Q_EMIT this->createIncident(incidentFromAnomaly(m_result.name, *a));
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->addWidget(m_header);
    layout->addWidget(createIncident, 0, Qt::AlignLeft);
    layout->addSpacing(6);
    layout->addWidget(sectionLabel(tr("Suspects"), this));
    layout->addWidget(m_suspectsView);
    layout->addWidget(m_noSuspects);
    layout->addSpacing(6);
    layout->addWidget(sectionLabel(tr("What changed"), this));
    layout->addWidget(m_changesView);
    layout->addWidget(m_noChanges);
    layout->addWidget(hint);
    layout->addStretch(1);
    setMinimumWidth(320);

    connect(m_suspectsView, &QTreeView::clicked, this, &AnomalyPanel::onSuspectClicked);
    connect(m_changesView, &QTreeView::clicked, this, &AnomalyPanel::onChangeClicked);
    clear();
}

void AnomalyPanel::setTile(const Tile &tile)
{
    m_tile = tile;
}

void AnomalyPanel::setTileResult(const TileResult &result, int anomalyIndex)
{
    m_result = result;
    m_anomalyIndex = anomalyIndex >= 0 && static_cast<std::size_t>(anomalyIndex) < result.anomalies.size() ? anomalyIndex : -1;
    fillHeader();
    fillSuspects();
    fillChanges();
}

void AnomalyPanel::clear()
{
    setTileResult({}, -1);
}

const Anomaly *AnomalyPanel::anomaly() const
{
    return m_anomalyIndex >= 0 ? &m_result.anomalies[static_cast<std::size_t>(m_anomalyIndex)] : nullptr;
}

TimeRange AnomalyPanel::anomalyWindow() const
{
    const Anomaly *a = anomaly();
    if (!a)
        return {};
    if (!a->open)
        return {a->start, std::max(a->end, a->start + 1)};
    const BucketSeries &s = m_result.series;
    const TimeNs seriesEnd = s.start + static_cast<TimeNs>(s.size()) * s.step;
    return {a->start, std::max(seriesEnd, a->start + std::max<DurationNs>(s.step, kMinute))};
}

QString AnomalyPanel::headerText() const
{
    return QTextDocumentFragment::fromHtml(m_header->text()).toPlainText();
}

void AnomalyPanel::fillHeader()
{
    const Anomaly *a = anomaly();
    const QString name = m_result.name.empty() ? tr("Anomaly") : qs(m_result.name).toHtmlEscaped();
    if (!a) {
        m_header->setText(QStringLiteral("<b>%1</b><br>%2").arg(name, tr("Select an anomaly on a tile.")));
        return;
    }
    const TimeRange w = anomalyWindow();
    const QString when = a->open ? tr("since %1, ongoing (%2)").arg(localTime(a->start), lengthText(w.length()))
                                 : tr("%1 – %2 (%3)").arg(localTime(a->start), localTime(a->end), lengthText(w.length()));
    const QString count = m_result.anomalies.size() > 1
                              ? tr("Anomaly %1 of %2").arg(m_anomalyIndex + 1).arg(m_result.anomalies.size())
                              : tr("Anomaly");
    const bool down = a->direction < 0;
    QString size = (down ? tr("▼ down %1 % vs expected") : tr("▲ up %1 % vs expected")).arg(std::lround(std::abs(a->size) * 100));
    const auto [observed, expected] = observedAndExpected(m_result, w);
    QString values;
    if (std::isfinite(observed) && std::isfinite(expected)) {
        const QString unit = qs(m_result.unit);
        values = tr("%1 against %2 expected").arg(formatValue(observed, unit), formatValue(expected, unit));
    }
    m_header->setText(QStringLiteral("<div style='font-size:large'><b>%1</b></div>"
                                     "<div>%2 · %3</div>"
                                     "<div><span style='color:%4; font-weight:bold'>%5</span>%6</div>")
                          .arg(name, count, when, (down ? kDown : kUp).name(), size,
                               values.isEmpty() ? QString() : QStringLiteral(" · ") + values.toHtmlEscaped()));
}

std::vector<std::size_t> AnomalyPanel::rankedSuspects() const
{
    const Anomaly *a = anomaly();
    if (!a)
        return {};
    std::vector<std::size_t> order(a->suspects.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [a](std::size_t x, std::size_t y) { return a->suspects[x].score > a->suspects[y].score; });
    return order;
}

void AnomalyPanel::fillSuspects()
{
    m_suspects->clear();
    m_suspects->setHorizontalHeaderLabels({tr("Suspect"), tr("Score")});
    const Anomaly *a = anomaly();
    int rank = 0;
    for (const std::size_t i : rankedSuspects()) {
        const Suspect &s = a->suspects[i];
        const Marker &m = s.marker;
        const int index = static_cast<int>(i);
        QString what = QStringLiteral("%1. %2 · %3").arg(++rank).arg(qs(m.kind), qs(m.service));
        if (!m.version.empty())
            what += QLatin1Char(' ') + qs(m.version);
        QStandardItem *top = item(what);
        QFont bold = top->font();
        bold.setBold(true);
        top->setFont(bold);
        top->setData(ChartView::markerColor(m.kind), Qt::DecorationRole);
        top->setData(index, SuspectIndexRole);
        top->setToolTip(qs(m.title));
        QStandardItem *score = item(QString::number(s.score, 'f', 2));
        score->setData(index, SuspectIndexRole);
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);

        if (!m.title.empty())
            top->appendRow(detailItem(qs(m.title), QColor(), index));
        QStringList facts{localTime(m.time)};
        if (!m.version.empty())
            facts << tr("version %1").arg(qs(m.version));
        if (!m.commit.empty())
            facts << tr("commit %1").arg(qs(m.commit).left(10));
        top->appendRow(detailItem(facts.join(QStringLiteral(" · ")), kDim, index));
        for (const std::string &reason : s.reasons)
            top->appendRow(detailItem(QStringLiteral("✓ ") + qs(reason), QColor(0x2e, 0x7d, 0x46), index));
        if (!m.url.empty()) {
            QStandardItem *link = detailItem(qs(m.url), kLink, index);
            QFont underlined = link->font();
            underlined.setUnderline(true);
            link->setFont(underlined);
            link->setData(QUrl(qs(m.url)), LinkRole);
            link->setToolTip(tr("Open %1").arg(qs(m.url)));
            top->appendRow(link);
        }
        m_suspects->appendRow({top, score});
    }
    m_suspectsView->expandAll();
    fitToRows(m_suspectsView, 18);
    m_suspectsView->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_suspectsView->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    const bool any = m_suspects->rowCount() > 0;
    m_suspectsView->setVisible(any);
    m_noSuspects->setText(a ? tr("No markers in the 2 h before the start.") : QString());
    m_noSuspects->setVisible(!any && a);
}

void AnomalyPanel::fillChanges()
{
    m_changes->clear();
    m_changes->setHorizontalHeaderLabels({tr("Value"), tr("Share before → during")});
    const Anomaly *a = anomaly();
    if (a && a->whatChanged.is_array()) {
        int index = 0;
        for (const Json &c : a->whatChanged) {
            const QString text = qs(c.value("field", std::string())) + QStringLiteral(" = ") + toQString(jsonValueText(c.value("value", Json())));
            const double before = share(c, "share_baseline"), after = share(c, "share_anomaly");
            const QString among = qs(c.value("among", std::string("tile events")));
            const QString tip = tr("%1: %2 of %3 in the baseline, %4 during the anomaly. Click to open these events.")
                                    .arg(text, percent(before), among, percent(after));
            QStandardItem *value = item(text);
            value->setData(index, ChangeIndexRole);
            value->setToolTip(tip);
            QStandardItem *shares = item(ShareBarDelegate::shareText(before, after));
            shares->setData(index, ChangeIndexRole);
            shares->setData(before, ShareBarDelegate::BeforeRole);
            shares->setData(after, ShareBarDelegate::AfterRole);
            shares->setToolTip(tip);
            m_changes->appendRow({value, shares});
            ++index;
        }
    }
    m_changesView->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_changesView->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    fitToRows(m_changesView, 8);
    const bool any = m_changes->rowCount() > 0;
    m_changesView->setVisible(any);
    m_noChanges->setText(a ? tr("No attribute value stood out against the baseline.") : QString());
    m_noChanges->setVisible(!any && a);
}

void AnomalyPanel::onSuspectClicked(const QModelIndex &index)
{
    const Anomaly *a = anomaly();
    const QVariant suspect = index.data(SuspectIndexRole);
    if (!a || !suspect.isValid())
        return;
    if (const QUrl url = index.data(LinkRole).toUrl(); url.isValid() && !url.isEmpty()) {
        Q_EMIT linkActivated(url);
        if (m_openLinks)
            QDesktopServices::openUrl(url);
        return;
    }
    const int i = suspect.toInt();
    if (i >= 0 && static_cast<std::size_t>(i) < a->suspects.size())
        Q_EMIT markerActivated(a->suspects[static_cast<std::size_t>(i)].marker);
}

void AnomalyPanel::onChangeClicked(const QModelIndex &index)
{
    const Anomaly *a = anomaly();
    const QVariant change = index.data(ChangeIndexRole);
    if (!a || !change.isValid() || change.toInt() < 0 || static_cast<std::size_t>(change.toInt()) >= a->whatChanged.size())
        return;
    const Json &c = a->whatChanged[static_cast<std::size_t>(change.toInt())];
    Q_EMIT openEvents(changedValueFilter(m_tile.value_or(Tile{}), c), anomalyWindow());
}

} // namespace fd
