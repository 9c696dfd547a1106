#pragma once
#include "models/Error.h"
#include "models/Json.h"
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

// Shared by the libFuzzer targets of tests/fuzz: each feeds one input to the real decoders. A clean
// fd::Error is an answer; anything else escaping (another exception, a crash, a sanitizer report) is a finding.
// fuzz_replay compiles every target file into one translation unit: a target keeps its code in
// LLVMFuzzerTestOneInput (or a namespace named after it), never in file-scope helpers another file could repeat.
namespace fd::fuzz {

inline std::string text(const std::uint8_t *data, std::size_t size)
{
    return std::string(reinterpret_cast<const char *>(data), size);
}

// The body as JSON, or a discarded value (no exception) when it is none, as the decoders parse it.
inline Json parse(const std::string &body) { return Json::parse(body, nullptr, false); }

template <class F> void run(F &&decode)
{
    try {
        decode();
    } catch (const Error &) {
    }
}

// A broken property (e.g. what was saved does not load again): a finding like a crash.
inline void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz finding: %s\n", what);
        std::abort();
    }
}

} // namespace fd::fuzz
