#pragma once
#include "Json.h"
#include <string>
#include <utility>
#include <vector>

namespace fd {

// The types nlohmann's SAX parser asks a handler for; a handler derives from it.
struct JsonSaxTypes {
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;
};

// Builds one JSON value from SAX events, without recursion.
class JsonValueBuilder
{
public:
    bool active() const { return !m_open.empty(); }
    std::size_t depth() const { return m_open.size(); }
    void key(std::string &&k) { m_key = std::move(k); }
    // A scalar inside the value being built.
    void add(Json &&v) { slot() = std::move(v); }
    void open(bool object)
    {
        Json &s = m_open.empty() ? (m_value = Json()) : slot();
        s = object ? Json::object() : Json::array();
        m_open.push_back(&s);
    }
    // True when that closed the value: take() it.
    bool close()
    {
        m_open.pop_back();
        return m_open.empty();
    }
    Json take() { return std::move(m_value); }

private:
    Json &slot()
    {
        Json &parent = *m_open.back();
        if (parent.is_object())
            return parent[m_key];
        parent.push_back(Json());
        return parent.back();
    }

    Json m_value;
    std::vector<Json *> m_open; // the containers open in m_value, innermost last; a child is closed before its parent grows
    std::string m_key;
};

} // namespace fd
