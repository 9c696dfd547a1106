#include "TraceWaterfall.h"
#include "ServiceColors.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr int kIndentStep = 12;
constexpr int kMinNameWidth = 80;
constexpr int kMinBarWidth = 120;
constexpr int kBarMargin = 12;
constexpr int kMinTickSpacing = 90;
const QColor kErrorColor(0xd3, 0x2f, 0x2f);

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

} // namespace

TraceWaterfall::TraceWaterfall(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_placeholder(tr("Select a trace to see its spans."))
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setMouseTracking(true);
    viewport()->setBackgroundRole(QPalette::Base);
}

void TraceWaterfall::setTree(std::shared_ptr<const TraceTree> tree)
{
    m_tree = std::move(tree);
    m_selectedRow = -1;
    m_rowOfSpan.assign(m_tree ? m_tree->spans.size() : 0, -1);
    if (m_tree) {
        for (std::size_t r = 0; r < m_tree->rows.size(); ++r)
            m_rowOfSpan[m_tree->rows[r].span] = static_cast<int>(r);
    }
    verticalScrollBar()->setValue(0);
    updateScrollBar();
    viewport()->update();
}

void TraceWaterfall::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

int TraceWaterfall::selectedSpan() const
{
    if (!m_tree || m_selectedRow < 0)
        return -1;
    return static_cast<int>(m_tree->rows[static_cast<std::size_t>(m_selectedRow)].span);
}

void TraceWaterfall::setSelectedSpan(int spanIndex)
{
    if (spanIndex >= 0 && spanIndex < static_cast<int>(m_rowOfSpan.size()))
        selectRow(m_rowOfSpan[static_cast<std::size_t>(spanIndex)]);
}

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
        a.start = static_cast<double>(m_tree->start);
        a.length = std::max(1.0, static_cast<double>(m_tree->end - m_tree->start));
    }
    return a;
}

int TraceWaterfall::rowAt(int y) const
{
    if (!m_tree || y < headerHeight())
        return -1;
    const int row = (y - headerHeight() + verticalScrollBar()->value()) / rowHeight();
    return row < static_cast<int>(m_tree->rows.size()) ? row : -1;
}

void TraceWaterfall::selectRow(int row)
{
    if (!m_tree || m_tree->rows.empty())
        return;
    row = std::clamp(row, 0, static_cast<int>(m_tree->rows.size()) - 1);
    if (row == m_selectedRow) {
        ensureRowVisible(row);
        return;
    }
    m_selectedRow = row;
    ensureRowVisible(row);
    viewport()->update();
    Q_EMIT spanSelected(selectedSpan());
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
    const int rows = m_tree ? static_cast<int>(m_tree->rows.size()) : 0;
    const int visible = std::max(0, viewport()->height() - headerHeight());
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, std::max(0, rows * rowHeight() - visible));
    bar->setSingleStep(rowHeight());
    bar->setPageStep(visible);
}

void TraceWaterfall::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void TraceWaterfall::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    if (!m_tree || m_tree->rows.empty()) {
        paintPlaceholder(p);
        return;
    }
    const Axis a = axis();
    paintGrid(p, a, headerHeight());
    const int first = std::max(0, verticalScrollBar()->value() / rowHeight());
    const int last = std::min(static_cast<int>(m_tree->rows.size()) - 1,
                              (verticalScrollBar()->value() + viewport()->height()) / rowHeight());
    for (int row = first; row <= last; ++row)
        paintRow(p, a, row);
    paintHeader(p, a);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(nameWidth(), 0, nameWidth(), viewport()->height());
}

void TraceWaterfall::paintPlaceholder(QPainter &p)
{
    p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    p.drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
}

