#include "OtlpJsonFastDecoder.h"
#include "OtlpBatchBuilder.h"
#include "models/JsonDepth.h"
#include "models/Numbers.h"
#include <bit>
#include <string>
#include <vector>

namespace fd {

namespace {

// What a container in the request is.
// EmptyList: a span's events or links, taken only when empty. ArrayValue and KvlistValue hold their
// "values": ListValues (AnyValues) and KvlistValues (KeyValues).
enum class Node {
    Root, Resources, Entry, Resource, Scopes, Scope, ScopeInfo, Items, Item, Status, Attributes, KeyValue, AnyValue, EmptyList,
    ArrayValue, ListValues, KvlistValue, KvlistValues
};

// What the value after the last key is.
enum class Field {
    None, Skip, Resources, Resource, Scopes, ScopeInfo, ScopeName, ScopeVersion, Items, Attributes, Status, Body, Value, EmptyList,
    TraceId, SpanId, ParentSpanId, TraceState, Name, Kind, Start, End, Code, Message,
    Time, ObservedTime, SeverityNumber, SeverityText, EventName, Key,
    StringValue, IntValue, DoubleValue, BoolValue, BytesValue, ArrayValue, KvlistValue, Values
};

// The AnyValue members it takes, as bits: exactly one may be given.
enum AnyKind : unsigned { AnyString = 1, AnyInt = 2, AnyDouble = 4, AnyBool = 8, AnyBytes = 16, AnyList = 32 };

struct FieldName {
    const char *name;
    Field field;
};

constexpr FieldName kSpanFields[] = {
    {"traceId", Field::TraceId}, {"spanId", Field::SpanId}, {"parentSpanId", Field::ParentSpanId},
    {"name", Field::Name}, {"kind", Field::Kind}, {"startTimeUnixNano", Field::Start},
    {"endTimeUnixNano", Field::End}, {"attributes", Field::Attributes}, {"status", Field::Status},
    {"events", Field::EmptyList}, {"links", Field::EmptyList}, {"traceState", Field::TraceState}};
constexpr FieldName kLogFields[] = {
    {"timeUnixNano", Field::Time}, {"observedTimeUnixNano", Field::ObservedTime},
    {"severityNumber", Field::SeverityNumber}, {"severityText", Field::SeverityText}, {"traceId", Field::TraceId},
    {"spanId", Field::SpanId}, {"attributes", Field::Attributes}, {"body", Field::Body}, {"eventName", Field::EventName}};
constexpr FieldName kStatusFields[] = {{"code", Field::Code}, {"message", Field::Message}};
constexpr FieldName kKeyValueFields[] = {{"key", Field::Key}, {"value", Field::Value}};
constexpr FieldName kAnyValueFields[] = {{"stringValue", Field::StringValue}, {"intValue", Field::IntValue},
                                         {"doubleValue", Field::DoubleValue}, {"boolValue", Field::BoolValue},
                                         {"bytesValue", Field::BytesValue}, {"arrayValue", Field::ArrayValue},
                                         {"kvlistValue", Field::KvlistValue}};
constexpr FieldName kListFields[] = {{"values", Field::Values}};
constexpr FieldName kResourceFields[] = {{"attributes", Field::Attributes}};
constexpr FieldName kScopeFields[] = {{"name", Field::ScopeName}, {"version", Field::ScopeVersion},
                                      {"attributes", Field::Attributes}};

// Returning false from any event stops the parse: the body then goes to the tree decoder.
class FastOtlpJson : public nlohmann::json_sax<Json>
{
public:
    explicit FastOtlpJson(OtlpSignal signal)
        : m_traces(signal == OtlpSignal::Traces),
          m_resourcesKey(m_traces ? "resourceSpans" : "resourceLogs"),
          m_scopesKey(m_traces ? "scopeSpans" : "scopeLogs"),
          m_itemsKey(m_traces ? "spans" : "logRecords")
    {
    }

    bool finished() const { return m_nodes.empty() && m_done; }
    OtlpBatchBuilder &builder() { return m_builder; }

