#include "KnownSecrets.h"
#include <algorithm>
#include <mutex>

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

void hide(std::string &text, const std::string &secret)
{
    static const std::string hidden = "<hidden>";
    if (secret.size() < kShortest)
        return;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + hidden.size()))
        text.replace(at, secret.size(), hidden);
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

std::string withoutSecrets(std::string text, const std::vector<std::string> &also)
{
    for (const std::string &secret : also)
        hide(text, secret);
    Remembered &r = remembered();
    const std::lock_guard lock(r.mutex);
    for (const std::string &secret : r.values)
        hide(text, secret);
    return text;
}

} // namespace fd
