#!/usr/bin/env bash
# Set-up for a developer or CI: packages, build, then every test through CTest (GUI tests offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
packaging/build.sh
built=$(date +%s)
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 900
echo "build $((built - start)) s, tests $(( $(date +%s) - built )) s"
