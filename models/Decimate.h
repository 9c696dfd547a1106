#pragma once
#include <span>
#include <vector>

namespace fd {

struct DecimatedXY {
    std::vector<double> xs;
    std::vector<double> ys; // NaN marks a break in the line
};

struct DecimatedBand {
    std::vector<double> xs;
    std::vector<double> low;  // NaN in both marks a break
    std::vector<double> high;
};

// Reduces a series (xs ascending) drawn over [xMin, xMax] on `pixelWidth` columns to the minimum and
// maximum of each column, so no spike is lost. Runs of finite values are reduced independently and a
// NaN is emitted between them; the result keeps at most two points per column and run, plus the first
// and last point and the nearest point outside each edge (so lines reach the plot border).
// A visible part that is already small enough comes back unchanged.
DecimatedXY decimateMinMax(std::span<const double> xs, std::span<const double> ys, double xMin,
                           double xMax, int pixelWidth);

// The envelope of a band: one point per pixel column with the lowest low and the highest high.
// A bucket with a NaN low or high breaks the band.
DecimatedBand decimateBand(std::span<const double> xs, std::span<const double> low,
                           std::span<const double> high, double xMin, double xMax, int pixelWidth);

} // namespace fd
