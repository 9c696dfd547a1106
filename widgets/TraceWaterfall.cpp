#include "TraceWaterfall.h"
#include "StatusColors.h"
#include "models/JobThreads.h"
#include "ServiceColors.h"
#include "TraceMinimap.h"

#include "models/TraceSearch.h"

#include <QContextMenuEvent>
#include <QFutureWatcher>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace fd {

namespace {

constexpr int kIndentStep = 12;
constexpr int kDisclosureWidth = 14;
constexpr int kMinNameWidth = 80;
constexpr int kMinBarWidth = 120;
constexpr int kBarMargin = 12;
constexpr int kMinTickSpacing = 90;
constexpr int kMinimapWidth = 56;
constexpr int kMinZoomDrag = 4; // pixels: less is a click, not a zoom
constexpr std::size_t kAsyncSearchSpans = 20'000; // about 20 ms of searching on this machine
const QColor kRowMatchColor(0xff, 0xe0, 0x82);
const QColor kCurrentMatchColor(0xff, 0xb3, 0x00);
const QColor kCriticalColor(0x1e, 0x29, 0x3b);
const QColor kWarningColor(0xc7, 0x7c, 0x00);

// A tick step of 1, 2 or 5 times a power of ten nanoseconds, at least minNs.
double niceStep(double minNs)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::max(minNs, 1.0))));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= minNs)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}

QString formatMs(double ns, int decimals)
{
    return QStringLiteral("%1 ms").arg(ns / 1e6, 0, 'f', decimals);
}

// Enough decimals to tell ticks of this step apart, and no more.
int tickDecimals(double stepNs)
{
    const double stepMs = stepNs / 1e6;
    return stepMs >= 1 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(stepMs))));
}

QString durationText(DurationNs d)
{
    const double ms = static_cast<double>(d) / 1e6;
    return formatMs(static_cast<double>(d), ms >= 100 ? 0 : ms >= 1 ? 2 : 3);
}

QColor faded(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

} // namespace

TraceWaterfall::TraceWaterfall(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_visibility(std::make_shared<const TraceVisibility>())
    , m_minimap(new TraceMinimap(this))
    , m_placeholder(tr("Select a trace to see its spans."))
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setViewportMargins(0, 0, kMinimapWidth, 0);
    viewport()->setMouseTracking(true);
    viewport()->setBackgroundRole(QPalette::Base);
    m_minimap->setObjectName(QStringLiteral("minimap"));
    m_minimap->hide();
    connect(m_minimap, &TraceMinimap::scrollRequested, this, [this](double firstRow) {
        verticalScrollBar()->setValue(static_cast<int>(std::lround(firstRow * rowHeight())));
    });
    connect(m_minimap, &TraceMinimap::panRequested, this,
            [this](TimeNs start) { setTimeWindow(start, start + (m_windowEnd - m_windowStart)); });
}

void TraceWaterfall::setTree(std::shared_ptr<const TraceTree> tree)
{
    m_tree = std::move(tree);
    m_colors = m_tree ? ServiceColors(m_tree->services) : ServiceColors();
    m_selectedTreeRow = -1;
    m_currentMatch = -1;
    const std::size_t spans = m_tree ? m_tree->spanIndexCount() : 0;
    m_rowOfSpan.assign(spans, -1);
    m_collapsed.assign(m_tree ? m_tree->rows.size() : 0, 0);
    if (m_tree) {
        for (std::size_t r = 0; r < m_tree->rows.size(); ++r)
            m_rowOfSpan[m_tree->rows[r].span] = static_cast<int>(r);
    }
    m_windowStart = m_tree ? m_tree->start : 0;
    m_windowEnd = m_tree ? m_tree->end : 0;
    m_allMatches.clear();
    m_matches.clear();
    m_visibility = std::make_shared<const TraceVisibility>(); // nothing of the old tree to anchor to
    verticalScrollBar()->setValue(0);
    m_minimap->setVisible(m_tree && !m_tree->rows.empty());
    recomputeVisibility();
    startSearch();
    Q_EMIT treeChanged();
    Q_EMIT timeWindowChanged(m_windowStart, m_windowEnd);
}

void TraceWaterfall::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

int TraceWaterfall::selectedSpan() const
{
    if (!m_tree || m_selectedTreeRow < 0)
        return -1;
    return static_cast<int>(m_tree->rows[static_cast<std::size_t>(m_selectedTreeRow)].span);
}

void TraceWaterfall::setSelectedSpan(int spanIndex)
{
    if (spanIndex < 0 || spanIndex >= static_cast<int>(m_rowOfSpan.size()))
        return;
    const int treeRow = m_rowOfSpan[static_cast<std::size_t>(spanIndex)];
    revealTreeRow(treeRow);
    selectTreeRow(treeRow);
}

int TraceWaterfall::treeRowAt(int row) const
{
    return row >= 0 && row < m_visibility->count() ? m_visibility->rows[static_cast<std::size_t>(row)] : -1;
}

