#include "SeriesStack.h"
#include <algorithm>
#include <cmath>
#include <iterator>

namespace fd {
namespace {

std::span<const double> windowOf(std::span<const double> xs, double xMin, double xMax)
{
    auto lo = std::lower_bound(xs.begin(), xs.end(), xMin);
    auto hi = std::upper_bound(xs.begin(), xs.end(), xMax);
    if (lo != xs.begin())
        --lo;
    if (hi != xs.end())
        ++hi;
    return {lo, hi};
}

std::vector<double> unionOf(std::span<const SeriesStack::Input> inputs, double xMin, double xMax)
{
    std::vector<double> grid, merged;
    for (const SeriesStack::Input &in : inputs) {
        const auto w = windowOf(in.xs.first(std::min(in.xs.size(), in.ys.size())), xMin, xMax);
        merged.clear();
        merged.reserve(grid.size() + w.size());
        std::set_union(grid.begin(), grid.end(), w.begin(), w.end(), std::back_inserter(merged));
        grid.swap(merged);
    }
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    return grid;
}

} // namespace

SeriesStack SeriesStack::build(std::span<const Input> inputs, double xMin, double xMax)
{
    SeriesStack stack;
    stack.xs = unionOf(inputs, xMin, xMax);
    const std::size_t n = stack.xs.size();
    stack.tops.reserve(inputs.size());
    for (const Input &in : inputs) {
        std::vector<double> top = stack.tops.empty() ? std::vector<double>(n, 0.0) : stack.tops.back();
        const std::size_t size = std::min(in.xs.size(), in.ys.size());
        if (size > 0 && n > 0) {
            // Index of the latest sample at or before the current grid x; -1 before the first.
            auto j = static_cast<std::ptrdiff_t>(std::upper_bound(in.xs.begin(), in.xs.begin() + size, stack.xs[0])
                                                 - in.xs.begin()) - 1;
            const double last = in.xs[size - 1];
            for (std::size_t i = 0; i < n; ++i) {
                const double x = stack.xs[i];
                while (j + 1 < static_cast<std::ptrdiff_t>(size) && in.xs[static_cast<std::size_t>(j + 1)] <= x)
                    ++j;
                if (j >= 0 && x <= last) {
                    const double y = in.ys[static_cast<std::size_t>(j)];
                    if (std::isfinite(y))
                        top[i] += y;
                }
            }
        }
        stack.tops.push_back(std::move(top));
    }
    return stack;
}

} // namespace fd
