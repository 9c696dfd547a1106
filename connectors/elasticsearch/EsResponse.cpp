#include "EsResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Telemetry.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace fd {

namespace {

using K = Aggregate::Kind;

const std::string kPrefix = "Elasticsearch: ";

// A count as Elasticsearch sends it.
std::int64_t countValue(const Json &v, const char *what)
{
    if (const auto n = jsonInt64(v))
        return *n;
    throw Error(kPrefix + notInt64Text(what, v));
}

// countValue of object[key], 0 when the key is absent or null.
std::int64_t countAt(const Json &object, const char *key, const char *what)
{
    return jsonInt64At(object, key, kPrefix, what);
}

std::string errorMessage(const Json &error)
{
    if (!error.is_object())
        return "Elasticsearch error: " + jsonValueText(error);
    const std::string type = error.value("type", std::string("error"));
    const std::string reason = error.contains("reason") ? jsonValueText(error["reason"]) : std::string("(no reason)");
    std::string out = "Elasticsearch " + type + ": " + reason;
    const auto roots = error.find("root_cause");
    if (roots != error.end() && roots->is_array() && !roots->empty()) {
        const Json &root = roots->front();
        const std::string rootReason = root.contains("reason") ? jsonValueText(root["reason"]) : std::string();
        if (!rootReason.empty() && rootReason != reason)
            out += " (" + root.value("type", std::string("cause")) + ": " + rootReason + ")";
    }
    return out;
}

void flatten(const Json &object, const std::string &prefix, Json &out)
{
    for (const auto &[key, value] : object.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (value.is_object() && !value.empty())
            flatten(value, path, out);
        else
            out[path] = value;
    }
}

// The first of the names that the document has, with its name.
std::pair<const Json *, std::string> first(const Json &source, const std::vector<std::string> &names)
{
    for (const std::string &n : names)
        if (const Json *v = findDotted(source, n); v && !v->is_null())
            return { v, n };
    return { nullptr, {} };
}

// The time field's doc value as docvalue_fields asks it: epoch milliseconds as text, a fraction for date_nanos.
// A field mapped as a number takes "epoch_millis" as a number pattern ("epoch_millis1764633600000"): no doc
// value then, and the source's number counts.
std::optional<TimeNs> docValueTime(const Json &hit, const std::string &field)
{
    const auto values = hit.find("fields");
    if (values == hit.end() || !values->is_object())
        return std::nullopt;
    const auto v = values->find(field);
    if (v == values->end() || !v->is_array() || v->empty())
        return std::nullopt;
    const Json &first = v->front();
    if (first.is_number())
        return epochMillis(first, "a document's time");
    bool ok = false;
    const double ms = first.is_string() ? QString::fromStdString(first.get<std::string>()).toDouble(&ok) : 0;
    if (!ok)
        return std::nullopt;
    return epochMillis(Json(ms), "a document's time");
}

std::optional<TimeNs> sourceDateText(const Json *value)
{
    if (!value || !value->is_string())
        return std::nullopt;
    QString error;
    return parseTime(QString::fromStdString(value->get<std::string>()), nowNs(), &error);
}

// The doc value first (the source's date text where it agrees, for its sub-millisecond digits); then the
// source's number (epoch ms) or date text; then the sort value.
TimeNs documentTime(const Json &hit, const std::string &field, const Json *value)
{
    const std::optional<TimeNs> text = sourceDateText(value);
    if (const auto t = docValueTime(hit, field))
        return text && *text / kMillisecond == *t / kMillisecond ? *text : *t;
    if (value && value->is_number())
        return epochMillis(*value, "a document's time");
    if (text)
        return *text;
    const auto sort = hit.find("sort");
    if (sort != hit.end() && sort->is_array() && !sort->empty() && sort->front().is_number())
        return epochMillis(sort->front(), "a document's sort time");
    if (value && value->is_string())
        throw Error("Elasticsearch: a document's time is no date: \"" + value->get<std::string>() + "\"");
    throw Error("Elasticsearch: a document has no time: " + bodyExcerpt(hit.dump()));
}

void appendHit(Frame &f, const Json &hit, const EsFields &fields)
{
    const Json source = hit.value("_source", Json::object());
    Json attributes = Json::object();
    flatten(source, {}, attributes);
    auto take = [&](const std::vector<std::string> &names) {
        const auto [value, name] = first(source, names);
        attributes.erase(name);
        return value;
    };
    const Json *time = take({ fields.time });
    const Json *level = take(fields.level);
    const Json *service = take(fields.service);
    const Json *body = take(fields.body);
    const Json *traceId = take(fields.traceId);
    const Json *spanId = take(fields.spanId);
    f.columns[0].cells.emplace_back(documentTime(hit, fields.time, time));
    f.columns[1].cells.push_back(level ? Cell(std::int64_t(severityFromName(jsonValueText(*level)))) : Cell());
    f.columns[2].cells.push_back(jsonTextCell(level));
    f.columns[3].cells.push_back(jsonTextCell(service));
    f.columns[4].cells.push_back(jsonTextCell(body));
    // ids as the store keeps them (lowercase hex), so that a trace id jumps to its trace in any source
    const auto idCell = [](const Json *id) { return id ? Cell(storedId(jsonValueText(*id))) : Cell(); };
    f.columns[5].cells.push_back(idCell(traceId));
    f.columns[6].cells.push_back(idCell(spanId));
    f.columns[7].cells.emplace_back(attributes.dump());
    f.columns[8].cells.emplace_back(Json({ { "_index", hit.value("_index", std::string()) }, { "_id", hit.value("_id", std::string()) } }).dump());
}

// Walks the group buckets below one node, one row per innermost bucket.
class AggregateRows
{
public:
    AggregateRows(const EsAggregateShape &shape, Frame &f)
        : m_shape(shape)
        , m_frame(f)
    {
    }