    bool null() override { return skipValue(); }
    bool boolean(bool value) override
    {
        if (m_skipDepth > 0 || m_field == Field::Skip)
            return skipValue();
        return takeAny(m_field == Field::BoolValue, AnyBool, Json(value));
    }
    bool number_integer(number_integer_t value) override { return integer(value, static_cast<double>(value)); }
    bool number_unsigned(number_unsigned_t value) override
    {
        // An integer field past int64: the tree decoder says what is wrong with it.
        const bool fits = value <= number_unsigned_t(std::numeric_limits<std::int64_t>::max());
        return (fits || m_skipDepth > 0 || m_field == Field::Skip || m_field == Field::DoubleValue)
               && integer(static_cast<std::int64_t>(value), static_cast<double>(value));
    }
    bool number_float(number_float_t value, const string_t &) override
    {
        if (m_skipDepth > 0 || m_field == Field::Skip)
            return skipValue();
        return takeAny(m_field == Field::DoubleValue, AnyDouble, Json(value));
    }
    bool string(string_t &value) override;
    bool binary(binary_t &) override { return false; }
    bool start_object(std::size_t) override;
    bool end_object() override;
    bool start_array(std::size_t) override;
    bool end_array() override;
    bool key(string_t &name) override;
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }

private:
    // A value under a key it does not read; false for null under a key it does (the tree reads it as absent).
    bool skipValue()
    {
        if (m_skipDepth > 0)
            return true;
        const bool skipped = m_field == Field::Skip;
        m_field = Field::None;
        return skipped;
    }

    bool tooDeep() const { return m_nodes.size() + std::size_t(m_skipDepth) >= std::size_t(kMaxJsonDepth); }

    bool enterSkipped()
    {
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return true;
        }
        if (m_field != Field::Skip)
            return false;
        m_skipDepth = 1;
        m_field = Field::None;
        return true;
    }

    bool integer(std::int64_t value, double asDouble);
    std::string &idField() { return m_traces ? (m_field == Field::TraceId ? m_span.traceId : m_span.spanId)
                                             : (m_field == Field::TraceId ? m_log.traceId : m_log.spanId); }
    bool takeInteger(std::int64_t value);
    bool takeAny(bool expected, unsigned kind, Json value)
    {
        if (!expected)
            return false;
        m_anyValues.back().kinds |= kind;
        m_anyValues.back().value = std::move(value);
        m_field = Field::None;
        return true;
    }
    bool fieldOf(std::string_view name, const FieldName *begin, const FieldName *end);
    bool finishItem();
    bool finishKeyValue();
    bool finishAnyValue();
    bool finishList();

    struct KeyValueFrame {
        std::string key;
        bool hasKey = false;
        Json value;
        bool hasValue = false;
    };
    struct AnyValueFrame {
        unsigned kinds = 0;
        Json value;
    };

    const bool m_traces;
    const char *const m_resourcesKey;
    const char *const m_scopesKey;
    const char *const m_itemsKey;
    OtlpBatchBuilder m_builder;
    std::vector<Node> m_nodes;
    Field m_field = Field::None;
    int m_skipDepth = 0;
    bool m_done = false;
    bool m_sawResources = false;
    bool m_resourceBegun = false;
    bool m_sawScopes = false;
    bool m_sawItems = false;
    Json m_resourceAttributes = Json::object();
    Span m_span;
    LogRecord m_log;
    Json m_body;
    bool m_hasBody = false;
    std::string m_eventName;
    std::string m_scopeName, m_scopeVersion;
    Json m_scopeAttributes = Json::object();
    Json *m_attributes = nullptr; // where the KeyValues being read go
    // Nested values (an arrayValue of kvlistValues ...): the KeyValues and AnyValues being read, and the
    // arrays and objects of the lists being filled.
    std::vector<KeyValueFrame> m_keyValues;
    std::vector<AnyValueFrame> m_anyValues;
    std::vector<Json> m_lists;
};

bool FastOtlpJson::integer(std::int64_t value, double asDouble)
{
    if (m_skipDepth > 0 || m_field == Field::Skip)
        return skipValue();
    if (m_field == Field::DoubleValue)
        return takeAny(true, AnyDouble, Json(asDouble));
    return takeInteger(value);
}

