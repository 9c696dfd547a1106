#pragma once
#include <QString>
#include <optional>

namespace fd {

// Where in `query` a server's parse error points, as a 0-based character offset (at most query.size(),
// which means "at the end"). Understands Prometheus ("1:14: parse error: ...", line:column with the
// column in UTF-8 bytes), Prometheus before 2.20 ("parse error at char 7: ...", "... at line 2, char 3: ..."),
// VictoriaMetrics ("...; unparsed data: \"<the rest of the query>\"") and a generic "at position N"
// (0-based). nullopt when the message names no position.
std::optional<int> promQlErrorOffset(const QString &message, const QString &query);

} // namespace fd