int TraceWaterfall::rowOfSpan(int spanIndex) const
{
    if (spanIndex < 0 || spanIndex >= static_cast<int>(m_rowOfSpan.size()))
        return -1;
    return m_visibility->indexOf(m_rowOfSpan[static_cast<std::size_t>(spanIndex)]);
}

// --- collapsing and filtering ---------------------------------------------------------------------

bool TraceWaterfall::isCollapsed(int treeRow) const
{
    return treeRow >= 0 && treeRow < static_cast<int>(m_collapsed.size()) &&
        m_collapsed[static_cast<std::size_t>(treeRow)];
}

void TraceWaterfall::setCollapsed(int treeRow, bool collapsed)
{
    if (treeRow < 0 || treeRow >= static_cast<int>(m_collapsed.size()) || isCollapsed(treeRow) == collapsed)
        return;
    m_collapsed[static_cast<std::size_t>(treeRow)] = collapsed ? 1 : 0;
    recomputeVisibility();
}

void TraceWaterfall::collapseBelowDepth(int depth)
{
    if (!m_tree)
        return;
    m_collapsed = TraceVisibility::collapsedBelow(*m_tree, std::max(0, depth));
    recomputeVisibility();
}

void TraceWaterfall::expandAll()
{
    std::fill(m_collapsed.begin(), m_collapsed.end(), 0);
    recomputeVisibility();
}

void TraceWaterfall::setFilter(const TraceFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    recomputeVisibility();
}

int TraceWaterfall::firstShownRow() const
{
    return std::max(0, verticalScrollBar()->value() / rowHeight());
}

void TraceWaterfall::recomputeVisibility()
{
    // The row at the top stays at the top (or its nearest shown ancestor does), so the view does not jump.
    const int anchor = treeRowAt(firstShownRow());
    const int offset = verticalScrollBar()->value() - firstShownRow() * rowHeight();
    m_visibility = std::make_shared<const TraceVisibility>(
        m_tree ? TraceVisibility::compute(*m_tree, m_collapsed, m_filter) : TraceVisibility{});
    rebuildMatches();
    updateScrollBar();
    keepAnchorRow(anchor, offset);
    // A selection that a collapse swallowed moves to the row that now stands for it.
    if (m_selectedTreeRow >= 0 && m_visibility->indexOf(m_selectedTreeRow) < 0) {
        for (int p = m_tree->rows[static_cast<std::size_t>(m_selectedTreeRow)].parentRow; p >= 0;
             p = m_tree->rows[static_cast<std::size_t>(p)].parentRow) {
            if (isCollapsed(p) && m_visibility->indexOf(p) >= 0) {
                selectTreeRow(p);
                break;
            }
        }
    }
    m_minimap->setContent(m_tree, m_visibility);
    syncMinimap();
    viewport()->update();
    Q_EMIT visibilityChanged();
    Q_EMIT searchChanged(m_currentMatch, searchMatchCount());
}

void TraceWaterfall::keepAnchorRow(int anchorTreeRow, int offset)
{
    if (anchorTreeRow < 0 || !m_tree)
        return;
    int row = m_visibility->indexOf(anchorTreeRow);
    for (int p = anchorTreeRow; row < 0 && p >= 0; p = m_tree->rows[static_cast<std::size_t>(p)].parentRow)
        row = m_visibility->indexOf(p);
    if (row < 0)
        row = std::min(m_visibility->lowerBound(anchorTreeRow), std::max(0, m_visibility->count() - 1));
    verticalScrollBar()->setValue(row * rowHeight() + offset);
}

// Expands every collapsed ancestor of the row; a row that the filter hides stays hidden.
void TraceWaterfall::revealTreeRow(int treeRow)
{
    if (!m_tree || treeRow < 0)
        return;
    bool changed = false;
    for (int p = m_tree->rows[static_cast<std::size_t>(treeRow)].parentRow; p >= 0;
         p = m_tree->rows[static_cast<std::size_t>(p)].parentRow) {
        if (isCollapsed(p)) {
            m_collapsed[static_cast<std::size_t>(p)] = 0;
            changed = true;
        }
    }
    if (changed)
        recomputeVisibility();
}

// --- search ---------------------------------------------------------------------------------------

void TraceWaterfall::setSearchText(const QString &text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    startSearch();
}

void TraceWaterfall::startSearch()
{
    const int generation = ++m_searchGeneration;
    if (m_searchCancel)
        m_searchCancel->cancel();
    m_searchCancel.reset();
    m_pendingStep = 0;
    const TraceSearch search(m_searchText);
    if (!m_tree || search.isEmpty() || m_tree->spans.size() < kAsyncSearchSpans) {
        applySearchResult(m_tree ? search.matchingRows(*m_tree) : std::vector<int>{});
        return;
    }
    m_searchCancel = makeCancelToken();
    applySearchResult({}); // the old matches go at once; isSearching() says the new ones are coming
    auto *watcher = new QFutureWatcher<std::vector<int>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_searchGeneration)
            return;
        m_searchCancel.reset();
        applySearchResult(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(jobThreads(), [tree = m_tree, search, cancel = m_searchCancel] {
        return search.matchingRows(*tree, cancel.get());
    }));
}

