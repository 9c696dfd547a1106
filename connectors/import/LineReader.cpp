#include "LineReader.h"

namespace fd {

namespace {
constexpr qint64 kBlock = 4 << 20;

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
} // namespace

bool LineReader::fill()
{
    m_buffer.erase(0, m_pos);
    m_pos = 0;
    const std::size_t old = m_buffer.size();
    m_buffer.resize(old + kBlock);
    const qint64 got = m_file.read(m_buffer.data() + old, kBlock);
    m_buffer.resize(old + static_cast<std::size_t>(std::max<qint64>(got, 0)));
    return got > 0;
}

bool LineReader::next(std::string_view &line, bool &cut)
{
    cut = false;
    std::size_t searchFrom = m_pos;
    for (;;) {
        const std::size_t newline = m_buffer.find('\n', searchFrom);
        if (newline != std::string::npos) {
            line = trimmed(std::string_view(m_buffer).substr(m_pos, newline - m_pos));
            m_consumed += static_cast<qint64>(newline + 1 - m_pos);
            m_pos = newline + 1;
            return true;
        }
        if (static_cast<qint64>(m_buffer.size() - m_pos) > m_maxLine) {
            // Drop the long line's bytes read so far and the rest of it up to its newline.
            cut = true;
            m_consumed += static_cast<qint64>(m_buffer.size() - m_pos);
            m_buffer.clear();
            m_pos = 0;
            for (;;) {
                if (!fill()) {
                    line = {};
                    return true;
                }
                const std::size_t end = m_buffer.find('\n');
                if (end != std::string::npos) {
                    m_consumed += static_cast<qint64>(end + 1);
                    m_pos = end + 1;
                    line = {};
                    return true;
                }
                m_consumed += static_cast<qint64>(m_buffer.size());
                m_buffer.clear();
            }
        }
        searchFrom = m_buffer.size() - m_pos; // after fill() the unread part starts at 0
        if (!fill()) {
            if (m_pos >= m_buffer.size())
                return false;
            line = trimmed(std::string_view(m_buffer).substr(m_pos));
            m_consumed += static_cast<qint64>(m_buffer.size() - m_pos);
            m_pos = m_buffer.size();
            m_unended = true;
            return true;
        }
    }
}

} // namespace fd
