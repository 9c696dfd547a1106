#pragma once
#include "Workspace.h"
#include <string>
#include <string_view>

namespace fd {

// The URL with any user:password@ replaced by "…@": what a message or a label may show of it.
std::string urlWithoutUserInfo(std::string_view url);

// Why saving this source would write a secret into the workspace file (a password in its URL, a header that
// carries one); empty when it writes none. Secrets belong in the keychain, named by the source's credential.
std::string secretKeptBy(const SourceConfig &source);
// The first key of a source's JSON besides "credential" named for a secret ("token", "password"); empty when none.
std::string secretKeyOfSource(const Json &source);

} // namespace fd
