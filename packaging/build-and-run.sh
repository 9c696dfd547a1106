#!/usr/bin/env bash
# Set-up for a user: packages, build, the demo dataset, then the app on the demo workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/build.sh
build/app/flightdeck demo
exec build/app/flightdeck "$@"