bool FastOtlpJson::takeInteger(std::int64_t value)
{
    switch (m_field) {
    case Field::Kind:
        m_span.kind = static_cast<int>(value);
        break;
    case Field::Start:
        m_span.start = value;
        break;
    case Field::End:
        m_span.end = value;
        break;
    case Field::Code:
        m_span.statusCode = static_cast<int>(value);
        break;
    case Field::Time:
        m_log.time = value;
        break;
    case Field::ObservedTime:
        m_log.observedTime = value;
        break;
    case Field::SeverityNumber:
        m_log.severity = static_cast<int>(value);
        break;
    case Field::IntValue:
        return takeAny(true, AnyInt, Json(value));
    default:
        return false;
    }
    m_field = Field::None;
    return true;
}

bool FastOtlpJson::string(string_t &value)
{
    if (m_skipDepth > 0 || m_field == Field::Skip)
        return skipValue();
    switch (m_field) {
    case Field::TraceId:
    case Field::SpanId:
        idField() = normalizeHexId(value);
        break;
    case Field::ParentSpanId:
        m_span.parentSpanId = normalizeHexId(value);
        break;
    case Field::TraceState: // rare: the tree reads one
        if (!value.empty())
            return false;
        break;
    case Field::Name:
        m_span.name = std::move(value);
        break;
    case Field::Message:
        m_span.statusMessage = std::move(value);
        break;
    case Field::SeverityText:
        m_log.severityText = std::move(value);
        break;
    case Field::EventName:
        m_eventName = std::move(value);
        break;
    case Field::ScopeName:
        m_scopeName = std::move(value);
        break;
    case Field::ScopeVersion:
        m_scopeVersion = std::move(value);
        break;
    case Field::Key:
        m_keyValues.back().key = std::move(value);
        m_keyValues.back().hasKey = true;
        break;
    case Field::StringValue:
        return takeAny(true, AnyString, Json(std::move(value)));
    case Field::BytesValue:
        return takeAny(true, AnyBytes, Json(std::move(value)));
    default: { // 64-bit integers come as text; anything the tree reads otherwise (fixed64 past int64) goes there
        const auto number = parseWhole<std::int64_t>(value);
        return number && takeInteger(*number);
    }
    }
    m_field = Field::None;
    return true;
}

bool FastOtlpJson::start_object(std::size_t)
{
    if (tooDeep())
        return false; // the tree decoder says why
    if (m_skipDepth > 0 || m_field == Field::Skip)
        return enterSkipped();
    const Field field = std::exchange(m_field, Field::None);
    if (m_nodes.empty()) {
        if (m_done)
            return false;
        m_nodes.push_back(Node::Root);
        return true;
    }
    switch (m_nodes.back()) {
    case Node::Resources:
        m_resourceBegun = m_sawScopes = false;
        m_resourceAttributes = Json::object();
        m_nodes.push_back(Node::Entry);
        return true;
    case Node::Scopes:
        m_sawItems = false;
        m_scopeName.clear();
        m_scopeVersion.clear();
        m_scopeAttributes = Json::object();
        m_nodes.push_back(Node::Scope);
        return true;
    case Node::Scope: // its name and version label the items: after them, the tree reads it
        if (field != Field::ScopeInfo || m_sawItems)
            return false;
        m_scopeName.clear(); // a second "scope" replaces the first whole, as in the tree (review)
        m_scopeVersion.clear();
        m_scopeAttributes = Json::object();
        m_nodes.push_back(Node::ScopeInfo);
        return true;
    case Node::Items:
        if (m_traces)
            m_span = Span();
        else
            m_log = LogRecord();
        m_body = Json();
        m_hasBody = false;
        m_eventName.clear();
        m_nodes.push_back(Node::Item);
        return true;
    case Node::Attributes:
    case Node::KvlistValues:
        m_keyValues.emplace_back();
        m_nodes.push_back(Node::KeyValue);
        return true;
    case Node::ListValues:
        m_anyValues.emplace_back();
        m_nodes.push_back(Node::AnyValue);
        return true;
    case Node::AnyValue:
        if (field != Field::ArrayValue && field != Field::KvlistValue)
            return false;
        m_lists.push_back(field == Field::ArrayValue ? Json::array() : Json::object());
        m_nodes.push_back(field == Field::ArrayValue ? Node::ArrayValue : Node::KvlistValue);
        return true;
    case Node::Entry:
        if (field != Field::Resource || m_resourceBegun)
            return false;
        m_resourceAttributes = Json::object();
        m_nodes.push_back(Node::Resource);
        return true;
    case Node::Item:
        if (field == Field::Status) {
            m_span.statusCode = 0;
            m_span.statusMessage.clear();
            m_nodes.push_back(Node::Status);
            return true;
        }
        if (field != Field::Body)
            return false;
        m_anyValues.emplace_back();
        m_nodes.push_back(Node::AnyValue);
        return true;
    case Node::KeyValue:
        if (field != Field::Value)
            return false;
        m_anyValues.emplace_back();
        m_nodes.push_back(Node::AnyValue);
        return true;
    default:
        return false;
    }
}

