#include "WaterfallControls.h"
#include "ServiceColors.h"
#include "ServiceLegend.h"
#include "TraceWaterfall.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fd {

namespace {

constexpr int kSearchPauseMs = 150; // a 100k-span search runs once typing pauses, not per key

QIcon swatchIcon(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
    return QIcon(pixmap);
}

QToolButton *toolButton(const QString &text, const QString &name, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setObjectName(name);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

WaterfallControls::WaterfallControls(TraceWaterfall *waterfall, QWidget *parent)
    : QWidget(parent)
    , m_waterfall(waterfall)
    , m_searchTimer(new QTimer(this))
{
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchPauseMs);
    connect(m_searchTimer, &QTimer::timeout, this, &WaterfallControls::flushSearch);

    m_legend = new ServiceLegend(this);
    m_legend->setObjectName(QStringLiteral("serviceLegend"));
    connect(m_legend, &ServiceLegend::selectionChanged, this, &WaterfallControls::setServiceSelection);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->setSpacing(3);
    layout->addWidget(buildSearchRow());
    layout->addWidget(buildFilterRow());
    layout->addWidget(m_legend);

    connect(m_waterfall, &TraceWaterfall::treeChanged, this, &WaterfallControls::onTreeChanged);
    connect(m_waterfall, &TraceWaterfall::visibilityChanged, this, &WaterfallControls::updateFilterNote);
    connect(m_waterfall, &TraceWaterfall::searchChanged, this, &WaterfallControls::updateSearchLabel);
    connect(m_waterfall, &TraceWaterfall::timeWindowChanged, this,
        [this] { m_resetZoom->setEnabled(m_waterfall->isZoomed()); });
    onTreeChanged();
}

QWidget *WaterfallControls::buildSearchRow()
{
    auto *row = new QWidget(this);
    m_search = new QLineEdit(row);
    m_search->setObjectName(QStringLiteral("spanSearch"));
    m_search->setPlaceholderText(tr("Find spans by name or attribute…  (Enter: next, Shift+Enter: previous)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));

    m_searchCount = new QLabel(row);
    m_searchCount->setTextFormat(Qt::PlainText);
    m_searchCount->setObjectName(QStringLiteral("searchCount"));
    m_searchCount->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00000 of 00000")));
    m_searchCount->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *prev = toolButton(QStringLiteral("▲"), QStringLiteral("searchPrevious"), tr("Previous match (N)"), row);
    auto *next = toolButton(QStringLiteral("▼"), QStringLiteral("searchNext"), tr("Next match (n)"), row);
    connect(prev, &QToolButton::clicked, this, [this] {
        flushSearch();
        m_waterfall->previousSearchMatch();
    });
    connect(next, &QToolButton::clicked, this, [this] {
        flushSearch();
        m_waterfall->nextSearchMatch();
    });

    m_depth = new QSpinBox(row);
    m_depth->setObjectName(QStringLiteral("collapseDepth"));
    m_depth->setRange(0, 1000);
    m_depth->setValue(2);
    m_depth->setToolTip(tr("The deepest level left open"));
    auto *collapse = new QPushButton(tr("Collapse below"), row);
    collapse->setObjectName(QStringLiteral("collapseButton"));
    collapse->setToolTip(tr("Collapse every span deeper than this depth into its ancestor"));
    connect(collapse, &QPushButton::clicked, this, [this] { m_waterfall->collapseBelowDepth(m_depth->value()); });
    auto *expand = new QPushButton(tr("Expand all"), row);
    expand->setObjectName(QStringLiteral("expandAllButton"));
    connect(expand, &QPushButton::clicked, m_waterfall, &TraceWaterfall::expandAll);
    m_resetZoom = new QPushButton(tr("Reset zoom"), row);
    m_resetZoom->setObjectName(QStringLiteral("resetZoomButton"));
    m_resetZoom->setToolTip(tr("Drag on the time axis to zoom; double-click it or press here to see the whole trace"));
    connect(m_resetZoom, &QPushButton::clicked, m_waterfall, &TraceWaterfall::resetZoom);

    m_servicesButton = new QToolButton(row);
    m_servicesButton->setObjectName(QStringLiteral("servicesButton"));
    m_servicesButton->setText(tr("Services"));
    m_servicesButton->setPopupMode(QToolButton::InstantPopup);
    m_servicesMenu = new QMenu(m_servicesButton);
    m_servicesButton->setMenu(m_servicesMenu);
    // The search on a line of its own: beside the tree's buttons it had set the tab's narrowest width past a narrow
    // window's (exploratory test).
    auto *searchLine = new QHBoxLayout;
    searchLine->addWidget(m_search, 1);
    searchLine->addWidget(m_searchCount);
    searchLine->addWidget(prev);
    searchLine->addWidget(next);
    auto *treeLine = new QHBoxLayout;
    treeLine->addWidget(collapse);
    treeLine->addWidget(m_depth);
    treeLine->addWidget(expand);
    treeLine->addWidget(m_resetZoom);
    treeLine->addWidget(m_servicesButton);
    treeLine->addStretch(1);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(searchLine);
    layout->addLayout(treeLine);
    return row;
}

QWidget *WaterfallControls::buildFilterRow()
{
    auto *row = new QWidget(this);
    m_errorsOnly = new QCheckBox(tr("Errors"), row);
    m_errorsOnly->setObjectName(QStringLiteral("errorsOnly"));
    m_criticalOnly = new QCheckBox(tr("Critical path"), row);
    m_criticalOnly->setObjectName(QStringLiteral("criticalOnly"));
    m_minDuration = new QSpinBox(row);
    m_minDuration->setObjectName(QStringLiteral("minDuration"));
    m_minDuration->setRange(0, 99);
    m_minDuration->setSuffix(QStringLiteral(" %"));
    m_minDuration->setSpecialValueText(tr("any length"));
    m_minDuration->setToolTip(tr("Keep spans longer than this share of the whole trace"));
    m_filterNote = new QLabel(row);
    m_filterNote->setTextFormat(Qt::PlainText);
    m_filterNote->setObjectName(QStringLiteral("filterNote"));
    m_filterNote->setWordWrap(true);
    m_filterNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &WaterfallControls::applyFilter);
    connect(m_criticalOnly, &QCheckBox::toggled, this, &WaterfallControls::applyFilter);
    connect(m_minDuration, &QSpinBox::valueChanged, this, &WaterfallControls::applyFilter);

    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Show only:"), row));
    layout->addWidget(m_errorsOnly);
    layout->addWidget(m_criticalOnly);
    layout->addWidget(new QLabel(tr("longer than"), row));
    layout->addWidget(m_minDuration);
    layout->addSpacing(8);
    layout->addWidget(m_filterNote, 1);
    return row;
}

void WaterfallControls::onTreeChanged()
{
    QStringList services;
    std::vector<int> counts;
    if (const auto tree = m_waterfall->tree()) {
        counts.assign(tree->services.size(), 0);
        for (const auto &row : tree->rows)
            if (row.serviceIndex >= 0)
                ++counts[static_cast<std::size_t>(row.serviceIndex)];
        for (const std::string &s : tree->services)
            services << QString::fromStdString(s);
        int maxDepth = 0;
        for (const auto &row : tree->rows)
            maxDepth = std::max(maxDepth, row.depth);
        m_depth->setMaximum(std::max(0, maxDepth));
    }
    m_legend->setServices(services, counts);
    rebuildServiceMenu();
    applyFilter(); // a service filter does not carry over to another trace; the other criteria do
    m_resetZoom->setEnabled(m_waterfall->isZoomed());
    updateSearchLabel(m_waterfall->currentSearchMatch(), m_waterfall->searchMatchCount());
}

void WaterfallControls::rebuildServiceMenu()
{
    m_servicesMenu->clear();
    QAction *all = m_servicesMenu->addAction(tr("All services"));
    all->setObjectName(QStringLiteral("allServices"));
    connect(all, &QAction::triggered, this, [this] { setServiceSelection({}); });
    m_servicesMenu->addSeparator();
    for (const QString &service : m_legend->services()) {
        QAction *action = m_servicesMenu->addAction(swatchIcon(m_waterfall->serviceColors().color(service)), service);
        action->setCheckable(true);
        action->setChecked(m_legend->selected().contains(service));
        connect(action, &QAction::toggled, this, [this, service](bool on) {
            QStringList selected = m_legend->selected();
            selected.removeAll(service);
            if (on)
                selected << service;
            setServiceSelection(selected);
        });
    }
}

void WaterfallControls::setServiceSelection(const QStringList &services)
{
    m_legend->setSelected(services);
    for (QAction *action : m_servicesMenu->actions()) {
        if (action->isCheckable()) {
            const QSignalBlocker block(action);
            action->setChecked(services.contains(action->text()));
        }
    }
    m_servicesButton->setText(services.isEmpty() ? tr("Services") : tr("Services (%1)").arg(services.size()));
    applyFilter();
}

void WaterfallControls::applyFilter()
{
    TraceFilter filter;
    filter.errorsOnly = m_errorsOnly->isChecked();
    filter.criticalOnly = m_criticalOnly->isChecked();
    filter.minDurationPercent = m_minDuration->value();
    for (const QString &service : m_legend->selected())
        filter.services.push_back(service.toStdString());
    m_waterfall->setFilter(filter);
    updateFilterNote();
}

void WaterfallControls::flushSearch()
{
    m_searchTimer->stop();
    m_waterfall->setSearchText(m_search->text());
}

void WaterfallControls::updateSearchLabel(int current, int count)
{
    if (m_waterfall->searchText().trimmed().isEmpty())
        m_searchCount->clear();
    else if (m_waterfall->isSearching())
        m_searchCount->setText(tr("searching…"));
    else if (count == 0)
        m_searchCount->setText(tr("no match"));
    else if (current < 0)
        m_searchCount->setText(count == 1 ? tr("1 match") : tr("%1 matches").arg(count));
    else
        m_searchCount->setText(tr("%1 of %2").arg(current + 1).arg(count));
}

void WaterfallControls::updateFilterNote()
{
    const auto tree = m_waterfall->tree();
    const TraceVisibility &v = m_waterfall->visibility();
    if (!tree || !v.filtered) {
        m_filterNote->clear();
        return;
    }
    const int context = static_cast<int>(std::count(v.context.begin(), v.context.end(), 1));
    QString note
        = tr("%1 of %n span(s) pass the filters.", nullptr, static_cast<int>(tree->spanCount)).arg(v.matching);
    if (context > 0)
        note += QLatin1Char(' ') + tr("Greyed rows do not pass: they are ancestors kept so the tree reads.");
    m_filterNote->setText(note);
}

bool WaterfallControls::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_search || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        flushSearch();
        if (key->modifiers() & Qt::ShiftModifier)
            m_waterfall->previousSearchMatch();
        else
            m_waterfall->nextSearchMatch();
        return true;
    }
    if (key->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
        m_search->clear();
        flushSearch();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace fd
