#include "PromResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace fd {

namespace {

// The series of a result with their samples: [time, value] pairs, or [time, histogram] pairs.
struct SeriesView {
    const Json *metric = nullptr;
    std::vector<const Json *> samples;
    bool histogram = false;
};

void addSamples(SeriesView &s, const Json &series, const char *many, const char *one, bool histogram)
{
    for (const char *key : {many, one}) // not skipped: a series had answered no rows, exit 0 (exploratory test)
        if (const auto it = series.find(key); it != series.end() && !it->is_array())
            throw Error(std::string("a series' \"") + key + "\" is not a list: " + bodyExcerpt(it->dump()));
    if (const auto it = series.find(many); it != series.end() && it->is_array()) {
        for (const Json &sample : *it)
            s.samples.push_back(&sample);
        s.histogram = s.histogram || histogram;
    }
    if (const auto it = series.find(one); it != series.end() && it->is_array()) {
        s.samples.push_back(&*it);
        s.histogram = s.histogram || histogram;
    }
}

std::vector<SeriesView> seriesOf(const Json &result)
{
    std::vector<SeriesView> out;
    for (const Json &series : result) {
        SeriesView s;
        if (const auto it = series.find("metric"); it != series.end() && it->is_object())
            s.metric = &*it;
        addSamples(s, series, "values", "value", false);
        addSamples(s, series, "histograms", "histogram", true);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> labelColumns(const std::vector<SeriesView> &series)
{
    std::set<std::string> names;
    for (const SeriesView &s : series) {
        if (s.metric) {
            for (const auto &[key, value] : s.metric->items())
                names.insert(key);
        }
    }
    return promLabelOrder(std::move(names));
}

// Appends one sample ([t, "v"] or [t, {count, sum, buckets}]) to the frame's time, value and histogram columns.
void appendSample(Frame &f, const Json &sample, std::size_t labelCount, bool withHistogram)
{
    if (!sample.is_array() || sample.size() != 2)
        throw Error("a sample is not a [time, value] pair: " + bodyExcerpt(sample.dump()));
    f.columns[0].cells.emplace_back(promTime(sample[0]));
    const Json &v = sample[1];
    Column &value = f.columns[labelCount + 1];
    if (v.is_object() && withHistogram) {
        value.cells.emplace_back(promValue(v.value("count", Json("NaN"))));
        f.columns[labelCount + 2].cells.emplace_back(v.dump());
    } else {
        value.cells.emplace_back(promValue(v));
        if (withHistogram)
            f.columns[labelCount + 2].cells.emplace_back(std::monostate {});
    }
}

Frame seriesFrame(const Json &result, std::size_t seriesLimit)
{
    if (!result.is_array())
        throw Error(std::string("the result is not a list of series"));
    std::vector<SeriesView> series = seriesOf(result);
    const bool truncated = series.size() > seriesLimit;
    if (truncated)
        series.resize(seriesLimit);
    const std::vector<std::string> labels = labelColumns(series);
    const bool withHistogram
        = std::any_of(series.begin(), series.end(), [](const SeriesView &s) { return s.histogram; });
    Frame f = promFramePrototype(labels, withHistogram);
    for (const SeriesView &s : series) {
        for (const Json *sample : s.samples) {
            appendSample(f, *sample, labels.size(), withHistogram);
            for (std::size_t i = 0; i < labels.size(); ++i) {
                const auto it = s.metric ? s.metric->find(labels[i]) : Json::const_iterator();
                f.columns[i + 1].cells.emplace_back(
                    s.metric && it != s.metric->end() ? Cell(it->get<std::string>()) : Cell(std::monostate {}));
            }
        }
    }
    f.truncated = truncated;
    f.total = std::int64_t(f.rowCount());
    return f;
}

Frame scalarFrame(const Json &result, bool text)
{
    Frame f;
    f.columns.push_back({ "time", ColumnType::Time, { promTime(result.at(0)) } });
    if (text)
        f.columns.push_back({ "value", ColumnType::String, { result.at(1).get<std::string>() } });
    else
        f.columns.push_back({ "value", ColumnType::Double, { promValue(result.at(1)) } });
    f.total = 1;
    return f;
}

} // namespace

std::vector<std::string> promLabelOrder(std::set<std::string> names)
{
    std::vector<std::string> out;
    if (names.erase("__name__"))
        out.push_back("__name__");
    out.insert(out.end(), names.begin(), names.end());
    return out;
}

Frame promFramePrototype(const std::vector<std::string> &labels, bool withHistogram)
{
    Frame f;
    f.columns.push_back({ "time", ColumnType::Time, {} });
    // A label named like a column of every answer is numbered: "value" is the value, as DESIGN.md says (a label
    // "value" had taken the name, and the value had become "value 2").
    for (const std::string &l : labels)
        f.columns.push_back({ l == "time" || l == "value" || l == "histogram" ? l + " 2" : l, ColumnType::String, {} });
    f.columns.push_back({ "value", ColumnType::Double, {} });
    if (withHistogram)
        f.columns.push_back({ "histogram", ColumnType::Json, {} });
    return f;
}

Json promData(const std::string &body, std::vector<std::string> *warnings)
{
    Json j = parseAnswerJson(body);
    if (j.is_discarded())
        throw Error("not a Prometheus API answer: " + notJsonAnswer(body, "Prometheus"));
    if (!j.is_object() || !j.contains("status"))
        throw Error("not a Prometheus API answer: " + bodyExcerpt(body));
    if (j["status"] == "success") {
        if (warnings)
            promWarnings(j, *warnings);
        return j.contains("data") ? std::move(j["data"]) : Json();
    }
    const std::string type = jsonField<std::string>(j, "errorType", "unknown"); // null too, and no raw exception
    throw Error("Prometheus " + type + " error: " + jsonField<std::string>(j, "error", "(no message)"));
}

Frame promFrame(const Json &data, std::size_t seriesLimit, const std::string &engine)
{
    for (const char *key : { "resultType", "result" })
        if (!data.is_object() || !data.contains(key))
            throw Error(engine + ": the answer's data has no " + key + " (is the URL that of a " + engine
                + " query API?): " + bodyExcerpt(data.dump()));
    try {
        const std::string type = data.at("resultType").get<std::string>();
        const Json &result = data.at("result");
        if (type == "matrix" || type == "vector")
            return seriesFrame(result, seriesLimit);
        if (type == "scalar" || type == "string")
            return scalarFrame(result, type == "string");
        throw Error("unknown result type \"" + type + "\"");
    } catch (const Json::exception &e) {
        throw Error(engine + ": unexpected result shape: " + jsonProblem(e));
    } catch (const Error &e) {
        throw Error(engine + ": " + jsonProblem(e));
    }
}

std::vector<std::string> promStrings(const Json &data, const std::string &engine)
{
    if (!data.is_array())
        throw Error(engine + ": expected a list of names");
    std::vector<std::string> out;
    for (const Json &s : data)
        out.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    return out;
}

std::vector<PromLabels> promSeries(const Json &data)
{
    if (!data.is_array())
        throw Error(std::string("Prometheus: expected a list of series"));
    std::vector<PromLabels> out;
    for (const Json &series : data) {
        PromLabels labels;
        for (const auto &[key, value] : series.items())
            labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
        out.push_back(std::move(labels));
    }
    return out;
}

void promWarnings(const Json &answer, std::vector<std::string> &warnings)
{
    for (const char *key : { "warnings", "infos" })
        if (const auto it = answer.find(key); it != answer.end() && it->is_array())
            for (const Json &w : *it)
                warnings.push_back(withoutSecrets("Prometheus: " + jsonValueText(w))); // a server's text, shown
    if (const auto it = answer.find("isPartial"); it != answer.end() && *it == true) // a text "true" is none
        warnings.push_back("Prometheus: the answer is partial (isPartial): some storage nodes did not answer");
}

std::optional<double> promValueText(std::string_view text)
{
    if (text.starts_with('+'))
        text.remove_prefix(1); // "+Inf"
    return parseWhole<double>(text);
}

double promValue(const Json &text)
{
    if (text.is_number())
        return text.get<double>();
    if (!text.is_string())
        throw Error("a sample value is not a string: " + bodyExcerpt(text.dump()));
    const auto v = promValueText(text.get_ref<const std::string &>());
    if (!v)
        throw Error("a sample value is no number: \"" + text.get<std::string>() + "\"");
    return *v;
}

TimeNs promTime(const Json &seconds)
{
    const double s = seconds.is_string() ? promValue(seconds) : seconds.get<double>();
    const auto ns = millisecondsToNs(s * 1000.0); // seconds with millisecond decimals
    if (!ns)
        throw Error("a sample time is out of range: " + bodyExcerpt(seconds.dump()));
    return *ns;
}

} // namespace fd
