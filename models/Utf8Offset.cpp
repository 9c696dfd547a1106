#include "Utf8Offset.h"

namespace fd {

int advanceUtf8(const QString &query, int from, qint64 bytes)
{
    int i = from;
    while (bytes > 0 && i < query.size()) {
        const char32_t u = query[i].unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < query.size() && query[i + 1].isLowSurrogate()) {
            bytes -= 4;
            i += 2;
        } else {
            bytes -= u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
            ++i;
        }
    }
    return i;
}

} // namespace fd
