#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// Validates one JSON text as strictly as nlohmann_json (RFC 8259, UTF-8) without building a tree, and
// splits a top-level object into its members as written, so the import can keep their text as is.
// The keys of nested objects come as dotted paths (FieldKeys' rule: objects expanded to depth 8).
class JsonLineScanner
{
public:
    enum class Result {
        Object,  // members() holds the top-level members
        Other,   // valid JSON, not an object
        Invalid, // not valid JSON
        Unusual, // valid so far but needs the full parser: an escaped key, a repeated key, very deep nesting
    };
    struct Member {
        std::string_view key;   // between the quotes, as written (no escapes: see Unusual)
        std::string_view value; // the value's text as written
        char kind = 0;          // '"' string, '{' object, '[' array, 'n' null, 't' true, 'f' false, '0' number
        bool integer = false;   // a number without fraction or exponent
        bool escaped = false;   // a string value holding escapes
        std::uint32_t pathsBegin = 0, pathsEnd = 0; // nested key paths of an expanded object
    };

    Result scan(std::string_view text);
    const std::vector<Member> &members() const { return m_members; }
    std::string_view path(std::uint32_t i) const
    {
        return std::string_view(m_arena).substr(m_paths[i].first, m_paths[i].second);
    }

private:
    bool topObject();
    bool value(int level);
    // Reads an object (at '{'); with expand, notes its keys' paths below m_prefix. Its member count, or -1.
    int object(int walkDepth, bool expand, int level);
    bool array(int level);
    bool string(bool *escaped);
    bool escape();
    bool utf8();
    bool number(bool *integer);
    bool literal(std::string_view word);
    bool key(std::string_view *out);
    void skipSpace();
    enum class Separator { Comma, Close, Invalid };
    Separator separator(char close);
    void notePath(std::string_view key);

    const char *m_p = nullptr;
    const char *m_end = nullptr;
    bool m_unusual = false;
    std::vector<Member> m_members;
    std::string m_prefix; // the dotted path of the object being read
    std::string m_arena;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_paths; // offset, length in m_arena
};

} // namespace fd