void TraceWaterfall::applySearchResult(std::vector<int> rows)
{
    m_allMatches = std::move(rows);
    m_currentMatch = -1;
    m_matches.clear();
    rebuildMatches();
    viewport()->update();
    const int step = std::exchange(m_pendingStep, 0);
    if (step > 0)
        nextSearchMatch();
    else if (step < 0)
        previousSearchMatch();
    Q_EMIT searchChanged(m_currentMatch, searchMatchCount());
}

void TraceWaterfall::rebuildMatches()
{
    const int current = m_currentMatch >= 0 ? m_matches[static_cast<std::size_t>(m_currentMatch)] : -1;
    m_matches.clear();
    for (int row : m_allMatches) {
        if (m_visibility->kept[static_cast<std::size_t>(row)])
            m_matches.push_back(row);
    }
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), current);
    const bool kept = current >= 0 && it != m_matches.end() && *it == current;
    m_currentMatch = kept ? static_cast<int>(it - m_matches.begin()) : -1;
    std::vector<int> shown; // for the minimap: where the matches are among the rows shown now
    for (int row : m_matches) {
        if (const int index = m_visibility->indexOf(row); index >= 0)
            shown.push_back(index);
    }
    m_minimap->setMatches(std::move(shown));
}

void TraceWaterfall::nextSearchMatch()
{
    if (isSearching())
        m_pendingStep = 1;
    else if (!m_matches.empty())
        goToMatch((m_currentMatch + 1) % searchMatchCount());
}

void TraceWaterfall::previousSearchMatch()
{
    if (isSearching())
        m_pendingStep = -1;
    else if (!m_matches.empty())
        goToMatch(m_currentMatch <= 0 ? searchMatchCount() - 1 : m_currentMatch - 1);
}

void TraceWaterfall::goToMatch(int match)
{
    m_currentMatch = match;
    const int treeRow = m_matches[static_cast<std::size_t>(match)];
    revealTreeRow(treeRow);
    selectTreeRow(treeRow);
    viewport()->update();
    Q_EMIT searchChanged(m_currentMatch, searchMatchCount());
}

// --- zoom -----------------------------------------------------------------------------------------

bool TraceWaterfall::isZoomed() const
{
    return m_tree && (m_windowStart > m_tree->start || m_windowEnd < m_tree->end);
}

void TraceWaterfall::setTimeWindow(TimeNs from, TimeNs to)
{
    if (!m_tree)
        return;
    if (to < from)
        std::swap(from, to);
    const TimeNs length = std::max<TimeNs>(1, std::min(spanBetween(from, to), spanBetween(m_tree->start, m_tree->end)));
    from = std::clamp(from, m_tree->start, std::max(m_tree->start, m_tree->end - length));
    if (from == m_windowStart && from + length == m_windowEnd)
        return;
    m_windowStart = from;
    m_windowEnd = from + length;
    syncMinimap();
    viewport()->update();
    Q_EMIT timeWindowChanged(m_windowStart, m_windowEnd);
}

void TraceWaterfall::resetZoom()
{
    if (m_tree)
        setTimeWindow(m_tree->start, m_tree->end);
}

double TraceWaterfall::xOfTime(TimeNs t) const
{
    return axis().x(t);
}

QRect TraceWaterfall::timeAxisRect() const
{
    const int left = nameWidth() + 1;
    return {left, 0, viewport()->width() - left, headerHeight()};
}

void TraceWaterfall::finishZoomDrag()
{
    const int from = std::min(m_zoomFrom, m_zoomTo);
    const int to = std::max(m_zoomFrom, m_zoomTo);
    m_zoomFrom = m_zoomTo = -1;
    viewport()->update();
    if (to - from < kMinZoomDrag)
        return;
    const Axis a = axis();
    const auto timeAt = [&a](int x) {
        return static_cast<TimeNs>(std::llround(a.start + (x - a.left) * a.length / a.width));
    };
    setTimeWindow(timeAt(from), timeAt(to));
}

// --- geometry -------------------------------------------------------------------------------------

int TraceWaterfall::rowHeight() const
{
    return fontMetrics().height() + 6;
}

int TraceWaterfall::headerHeight() const
{
    return fontMetrics().height() + 10;
}

QRect TraceWaterfall::rowRect(int row) const
{
    const int y = headerHeight() + row * rowHeight() - verticalScrollBar()->value();
    return {0, y, viewport()->width(), rowHeight()};
}

int TraceWaterfall::nameIndent(int depth, int columnWidth) const
{
    // Deep traces would push every name out of sight; past half the column the indent stops growing.
    return 4 + std::min(depth * kIndentStep, columnWidth / 2);
}

QRect TraceWaterfall::disclosureRect(int row) const
{
    if (!canExpand(row))
        return {};
    const QRect rect = rowRect(row);
    const int depth = m_tree->rows[static_cast<std::size_t>(treeRowAt(row))].depth;
    return {rect.left() + nameIndent(depth, nameWidth()), rect.top(), kDisclosureWidth, rect.height()};
}

