#pragma once
#include "FieldKeys.h"
#include "models/Time.h"
#include <string>
#include <vector>

namespace fd {

// Log records in the store's column form, as a bulk import builds them: the attribute and resource
// objects are already JSON text (kept as the file wrote them where possible), their keys already noted.
struct LogRow {
    TimeNs time = 0;
    int severity = 0;
    bool bodyIsJson = false;
    std::uint32_t resource = 0; // index into LogRows::resources
    std::string severityText;
    std::string body;
    std::string service;
    std::string traceId;
    std::string spanId;
    std::string eventName;  // "" for none
    std::string attributes; // a JSON object's text
};

struct LogRows {
    struct Resource {
        std::string attributes; // a JSON object's text
        std::string service;
    };
    std::vector<LogRow> rows;
    std::vector<Resource> resources;
    FieldKeys keys;
    bool empty() const { return rows.empty(); }
};

} // namespace fd
