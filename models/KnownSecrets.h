#pragma once
#include <string>
#include <vector>

namespace fd {

// The credentials this process has sent (the HTTP client remembers each request's), so that no message shows
// one: a server may echo a request into an answer that a message then quotes, even a 200 whose data must not
// be rewritten for it (exploratory test). fd::Error hides them in every message it is given.
void rememberSecrets(const std::vector<std::string> &values);
// text with each remembered secret, and each of `also`, as "<hidden>", spelt as it is or escaped as a server
// echoing it may write it (JSON "\/" or "\u002F", HTML "&#x2F;", a URL's "%2F"); values shorter than 4
// characters are left, too short to be a key and hiding them would garble the text.
std::string withoutSecrets(std::string text, const std::vector<std::string> &also = {});
// The length of the longest secret remembered (0 for none).
std::size_t longestSecret();
// The longest a secret's character is when escaped ("&#x0002F;"), for a caller that cuts text after hiding.
constexpr std::size_t kLongestEscape = 12;

} // namespace fd
