#pragma once
// Every field of a telemetry batch as JSON, so that two decodings compare in one step (tst_otlp, and
// fuzz_otlp_json's check that the fast OTLP/JSON decoder agrees with the document decoder).
#include "models/Telemetry.h"

namespace fdtest {

inline fd::Json batchJson(const fd::TelemetryBatch &b)
{
    fd::Json out { { "spans", fd::Json::array() }, { "logs", fd::Json::array() }, { "metrics", fd::Json::array() } };
    for (const fd::Span &s : b.spans) {
        fd::Json events = fd::Json::array(), links = fd::Json::array();
        for (const fd::SpanEvent &e : s.events)
            events.push_back(fd::Json { { "time", e.time }, { "name", e.name }, { "attributes", e.attributes } });
        for (const fd::SpanLink &l : s.links)
            links.push_back(fd::Json { { "trace", l.traceId }, { "span", l.spanId }, { "attributes", l.attributes } });
        out["spans"].push_back(fd::Json { { "trace", s.traceId }, { "span", s.spanId }, { "parent", s.parentSpanId },
            { "service", s.service }, { "name", s.name }, { "kind", s.kind }, { "start", s.start }, { "end", s.end },
            { "code", s.statusCode }, { "message", s.statusMessage }, { "attributes", s.attributes },
            { "resource", s.resource }, { "events", events }, { "links", links } });
    }
    for (const fd::LogRecord &r : b.logs)
        out["logs"].push_back(fd::Json { { "time", r.time }, { "observed", r.observedTime }, { "severity", r.severity },
            { "severityText", r.severityText }, { "body", r.body }, { "json", r.bodyIsJson }, { "service", r.service },
            { "trace", r.traceId }, { "span", r.spanId }, { "attributes", r.attributes }, { "resource", r.resource } });
    for (const fd::MetricPoint &p : b.metrics)
        out["metrics"].push_back(fd::Json { { "time", p.time }, { "start", p.startTime }, { "name", p.name },
            { "unit", p.unit }, { "service", p.service }, { "type", p.type }, { "monotonic", p.monotonic },
            { "temporality", p.temporality }, { "value", p.value }, { "attributes", p.attributes },
            { "resource", p.resource }, { "extra", p.extra } });
    return out;
}

} // namespace fdtest
