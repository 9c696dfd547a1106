#pragma once

// A workspace in DESIGN.md's shape. Kept out of the test file: moc cannot parse this raw string.
inline const char *kWorkspace = R"json({ "flightdeck_workspace": 1,
  "sources": [ {"id": "local", "type": "store", "path": "demo.sqlite"},
               {"id": "prom", "type": "prometheus", "url": "http://127.0.0.1:9090", "credential": "keychain-id"} ],
  "queries": [ {"name": "Auth errors", "folder": "auth",
                "query": {"signal": "logs", "where": [{"field": "service.name", "op": "=", "value": "auth"}]}} ],
  "boards": [ {"name": "Business", "tiles": [ { "name": "Login success", "kind": "ratio", "unit": "%",
      "numerator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "dashboard_view"}], "agg": "count", "interval": "5m"},
      "denominator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "login_page_view"}], "agg": "count", "interval": "5m"},
      "range": {"method": "seasonal", "period": "1d", "lookback": 7, "band": [0.05, 0.95]},
      "markers": {"kinds": ["deploy", "rollback", "flag"], "services": ["auth", "frontend"]} } ]} ],
  "incidents": [],
  "view": { "time_range": {"from": "now-24h", "to": "now"}, "variables": {"service": "auth"} } })json";
