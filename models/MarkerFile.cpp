#include "MarkerFile.h"
#include "JsonDepth.h"
#include "QueryText.h"
#include "Error.h"
#include <QFile>
#include <QFileInfo>
#include <array>
#include <sstream>

namespace fd {

namespace {
constexpr std::array<const char *, 8> kFields = {"time", "kind", "service", "title", "version", "commit", "commit_time", "url"};

bool isMarkerField(const std::string &name)
{
    for (const char *f : kFields)
        if (name == f)
            return true;
    return false;
}

// One CSV record (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes).
std::vector<std::string> csvRecord(std::istream &in, bool *ok)
{
    std::vector<std::string> fields(1);
    bool quoted = false;
    char c;
    *ok = false;
    while (in.get(c)) {
        *ok = true;
        if (quoted) {
            if (c == '"' && in.peek() == '"') {
                fields.back() += '"';
                in.get(c);
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    if (quoted)
        throw Error(std::string("unterminated quoted field"));
    return fields;
}

Marker markerAt(const Json &j, TimeNs now, std::size_t index)
{
    try {
        return markerFromJson(j, now);
    } catch (const Error &e) {
        throw Error("marker " + std::to_string(index + 1) + ": " + e.what());
    }
}
} // namespace

std::vector<Marker> parseMarkersJson(const std::string &text, TimeNs now)
{
    checkJsonDepth(text); // a marker is flat: printing a deeper value (in a message) overflowed the stack
    std::vector<Marker> out;
    const Json whole = Json::parse(text, nullptr, false);
    if (!whole.is_discarded()) {
        const Json list = whole.is_array() ? whole : Json::array({whole});
        for (std::size_t i = 0; i < list.size(); ++i)
            out.push_back(markerAt(list[i], now, i));
        return out;
    }
    std::istringstream lines(text);
    std::string line;
    for (std::size_t n = 1; std::getline(lines, line); ++n) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const Json j = Json::parse(line, nullptr, false);
        if (j.is_discarded())
            throw Error("line " + std::to_string(n) + ": not valid JSON");
        out.push_back(markerAt(j, now, out.size()));
    }
    return out;
}

std::vector<Marker> parseMarkersCsv(const std::string &text, TimeNs now)
{
    std::istringstream in{std::string(withoutByteOrderMark(text))}; // the mark had joined the first column's name
    bool ok = false;
    std::vector<std::string> header = csvRecord(in, &ok);
    for (std::string &name : header)
        name = trim(name); // "time, kind" as people write it
    if (!ok || header.empty())
        throw Error(std::string("the CSV file is empty"));
    std::vector<Marker> out;
    for (std::size_t line = 2;; ++line) {
        std::vector<std::string> fields;
        try {
            fields = csvRecord(in, &ok);
        } catch (const Error &e) {
            throw Error("line " + std::to_string(line) + ": " + e.what());
        }
        if (!ok)
            break;
        if (fields.size() == 1 && fields[0].empty())
            continue;
        if (fields.size() != header.size())
            throw Error("line " + std::to_string(line) + ": " + std::to_string(fields.size()) + " fields, the header has "
                        + std::to_string(header.size()));
        Json j = Json::object();
        Json attributes = Json::object();
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (fields[i].empty())
                continue;
            (isMarkerField(header[i]) ? j[header[i]] : attributes[header[i]]) = fields[i];
        }
        j["attributes"] = attributes;
        try {
            out.push_back(markerFromJson(j, now));
        } catch (const Error &e) {
            throw Error("line " + std::to_string(line) + ": " + e.what());
        }
    }
    return out;
}

std::vector<Marker> readMarkerFile(const QString &path, TimeNs now)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const std::string text = file.readAll().toStdString();
    try {
        if (QFileInfo(path).suffix().toLower() == QLatin1String("csv"))
            return parseMarkersCsv(text, now);
        return parseMarkersJson(text, now);
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(path, e.message()));
    }
}

} // namespace fd