bool TraceWaterfall::canExpand(int row) const
{
    return row >= 0 && row < m_visibility->count() && m_visibility->descendants[static_cast<std::size_t>(row)] > 0;
}

QSize TraceWaterfall::sizeHint() const
{
    return {800, headerHeight() + 12 * rowHeight()};
}

int TraceWaterfall::nameWidth() const
{
    const int w = viewport()->width();
    const int wanted = static_cast<int>(w * m_nameFraction);
    return std::max(kMinNameWidth, std::min(wanted, w - kMinBarWidth));
}

bool TraceWaterfall::onDivider(int x) const
{
    return std::abs(x - nameWidth()) <= 3;
}

TraceWaterfall::Axis TraceWaterfall::axis() const
{
    Axis a;
    a.left = nameWidth() + kBarMargin;
    a.width = std::max(1.0, viewport()->width() - a.left - kBarMargin);
    if (m_tree) {
        a.start = static_cast<double>(m_windowStart);
        a.length = std::max(1.0, static_cast<double>(m_windowEnd - m_windowStart));
    }
    return a;
}

int TraceWaterfall::rowAt(int y) const
{
    if (!m_tree || y < headerHeight())
        return -1;
    const int row = (y - headerHeight() + verticalScrollBar()->value()) / rowHeight();
    return row < m_visibility->count() ? row : -1;
}

// --- selection and scrolling ----------------------------------------------------------------------

void TraceWaterfall::selectTreeRow(int treeRow)
{
    if (!m_tree || treeRow < 0 || treeRow >= static_cast<int>(m_tree->rows.size()))
        return;
    const int row = m_visibility->indexOf(treeRow);
    if (row >= 0)
        ensureRowVisible(row);
    if (treeRow == m_selectedTreeRow)
        return;
    m_selectedTreeRow = treeRow;
    viewport()->update();
    Q_EMIT spanSelected(selectedSpan());
}

void TraceWaterfall::stepRows(int delta)
{
    const int count = m_visibility->count();
    if (count == 0)
        return;
    int current = m_selectedTreeRow >= 0 ? m_visibility->indexOf(m_selectedTreeRow) : -1;
    if (current < 0 && m_selectedTreeRow >= 0) // the selection is filtered out: step from where it would be
        current = m_visibility->lowerBound(m_selectedTreeRow) - (delta > 0 ? 1 : 0);
    const int target = current < 0 && delta < 0 ? 0 : std::clamp(current + delta, 0, count - 1);
    selectTreeRow(m_visibility->rows[static_cast<std::size_t>(target)]);
}

void TraceWaterfall::collapseOrGoUp()
{
    const int row = m_visibility->indexOf(m_selectedTreeRow);
    if (row < 0)
        return;
    if (canExpand(row) && !isCollapsed(m_selectedTreeRow)) {
        setCollapsed(m_selectedTreeRow, true);
        return;
    }
    const int parent = m_tree->rows[static_cast<std::size_t>(m_selectedTreeRow)].parentRow;
    if (parent >= 0)
        selectTreeRow(parent);
}

void TraceWaterfall::expandOrGoDown()
{
    const int row = m_visibility->indexOf(m_selectedTreeRow);
    if (row < 0 || !canExpand(row))
        return;
    if (isCollapsed(m_selectedTreeRow))
        setCollapsed(m_selectedTreeRow, false);
    else
        selectTreeRow(treeRowAt(row + 1)); // its first shown child
}

void TraceWaterfall::ensureRowVisible(int row)
{
    const int top = row * rowHeight();
    const int visible = viewport()->height() - headerHeight();
    QScrollBar *bar = verticalScrollBar();
    if (top < bar->value())
        bar->setValue(top);
    else if (top + rowHeight() > bar->value() + visible)
        bar->setValue(top + rowHeight() - visible);
}

void TraceWaterfall::updateScrollBar()
{
    const int rows = m_visibility->count();
    const int visible = std::max(0, viewport()->height() - headerHeight());
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, std::max(0, rows * rowHeight() - visible));
    bar->setSingleStep(rowHeight());
    bar->setPageStep(visible);
}

void TraceWaterfall::syncMinimap()
{
    const double rowsShown = static_cast<double>(viewport()->height() - headerHeight()) / rowHeight();
    m_minimap->setView(static_cast<double>(verticalScrollBar()->value()) / rowHeight(), rowsShown, m_windowStart,
                       m_windowEnd);
}

void TraceWaterfall::layoutMinimap()
{
    const QRect v = viewport()->geometry();
    m_minimap->setGeometry(v.right() + 1, v.top(), kMinimapWidth, v.height());
}

void TraceWaterfall::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    layoutMinimap();
    updateScrollBar();
    syncMinimap();
}

void TraceWaterfall::scrollContentsBy(int dx, int dy)
{
    QAbstractScrollArea::scrollContentsBy(dx, dy);
    syncMinimap();
}

