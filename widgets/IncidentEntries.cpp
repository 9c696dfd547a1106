#include "IncidentEntries.h"
#include "models/TraceTree.h"
#include <QBuffer>
#include <QPixmap>
#include <QWidget>

namespace fd {

namespace {
constexpr int kMaxPictureWidth = 1400; // keeps a workspace with pictures a few hundred kB

std::string pngBase64(const QWidget &widget)
{
    QPixmap picture = const_cast<QWidget &>(widget).grab();
    if (picture.width() > kMaxPictureWidth)
        picture = picture.scaledToWidth(kMaxPictureWidth, Qt::SmoothTransformation);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    picture.save(&buffer, "PNG");
    return bytes.toBase64().toStdString();
}

std::string firstLine(const std::string &text, std::size_t max = 140)
{
    std::string line = text.substr(0, text.find('\n'));
    return line.size() > max ? line.substr(0, max) + "…" : line;
}

std::string jsonString(const Json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

TimeNs jsonTime(const Json &j, const char *key)
{
    const auto t = parseTime(QString::fromStdString(jsonString(j, key)), nowNs());
    return t ? *t : nowNs();
}
} // namespace

IncidentEntry eventEntry(const Json &record)
{
    IncidentEntry e;
    e.kind = "event";
    e.time = jsonTime(record, "time");
    const std::string severity = jsonString(record, "severity_text");
    const std::string service = jsonString(record, "service.name");
    e.title = (severity.empty() ? "" : severity + " ") + (service.empty() ? "" : service + ": ") + firstLine(jsonString(record, "body"));
    e.text = record.dump(2);
    e.ref = {{"service", service}, {"trace_id", jsonString(record, "trace_id")}, {"span_id", jsonString(record, "span_id")}};
    return e;
}

IncidentEntry spanEntry(const Span &span)
{
    IncidentEntry e;
    e.kind = "span";
    e.time = span.start;
    e.title = span.service + ": " + span.name + " (" + formatDuration(span.duration()).toStdString()
        + (span.statusCode == 2 ? ", error" : "") + ")";
    e.text = span.statusMessage;
    e.ref = {{"trace_id", span.traceId}, {"span_id", span.spanId}};
    return e;
}

IncidentEntry markerEntry(const Marker &marker)
{
    IncidentEntry e;
    e.kind = "marker";
    e.time = marker.time;
    e.title = marker.kind + ": " + marker.title;
    std::vector<std::string> details;
    for (const auto &[label, value] : {std::pair{"service ", marker.service}, {"version ", marker.version}, {"commit ", marker.commit}})
        if (!value.empty())
            details.push_back(label + value);
    for (const std::string &d : details)
        e.text += (e.text.empty() ? "" : ", ") + d;
    e.ref = {{"marker", markerToJson(marker)}};
    return e;
}

IncidentEntry traceEntry(const TraceTree &tree, const QWidget &waterfall)
{
    IncidentEntry e;
    e.kind = "trace";
    e.time = tree.start;
    const Span *root = tree.root();
    const std::string name = root ? root->service + ": " + root->name : std::string("trace");
    e.title = name + " (" + formatDuration(spanBetween(tree.start, tree.end)).toStdString() + ", " + std::to_string(tree.spanCount)
        + " spans, " + std::to_string(tree.errorCount) + " errors)";
    e.ref = {{"trace_id", tree.spans.empty() ? std::string() : tree.spans.front().traceId}};
    e.image = pngBase64(waterfall);
    return e;
}

IncidentEntry snapshotEntry(const QWidget &widget, const QString &title, TimeNs time, Json ref)
{
    IncidentEntry e;
    e.kind = "chart";
    e.time = time;
    e.title = title.toStdString();
    e.ref = std::move(ref);
    e.image = pngBase64(widget);
    return e;
}

IncidentEntry queryEntry(const Query &query, const TimeRange &range, const QString &nativeQuery, const QWidget &chart)
{
    IncidentEntry e = snapshotEntry(chart, QString(), range.to, {{"query", queryToJson(query)},
                                                                 {"from", formatRfc3339Std(range.from)},
                                                                 {"to", formatRfc3339Std(range.to)}});
    e.kind = "query";
    e.title = "Query: " + firstLine(nativeQuery.isEmpty() ? queryToJson(query).dump() : nativeQuery.toStdString());
    e.text = nativeQuery.toStdString();
    return e;
}

} // namespace fd
