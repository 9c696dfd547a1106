#pragma once
// The seeds of each fuzz target (tests/fuzz/seeds) and deterministic mutations of them, for fuzz_replay and
// for the tests that feed them to whole programs (tst_corpus_ingest). Header-only: each user is one program.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fdfuzz {

namespace fs = std::filesystem;

inline std::string readFile(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The seed files of a target, from tests/fuzz/seeds: folders are read whole, sorted.
inline std::vector<fs::path> seedFiles(const std::string &target, const fs::path &sourceDir, const fs::path &fixtures)
{
    std::ifstream list(sourceDir / "tests/fuzz/seeds");
    std::vector<fs::path> files;
    for (std::string line; std::getline(list, line);) {
        std::istringstream words(line);
        std::string name;
        if (!(words >> name) || name != target)
            continue;
        for (std::string path; words >> path;) {
            const fs::path p = path.rfind("$FIXTURES/", 0) == 0 ? fixtures / path.substr(10)
                                                                 : sourceDir / path;
            if (fs::is_directory(p)) {
                std::vector<fs::path> inDir;
                for (const auto &e : fs::directory_iterator(p))
                    if (e.is_regular_file())
                        inDir.push_back(e.path());
                std::sort(inDir.begin(), inDir.end());
                files.insert(files.end(), inDir.begin(), inDir.end());
            } else if (fs::is_regular_file(p)) {
                files.push_back(p);
            } else {
                std::fprintf(stderr, "fuzz seeds: %s: seed %s not found\n", target.c_str(), p.c_str());
            }
        }
    }
    return files;
}

constexpr int kRandomRounds = 1500;

// The seed and its deterministic mutations: cuts, bit flips, invalid UTF-8, then randomRounds stacks of edits.
inline std::vector<std::pair<std::string, std::string>> mutations(const std::string &seed, std::uint32_t state,
                                                                  int randomRounds = kRandomRounds)
{
    std::vector<std::pair<std::string, std::string>> out { { "as is", seed } };
    const std::size_t n = seed.size();
    for (std::size_t cut : { std::size_t(1), n / 4, n / 2, 3 * n / 4, n - 1 })
        if (cut > 0 && cut < n)
            out.push_back({ "cut at " + std::to_string(cut), seed.substr(0, cut) });
    auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    if (n > 0) {
        std::string all = seed;
        for (int i = 0; i < 8; ++i) {
            const std::size_t at = next() % n;
            const char mask = char(1u << (next() % 8));
            std::string flipped = seed;
            flipped[at] ^= mask;
            all[at] ^= mask;
            out.push_back({ "bit flip at " + std::to_string(at), flipped });
        }
        out.push_back({ "8 bit flips", all });
    }
    // Overlong, surrogate, past U+10FFFF, lone continuation and truncated sequences, inside a string when there is one.
    const char *invalid[] = { "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xE2\x82", "\xFF\xFE" };
    const std::size_t quote = seed.find('"');
    for (std::size_t at : { quote == std::string::npos ? n / 2 : quote + 1, n / 3, n })
        for (const char *bytes : invalid)
            out.push_back({ "invalid UTF-8 at " + std::to_string(at), std::string(seed).insert(at, bytes) });
    // Random stacks of 1-4 edits: flip, interesting byte, insert, delete or repeat a range, invalid UTF-8.
    const char interesting[] = { '\0', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '0', '9', 'e', '\n', '\x7f', '\xff' };
    for (int round = 0; round < randomRounds && n > 0; ++round) {
        std::string m = seed;
        const int edits = 1 + int(next() % 4);
        for (int e = 0; e < edits && !m.empty(); ++e) {
            const std::size_t at = next() % m.size();
            const std::size_t len = std::min<std::size_t>(1 + next() % 16, m.size() - at);
            switch (next() % 6) {
            case 0: m[at] ^= char(1u << (next() % 8)); break;
            case 1: m[at] = interesting[next() % sizeof interesting]; break;
            case 2: m.insert(at, 1, interesting[next() % sizeof interesting]); break;
            case 3: m.erase(at, len); break;
            case 4: m.insert(at, m.substr(at, len)); break;
            default: m.insert(at, invalid[next() % std::size(invalid)]); break;
            }
        }
        out.push_back({ "random edits, round " + std::to_string(round), m });
    }
    return out;
}

} // namespace fdfuzz
