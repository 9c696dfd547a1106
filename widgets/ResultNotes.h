#pragma once
#include <QString>
#include <string>
#include <vector>

namespace fd {

// What a source says about a result beside its rows (partial shards, a limit reached, warnings), as a
// status line's tail: " · note · note"; empty when there is none.
inline QString notesText(const std::vector<std::string> &notes)
{
    QString out;
    for (const std::string &note : notes)
        out += QStringLiteral(" · ") + QString::fromStdString(note);
    return out;
}

} // namespace fd
