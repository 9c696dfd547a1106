#!/usr/bin/env bash
# Set-up for a developer or CI: packages, then the `asan` preset (clang, address + undefined behaviour
# sanitizers) built in build-asan, every test through CTest under it (GUI tests offscreen), then a short run of
# every libFuzzer target (clang, build-fuzz). The optimised build of packaging/build.sh is what people run;
# the suite runs where a memory error or undefined behaviour stops it at once.
# FD_FUZZ_SECONDS (default 5) is the time per target; 0 skips the fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
packaging/install-deps.sh
cmake --preset asan >/dev/null
cmake --build --preset asan --parallel "$(nproc)"
built=$(date +%s)
ctest --preset asan --parallel "$(nproc)" --timeout 900
tested=$(date +%s)
fuzz_seconds=${FD_FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_JOBS=$(nproc) tests/fuzz/run "$fuzz_seconds"
fi
echo "sanitized build $((built - start)) s, tests $((tested - built)) s, fuzz build and run $(( $(date +%s) - tested )) s"