// --- painting -------------------------------------------------------------------------------------

void TraceWaterfall::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    if (!m_tree || m_tree->rows.empty()) {
        paintPlaceholder(p, m_placeholder);
        return;
    }
    const Axis a = axis();
    paintTicks(p, a, headerHeight(), viewport()->height(), false);
    const int first = firstShownRow();
    const int last = std::min(m_visibility->count() - 1,
                              (verticalScrollBar()->value() + viewport()->height()) / rowHeight());
    for (int row = first; row <= last; ++row)
        paintRow(p, a, row);
    if (m_visibility->rows.empty())
        paintPlaceholder(p, tr("No span passes the filters."));
    paintZoomBand(p);
    paintHeader(p, a);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(nameWidth(), 0, nameWidth(), viewport()->height());
}

void TraceWaterfall::paintPlaceholder(QPainter &p, const QString &text)
{
    p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    p.drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap, text);
}

void TraceWaterfall::paintHeader(QPainter &p, const Axis &a)
{
    const QRect rect(0, 0, viewport()->width(), headerHeight());
    p.fillRect(rect, palette().button());
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(rect.bottomLeft(), rect.bottomRight());

    p.setPen(palette().color(QPalette::ButtonText));
    const int total = static_cast<int>(m_tree->spanCount);
    QString title = m_visibility->filtered
        ? tr("%1 of %n span(s) pass", nullptr, total).arg(m_visibility->matching)
        : tr("%n span(s)", nullptr, total);
    if (isZoomed())
        title += tr(" · zoomed");
    p.drawText(rect.adjusted(6, 0, -(rect.width() - nameWidth()), 0), Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(title, Qt::ElideRight, nameWidth() - 8));
    paintTicks(p, a, rect.bottom() - 4, rect.bottom(), true);
    if (m_zoomFrom >= 0) {
        const int from = std::min(m_zoomFrom, m_zoomTo);
        p.fillRect(QRect(from, 0, std::abs(m_zoomTo - m_zoomFrom), rect.height()),
                   faded(palette().color(QPalette::Highlight), 110));
    }
}

// Ticks at round offsets from the trace's start, across the (possibly zoomed) window.
void TraceWaterfall::paintTicks(QPainter &p, const Axis &a, int top, int bottom, bool labels)
{
    const double step = niceStep(kMinTickSpacing * a.length / a.width);
    const double traceStart = static_cast<double>(m_tree->start);
    const double first = std::ceil((a.start - traceStart) / step - 1e-9) * step;
    const int decimals = tickDecimals(step);
    p.save();
    p.setClipRect(QRect(nameWidth() + 1, 0, viewport()->width(), viewport()->height()));
    p.setPen(labels ? palette().color(QPalette::ButtonText) : faded(palette().color(QPalette::Mid), 60));
    // No tick past the window's end: its label would be squeezed against the last one.
    int labelsEnd = std::numeric_limits<int>::min();
    for (double t = first; t <= a.start - traceStart + a.length + step * 1e-6; t += step) {
        const int x = static_cast<int>(std::lround(a.left + (traceStart + t - a.start) * a.width / a.length));
        p.drawLine(x, top, x, bottom);
        if (!labels)
            continue;
        const QString label = formatMs(t, decimals);
        const int w = fontMetrics().horizontalAdvance(label);
        const int textX = std::min(x + 3, viewport()->width() - w - 2);
        if (textX < labelsEnd + 6)
            continue; // the last label, moved in from the edge onto the one before (exploratory test)
        p.drawText(QRect(textX, 0, w, headerHeight() - 2), Qt::AlignVCenter, label);
        labelsEnd = textX + w;
    }
    p.restore();
}

void TraceWaterfall::paintZoomBand(QPainter &p)
{
    if (m_zoomFrom < 0)
        return;
    const int from = std::min(m_zoomFrom, m_zoomTo);
    p.fillRect(QRect(from, headerHeight(), std::abs(m_zoomTo - m_zoomFrom), viewport()->height()),
               faded(palette().color(QPalette::Highlight), 40));
}

TraceWaterfall::RowState TraceWaterfall::rowState(int row) const
{
    RowState s;
    s.treeRow = treeRowAt(row);
    s.selected = s.treeRow == m_selectedTreeRow;
    s.context = m_visibility->context[static_cast<std::size_t>(row)];
    s.match = std::binary_search(m_matches.begin(), m_matches.end(), s.treeRow);
    s.currentMatch = m_currentMatch >= 0 && m_matches[static_cast<std::size_t>(m_currentMatch)] == s.treeRow;
    return s;
}

void TraceWaterfall::paintRow(QPainter &p, const Axis &a, int row)
{
    const QRect rect = rowRect(row);
    const RowState state = rowState(row);
    paintRowBackground(p, rect, state, row);
    paintName(p, state, row, QRect(rect.left(), rect.top(), nameWidth(), rect.height()));
    paintBar(p, a, state, rect);
}

