#include "PromMatrixReader.h"
#include "PromResponse.h"
#include "models/Error.h"
#include "models/JsonValueBuilder.h"
#include <algorithm>
#include <bitset>
#include <set>
#include <utility>

namespace fd {

namespace {

using Sample = std::pair<TimeNs, double>;

struct SeriesSamples {
    Json metric; // as the answer has it: labels when it is an object of texts
    std::vector<Sample> values;
    std::optional<Sample> value; // a vector's one sample; after the "values", as promFrame takes them
};

// The SAX handler. It follows answer → data → result → series → samples and decodes samples as they come;
// the few small values it needs whole (the status, a series' labels, warnings) it builds as JSON. Anything
// promFrame would read otherwise, or refuse, stops it: the caller then reads the answer as a document.
class MatrixReader : public JsonSaxTypes
{
public:
    explicit MatrixReader(std::size_t seriesLimit) : m_seriesLimit(seriesLimit) { }

    bool null() { return scalar(Json(nullptr)); }
    bool boolean(bool v) { return scalar(Json(v)); }
    bool number_integer(number_integer_t v) { return scalar(Json(v)); }
    bool number_unsigned(number_unsigned_t v) { return scalar(Json(v)); }
    bool number_float(number_float_t v, const string_t &) { return scalar(Json(v)); }
    bool string(string_t &v);
    bool binary(binary_t &) { return false; }
    bool start_object(std::size_t);
    bool start_array(std::size_t);
    bool end_object();
    bool end_array();
    bool key(string_t &k);
    bool parse_error(std::size_t, const std::string &, const Json::exception &) { return false; }

    // After the parse: the frame, or nullopt when the answer is not one this reader reads.
    std::optional<Frame> frame(std::vector<std::string> *warnings);

private:
    // Where the parser is, outside a value being built or skipped.
    enum class Level { Start, Answer, Data, Result, Series, Samples, Sample, End };
    // What the value after the last key is for.
    enum class Slot { None, Status, Data, Warnings, Infos, IsPartial, ResultType, Result, Metric, Values, Value, Skip };

    bool scalar(Json &&v);
    bool openValue(bool object);
    bool closeValue();
    bool keep(Json &&v);
    bool sampleItem(const Json &v);
    bool endSample();
    SeriesSamples *series() { return m_series.size() <= m_seriesLimit ? &m_series.back() : nullptr; }