void TraceWaterfall::paintHeader(QPainter &p, const Axis &a)
{
    const QRect rect(0, 0, viewport()->width(), headerHeight());
    p.fillRect(rect, palette().button());
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(rect.bottomLeft(), rect.bottomRight());

    p.setPen(palette().color(QPalette::ButtonText));
    const QString title = tr("%n span(s)", nullptr, static_cast<int>(m_tree->spans.size()));
    p.drawText(rect.adjusted(6, 0, -(rect.width() - nameWidth()), 0), Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(title, Qt::ElideRight, nameWidth() - 8));

    const double step = niceStep(kMinTickSpacing * a.length / a.width);
    const int decimals = tickDecimals(step);
    for (double t = 0; t <= a.length + step / 2; t += step) {
        const int x = static_cast<int>(std::lround(a.left + t * a.width / a.length));
        p.drawLine(x, rect.bottom() - 4, x, rect.bottom());
        const QString label = formatMs(t, decimals);
        const int w = fontMetrics().horizontalAdvance(label);
        const int textX = std::min(x + 3, viewport()->width() - w - 2);
        p.drawText(QRect(textX, 0, w, rect.height() - 2), Qt::AlignVCenter, label);
    }
}

void TraceWaterfall::paintGrid(QPainter &p, const Axis &a, int top)
{
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(60);
    p.setPen(grid);
    const double step = niceStep(kMinTickSpacing * a.length / a.width);
    for (double t = 0; t <= a.length + step / 2; t += step) {
        const int x = static_cast<int>(std::lround(a.left + t * a.width / a.length));
        p.drawLine(x, top, x, viewport()->height());
    }
}

void TraceWaterfall::paintRow(QPainter &p, const Axis &a, int row)
{
    const QRect rect = rowRect(row);
    const bool selected = row == m_selectedRow;
    if (selected)
        p.fillRect(rect, palette().highlight());
    else if (row % 2)
        p.fillRect(rect, palette().alternateBase());
    const TraceTree::Row &r = m_tree->rows[static_cast<std::size_t>(row)];
    paintName(p, r, QRect(rect.left(), rect.top(), nameWidth(), rect.height()), selected);
    paintBar(p, a, m_tree->spans[r.span], rect, selected, r.span < m_tree->critical.size() && m_tree->critical[r.span]);
}

void TraceWaterfall::paintName(QPainter &p, const TraceTree::Row &row, const QRect &rect, bool selected)
{
    const Span &span = m_tree->spans[row.span];
    const bool error = span.statusCode == static_cast<int>(StatusCode::Error);
    // Deep traces would push every name out of sight; past half the column the indent stops growing.
    int x = rect.left() + 4 + std::min(row.depth * kIndentStep, rect.width() / 2);
    const int mid = rect.center().y();
    const int icon = rect.height() - 8;

    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing);
    if (error) {
        p.setPen(Qt::NoPen);
        p.setBrush(kErrorColor);
        p.drawEllipse(QRect(x, mid - icon / 2, icon, icon));
        p.setPen(Qt::white);
        p.drawText(QRect(x, mid - icon / 2, icon, icon), Qt::AlignCenter, QStringLiteral("!"));
        x += icon + 4;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(ServiceColors::color(span.service));
    p.drawRoundedRect(QRect(x, mid - 4, 8, 8), 2, 2);
    x += 12;

    QString text = QString::fromStdString(span.service) + QStringLiteral(" • ") + QString::fromStdString(span.name);
    const QString missing = row.orphan ? tr("missing parent") : QString();
    const int missingWidth = row.orphan ? fontMetrics().horizontalAdvance(missing) + 12 : 0;
    const int textWidth = std::max(0, rect.right() - x - 4 - missingWidth);
    text = fontMetrics().elidedText(text, Qt::ElideRight, textWidth);
    p.setPen(palette().color(selected ? QPalette::HighlightedText : QPalette::Text));
    p.drawText(QRect(x, rect.top(), textWidth, rect.height()), Qt::AlignVCenter | Qt::AlignLeft, text);
    if (row.orphan) {
        const QRect tag(x + fontMetrics().horizontalAdvance(text) + 6, rect.top() + 3, missingWidth - 6,
                        rect.height() - 6);
        p.setPen(QColor(0xc7, 0x7c, 0x00));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(tag, 3, 3);
        p.drawText(tag, Qt::AlignCenter, missing);
    }
    p.restore();
}

