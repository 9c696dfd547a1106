#!/usr/bin/env bash
# Set-up for a developer or CI: packages, then the `asan` preset (clang, address + undefined behaviour
# sanitizers) built in build-asan, and every test through CTest under it (GUI tests offscreen). The optimised
# build of packaging/build.sh is what people run; the suite runs where a memory error or undefined behaviour
# stops it at once. Its fuzz_replay runs every fuzz target on its seeds and thousands of edits of them, under
# the sanitizers too. FD_FUZZ_SECONDS=N adds N s of libFuzzer per target (tests/fuzz/run: another clang tree,
# about 4 minutes more for N=5).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
packaging/install-deps.sh
cmake --preset asan >/dev/null
cmake --build --preset asan --parallel "$(nproc)"
built=$(date +%s)
ctest --preset asan --parallel "$(nproc)" --timeout 900
tested=$(date +%s)
fuzz_seconds=${FD_FUZZ_SECONDS:-0}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_JOBS=$(nproc) tests/fuzz/run "$fuzz_seconds"
fi
echo "sanitized build $((built - start)) s, tests $((tested - built)) s, libFuzzer build and run $(( $(date +%s) - tested )) s"
