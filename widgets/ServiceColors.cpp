#include "ServiceColors.h"

#include <array>
#include <cstdint>
#include <optional>
#include <set>

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

std::size_t ownSlot(const std::string &name)
{
    return fnv1a(name) % kPalette.size();
}

} // namespace

ServiceColors::ServiceColors(const std::vector<std::string> &names)
{
    const std::set<std::string> sorted(names.begin(), names.end()); // the same set, the same colours
    std::array<bool, kPalette.size()> taken{}, someonesOwn{};
    std::vector<std::string> moved;
    // Every name whose own colour is free keeps it; so a name that collides with no one is never moved.
    for (const std::string &name : sorted) {
        const std::size_t slot = ownSlot(name);
        someonesOwn[slot] = true;
        if (taken[slot]) {
            moved.push_back(name);
        } else {
            taken[slot] = true;
            m_assigned[name] = kPalette[slot];
        }
    }
    // The others take a free colour, first one that is no member's own.
    for (const std::string &name : moved) {
        std::optional<std::size_t> chosen;
        for (const bool preferUnowned : { true, false })
            for (std::size_t step = 1; step < kPalette.size() && !chosen; ++step) {
                const std::size_t slot = (ownSlot(name) + step) % kPalette.size();
                if (!taken[slot] && (!preferUnowned || !someonesOwn[slot]))
                    chosen = slot;
            }
        if (chosen)
            taken[*chosen] = true;
        m_assigned[name] = kPalette[chosen.value_or(ownSlot(name))]; // past 12 names, colours repeat
    }
}

ServiceColors::ServiceColors(const QStringList &names)
{
    std::vector<std::string> utf8;
    for (const QString &n : names)
        utf8.push_back(n.toStdString());
    *this = ServiceColors(utf8);
}

QColor ServiceColors::color(const std::string &name) const
{
    const auto it = m_assigned.find(name);
    return it != m_assigned.end() ? QColor::fromRgb(it->second) : ownColor(name);
}

QColor ServiceColors::color(const QString &name) const
{
    return color(name.toStdString());
}

QColor ServiceColors::ownColor(const std::string &name)
{
    return QColor::fromRgb(kPalette[ownSlot(name)]);
}

QColor ServiceColors::textColor(const QColor &background)
{
    const double luma = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luma > 0.6 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace fd