    void walk(const Json &node, std::size_t level, std::vector<Cell> &cells, std::int64_t docCount)
    {
        if (level == m_shape.groupFields.size()) {
            std::size_t c = 0;
            for (const Cell &cell : cells)
                m_frame.columns[c++].cells.push_back(cell);
            m_frame.columns[c].cells.push_back(value(node, docCount));
            return;
        }
        const Json *buckets = findDotted(node, "group_" + std::to_string(level) + ".buckets");
        if (!buckets || !buckets->is_array())
            throw Error("Elasticsearch: the answer lacks the group_by buckets of " + m_shape.groupFields[level]);
        if (const Json *other = findDotted(node, "group_" + std::to_string(level) + ".sum_other_doc_count"))
            m_leftOut[level] = saturatedAdd(m_leftOut[level], countValue(*other, "sum_other_doc_count"));
        for (const Json &b : *buckets) {
            cells.push_back(b.contains("key_as_string") ? jsonValueText(b["key_as_string"]) : jsonValueText(b.at("key")));
            walk(b, level + 1, cells, countAt(b, "doc_count", "a bucket's doc_count"));
            cells.pop_back();
        }
    }

    // Terms answer only their largest buckets: the documents of the others are counted, and said.
    void reportLeftOut()
    {
        for (const auto &[level, documents] : m_leftOut) {
            if (documents <= 0)
                continue;
            m_frame.truncated = m_frame.groupsLeftOut = true;
            m_frame.notes.push_back(kPrefix + std::to_string(documents) + " documents are in further groups of "
                + m_shape.groupFields[level] + " that are left out (raise the limit to see more)");
        }
    }

private:
    Cell value(const Json &node, std::int64_t docCount) const
    {
        const K kind = m_shape.agg.kind;
        if (kind == K::None || kind == K::Count)
            return docCount;
        if (kind == K::Rate) {
            const DurationNs span = m_shape.step > 0 ? m_shape.step : m_shape.rangeLength;
            return double(docCount) / (double(span) / kSecond);
        }
        const Json *v = findDotted(node, kind == K::Percentile ? "value.values" : "value.value");
        if (v && v->is_object() && !v->empty())
            v = &v->begin().value(); // {"95.0": 12.5}
        if (!v || !v->is_number())
            return std::monostate {};
        if (kind == K::CountDistinct)
            return countValue(*v, "a distinct count");
        return v->get<double>();
    }

    const EsAggregateShape &m_shape;
    Frame &m_frame;
    std::map<std::size_t, std::int64_t> m_leftOut; // documents outside the answered buckets, by group level
};

void collectFields(const Json &properties, const std::string &prefix, std::set<std::string> &out)
{
    if (!properties.is_object())
        return;
    for (const auto &[name, spec] : properties.items()) {
        const std::string path = prefix.empty() ? name : prefix + "." + name;
        if (spec.contains("properties"))
            collectFields(spec["properties"], path, out);
        else
            out.insert(path);
    }
}

} // namespace

TimeNs epochMillis(const Json &v, const char *what)
{
    const auto ns = millisecondsToNs(v.get<double>());
    if (!ns)
        throw Error(std::string("Elasticsearch: ") + what + " " + v.dump() + " is out of range");
    return *ns;
}


Json esAnswer(int status, const std::string &body)
{
    Json j = parseAnswerJson(body);
    if (j.is_discarded() || !j.is_object()) {
        if (status >= 200 && status < 300)
            throw Error("not an Elasticsearch answer: "
                + (j.is_discarded() ? notJsonAnswer(body, "Elasticsearch") : bodyExcerpt(body)));
        throw Error("Elasticsearch answered HTTP " + std::to_string(status) + ": " + bodyExcerpt(body));
    }
    if (j.contains("error"))
        throw Error(guardJson("Elasticsearch", [&] { return errorMessage(j["error"]); }));
    if (status < 200 || status >= 300)
        throw Error("Elasticsearch answered HTTP " + std::to_string(status) + ": " + bodyExcerpt(body));
    return j;
}