bool FastOtlpJson::end_object()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return true;
    }
    const Node node = m_nodes.back();
    m_nodes.pop_back();
    switch (node) {
    case Node::Root:
        m_done = true;
        return true;
    case Node::Item:
        return finishItem();
    case Node::KeyValue:
        return finishKeyValue();
    case Node::AnyValue:
        return finishAnyValue();
    case Node::ArrayValue:
    case Node::KvlistValue:
        return finishList();
    default:
        return true;
    }
}

bool FastOtlpJson::finishItem()
{
    if (m_traces)
        m_builder.addSpan(std::move(m_span));
    else
        m_builder.addLog(std::move(m_log), m_hasBody ? std::move(m_body) : Json(), std::move(m_eventName));
    return true;
}

bool FastOtlpJson::finishKeyValue()
{
    KeyValueFrame kv = std::move(m_keyValues.back());
    m_keyValues.pop_back();
    if (!kv.hasKey || !kv.hasValue)
        return false;
    Json &into = m_nodes.back() == Node::Attributes ? *m_attributes : m_lists.back();
    into[kv.key] = std::move(kv.value);
    return true;
}

bool FastOtlpJson::finishAnyValue()
{
    AnyValueFrame any = std::move(m_anyValues.back());
    m_anyValues.pop_back();
    if (std::popcount(any.kinds) != 1)
        return false;
    switch (m_nodes.back()) {
    case Node::KeyValue:
        m_keyValues.back().value = std::move(any.value);
        m_keyValues.back().hasValue = true;
        break;
    case Node::ListValues:
        m_lists.back().push_back(std::move(any.value));
        break;
    default: // a log record's body
        m_body = std::move(any.value);
        m_hasBody = true;
    }
    return true;
}

// An arrayValue or kvlistValue read: the AnyValue holding it takes the array or object.
bool FastOtlpJson::finishList()
{
    Json list = std::move(m_lists.back());
    m_lists.pop_back();
    return takeAny(true, AnyList, std::move(list));
}