void TraceWaterfall::paintBar(QPainter &p, const Axis &a, const Span &span, const QRect &rect, bool selected, bool critical)
{
    const double x0 = a.x(span.start);
    const double x1 = std::max(a.x(span.end), x0 + 2);
    const QRectF bar(x0, rect.top() + 4, x1 - x0, rect.height() - 8);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(ServiceColors::color(span.service));
    if (span.statusCode == static_cast<int>(StatusCode::Error))
        p.setPen(QPen(kErrorColor, 2));
    else
        p.setPen(Qt::NoPen);
    p.drawRoundedRect(bar, 2, 2);
    if (critical) // a dark rule under the bar: this span is what the trace's end waited for
        p.fillRect(QRectF(x0, bar.bottom() + 1, x1 - x0, 2), QColor(0x1e, 0x29, 0x3b));

    p.setPen(palette().color(QPalette::Text));
    for (const SpanEvent &e : span.events) {
        const double ex = a.x(e.time);
        p.drawLine(QPointF(ex, bar.top() - 2), QPointF(ex, bar.bottom() + 2));
    }

    // The duration goes right of the bar, else inside it, else left of it.
    const QString label = durationText(span.duration());
    const int w = fontMetrics().horizontalAdvance(label);
    QRectF textRect(x1 + 4, rect.top(), w, rect.height());
    QColor textColor = palette().color(selected ? QPalette::HighlightedText : QPalette::Text);
    if (textRect.right() > viewport()->width()) {
        if (x1 - x0 >= w + 8) {
            textRect.moveRight(x1 - 4);
            textColor = ServiceColors::textColor(ServiceColors::color(span.service));
        } else {
            textRect.moveRight(x0 - 4);
        }
    }
    p.setClipRect(QRect(nameWidth() + 1, rect.top(), viewport()->width() - nameWidth() - 1, rect.height()));
    p.setPen(textColor);
    p.drawText(textRect, Qt::AlignVCenter, label);
    p.restore();
}

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
    const int row = rowAt(pos.y());
    if (row >= 0)
        selectRow(row);
}

void TraceWaterfall::mouseMoveEvent(QMouseEvent *event)
{
    const int x = event->position().toPoint().x();
    if (m_draggingDivider) {
        m_nameFraction = std::clamp(static_cast<double>(x) / std::max(1, viewport()->width()), 0.1, 0.9);
        viewport()->update();
        return;
    }
    viewport()->setCursor(onDivider(x) ? Qt::SplitHCursor : Qt::ArrowCursor);
}

void TraceWaterfall::mouseReleaseEvent(QMouseEvent *event)
{
    m_draggingDivider = false;
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void TraceWaterfall::keyPressEvent(QKeyEvent *event)
{
    if (!m_tree || m_tree->rows.empty()) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const int page = std::max(1, (viewport()->height() - headerHeight()) / rowHeight());
    const int current = m_selectedRow;
    int target = current;
    switch (event->key()) {
    case Qt::Key_Up:
        target = current < 0 ? 0 : current - 1;
        break;
    case Qt::Key_Down:
        target = current + 1;
        break;
    case Qt::Key_PageUp:
        target = current - page;
        break;
    case Qt::Key_PageDown:
        target = current + page;
        break;
    case Qt::Key_Home:
        target = 0;
        break;
    case Qt::Key_End:
        target = static_cast<int>(m_tree->rows.size()) - 1;
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    selectRow(target);
}

bool TraceWaterfall::viewportEvent(QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !m_tree)
        return QAbstractScrollArea::viewportEvent(event);
    auto *help = static_cast<QHelpEvent *>(event);
    const int row = rowAt(help->pos().y());
    if (row < 0) {
        QToolTip::hideText();
        return true;
    }
    const TraceTree::Row &r = m_tree->rows[static_cast<std::size_t>(row)];
    const Span &s = m_tree->spans[r.span];
    QString tip = QString::fromStdString(s.service) + QStringLiteral(" • ") + QString::fromStdString(s.name) +
        QLatin1Char('\n') + durationText(s.duration()) + tr(" at +%1").arg(durationText(s.start - m_tree->start));
    if (s.statusCode == static_cast<int>(StatusCode::Error))
        tip += QLatin1Char('\n') + tr("error: %1").arg(QString::fromStdString(s.statusMessage));
    if (r.orphan)
        tip += QLatin1Char('\n') + tr("missing parent %1").arg(QString::fromStdString(s.parentSpanId));
    QToolTip::showText(help->globalPos(), tip, viewport());
    return true;
}

} // namespace fd
