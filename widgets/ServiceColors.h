#pragma once
#include <QColor>
#include <QString>
#include <string>

namespace fd {

// A stable colour per service name: the same service gets the same colour in every view, every run
// and on every machine (the name is hashed with a fixed function, not the seeded qHash).
class ServiceColors
{
public:
    static QColor color(const QString &service);
    static QColor color(const std::string &service);
    // A colour that stays readable as text on the given background.
    static QColor textColor(const QColor &background);
};

} // namespace fd
