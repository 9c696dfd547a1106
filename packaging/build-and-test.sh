#!/usr/bin/env bash
# Set-up for a developer or CI: packages, build, then every test through CTest (GUI tests offscreen), then
# a short run of every libFuzzer target under address + undefined sanitizers (clang, build-fuzz).
# FD_FUZZ_SECONDS (default 5) is the time per target; 0 skips the fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
packaging/build.sh
built=$(date +%s)
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 900
tested=$(date +%s)
fuzz_seconds=${FD_FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_JOBS=$(nproc) tests/fuzz/run "$fuzz_seconds"
fi
echo "build $((built - start)) s, tests $((tested - built)) s, sanitized fuzz build and run $(( $(date +%s) - tested )) s"