void TraceWaterfall::paintRowBackground(QPainter &p, const QRect &rect, const RowState &state, int row)
{
    if (state.selected)
        p.fillRect(rect, palette().highlight());
    else if (row % 2)
        p.fillRect(rect, palette().alternateBase());
    if (!state.match)
        return;
    // A search hit is marked in the name column, so the selection colour stays readable behind the bar.
    const QRect mark(rect.left(), rect.top(), nameWidth(), rect.height());
    p.fillRect(mark, state.currentMatch ? kCurrentMatchColor : faded(kRowMatchColor, state.selected ? 170 : 255));
    if (state.currentMatch)
        p.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), kErrorColor.darker(130));
}

void TraceWaterfall::paintDisclosure(QPainter &p, const QRect &box, bool collapsed)
{
    const QPointF c = QRectF(box).center();
    const double s = 3.5;
    QPainterPath path;
    if (collapsed) { // ▶
        path.moveTo(c.x() - s * 0.6, c.y() - s);
        path.lineTo(c.x() + s * 0.9, c.y());
        path.lineTo(c.x() - s * 0.6, c.y() + s);
    } else { // ▼
        path.moveTo(c.x() - s, c.y() - s * 0.6);
        path.lineTo(c.x() + s, c.y() - s * 0.6);
        path.lineTo(c.x(), c.y() + s * 0.9);
    }
    path.closeSubpath();
    p.fillPath(path, p.pen().color());
}

void TraceWaterfall::paintName(QPainter &p, const RowState &state, int row, const QRect &rect)
{
    const TraceTree::Row &r = m_tree->rows[static_cast<std::size_t>(state.treeRow)];
    const Span &span = m_tree->span(r.span);
    const bool error = span.statusCode == static_cast<int>(StatusCode::Error);
    const bool highlighted = state.selected && !state.match;
    QColor textColor = palette().color(highlighted ? QPalette::HighlightedText : QPalette::Text);
    if (state.context && !state.selected)
        textColor = palette().color(QPalette::Disabled, QPalette::Text);
    int x = rect.left() + nameIndent(r.depth, rect.width());
    const int mid = rect.center().y();
    const int icon = rect.height() - 8;

    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(textColor);
    if (canExpand(row))
        paintDisclosure(p, QRect(x, rect.top(), kDisclosureWidth, rect.height()), isCollapsed(state.treeRow));
    x += kDisclosureWidth;
    if (error) {
        p.setPen(Qt::NoPen);
        p.setBrush(state.context ? faded(kErrorColor, 110) : kErrorColor);
        p.drawEllipse(QRect(x, mid - icon / 2, icon, icon));
        p.setPen(Qt::white);
        p.drawText(QRect(x, mid - icon / 2, icon, icon), Qt::AlignCenter, QStringLiteral("!"));
        x += icon + 4;
    }
    if (r.skewed) { // a warning triangle: it starts before its parent
        QPainterPath tri;
        tri.moveTo(x + icon / 2.0, mid - icon / 2.0);
        tri.lineTo(x + icon, mid + icon / 2.0);
        tri.lineTo(x, mid + icon / 2.0);
        tri.closeSubpath();
        p.fillPath(tri, kWarningColor);
        p.setPen(Qt::white);
        p.drawText(QRect(x, mid - icon / 2 + 1, icon, icon), Qt::AlignCenter, QStringLiteral("!"));
        x += icon + 4;
    }
    if (r.placeholder) {
        paintPlaceholderName(p, r, state.selected, QRect(x, rect.top(), rect.right() - x, rect.height()));
        p.restore();
        return;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(faded(m_colors.color(span.service), state.context ? 90 : 255));
    p.drawRoundedRect(QRect(x, mid - 4, 8, 8), 2, 2);
    x += 12;

    const int hidden = m_visibility->hidden[static_cast<std::size_t>(row)];
    const QString badge = hidden > 0 ? tr("+%1").arg(hidden) : QString();
    const int badgeWidth = hidden > 0 ? fontMetrics().horizontalAdvance(badge) + 12 : 0;
    const int textWidth = std::max(0, rect.right() - x - 4 - badgeWidth);
    const QString text = fontMetrics().elidedText(
        QString::fromStdString(span.service) + QStringLiteral(" • ") + QString::fromStdString(span.name), Qt::ElideRight,
        textWidth);
    p.setPen(textColor);
    p.drawText(QRect(x, rect.top(), textWidth, rect.height()), Qt::AlignVCenter | Qt::AlignLeft, text);
    x += fontMetrics().horizontalAdvance(text) + 6;
    if (hidden > 0) { // how many spans the collapsed row stands for
        const QRect pill(x, rect.top() + 3, badgeWidth - 4, rect.height() - 6);
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::Mid));
        p.drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
        p.setPen(palette().color(QPalette::Base));
        p.drawText(pill, Qt::AlignCenter, badge);
    }
    p.restore();
}

