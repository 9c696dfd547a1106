#pragma once
// What GUI tests check in a grabbed widget: that it is not blank, and that a colour is drawn.
#include <QColor>
#include <QImage>
#include <cstdlib>
#include <set>

namespace fdtest {

// Distinct colours on a grid of every `step`th pixel: a blank or single-colour widget has very few.
inline int colourCount(const QImage &image, int step = 2)
{
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += step)
        for (int x = 0; x < image.width(); x += step)
            colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

// Whether some pixel of the grid is within `tolerance` of the colour in each channel (antialiasing blends).
inline bool hasColourNear(const QImage &image, const QColor &wanted, int tolerance = 12)
{
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - wanted.red()) <= tolerance && std::abs(c.green() - wanted.green()) <= tolerance
                && std::abs(c.blue() - wanted.blue()) <= tolerance)
                return true;
        }
    }
    return false;
}

} // namespace fdtest
