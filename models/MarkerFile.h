#pragma once
#include "Telemetry.h"
#include <QString>
#include <vector>

namespace fd {

// Markers from a file someone exported from a CI/CD system: a JSON array of marker objects (or
// JSON lines), or CSV with a header row naming marker fields (time, kind, service, title, version,
// commit, commit_time, url; other columns become attributes). Throws fd::Error naming the line.
std::vector<Marker> readMarkerFile(const QString &path, TimeNs now);
std::vector<Marker> parseMarkersJson(const std::string &text, TimeNs now);
std::vector<Marker> parseMarkersCsv(const std::string &text, TimeNs now);

} // namespace fd
