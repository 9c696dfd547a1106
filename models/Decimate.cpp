#include "Decimate.h"
#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace fd {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Slice {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t size() const { return end - begin; }
};

// The points inside [xMin, xMax] plus the nearest neighbour outside each edge.
Slice visibleSlice(std::span<const double> xs, double xMin, double xMax)
{
    const auto lo = static_cast<std::size_t>(std::lower_bound(xs.begin(), xs.end(), xMin) - xs.begin());
    const auto hi = static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), xMax) - xs.begin());
    return {lo > 0 ? lo - 1 : 0, std::min(hi + 1, xs.size())};
}

// Pixel column of an x: -1 left of the range, `width` right of it.
class ColumnMapper
{
public:
    ColumnMapper(double xMin, double xMax, int width)
        : m_xMin(xMin), m_xMax(xMax), m_scale(width / (xMax - xMin)), m_width(width)
    {
    }
    int operator()(double x) const
    {
        if (x < m_xMin)
            return -1;
        if (x > m_xMax)
            return m_width;
        return std::min(static_cast<int>((x - m_xMin) * m_scale), m_width - 1);
    }

private:
    double m_xMin, m_xMax, m_scale;
    int m_width;
};

// Emits points and puts one NaN between runs, only when a run follows.
template <class Out, class Push>
class RunWriter
{
public:
    RunWriter(Out &out, Push push) : m_out(out), m_push(push) {}
    template <class... Values>
    void point(double x, Values... values)
    {
        if (m_gapPending) // a NaN in place of every value
            m_push(m_out, m_gapX, (static_cast<void>(values), kNaN)...);
        m_gapPending = false;
        m_push(m_out, x, values...);
    }
    void gap(double x)
    {
        if (!m_out.xs.empty() && !m_gapPending) {
            m_gapPending = true;
            m_gapX = x;
        }
    }

private:
    Out &m_out;
    Push m_push;
    bool m_gapPending = false;
    double m_gapX = 0;
};

struct ColumnExtremes {
    std::size_t first = 0, last = 0, minIndex = 0, maxIndex = 0;
    bool empty = true;
    void add(std::size_t i, std::span<const double> ys)
    {
        if (empty) {
            first = minIndex = maxIndex = i;
            empty = false;
        }
        last = i;
        if (ys[i] < ys[minIndex])
            minIndex = i;
        if (ys[i] > ys[maxIndex])
            maxIndex = i;
    }
};

void pushXY(DecimatedXY &out, double x, double y)
{
    out.xs.push_back(x);
    out.ys.push_back(y);
}

void pushBand(DecimatedBand &out, double x, double low, double high)
{
    out.xs.push_back(x);
    out.low.push_back(low);
    out.high.push_back(high);
}

bool normaliseRange(std::span<const double> xs, double &xMin, double &xMax)
{
    if (xs.empty())
        return false;
    if (!(xMax > xMin)) {
        xMin = xs.front();
        xMax = xs.back();
    }
    if (!(xMax > xMin))
        xMax = xMin + 1;
    return true;
}

} // namespace

DecimatedXY decimateMinMax(std::span<const double> xsIn, std::span<const double> ysIn, double xMin,
                           double xMax, int pixelWidth)
{
    DecimatedXY out;
    const std::size_t n = std::min(xsIn.size(), ysIn.size());
    const auto xs = xsIn.first(n);
    const auto ys = ysIn.first(n);
    if (!normaliseRange(xs, xMin, xMax))
        return out;
    const int width = std::max(pixelWidth, 1);
    const Slice slice = visibleSlice(xs, xMin, xMax);
    if (slice.size() <= 2 * static_cast<std::size_t>(width) + 4) {
        out.xs.assign(xs.begin() + slice.begin, xs.begin() + slice.end);
        out.ys.assign(ys.begin() + slice.begin, ys.begin() + slice.end);
        return out;
    }
    out.xs.reserve(2 * width + 8);
    out.ys.reserve(2 * width + 8);

    const ColumnMapper columnOf(xMin, xMax, width);
    RunWriter writer(out, pushXY);
    ColumnExtremes column;
    int columnIndex = INT_MIN;
    bool firstFlush = true;
    auto flush = [&](bool keepLast) {
        if (column.empty)
            return;
        std::size_t picks[4] = {column.minIndex, column.maxIndex, column.minIndex, column.maxIndex};
        if (firstFlush)
            picks[2] = column.first;
        if (keepLast)
            picks[3] = column.last;
        std::sort(std::begin(picks), std::end(picks));
        const auto last = std::unique(std::begin(picks), std::end(picks));
        for (auto *it = std::begin(picks); it != last; ++it)
            writer.point(xs[*it], ys[*it]);
        firstFlush = false;
        column = {};
    };
    for (std::size_t i = slice.begin; i < slice.end; ++i) {
        if (!std::isfinite(ys[i])) {
            flush(false);
            writer.gap(xs[i]);
            continue;
        }
        const int c = columnOf(xs[i]);
        if (c != columnIndex) {
            flush(false);
            columnIndex = c;
        }
        column.add(i, ys);
    }
    flush(true);
    return out;
}

DecimatedBand decimateBand(std::span<const double> xsIn, std::span<const double> lowIn,
                           std::span<const double> highIn, double xMin, double xMax, int pixelWidth)
{
    DecimatedBand out;
    const std::size_t n = std::min({xsIn.size(), lowIn.size(), highIn.size()});
    const auto xs = xsIn.first(n);
    if (!normaliseRange(xs, xMin, xMax))
        return out;
    const int width = std::max(pixelWidth, 1);
    const Slice slice = visibleSlice(xs, xMin, xMax);
    if (slice.size() <= 2 * static_cast<std::size_t>(width)) {
        out.xs.assign(xs.begin() + slice.begin, xs.begin() + slice.end);
        out.low.assign(lowIn.begin() + slice.begin, lowIn.begin() + slice.end);
        out.high.assign(highIn.begin() + slice.begin, highIn.begin() + slice.end);
        return out;
    }

    const ColumnMapper columnOf(xMin, xMax, width);
    RunWriter writer(out, pushBand);
    int columnIndex = INT_MIN;
    double firstX = 0, lastX = 0, low = 0, high = 0;
    bool empty = true;
    auto flush = [&] {
        if (empty)
            return;
        writer.point(firstX, low, high);
        if (lastX != firstX)
            writer.point(lastX, low, high);
        empty = true;
    };
    for (std::size_t i = slice.begin; i < slice.end; ++i) {
        if (!std::isfinite(lowIn[i]) || !std::isfinite(highIn[i])) {
            flush();
            writer.gap(xs[i]);
            continue;
        }
        const int c = columnOf(xs[i]);
        if (c != columnIndex) {
            flush();
            columnIndex = c;
        }
        if (empty) {
            firstX = xs[i];
            low = lowIn[i];
            high = highIn[i];
            empty = false;
        }
        lastX = xs[i];
        low = std::min(low, lowIn[i]);
        high = std::max(high, highIn[i]);
    }
    flush();
    return out;
}

} // namespace fd
