#!/usr/bin/env bash
# Installs the Debian packages, then configures and builds Flightdeck with CMake + Ninja in ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --parallel "$(nproc)"
