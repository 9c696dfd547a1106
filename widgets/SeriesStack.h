#pragma once
#include <span>
#include <vector>

namespace fd {

// Series summed bottom-up for a stacked-area chart. Series rarely share timestamps exactly, so they
// are aligned on the union of their xs (nothing is resampled away): at each x a series counts with
// its latest sample at or before x (as the crosshair reads it), and as 0 before its first sample,
// after its last one and where the sample is NaN.
struct SeriesStack {
    struct Input {
        std::span<const double> xs; // ascending
        std::span<const double> ys;
    };

    std::vector<double> xs;                // the union of the inputs' xs inside the window
    std::vector<std::vector<double>> tops; // tops[k][i]: inputs 0..k summed at xs[i]

    // Only xs inside [xMin, xMax] plus each input's nearest neighbour outside either edge are kept,
    // so a zoomed window costs what it shows.
    static SeriesStack build(std::span<const Input> inputs, double xMin, double xMax);
};

} // namespace fd
