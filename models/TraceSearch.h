#pragma once
#include "Cancel.h"
#include "TraceTree.h"

#include <QString>
#include <vector>

namespace fd {

// Finds the spans whose name, status message, an attribute's key or value, or an event's name, key or value
// contains a text, ignoring case.
class TraceSearch
{
public:
    explicit TraceSearch(const QString &text);

    bool isEmpty() const { return m_text.isEmpty(); }
    bool matches(const Span &span) const;
    // The matching tree rows in display order; none for an empty text (or once cancelled).
    std::vector<int> matchingRows(const TraceTree &tree, const CancelToken *cancel = nullptr) const;

private:
    bool contains(const std::string &haystack) const;
    bool containsValue(const Json &value) const;
    bool matchesMember(const Json &object) const; // a key or a value

    QString m_text;
    std::string m_asciiLower; // the text folded, when it is plain ASCII (the fast path)
    bool m_ascii = false;
    const std::string m_true = "true";
    const std::string m_false = "false";
};

} // namespace fd
