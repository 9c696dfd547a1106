#!/usr/bin/env bash
# Installs the Debian 12 packages Flightdeck needs to build, run and test.
# Usage: packaging/install-deps.sh            (uses sudo when not root)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6sql6-sqlite
  libqt6opengl6-dev libgl-dev libxkbcommon-dev
  libboost-dev libssl-dev zlib1g-dev
  nlohmann-json3-dev libsqlite3-dev sqlite3
  lnav   # bench_import loads the same JSON lines into lnav for comparison
  protobuf-compiler libprotobuf-dev
  xvfb xauth fonts-dejavu-core poppler-utils
  qtkeychain-qt6-dev gnome-keyring dbus   # credentials in the keychain; tst_keychain runs a private keyring
  prometheus   # tst_prometheus starts its own server; the system service it installs is not used
  victoria-metrics   # likewise for tst_victoriametrics
  clickhouse-server   # likewise for tst_clickhouse_server (Debian ships 18.16: HTTP interface and SQL basics)
  clang libclang-rt-14-dev   # the asan preset (CI) and tests/fuzz/run: address + undefined sanitizers, libFuzzer
  lld   # the asan preset links its ~60 test executables with lld: 1.3 s each instead of 2.0 s with GNU ld
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm run the OpenTelemetry SDK in the receiver tests. Debian's npm conflicts with
# preinstalled Node builds, so install Debian's only when no node/npm is present.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
