#pragma once
#include <QColor>
#include <QString>
#include <QStringList>
#include <map>
#include <string>
#include <vector>

namespace fd {

// The colours of the services (or series) shown together. Each name has its own colour, the same in every
// view, run and machine (a fixed hash of the name, not the seeded qHash). Two names of one set whose own
// colours are the same would read as one service: the later name (by name) takes a free colour of the
// palette instead (one that is no other member's own, when there is one), so a set of up to 12 names gets
// distinct colours and the same set the same ones. A name that shares its colour with no one keeps it.
class ServiceColors
{
public:
    ServiceColors() = default;
    explicit ServiceColors(const std::vector<std::string> &names);
    explicit ServiceColors(const QStringList &names);

    // The name's colour in this set; its own colour when it is not in the set.
    QColor color(const std::string &name) const;
    QColor color(const QString &name) const;
    QColor color(const char *name) const { return color(std::string(name)); }

    static QColor ownColor(const std::string &name);
    // A colour that stays readable as text on the given background.
    static QColor textColor(const QColor &background);

private:
    std::map<std::string, QRgb> m_assigned;
};

} // namespace fd
