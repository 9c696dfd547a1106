#pragma once
// Every field of the rows an import decodes, as JSON, so that two decodings compare in one step (tst_import, and
// fuzz_jsonlines' check that the import's fast decoder reads each line as the full parser does).
#include "connectors/store/LogRows.h"

namespace fdtest {

inline fd::Json logRowsJson(const fd::LogRows &rows)
{
    fd::Json out = fd::Json::array();
    for (const fd::LogRow &r : rows.rows)
        out.push_back(fd::Json { { "time", r.time }, { "severity", r.severity }, { "severityText", r.severityText },
            { "body", r.body }, { "json", r.bodyIsJson }, { "service", r.service }, { "trace", r.traceId },
            { "span", r.spanId }, { "event", r.eventName }, { "attributes", fd::Json::parse(r.attributes) },
            { "resource", fd::Json::parse(rows.resources.at(r.resource).attributes) } });
    return out;
}

} // namespace fdtest