    const std::size_t m_seriesLimit;
    Level m_level = Level::Start;
    Slot m_slot = Slot::None;
    std::bitset<16> m_seen; // the keys given, of the answer, its data and the current series: a document keeps the last of two
    JsonValueBuilder m_value;
    std::size_t m_skipDepth = 0; // > 0 inside a value no one reads
    Json m_envelope = Json::object(); // status, warnings, infos and isPartial, for promWarnings
    Json m_resultType;
    bool m_sampleOfMany = false; // the sample is one of "values", not a vector's "value"
    std::size_t m_sampleItems = 0;
    Sample m_sample;
    std::vector<SeriesSamples> m_series; // one past the limit at most: the one being read, then dropped
};

bool MatrixReader::key(string_t &k)
{
    if (m_value.active()) {
        m_value.key(std::move(k));
        return true;
    }
    if (m_skipDepth > 0)
        return true;
    static const std::pair<Level, std::pair<const char *, Slot>> kSlots[] = {
        { Level::Answer, { "status", Slot::Status } }, { Level::Answer, { "data", Slot::Data } },
        { Level::Answer, { "warnings", Slot::Warnings } }, { Level::Answer, { "infos", Slot::Infos } },
        { Level::Answer, { "isPartial", Slot::IsPartial } }, { Level::Data, { "resultType", Slot::ResultType } },
        { Level::Data, { "result", Slot::Result } }, { Level::Series, { "metric", Slot::Metric } },
        { Level::Series, { "values", Slot::Values } }, { Level::Series, { "value", Slot::Value } },
        { Level::Series, { "histograms", Slot::None } }, { Level::Series, { "histogram", Slot::None } },
    };
    m_slot = Slot::Skip;
    for (const auto &[level, named] : kSlots) {
        if (level == m_level && k == named.first) {
            m_slot = named.second;
            if (m_slot == Slot::None || m_seen.test(std::size_t(m_slot)))
                return false; // native histograms, or a key given twice
            m_seen.set(std::size_t(m_slot));
        }
    }
    return true;
}

bool MatrixReader::string(string_t &v)
{
    if (m_level == Level::Sample && !m_value.active() && m_skipDepth == 0 && m_sampleItems == 1) {
        const auto value = promValueText(v); // the common case, without a JSON value for each sample
        if (!value)
            return false;
        m_sample.second = *value;
        ++m_sampleItems;
        return true;
    }
    return scalar(Json(std::move(v)));
}

bool MatrixReader::scalar(Json &&v)
{
    if (m_value.active()) {
        m_value.add(std::move(v));
        return true;
    }
    if (m_skipDepth > 0 || m_slot == Slot::Skip) {
        m_slot = Slot::None;
        return true;
    }
    if (m_level == Level::Sample)
        return sampleItem(v);
    return keep(std::move(v));
}

bool MatrixReader::sampleItem(const Json &v)
{
    if (m_sampleItems == 0)
        m_sample.first = promTime(v); // promFrame's errors: the document reads them again
    else if (m_sampleItems == 1 && v.is_number())
        m_sample.second = promValue(v);
    else
        return false;
    ++m_sampleItems;
    return true;
}

// A value built whole, for the slot its key named.
bool MatrixReader::keep(Json &&v)
{
    const Slot slot = std::exchange(m_slot, Slot::None);
    switch (slot) {
    case Slot::Status:
        m_envelope["status"] = std::move(v);
        return true;
    case Slot::Warnings:
        m_envelope["warnings"] = std::move(v);
        return true;
    case Slot::Infos:
        m_envelope["infos"] = std::move(v);
        return true;
    case Slot::IsPartial:
        m_envelope["isPartial"] = std::move(v);
        return true;
    case Slot::ResultType:
        m_resultType = std::move(v);
        return true;
    case Slot::Metric:
        if (SeriesSamples *s = series())
            s->metric = std::move(v);
        return true;
    default:
        return false; // a value where the reader wants a container, or outside any
    }
}

bool MatrixReader::start_object(std::size_t)
{
    if (m_value.active() || m_skipDepth > 0 || m_slot == Slot::Skip)
        return openValue(true);
    if (m_level == Level::Start) {
        m_level = Level::Answer;
        return true;
    }
    if (m_level == Level::Answer && m_slot == Slot::Data) {
        m_slot = Slot::None;
        m_level = Level::Data;
        return true;
    }
    if (m_level == Level::Result) {
        if (m_series.size() > m_seriesLimit)
            m_series.pop_back(); // past the limit: read, not kept
        m_series.emplace_back();
        for (const Slot s : { Slot::Metric, Slot::Values, Slot::Value })
            m_seen.reset(std::size_t(s));
        m_level = Level::Series;
        return true;
    }
    if (m_slot == Slot::Status || m_slot == Slot::Warnings || m_slot == Slot::Infos || m_slot == Slot::IsPartial
        || m_slot == Slot::ResultType || m_slot == Slot::Metric)
        return openValue(true);
    return false;
}

bool MatrixReader::start_array(std::size_t)
{
    if (m_value.active() || m_skipDepth > 0 || m_slot == Slot::Skip)
        return openValue(false);
    const Slot slot = std::exchange(m_slot, Slot::None);
    if (m_level == Level::Data && slot == Slot::Result) {
        m_level = Level::Result;
        return true;
    }
    if ((m_level == Level::Series && slot == Slot::Values) || m_level == Level::Samples) {
        m_level = m_level == Level::Series ? Level::Samples : Level::Sample;
        m_sampleOfMany = true;
        m_sampleItems = 0;
        return true;
    }
    if (m_level == Level::Series && slot == Slot::Value) {
        m_level = Level::Sample;
        m_sampleOfMany = false;
        m_sampleItems = 0;
        return true;
    }
    m_slot = slot;
    if (slot == Slot::Status || slot == Slot::Warnings || slot == Slot::Infos || slot == Slot::IsPartial
        || slot == Slot::ResultType || slot == Slot::Metric)
        return openValue(false);
    return false;
}

bool MatrixReader::openValue(bool object)
{
    if (m_skipDepth > 0 || (m_slot == Slot::Skip && !m_value.active())) {
        ++m_skipDepth;
        m_slot = Slot::None;
        return true;
    }
    m_value.open(object);
    return true;
}

bool MatrixReader::closeValue()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return true;
    }
    return m_value.close() ? keep(m_value.take()) : true;
}

