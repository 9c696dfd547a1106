#pragma once

// A workspace in DESIGN.md's shape. Kept out of the test file: moc cannot parse this raw string.
inline const char *kWorkspace = R"json({ "flightdeck_workspace": 1,
  "sources": [ {"id": "local", "type": "store", "path": "demo.sqlite"},
               {"id": "prom", "type": "prometheus", "url": "http://127.0.0.1:9090", "credential": "keychain-id"} ],
  "queries": [ {"name": "Auth errors", "folder": "auth",
                "query": {"signal": "logs", "where": [{"field": "service.name", "op": "=", "value": "auth"}]}},
               {"name": "Top services", "view": "query", "query": {"signal": "logs", "raw": "SELECT service, count(*) FROM logs GROUP BY 1"}} ],
  "boards": [ {"name": "Business", "tiles": [ { "name": "Login success", "kind": "ratio", "unit": "%",
      "numerator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "dashboard_view"}], "agg": "count", "interval": "5m"},
      "denominator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "login_page_view"}], "agg": "count", "interval": "5m"},
      "range": {"method": "seasonal", "period": "1d", "lookback": 7, "band": [0.05, 0.95]},
      "markers": {"kinds": ["deploy", "rollback", "flag"], "services": ["auth", "frontend"]} } ]} ],
  "incidents": [],
  "view": { "time_range": {"from": "now-24h", "to": "now"}, "variables": {"service": "auth"} } })json";

// A JSON column's text, kept byte for byte by a snapshot (key order, number spelling).
inline constexpr const char *kSnapshotJsonCell = R"({"b":1,"a":[2.50,"x"]})";

inline const char *kBadSnapshotWorkspace = R"json({"flightdeck_workspace": 2, "queries": [{"name": "Q", "query": {"signal": "logs"},
  "snapshot": {"taken": "2026-11-20T10:00:00Z", "from": "2026-11-20T09:00:00Z", "to": "2026-11-20T10:00:00Z",
               "columns": [{"name": "time", "type": "time"}, {"name": "body", "type": "string"}],
               "rows": [[1, "ok"], [2]]}}]})json";