// A missing parent: an outlined "missing parent" tag, then its span id in italics.
void TraceWaterfall::paintPlaceholderName(QPainter &p, const TraceTree::Row &r, bool selected, const QRect &rect)
{
    const QString tagText = tr("missing parent");
    const int tagWidth = fontMetrics().horizontalAdvance(tagText) + 10;
    const QRect tag(rect.left(), rect.top() + 3, tagWidth, rect.height() - 6);
    p.setPen(Qt::NoPen);
    p.setBrush(kWarningColor);
    p.drawRoundedRect(tag, 3, 3);
    p.setPen(Qt::white);
    p.drawText(tag, Qt::AlignCenter, tagText);
    QFont italic = font();
    italic.setItalic(true);
    p.setFont(italic);
    p.setPen(palette().color(selected ? QPalette::Active : QPalette::Disabled,
                             selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect textRect(tag.right() + 6, rect.top(), std::max(0, rect.right() - tag.right() - 10), rect.height());
    const QString text = tr("span %1 never arrived").arg(QString::fromStdString(m_tree->span(r.span).spanId));
    p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, QFontMetrics(italic).elidedText(text, Qt::ElideRight, textRect.width()));
}

void TraceWaterfall::paintBar(QPainter &p, const Axis &a, const RowState &state, const QRect &rect)
{
    const Span &span = m_tree->span(m_tree->rows[static_cast<std::size_t>(state.treeRow)].span);
    const QRect barArea(nameWidth() + 1, rect.top(), viewport()->width() - nameWidth() - 1, rect.height());
    const double x0 = a.x(span.start);
    const double x1 = std::max(a.x(span.end), x0 + 2);
    if (x1 < barArea.left() - 60 || x0 > barArea.right() + 60) // outside the zoomed window: skip the painting
        return;
    // Zoomed in far, a bar can be millions of pixels wide: draw only what can show.
    const double left = std::max(x0, barArea.left() - 10.0);
    const double right = std::min(x1, barArea.right() + 10.0);
    const QRectF bar(left, rect.top() + 4, right - left, rect.height() - 8);
    const QColor color = m_colors.color(span.service);
    const int alpha = state.context ? 80 : 255;
    p.save();
    p.setClipRect(barArea);
    p.setRenderHint(QPainter::Antialiasing);
    if (m_tree->rows[static_cast<std::size_t>(state.treeRow)].placeholder) { // only where its children ran
        p.setPen(QPen(kWarningColor, 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(bar);
        p.restore();
        return;
    }
    p.setBrush(faded(color, alpha));
    if (span.statusCode == static_cast<int>(StatusCode::Error))
        p.setPen(QPen(faded(kErrorColor, alpha), 2));
    else
        p.setPen(Qt::NoPen);
    p.drawRoundedRect(bar, 2, 2);
    if (m_tree->isCritical(static_cast<std::size_t>(state.treeRow))) // what the trace's end waited for
        p.fillRect(QRectF(left, bar.bottom() + 1, right - left, 2), faded(kCriticalColor, alpha));

    p.setPen(faded(palette().color(QPalette::Text), alpha));
    for (const SpanEvent &e : span.events) {
        const double ex = a.x(e.time);
        p.drawLine(QPointF(ex, bar.top() - 2), QPointF(ex, bar.bottom() + 2));
    }

    // The duration goes right of the bar, else inside its visible part, else left of it.
    const QString label = durationText(span.duration());
    const int w = fontMetrics().horizontalAdvance(label);
    QRectF textRect(x1 + 4, rect.top(), w, rect.height());
    QColor textColor = palette().color(state.selected ? QPalette::HighlightedText : QPalette::Text);
    if (textRect.right() > barArea.right()) {
        const double visibleRight = std::min(x1, static_cast<double>(barArea.right()));
        if (visibleRight - std::max(x0, static_cast<double>(barArea.left())) >= w + 8) {
            textRect.moveRight(visibleRight - 4);
            textColor = ServiceColors::textColor(color);
        } else {
            textRect.moveRight(x0 - 4);
        }
    }
    p.setPen(faded(textColor, state.context ? 130 : 255));
    p.drawText(textRect, Qt::AlignVCenter, label);
    p.restore();
}

// --- input ----------------------------------------------------------------------------------------

void TraceWaterfall::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    if (onDivider(pos.x())) {
        m_draggingDivider = true;
        return;
    }
    if (m_tree && timeAxisRect().contains(pos)) {
        m_zoomFrom = m_zoomTo = pos.x();
        return;
    }
    const int row = rowAt(pos.y());
    if (row < 0)
        return;
    if (disclosureRect(row).contains(pos))
        setCollapsed(treeRowAt(row), !isCollapsed(treeRowAt(row)));
    else
        selectTreeRow(treeRowAt(row));
}

void TraceWaterfall::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_draggingDivider) {
        m_nameFraction = std::clamp(static_cast<double>(pos.x()) / std::max(1, viewport()->width()), 0.1, 0.9);
        viewport()->update();
        return;
    }
    if (m_zoomFrom >= 0) {
        m_zoomTo = std::clamp(pos.x(), nameWidth() + 1, viewport()->width());
        viewport()->update();
        return;
    }
    const bool onAxis = m_tree && timeAxisRect().contains(pos);
    viewport()->setCursor(onDivider(pos.x()) ? Qt::SplitHCursor : onAxis ? Qt::IBeamCursor : Qt::ArrowCursor);
}

