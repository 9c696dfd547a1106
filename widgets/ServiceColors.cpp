#include "ServiceColors.h"

#include <array>
#include <cstdint>

namespace fd {

namespace {

// Well separated hues of similar weight (after the Tableau 10 and Okabe-Ito palettes).
constexpr std::array<QRgb, 12> kPalette{
    0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1, 0x76b7b2, 0xedc948,
    0x9c755f, 0xff9da7, 0x0072b2, 0x009e73, 0xcc79a7, 0x8c8c3a,
};

std::uint32_t fnv1a(const std::string &bytes)
{
    std::uint32_t h = 2166136261u;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

} // namespace

QColor ServiceColors::color(const std::string &service)
{
    return QColor::fromRgb(kPalette[fnv1a(service) % kPalette.size()]);
}

QColor ServiceColors::color(const QString &service)
{
    return color(service.toStdString());
}

QColor ServiceColors::textColor(const QColor &background)
{
    const double luma = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luma > 0.6 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace fd
