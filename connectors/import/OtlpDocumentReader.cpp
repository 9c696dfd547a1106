#include "OtlpDocumentReader.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "models/Error.h"
#include "models/JsonDepth.h"
#include "models/JsonValueBuilder.h"
#include <QIODevice>
#include <algorithm>
#include <istream>
#include <optional>
#include <streambuf>
#include <utility>
#include <vector>

namespace fd {

namespace {

// A std::istream's buffer over a QIODevice, read a megabyte at a time (or what is left of it, when less).
class DeviceBuffer : public std::streambuf
{
public:
    explicit DeviceBuffer(QIODevice &in)
        : m_in(in)
        , m_buffer(std::size_t(in.isSequential() ? kMaxRead : std::clamp<qint64>(in.size() - in.pos(), 1, kMaxRead)))
    {
    }
    qint64 consumed() const { return m_read - (egptr() - gptr()); }

protected:
    int_type underflow() override
    {
        if (gptr() < egptr())
            return traits_type::to_int_type(*gptr());
        const qint64 n = m_in.read(m_buffer.data(), qint64(m_buffer.size()));
        if (n <= 0)
            return traits_type::eof();
        m_read += n;
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    static constexpr qint64 kMaxRead = 1 << 20;
    QIODevice &m_in;
    std::vector<char> m_buffer;
    qint64 m_read = 0;
};

// The SAX handler: follows document → resources → resource → scopes → scope → items, builds every other
// value whole, and cuts pieces.
class Walker : public JsonSaxTypes
{
public:
    Walker(const OtlpDocumentReader::Piece &piece, std::size_t itemsPerPiece, const CancelTokenPtr &cancel,
           const DeviceBuffer &buffer, std::vector<std::string> &warnings)
        : m_piece(piece), m_itemsPerPiece(itemsPerPiece), m_cancel(cancel), m_buffer(buffer), m_warnings(warnings)
    {
    }

    bool null() { return scalar(Json(nullptr)); }
    bool boolean(bool v) { return scalar(Json(v)); }
    bool number_integer(number_integer_t v) { return scalar(Json(v)); }
    bool number_unsigned(number_unsigned_t v) { return scalar(Json(v)); }
    bool number_float(number_float_t v, const string_t &) { return scalar(Json(v)); }
    bool string(string_t &v) { return scalar(Json(std::move(v))); }
    bool binary(binary_t &) { return false; } // JSON text has none
    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(string_t &k)
    {
        if (m_value.active())
            m_value.key(std::move(k));
        else
            m_key = std::move(k);
        return true;
    }
    bool parse_error(std::size_t position, const std::string &, const Json::exception &e)
    {
        m_error = "not valid JSON at byte " + std::to_string(position) + " (" + e.what() + ")";
        m_notJson = true;
        return false;
    }

    // After a fault: the whole items read since the last piece.
    void cutWholeItems()
    {
        if (!m_items.empty() && std::find(m_path.begin(), m_path.end(), Level::Scope) != m_path.end())
            cutItems();
    }

    const std::optional<std::string> &error() const { return m_error; }
    bool notJson() const { return m_notJson; }
    bool cancelled() const { return m_cancelled; }
    bool sawResources() const { return m_sawResources; }

private:
    enum class Level { Document, Resources, Resource, Scopes, Scope, Items };
    // Where a value built whole goes.
    enum class Place { DocumentMember, OddResource, ResourceMember, OddScope, ScopeMember, Item };

    bool scalar(Json &&v)
    {
        if (m_value.active())
            m_value.add(std::move(v));
        else if (m_path.empty())
            m_error = "not an OTLP/JSON export request: the document is not an object";
        else
            place(std::move(v));
        return !m_error && tick();
    }

    bool open(bool object)
    {
        if (m_path.size() + m_value.depth() >= std::size_t(kMaxJsonDepth)) {
            m_error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
            return false;
        }
        if (m_path.empty()) {
            if (!object)
                m_error = "not an OTLP/JSON export request: the document is not an object";
            else
                m_path.push_back(Level::Document);
            return object;
        }
        if (m_value.active() || !enterList(object))
            m_value.open(object);
        return true;
    }

    // True, and its signal taken, when the document's member m_key is a signal's resources list.
    bool namesResources()
    {
        for (OtlpSignal s : { OtlpSignal::Traces, OtlpSignal::Logs, OtlpSignal::Metrics })
            if (isOtlpListName(s, OtlpList::Resources, m_key)) {
                m_signal = s;
                m_sawResources = true;
                return true;
            }
        return false;
    }

    // Steps into the next level of the request when this container is it.
    bool enterList(bool object)
    {
        switch (m_path.back()) {
        case Level::Document:
            if (object || !namesResources())
                return false;
            m_resourcesKey = m_key;
            m_path.push_back(Level::Resources);
            return true;
        case Level::Resources:
            if (!object)
                return false;
            m_resource = Json::object();
            m_resourceCut = false;
            m_path.push_back(Level::Resource);
            return true;
        case Level::Resource:
            if (object || !isOtlpListName(m_signal, OtlpList::Scopes, m_key))
                return false;
            m_scopesKey = m_key;
            m_path.push_back(Level::Scopes);
            return true;
        case Level::Scopes:
            if (!object)
                return false;
            m_scope = Json::object();
            m_items = Json::array();
            m_scopeCut = false;
            m_path.push_back(Level::Scope);
            return true;
        case Level::Scope:
            if (object || !isOtlpListName(m_signal, OtlpList::Items, m_key))
                return false;
            m_itemsKey = m_key;
            m_path.push_back(Level::Items);
            return true;
        case Level::Items:
            return false;
        }
        return false;
    }

