#include "KnownSecrets.h"
#include "Numbers.h"
#include <algorithm>
#include <array>
#include <mutex>
#include <string_view>
#include <utility>

namespace fd {

namespace {
constexpr std::size_t kShortest = 4;

struct Remembered {
    std::mutex mutex;
    std::vector<std::string> values;
};

// Never destroyed: an error may be made on a thread still running while the process exits.
Remembered &remembered()
{
    static auto *r = new Remembered;
    return *r;
}

// The character `digits` number in `base`, or -1 (no sign, nothing else, at most U+10FFFF).
int characterNumber(std::string_view digits, int base)
{
    const auto n = parseWhole<std::uint32_t>(digits, base);
    return n && *n <= 0x10FFFF ? int(*n) : -1;
}

// The character an HTML entity ("&#47;", "&#x2F;", "&amp;") at the start of `text` stands for, and its length.
std::pair<int, std::size_t> htmlEntity(std::string_view text)
{
    static const std::pair<std::string_view, int> kNamed[] = {{"amp", '&'}, {"lt", '<'},    {"gt", '>'},   {"quot", '"'},
                                                              {"apos", '\''}, {"sol", '/'}, {"plus", '+'}, {"equals", '='}};
    const std::size_t semi = text.substr(0, 12).find(';'); // not the whole text at each '&' (review: quadratic)
    if (semi == std::string_view::npos)
        return {-1, 0};
    const std::string_view name = text.substr(1, semi - 1);
    if (name.size() > 1 && name[0] == '#')
        return {name[1] == 'x' || name[1] == 'X' ? characterNumber(name.substr(2), 16) : characterNumber(name.substr(1), 10), semi + 1};
    for (const auto &[named, c] : kNamed)
        if (name == named)
            return {c, semi + 1};
    return {-1, 0};
}

// How many bytes at the start of `text` spell the ASCII character `c`: itself, or as JSON ("\/", "\u002F"),
// HTML ("&#x2F;", "&amp;") or a URL ("%2F") escape it; 0 for none.
std::size_t spelling(std::string_view text, char c)
{
    if (text.empty())
        return 0;
    if (text[0] == c)
        return 1;
    if (static_cast<unsigned char>(c) >= 0x80)
        return 0;
    switch (text[0]) {
    case '\\':
        if (text.size() >= 2 && text[1] == c)
            return 2;
        return text.size() >= 6 && text[1] == 'u' && characterNumber(text.substr(2, 4), 16) == c ? 6 : 0;
    case '%':
        return text.size() >= 3 && characterNumber(text.substr(1, 2), 16) == c ? 3 : 0;
    case '&': {
        const auto [value, length] = htmlEntity(text);
        return value == c ? length : 0;
    }
    default:
        return 0;
    }
}

// The length of `secret` spelt at the start of `text`, each character as itself or escaped; 0 if it is not.
std::size_t spelt(std::string_view text, std::string_view secret)
{
    // Characters are taken as themselves first: up to the first that differs, the text is the secret as it is,
    // and unless an escape starts there it is no spelling of it (a fast loop for text full of near misses).
    const std::size_t same = std::size_t(std::mismatch(secret.begin(), secret.end(), text.begin(), text.end()).first - secret.begin());
    if (same == secret.size())
        return same;
    if (same >= text.size() || (text[same] != '\\' && text[same] != '%' && text[same] != '&'))
        return 0;
    std::size_t at = same;
    for (char c : secret.substr(same)) {
        const std::size_t n = spelling(text.substr(at), c);
        if (n == 0)
            return 0;
        at += n;
    }
    return at;
}

// A server that echoes a token may escape it: "\/" in JSON (PHP), "&#x2F;" in an HTML page (exploratory test).
void hide(std::string &text, const std::string &secret)
{
    static const std::string hidden = "<hidden>";
    if (secret.size() < kShortest)
        return;
    // Where a spelling can start: the first character itself or an escape. Other bytes are passed over at once
    // (an error body may hold 64 MB).
    std::array<bool, 256> starts{};
    for (const char c : {secret[0], '\\', '%', '&'})
        starts[static_cast<unsigned char>(c)] = true;
    std::string out;
    std::size_t copied = 0;
    for (std::size_t at = 0; at < text.size();) {
        if (!starts[static_cast<unsigned char>(text[at])]) {
            ++at;
            continue;
        }
        const std::size_t n = spelt(std::string_view(text).substr(at), secret);
        if (n == 0) {
            ++at;
            continue;
        }
        out.append(text, copied, at - copied).append(hidden);
        at += n;
        copied = at;
    }
    if (copied == 0)
        return;
    text = out.append(text, copied, std::string::npos);
}
} // namespace

void rememberSecrets(const std::vector<std::string> &values)
{
    Remembered &r = remembered();
    const std::lock_guard lock(r.mutex);
    for (const std::string &v : values)
        if (v.size() >= kShortest && std::find(r.values.begin(), r.values.end(), v) == r.values.end())
            r.values.push_back(v);
}

std::size_t longestSecret()
{
    Remembered &r = remembered();
    const std::lock_guard lock(r.mutex);
    std::size_t longest = 0;
    for (const std::string &secret : r.values)
        longest = std::max(longest, secret.size());
    return longest;
}

std::string withoutSecrets(std::string text, const std::vector<std::string> &also)
{
    std::vector<std::string> secrets = also;
    {
        Remembered &r = remembered();
        const std::lock_guard lock(r.mutex);
        for (const std::string &secret : r.values)
            if (std::find(also.begin(), also.end(), secret) == also.end()) // each hidden once
                secrets.push_back(secret);
    }
    // Longest first: a short secret inside a long one, hidden first, had left the rest of the long one (review).
    std::stable_sort(secrets.begin(), secrets.end(), [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
    for (const std::string &secret : secrets)
        hide(text, secret);
    return text;
}

} // namespace fd
