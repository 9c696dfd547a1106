// fuzz_replay: the short run of every fuzz target that CI does, without libFuzzer (gcc). Each target is fed
// its seeds (tests/fuzz/seeds) and deterministic mutations of each: truncations, byte flips, invalid UTF-8.
//   fuzz_replay                     every target
//   fuzz_replay TARGET [FILE...]    one target: its seeds, or just FILEs as they are (a reproducer)
// A crash or an escaping exception names the target and input and saves it as fuzz-replay-crash.
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "FuzzSeeds.h"

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
        const std::string seed = fdfuzz::readFile(files[i]);
        if (!mutate) {
            runOne(t, files[i].string(), seed);
            ++inputs;
            continue;
        }
        for (const auto &[how, input] : fdfuzz::mutations(seed, std::uint32_t(i * 7919 + std::strlen(t.name)))) {
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
        const std::vector<fs::path> files = given ? std::vector<fs::path>(argv + 2, argv + argc) : fdfuzz::seedFiles(t.name, FD_SOURCE_DIR, FD_SHARED_FIXTURES);
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