    bool close()
    {
        if (m_value.active()) {
            if (m_value.close())
                place(m_value.take());
            return tick();
        }
        const Level closed = m_path.back();
        m_path.pop_back();
        if (closed == Level::Scope && (!m_scopeCut || !m_items.empty()))
            cutItems();
        else if (closed == Level::Resource && !m_resourceCut)
            cut(Json::array({ m_resource }), 0); // its members are checked even without scopes
        return tick();
    }

    Place placeHere() const
    {
        switch (m_path.back()) {
        case Level::Document:
            return Place::DocumentMember;
        case Level::Resources:
            return Place::OddResource;
        case Level::Resource:
            return Place::ResourceMember;
        case Level::Scopes:
            return Place::OddScope;
        case Level::Scope:
            return Place::ScopeMember;
        case Level::Items:
            break;
        }
        return Place::Item;
    }

    void place(Json &&v)
    {
        switch (placeHere()) {
        case Place::DocumentMember:
            // A resources list that is no list: the decoder says so. Other members are not OTLP's.
            if (namesResources())
                emit(Json { { m_key, std::move(v) } }, 0);
            break;
        case Place::OddResource:
            cut(Json::array({ std::move(v) }), 0);
            break;
        case Place::ResourceMember:
            if (m_resourceCut && m_key == "resource")
                warnLate("resource");
            m_resource[m_key] = std::move(v);
            break;
        case Place::OddScope:
            cutScope(std::move(v), 0);
            break;
        case Place::ScopeMember:
            if (m_scopeCut && m_key == "scope")
                warnLate("scope");
            m_scope[m_key] = std::move(v);
            break;
        case Place::Item:
            m_items.push_back(std::move(v));
            if (m_items.size() >= m_itemsPerPiece)
                cutItems();
            break;
        }
    }

    void warnLate(const char *level)
    {
        if (m_warnings.size() < 10)
            m_warnings.push_back(std::string("a ") + level + " written after its records (at byte "
                                 + std::to_string(m_buffer.consumed()) + "): the records before it are stored without it");
    }

    void cutItems()
    {
        Json scope = m_scope;
        const std::size_t items = m_items.size();
        if (items > 0)
            scope[m_itemsKey] = std::exchange(m_items, Json::array());
        m_scopeCut = true;
        cutScope(std::move(scope), items);
    }

    void cutScope(Json &&scope, std::size_t items)
    {
        Json resource = m_resource;
        resource[m_scopesKey] = Json::array({ std::move(scope) });
        m_resourceCut = true;
        cut(Json::array({ std::move(resource) }), items);
    }

    void cut(Json &&resources, std::size_t items) { emit(Json { { m_resourcesKey, std::move(resources) } }, items); }

    void emit(Json &&request, std::size_t items) { m_piece(OtlpPiece { m_signal, std::move(request), items, m_buffer.consumed() }); }

    bool tick()
    {
        if (++m_events % 65536 == 0 && m_cancel && m_cancel->isCancelled())
            m_cancelled = true;
        return !m_cancelled;
    }

    const OtlpDocumentReader::Piece &m_piece;
    const std::size_t m_itemsPerPiece;
    const CancelTokenPtr &m_cancel;
    const DeviceBuffer &m_buffer;
    std::vector<std::string> &m_warnings;
    std::vector<Level> m_path; // the request's levels open, innermost last
    std::string m_key; // the member the next value of the innermost object is for
    JsonValueBuilder m_value; // a value other than the levels, being built
    OtlpSignal m_signal = OtlpSignal::Logs;
    std::string m_resourcesKey, m_scopesKey, m_itemsKey; // as the document spells them
    Json m_resource = Json::object(), m_scope = Json::object(), m_items = Json::array();
    bool m_resourceCut = false, m_scopeCut = false; // a piece of this resource, scope went out
    bool m_sawResources = false;
    bool m_cancelled = false;
    std::optional<std::string> m_error;
    bool m_notJson = false;
    std::uint64_t m_events = 0;
};

} // namespace

OtlpDocumentReader::OtlpDocumentReader(QIODevice &in, CancelTokenPtr cancel, Piece piece, std::size_t itemsPerPiece)
    : m_in(in), m_cancel(std::move(cancel)), m_piece(std::move(piece)), m_itemsPerPiece(itemsPerPiece)
{
}

bool OtlpDocumentReader::read()
{
    DeviceBuffer buffer(m_in);
    std::istream stream(&buffer);
    m_warnings.clear();
    Walker walker(m_piece, m_itemsPerPiece, m_cancel, buffer, m_warnings);
    const bool parsed = Json::sax_parse(stream, &walker);
    if (walker.cancelled())
        throw Cancelled();
    if (!parsed) {
        walker.cutWholeItems();
        throw DocumentError(walker.error().value_or("not valid JSON"), walker.notJson());
    }
    return walker.sawResources();
}

} // namespace fd