bool FastOtlpJson::start_array(std::size_t)
{
    if (tooDeep())
        return false; // the tree decoder says why
    if (m_skipDepth > 0 || m_field == Field::Skip)
        return enterSkipped();
    const Field field = std::exchange(m_field, Field::None);
    if (m_nodes.empty())
        return false;
    const Node parent = m_nodes.back();
    // The tree keeps only the last of a repeated list: a second one goes there.
    if (parent == Node::Root && field == Field::Resources && !std::exchange(m_sawResources, true)) {
        m_nodes.push_back(Node::Resources);
        return true;
    }
    if (parent == Node::Entry && field == Field::Scopes && !std::exchange(m_sawScopes, true)) {
        if (!std::exchange(m_resourceBegun, true))
            m_builder.beginResource(std::move(m_resourceAttributes));
        m_nodes.push_back(Node::Scopes);
        return true;
    }
    if ((parent == Node::ArrayValue || parent == Node::KvlistValue) && field == Field::Values) {
        m_lists.back() = parent == Node::ArrayValue ? Json::array() : Json::object();
        m_nodes.push_back(parent == Node::ArrayValue ? Node::ListValues : Node::KvlistValues);
        return true;
    }
    if (parent == Node::Item && field == Field::EmptyList) {
        m_nodes.push_back(Node::EmptyList); // any element in it stops the parse
        return true;
    }
    if (parent == Node::Scope && field == Field::Items && !std::exchange(m_sawItems, true)) {
        m_builder.beginScope(m_scopeName, m_scopeVersion, std::move(m_scopeAttributes));
        m_nodes.push_back(Node::Items);
        return true;
    }
    if ((parent == Node::Resource || parent == Node::ScopeInfo || parent == Node::Item) && field == Field::Attributes) {
        m_attributes = parent == Node::Resource ? &m_resourceAttributes
                       : parent == Node::ScopeInfo ? &m_scopeAttributes
                       : m_traces ? &m_span.attributes : &m_log.attributes;
        *m_attributes = Json::object();
        m_nodes.push_back(Node::Attributes);
        return true;
    }
    return false;
}

bool FastOtlpJson::end_array()
{
    if (m_skipDepth > 0) {
        --m_skipDepth;
        return true;
    }
    m_nodes.pop_back();
    return true;
}

bool FastOtlpJson::fieldOf(std::string_view name, const FieldName *begin, const FieldName *end)
{
    for (const FieldName *f = begin; f != end; ++f) {
        if (name == f->name) {
            m_field = f->field;
            return true;
        }
    }
    // A key the tree does not read either is skipped; a snake_case one it would read (trace_id ...).
    m_field = Field::Skip;
    return name.find('_') == std::string_view::npos;
}

bool FastOtlpJson::key(string_t &name)
{
    if (m_skipDepth > 0)
        return true;
    switch (m_nodes.back()) {
    case Node::Root:
        m_field = Field::Resources;
        return name == m_resourcesKey;
    case Node::Entry:
        if (name == "resource") {
            m_field = Field::Resource;
            return true;
        }
        if (name == m_scopesKey) {
            m_field = Field::Scopes;
            return true;
        }
        return fieldOf(name, nullptr, nullptr);
    case Node::Resource:
        return fieldOf(name, std::begin(kResourceFields), std::end(kResourceFields));
    case Node::Scope:
        if (name == m_itemsKey) {
            m_field = Field::Items;
            return true;
        }
        if (name == "scope") {
            m_field = Field::ScopeInfo;
            return true;
        }
        return fieldOf(name, nullptr, nullptr);
    case Node::ScopeInfo:
        return fieldOf(name, std::begin(kScopeFields), std::end(kScopeFields));
    case Node::Item:
        return m_traces ? fieldOf(name, std::begin(kSpanFields), std::end(kSpanFields))
                        : fieldOf(name, std::begin(kLogFields), std::end(kLogFields));
    case Node::Status:
        return fieldOf(name, std::begin(kStatusFields), std::end(kStatusFields));
    case Node::KeyValue:
        return fieldOf(name, std::begin(kKeyValueFields), std::end(kKeyValueFields));
    case Node::AnyValue:
        return fieldOf(name, std::begin(kAnyValueFields), std::end(kAnyValueFields));
    case Node::ArrayValue:
    case Node::KvlistValue:
        return fieldOf(name, std::begin(kListFields), std::end(kListFields));
    default:
        return false;
    }
}

} // namespace

std::optional<TelemetryBatch> decodeOtlpJsonFast(OtlpSignal signal, std::string_view body, std::int64_t *rejected)
{
    if (signal == OtlpSignal::Metrics)
        return std::nullopt;
    FastOtlpJson reader(signal);
    if (!Json::sax_parse(body.begin(), body.end(), &reader) || !reader.finished())
        return std::nullopt;
    if (rejected)
        *rejected = reader.builder().rejected();
    return reader.builder().take();
}

} // namespace fd