bool MatrixReader::end_object()
{
    if (m_value.active() || m_skipDepth > 0)
        return closeValue();
    switch (m_level) {
    case Level::Series:
        m_level = Level::Result;
        return true;
    case Level::Data:
        m_level = Level::Answer;
        return true;
    case Level::Answer:
        m_level = Level::End;
        return true;
    default:
        return false;
    }
}

bool MatrixReader::end_array()
{
    if (m_value.active() || m_skipDepth > 0)
        return closeValue();
    switch (m_level) {
    case Level::Sample:
        return endSample();
    case Level::Samples:
        m_level = Level::Series;
        return true;
    case Level::Result:
        m_level = Level::Data;
        return true;
    default:
        return false;
    }
}

bool MatrixReader::endSample()
{
    if (m_sampleItems != 2)
        return false;
    if (SeriesSamples *s = series()) {
        if (m_sampleOfMany)
            s->values.push_back(m_sample);
        else
            s->value = m_sample;
    }
    m_level = m_sampleOfMany ? Level::Samples : Level::Series;
    return true;
}

std::vector<std::string> labelNames(const std::vector<SeriesSamples> &series)
{
    std::set<std::string> names;
    for (const SeriesSamples &s : series)
        if (s.metric.is_object())
            for (auto it = s.metric.begin(); it != s.metric.end(); ++it)
                names.insert(it.key());
    return promLabelOrder(std::move(names));
}

bool labelsAreTexts(const Json &metric)
{
    return !metric.is_object() || std::all_of(metric.begin(), metric.end(), [](const Json &v) { return v.is_string(); });
}

std::optional<Frame> MatrixReader::frame(std::vector<std::string> *warnings)
{
    if (m_level != Level::End || m_envelope.value("status", Json()) != "success" || !m_seen.test(std::size_t(Slot::Result))
        || (m_resultType != "matrix" && m_resultType != "vector"))
        return std::nullopt;
    const bool truncated = m_series.size() > m_seriesLimit;
    if (truncated)
        m_series.pop_back();
    if (!std::all_of(m_series.begin(), m_series.end(), [](const SeriesSamples &s) { return labelsAreTexts(s.metric); }))
        return std::nullopt;
    const std::vector<std::string> labels = labelNames(m_series);
    std::size_t rows = 0;
    for (const SeriesSamples &s : m_series)
        rows += s.values.size() + (s.value ? 1 : 0);
    Frame f = promFramePrototype(labels, false);
    for (Column &c : f.columns)
        c.cells.reserve(rows);
    for (SeriesSamples &s : m_series) {
        if (s.value)
            s.values.push_back(*s.value);
        for (const auto &[time, value] : s.values) {
            f.columns.front().cells.emplace_back(time);
            f.columns.back().cells.emplace_back(value);
            for (std::size_t i = 0; i < labels.size(); ++i) {
                const auto it = s.metric.is_object() ? s.metric.find(labels[i]) : s.metric.end();
                f.columns[i + 1].cells.emplace_back(it != s.metric.end() ? Cell(it->get<std::string>()) : Cell());
            }
        }
        s = {}; // its samples are in the frame now
    }
    f.truncated = truncated;
    f.total = std::int64_t(f.rowCount());
    if (warnings)
        promWarnings(m_envelope, *warnings);
    return f;
}

} // namespace

std::optional<Frame> promStreamedFrame(const std::string &body, std::size_t seriesLimit,
                                       std::vector<std::string> *warnings)
{
    MatrixReader reader(seriesLimit);
    try {
        if (!Json::sax_parse(body, &reader))
            return std::nullopt;
        return reader.frame(warnings);
    } catch (const Error &) { // a sample promFrame refuses: the document says why
        return std::nullopt;
    } catch (const Json::exception &) { // a time that is no number nor text
        return std::nullopt;
    }
}

} // namespace fd
