// fuzz_replay: the short run of every fuzz target that CI does, without libFuzzer (gcc). Each target is fed
// its seeds (tests/fuzz/seeds) and deterministic mutations of each: truncations, byte flips, invalid UTF-8.
//   fuzz_replay                     every target
//   fuzz_replay TARGET [FILE...]    one target: its seeds, or just FILEs as they are (a reproducer)
// A crash or an escaping exception names the target and input and saves it as fuzz-replay-crash.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#define FD_FUZZ_TARGET(name) extern "C" int fdFuzz_##name(const std::uint8_t *, std::size_t);
#include "FuzzTargets.inc"
#undef FD_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;
using Entry = int (*)(const std::uint8_t *, std::size_t);

struct Target {
    const char *name;
    Entry entry;
};

#define FD_FUZZ_TARGET(name) { #name, fdFuzz_##name },
const Target kTargets[] = {
#include "FuzzTargets.inc"
};
#undef FD_FUZZ_TARGET

// What is running, for the crash handler (which may only use async-signal-safe calls).
char g_current[512];
const std::string *g_input = nullptr;

void reportCrash()
{
    const char head[] = "\nfuzz_replay: crashed on ";
    (void)!write(2, head, sizeof head - 1);
    (void)!write(2, g_current, std::strlen(g_current));
    const char tail[] = "\nfuzz_replay: the input is saved as fuzz-replay-crash\n";
    (void)!write(2, tail, sizeof tail - 1);
    if (g_input) {
        const int fd = open("fuzz-replay-crash", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            (void)!write(fd, g_input->data(), g_input->size());
            close(fd);
        }
    }
}

void onSignal(int sig)
{
    reportCrash();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::string readFile(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The seed files of a target, from tests/fuzz/seeds: folders are read whole, sorted.
std::vector<fs::path> seedFiles(const std::string &target)
{
    std::ifstream list(FD_SOURCE_DIR "/tests/fuzz/seeds");
    std::vector<fs::path> files;
    for (std::string line; std::getline(list, line);) {
        std::istringstream words(line);
        std::string name;
        if (!(words >> name) || name != target)
            continue;
        for (std::string path; words >> path;) {
            const fs::path p = path.rfind("$FIXTURES/", 0) == 0 ? fs::path(FD_SHARED_FIXTURES) / path.substr(10)
                                                                 : fs::path(FD_SOURCE_DIR) / path;
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
                std::fprintf(stderr, "fuzz_replay: %s: seed %s not found\n", target.c_str(), p.c_str());
            }
        }
    }
    return files;
}

constexpr int kRandomRounds = 1500;

// The seed and its deterministic mutations.
std::vector<std::pair<std::string, std::string>> mutations(const std::string &seed, std::uint32_t state)
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
    for (int round = 0; round < kRandomRounds && n > 0; ++round) {
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

void runOne(const Target &t, const std::string &what, const std::string &input)
{
    std::snprintf(g_current, sizeof g_current, "target %s, %s", t.name, what.c_str());
    g_input = &input;
    t.entry(reinterpret_cast<const std::uint8_t *>(input.data()), input.size());
    g_input = nullptr;
}

// Returns the number of inputs run.
std::size_t replay(const Target &t, const std::vector<fs::path> &files, bool mutate)
{
    std::size_t inputs = 0;
    runOne(t, "empty input", std::string());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string seed = readFile(files[i]);
        if (!mutate) {
            runOne(t, files[i].string(), seed);
            ++inputs;
            continue;
        }
        for (const auto &[how, input] : mutations(seed, std::uint32_t(i * 7919 + std::strlen(t.name)))) {
            runOne(t, files[i].string() + ", " + how, input);
            ++inputs;
        }
    }
    return inputs;
}

} // namespace

int main(int argc, char **argv)
{
    for (int sig : { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL })
        std::signal(sig, onSignal);
    std::set_terminate([] {
        try {
            if (std::exception_ptr e = std::current_exception())
                std::rethrow_exception(e);
        } catch (const std::exception &e) {
            std::fprintf(stderr, "fuzz_replay: an exception escaped: %s\n", e.what());
        } catch (...) {
            std::fprintf(stderr, "fuzz_replay: an exception escaped\n");
        }
        std::signal(SIGABRT, SIG_DFL);
        reportCrash();
        std::abort();
    });
    const std::string only = argc > 1 ? argv[1] : "";
    bool found = false;
    for (const Target &t : kTargets) {
        if (!only.empty() && only != t.name)
            continue;
        found = true;
        const bool given = argc > 2;
        const std::vector<fs::path> files = given ? std::vector<fs::path>(argv + 2, argv + argc) : seedFiles(t.name);
        if (files.empty()) {
            std::fprintf(stderr, "fuzz_replay: %s has no seeds\n", t.name);
            return 1;
        }
        const auto start = std::chrono::steady_clock::now();
        const std::size_t inputs = replay(t, files, !given);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        std::printf("fuzz_replay: %-14s %3zu seeds %5zu inputs %6lld ms\n", t.name, files.size(), inputs,
            static_cast<long long>(ms.count()));
    }
    if (!found) {
        std::fprintf(stderr, "fuzz_replay: no target %s\n", only.c_str());
        return 1;
    }
    return 0;
}