void TraceWaterfall::mouseReleaseEvent(QMouseEvent *event)
{
    m_draggingDivider = false;
    if (m_zoomFrom >= 0) {
        m_zoomTo = std::clamp(event->position().toPoint().x(), nameWidth() + 1, viewport()->width());
        finishZoomDrag();
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void TraceWaterfall::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() == Qt::LeftButton && m_tree && timeAxisRect().contains(pos)) {
        m_zoomFrom = m_zoomTo = -1;
        resetZoom();
        return;
    }
    const int row = rowAt(pos.y());
    if (event->button() == Qt::LeftButton && canExpand(row) && pos.x() < nameWidth())
        setCollapsed(treeRowAt(row), !isCollapsed(treeRowAt(row)));
}

void TraceWaterfall::keyPressEvent(QKeyEvent *event)
{
    if (!m_tree || m_tree->rows.empty()) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const int page = std::max(1, (viewport()->height() - headerHeight()) / rowHeight());
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Up: stepRows(-1); break;
    case Qt::Key_Down: stepRows(1); break;
    case Qt::Key_PageUp: stepRows(-page); break;
    case Qt::Key_PageDown: stepRows(page); break;
    case Qt::Key_Home: stepRows(-m_visibility->count()); break;
    case Qt::Key_End: stepRows(m_visibility->count()); break;
    case Qt::Key_Left: collapseOrGoUp(); break;
    case Qt::Key_Right: expandOrGoDown(); break;
    case Qt::Key_N:
        if (shift)
            previousSearchMatch();
        else
            nextSearchMatch();
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
}

bool TraceWaterfall::viewportEvent(QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !m_tree)
        return QAbstractScrollArea::viewportEvent(event);
    auto *help = static_cast<QHelpEvent *>(event);
    if (timeAxisRect().contains(help->pos())) {
        QToolTip::showText(help->globalPos(), tr("Drag to zoom into a time window; double-click to see the whole trace."),
                           viewport());
        return true;
    }
    const int row = rowAt(help->pos().y());
    if (row < 0)
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), rowToolTip(row), viewport());
    return true;
}

void TraceWaterfall::contextMenuEvent(QContextMenuEvent *event)
{
    const int row = m_tree ? rowAt(event->pos().y()) : -1;
    if (row < 0)
        return;
    selectTreeRow(treeRowAt(row));
    Q_EMIT spanContextMenuRequested(selectedSpan(), event->globalPos());
}

QString TraceWaterfall::rowToolTip(int row) const
{
    const int treeRow = treeRowAt(row);
    const TraceTree::Row &r = m_tree->rows[static_cast<std::size_t>(treeRow)];
    const Span &s = m_tree->span(r.span);
    if (r.placeholder) {
        int children = 0;
        for (std::size_t c = static_cast<std::size_t>(treeRow) + 1; c < r.subtreeEnd; ++c)
            children += m_tree->rows[c].parentRow == treeRow ? 1 : 0;
        return tr("Missing parent: span %1 never arrived.\n%n span(s) name it as their parent; the dashed bar spans them.",
                  nullptr, children).arg(QString::fromStdString(s.spanId));
    }
    QString tip = QString::fromStdString(s.service) + QStringLiteral(" • ") + QString::fromStdString(s.name) +
        QLatin1Char('\n') + durationText(s.duration()) + tr(" at +%1").arg(durationText(spanBetween(m_tree->start, s.start)));
    if (s.statusCode == static_cast<int>(StatusCode::Error))
        tip += QLatin1Char('\n') + tr("error: %1").arg(QString::fromStdString(s.statusMessage));
    if (r.orphan)
        tip += QLatin1Char('\n') + tr("missing parent %1").arg(QString::fromStdString(s.parentSpanId));
    if (r.cycle)
        tip += QLatin1Char('\n') + tr("its parent %1 descends from it (a loop of parents): shown at the top")
                                       .arg(QString::fromStdString(s.parentSpanId));
    if (r.skewed) {
        const Span &parent = m_tree->span(m_tree->rows[static_cast<std::size_t>(r.parentRow)].span);
        tip += QLatin1Char('\n') + tr("⚠ starts %1 before its parent: clock skew between hosts? Shown as recorded.")
                                       .arg(durationText(spanBetween(s.start, parent.start)));
    }
    if (const int hidden = m_visibility->hidden[static_cast<std::size_t>(row)]; hidden > 0)
        tip += QLatin1Char('\n') + tr("collapsed: hides %n span(s)", nullptr, hidden);
    if (m_visibility->context[static_cast<std::size_t>(row)])
        tip += QLatin1Char('\n') + tr("shown greyed: it does not pass the filters, a span below it does");
    return tip;
}

} // namespace fd
