#pragma once
#include <QString>

namespace fd {

// Walks `bytes` UTF-8 bytes forward from character index `from`: servers (Go's, ClickHouse) count error
// positions in bytes, QString counts UTF-16 units. Stops at the end of the query.
int advanceUtf8(const QString &query, int from, qint64 bytes);

} // namespace fd
