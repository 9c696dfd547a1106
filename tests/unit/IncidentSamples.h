#pragma once

// Workspace documents for tst_incident. Kept out of the test file: moc cannot parse these raw strings.

// Format version 1, as people wrote incidents by hand before they had a shape.
inline const char *kVersion1Workspace = R"json({ "flightdeck_workspace": 1,
  "sources": [ {"id": "local", "type": "store", "path": "demo.sqlite"} ],
  "boards": [],
  "incidents": [
    {"name": "Checkout outage", "start": "2026-11-20T10:00:00Z", "end": "2026-11-20T11:30:00Z",
     "service": "checkout", "pager": "PD-1234", "notes": ["rolled back 3.1.0"]},
    "a loose note somebody left"
  ],
  "view": {} })json";

inline const char *kVersion2Incident = R"json({ "title": "Login drop", "severity": "SEV2", "status": "resolved",
  "owner": "ana", "service": "auth", "start": "2026-11-21T08:00:00Z", "end": "2026-11-21T08:47:00Z",
  "summary": "Logins failed for 47 minutes.", "impact": "38 % of logins", "cause": "auth 2.14.0 token cache",
  "action_items": ["alert on login success", "canary auth deploys"],
  "timeline": [
    {"time": "2026-11-21T08:30:00Z", "kind": "note", "title": "rolled back"},
    {"time": "2026-11-21T07:58:00Z", "kind": "marker", "title": "Suspect: deploy auth 2.14.0", "text": "deploy 2 min before",
     "ref": {"marker": {"kind": "deploy", "service": "auth", "version": "2.14.0"}}},
    {"time": "2026-11-21T08:05:00Z", "kind": "trace", "title": "POST /login 3.2 s", "ref": {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"},
     "image": "iVBORw0KGgo="}
  ] })json";
