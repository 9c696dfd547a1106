#include "TraceSearch.h"

#include <algorithm>
#include <charconv>

namespace fd {

namespace {

char foldAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool containsFolded(const std::string &haystack, const std::string &needle)
{
    const auto equal = [](char a, char b) { return foldAscii(a) == b; };
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), equal) != haystack.end();
}

} // namespace

TraceSearch::TraceSearch(const QString &text)
    : m_text(text.trimmed())
{
    m_ascii = std::all_of(m_text.begin(), m_text.end(), [](QChar c) { return c.unicode() < 0x80; });
    if (m_ascii) {
        m_asciiLower = m_text.toStdString();
        std::transform(m_asciiLower.begin(), m_asciiLower.end(), m_asciiLower.begin(), foldAscii);
    }
}

bool TraceSearch::contains(const std::string &haystack) const
{
    // Non-ASCII bytes of UTF-8 never equal an ASCII needle byte, so byte-wise folding is exact here.
    if (m_ascii)
        return containsFolded(haystack, m_asciiLower);
    return QString::fromStdString(haystack).contains(m_text, Qt::CaseInsensitive);
}

bool TraceSearch::containsValue(const Json &value) const
{
    if (value.is_string())
        return contains(value.get_ref<const std::string &>());
    if (value.is_boolean())
        return contains(value.get<bool>() ? m_true : m_false);
    if (value.is_number_integer()) { // most attributes: printed without dump()'s allocations
        char buffer[24];
        const auto [end, ec] = value.is_number_unsigned()
            ? std::to_chars(buffer, buffer + sizeof buffer, value.get<std::uint64_t>())
            : std::to_chars(buffer, buffer + sizeof buffer, value.get<std::int64_t>());
        return ec == std::errc() && contains(std::string(buffer, end));
    }
    return contains(value.dump());
}

bool TraceSearch::matchesMember(const Json &object) const
{
    if (!object.is_object())
        return false;
    for (auto it = object.begin(); it != object.end(); ++it)
        if (contains(it.key()) || containsValue(it.value()))
            return true;
    return false;
}

// The status message and the events too, as Jaeger's search (exploratory test: "timeout" missed the spans whose
// status said it). Not the service: every span of one would match.
bool TraceSearch::matches(const Span &span) const
{
    if (m_text.isEmpty())
        return false;
    if (contains(span.name) || contains(span.statusMessage) || matchesMember(span.attributes))
        return true;
    return std::any_of(span.events.begin(), span.events.end(),
                       [this](const SpanEvent &e) { return contains(e.name) || matchesMember(e.attributes); });
}

std::vector<int> TraceSearch::matchingRows(const TraceTree &tree, const CancelToken *cancel) const
{
    std::vector<int> rows;
    if (m_text.isEmpty())
        return rows;
    for (std::size_t r = 0; r < tree.rows.size(); ++r) {
        if (cancel && r % 4096 == 0 && cancel->isCancelled())
            return {};
        if (matches(tree.span(tree.rows[r].span)))
            rows.push_back(static_cast<int>(r));
    }
    return rows;
}

} // namespace fd