std::vector<std::string> esWarnings(const Json &answer)
{
    return guardJson("Elasticsearch", [&] {
        std::vector<std::string> out;
        if (answer.value("timed_out", false))
            out.push_back("Elasticsearch timed out: the results are partial");
        const Json shards = answer.value("_shards", Json::object());
        const std::int64_t failed = countAt(shards, "failed", "_shards.failed");
        if (failed > 0) {
            std::string note = std::to_string(failed) + " of " + std::to_string(countAt(shards, "total", "_shards.total"))
                + " shards failed: the results are partial";
            if (const Json *reason = findDotted(shards, "failures"); reason && reason->is_array() && !reason->empty())
                if (const Json *r = findDotted(reason->front(), "reason.reason"))
                    note += " (" + jsonValueText(*r) + ")";
            out.push_back(withoutSecrets(note)); // a server's text, shown
        }
        return out;
    });
}

EsTotal esTotal(const Json &answer)
{
    return guardJson("Elasticsearch", [&]() -> EsTotal {
        const Json *total = findDotted(answer, "hits.total");
        if (!total)
            return {};
        if (total->is_number())
            return { countValue(*total, "hits.total"), true };
        if (total->is_object())
            return { countAt(*total, "value", "hits.total.value"), total->value("relation", std::string("eq")) == "eq" };
        throw Error("Elasticsearch: hits.total is neither a number nor {value, relation}: " + total->dump());
    });
}

Frame esLogsFrame(const std::vector<Json> &hits, const EsFields &fields)
{
    return guardJson("Elasticsearch", [&] {
        using T = ColumnType;
        Frame f;
        f.columns = { { "time", T::Time, {} }, { "severity", T::Int64, {} }, { "severity_text", T::String, {} },
            { "service.name", T::String, {} }, { "body", T::String, {} }, { "trace_id", T::String, {} },
            { "span_id", T::String, {} }, { "attributes", T::Json, {} }, { "resource", T::Json, {} } };
        for (const Json &hit : hits)
            appendHit(f, hit, fields);
        f.total = std::int64_t(f.rowCount());
        return f;
    });
}

Frame esAggregateFrame(const Json &answer, const EsAggregateShape &shape)
{
    return guardJson("Elasticsearch", [&] {
        Frame f;
        if (shape.step > 0)
            f.columns.push_back({ "time", ColumnType::Time, {} });
        for (const std::string &g : shape.groupFields)
            f.columns.push_back({ g, ColumnType::String, {} });
        const K kind = shape.agg.kind;
        const bool integer = kind == K::None || kind == K::Count || kind == K::CountDistinct;
        f.columns.push_back({ kind == K::None ? std::string("count") : shape.agg.text(),
            integer ? ColumnType::Int64 : ColumnType::Double, {} });
        const Json aggregations = answer.value("aggregations", Json::object());
        AggregateRows rows(shape, f);
        std::vector<Cell> cells;
        if (shape.step > 0) {
            const Json *buckets = findDotted(aggregations, "time.buckets");
            if (!buckets || !buckets->is_array())
                throw Error(std::string("Elasticsearch: the answer lacks the date_histogram buckets"));
            for (const Json &b : *buckets) {
                cells = { Cell(epochMillis(b.at("key"), "a bucket's key")) };
                rows.walk(b, 0, cells, countAt(b, "doc_count", "a bucket's doc_count"));
            }
        } else {
            rows.walk(aggregations, 0, cells, esTotal(answer).value);
            keepLargestRows(f, shape.limit, f.columns.size() - 1);
        }
        rows.reportLeftOut();
        for (std::size_t g = 0; g < shape.groupFields.size(); ++g)
            typeByCells(f.columns[g + (shape.step > 0 ? 1 : 0)]); // a numeric field's terms are numbers
        f.total = std::int64_t(f.rowCount());
        return f;
    });
}

std::vector<std::string> esMappingFields(const Json &answer)
{
    return guardJson("Elasticsearch", [&]() -> std::vector<std::string> {
        std::set<std::string> fields;
        for (const auto &[index, spec] : answer.items()) {
            const Json *properties = findDotted(spec, "mappings.properties");
            if (properties)
                collectFields(*properties, {}, fields);
        }
        return { fields.begin(), fields.end() };
    });
}

std::vector<FieldValue> esTermsValues(const Json &answer)
{
    return guardJson("Elasticsearch", [&] {
        const Json *buckets = findDotted(answer, "aggregations.values.buckets");
        if (!buckets || !buckets->is_array())
            throw Error(std::string("Elasticsearch: the answer lacks the terms buckets"));
        std::vector<FieldValue> out;
        for (const Json &b : *buckets)
            out.push_back({ b.contains("key_as_string") ? jsonValueText(b["key_as_string"]) : jsonValueText(b.at("key")),
                countAt(b, "doc_count", "a bucket's doc_count") });
        return out;
    });
}

} // namespace fd
